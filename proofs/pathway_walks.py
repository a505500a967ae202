"""The shipped training pathways walked through a revision: the steps each takes and the dates its
deadlines fall due, so a diff can say which pathways no longer walk and how a due date moves."""
from __future__ import annotations

from dataclasses import dataclass, field

from cpmodel.model.errors import InputError
from cpmodel.model.procedure import Procedure

_BROKEN = ("unexpected_event", "condition_not_met")


@dataclass
class Walk:
    name: str
    error: str = ""                                   # the pathway does not load against the procedure
    steps: list[tuple] = field(default_factory=list)  # (date, event, transition, (broken breach items...))
    deadlines: list[dict] = field(default_factory=list)  # every deadline set: {deadline, set_on, due, period}
    states: set[str] = field(default_factory=set)        # every state the walk is in at some step

    def transitions(self) -> set[str]:
        return {step[2] for step in self.steps if step[2]}


def walks(procedure: Procedure, names=None) -> dict[str, Walk]:
    """Shipped pathways walked through this procedure (each walked once per procedure): all of
    them, or the named ones."""
    from cpmodel.model.pathways import pathway_names

    cache = procedure.__dict__.setdefault("_pathway_walks", {})
    for name in (pathway_names() if names is None else names):
        if name not in cache:
            cache[name] = _walk(procedure, name)
    return {name: cache[name] for name in (pathway_names() if names is None else names)}


def _walk(procedure: Procedure, name: str) -> Walk:
    from cpmodel.model.pathways import load_pathway, walk_pathway

    walk = Walk(name)
    try:
        pathway, steps = load_pathway(name, procedure)
        walker, _ = walk_pathway(procedure, pathway, steps)
    except InputError as error:
        walk.error = str(error)
        return walk
    for report in walker.reports:
        broken = tuple(sorted(f"{b.kind}:{b.item}" for b in report.breaches if b.kind in _BROKEN))
        walk.steps.append((report.date.isoformat(), report.event, report.transition, broken))
        walk.states |= {report.state_before, report.state_after}
        for entry in report.deadlines_set:
            walk.deadlines.append({"deadline": entry["deadline"], "set_on": report.date.isoformat(),
                                   "due": entry["due"], "period": entry["period"]})
    return walk


def first_difference(before: Walk, after: Walk) -> str | None:
    """Where a pathway stops walking as it did, in words (None if it walks the same)."""
    if after.error and not before.error:
        return f"it no longer loads: {after.error}"
    for index, (was, now) in enumerate(zip(before.steps, after.steps), start=1):
        if was[2] != now[2] or (set(now[3]) - set(was[3])):
            date, event = now[0], now[1]
            newly = sorted(set(now[3]) - set(was[3]))
            how = (f"it took {was[2] or 'no step'}, now {now[2] or 'no step'}"
                   + (f" and is flagged {', '.join(newly)}" if newly else ""))
            return f"step {index} ({date}, {event!r}): {how}"
    return None
