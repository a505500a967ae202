"""Unreachable by guard: a state the graph reaches, but no path whose guards can all hold does.

Symbolic reachability over the facts along paths. A case's facts may change at every step (its
circumstances change, and the step's own event changes them: a plan made puts the child on a
plan), but at every moment they meet the invariants and what the current state assumes. A way
out is taken where its guard holds on the situation the step brings about, as the pathway walker
reads the facts stated with an event: the guard must be able to hold together with the state
entered (a plan ended on the child's death is taken when the child has died). A decision
left to a person's judgement (`judgement: true`) has no gap or overlap, but its ways out keep
their guards, as the walker keeps them. A state reached only through steps that can never be taken is reported once where its
branch is entered, with the path from the start to the closed door, the reasons it is closed
(the smallest unsat core, in words) and the states behind it.
"""
from __future__ import annotations

from cpmodel.model.digraph import descendants, successors_of
from cpmodel.model.graph import reachable as graph_reachable
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.paths import path_in_words, path_to
from cpmodel.proofs.vacuity import reason_in_words

KIND = "unreachable_by_guard"




def step_options(procedure: Procedure, encoder: FactEncoder, transition) -> list[dict]:
    """What must hold, in one case, for the step to be taken (named parts, for explanations)."""
    return [{"condition": encoder.encode(procedure.condition("transition", transition.id)),
             f"state:{transition.target}": encoder.encode(procedure.condition("state", transition.target))}]


def step_possible(procedure: Procedure, encoder: FactEncoder, transition) -> bool:
    return any(encoder.satisfiable(*parts.values()) for parts in step_options(procedure, encoder, transition))


def step_reasons(procedure: Procedure, encoder: FactEncoder, transition) -> list[str]:
    """Why a step can never be taken: the smallest reasons, before and after it, merged."""
    reasons: list[str] = []
    for parts in step_options(procedure, encoder, transition):
        for label in encoder.explain(parts):
            if label not in reasons:
                reasons.append(label)
    return sorted(reasons)


def open_steps(procedure: Procedure, encoder: FactEncoder) -> set[str]:
    """The transitions some case can take."""
    return {t.id for t in procedure.spec.transitions if step_possible(procedure, encoder, t)}


def reachable_by_guard(procedure: Procedure, opened: set[str]) -> set[str]:
    graph = successors_of([procedure.start.id],
                          ((t.source, t.target) for t in procedure.spec.transitions if t.id in opened))
    return {procedure.start.id} | descendants(graph, procedure.start.id)


def check(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    opened = open_steps(procedure, encoder)
    reached = reachable_by_guard(procedure, opened)
    closed_off = graph_reachable(procedure) - reached
    inside = successors_of(closed_off, ((t.source, t.target) for t in procedure.spec.transitions
                                        if t.source in closed_off and t.target in closed_off))
    findings = []
    for state in [s.id for s in procedure.spec.states if s.id in closed_off]:
        doors = [t for t in procedure.spec.transitions if t.target == state and t.source in reached]
        if not doors:
            continue  # behind another closed door: listed in that finding's branch
        branch = sorted(descendants(inside, state))
        reasons, because = {}, []
        for door in doors:
            labels, item = step_reasons(procedure, encoder, door), door
            reasons[door.id] = labels
            because.append(f"{door.id!r} ({path_in_words(procedure, path_to(procedure, door.source, opened) or [])}"
                           f" -> [{door.event}]) needs: "
                           + "; ".join(reason_in_words(procedure, item, label) for label in labels))
        path = path_to(procedure, doors[0].source, opened) or []
        behind = (", and with it " + ", ".join(repr(procedure.states[s].name) for s in branch)) if branch else ""
        findings.append(Finding(
            kind=KIND, severity="error", involved=[state],
            witness={"path_to_door": path, "closed_ways_in": reasons, "branch": branch},
            message=f"{words_of(procedure, state)}: the graph leads to '{procedure.states[state].name}', but no "
                    f"case can get there{behind}: every way in is closed, since no case meets all that each "
                    f"needs. " + " | ".join(because),
            citations=citations_of(procedure, state, *(d.id for d in doors),
                                   *(label.split(":", 1)[1] for labels in reasons.values()
                                     for label in labels if label.startswith("invariant:")))))
    return findings

