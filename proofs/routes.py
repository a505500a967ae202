"""Route removed or added: what a step taken out of (or put into) the procedure changes.

A removed alternative route leaves a consistent procedure, so `check` cannot call it wrong; what a
reader needs is its consequences: the shortest way from the start that is gone (and the way a case
must take now), states left with no way in or out, states no case can reach or leave for an end,
deadlines whose event can no longer happen while the case is in a state where they are live, rules
no step can trigger any more, and shipped training pathways that no longer walk as they did. An
added step is described the same way, as what it opens.
"""
from __future__ import annotations

import networkx as nx

from cpmodel.model.graph import dead_ends, reachable
from cpmodel.model.procedure import EventRef, Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.pathway_walks import first_difference, walks
from cpmodel.proofs.paths import path_in_words, path_to

REMOVED, ADDED = "route_removed", "route_added"


def _key(transition) -> tuple:
    return transition.source, transition.target, transition.event


def _events_here(procedure: Procedure, state: str) -> set[str]:
    return {t.event for t in procedure.outgoing(state)}


def _state_names(procedure: Procedure, states) -> str:
    return ", ".join(f"'{procedure.states[s].name}'" for s in states)


class _EventsAhead:
    """Events that can still happen from each state before a deadline lapses: the walker's rule
    (model/history.py, `events_ahead`: not through the anchor event again, nor through a new plan
    or the start), computed once per anchor for every state."""

    def __init__(self, procedure: Procedure):
        self.procedure = procedure
        self.restart = {"plan_made"} | {t.event for t in procedure.outgoing(procedure.start.id)}
        self.tables: dict[str, dict[str, set[str]]] = {}

    def __call__(self, state: str, anchor: str) -> set[str]:
        if anchor not in self.tables:
            blocked = self.restart | {anchor}
            graph = nx.DiGraph()
            graph.add_nodes_from(self.procedure.states)
            out: dict[str, set[str]] = {s: set() for s in self.procedure.states}
            for t in self.procedure.spec.transitions:
                if t.event not in blocked:
                    graph.add_edge(t.source, t.target)
                    out[t.source].add(t.event)
            self.tables[anchor] = {s: set().union(*(out[r] for r in {s} | nx.descendants(graph, s)))
                                   for s in self.procedure.states}
        return self.tables[anchor].get(state, set())


def _deadline_losses(old: Procedure, new: Procedure, old_ahead, new_ahead, where: set[str]) -> list[dict]:
    """Deadlines live in a state where their event could happen before the revision and no longer
    can (there, or at all before the deadline lapses)."""
    found = []
    graph = nx.MultiDiGraph([(t.source, t.target) for t in old.spec.transitions])
    for deadline in new.spec.deadlines:
        if deadline.id not in old.deadlines or not deadline.anchor:
            continue
        event, anchor = EventRef.parse(deadline.event).event, EventRef.parse(deadline.anchor).event
        lost_here, lost_ahead = [], []
        after_anchor = set()
        for target in {t.target for t in old.spec.transitions if t.event == anchor}:
            after_anchor |= {target} | nx.descendants(graph, target)
        for state in sorted(where & after_anchor):
            if state not in new.states or not new.deadline_live_in(deadline, state):
                continue
            if deadline.in_states and event in _events_here(old, state) and event not in _events_here(new, state):
                lost_here.append(state)
            blocked = "" if event == anchor else anchor
            if event in old_ahead(state, blocked) and event not in new_ahead(state, blocked):
                lost_ahead.append(state)
        if lost_here or lost_ahead:
            found.append({"deadline": deadline.id, "event": event, "not_here": lost_here, "never_after": lost_ahead})
    return found


def _rule_triggers(procedure: Procedure, rule) -> set[tuple]:
    """The (event, state) steps after which a rule scoped by `on` can apply."""
    return {(t.event, t.target) for t in procedure.spec.transitions
            if t.event in rule.on and (not rule.in_states or t.target in rule.in_states)}


def _rules_lost(old: Procedure, new: Procedure) -> list[str]:
    return [r.id for r in new.spec.rules if r.on and r.id in old.rules
            and _rule_triggers(old, old.rules[r.id]) and not _rule_triggers(new, r)]


def check(old: Procedure, new: Procedure) -> list[Finding]:
    before = {t.id: t for t in old.spec.transitions}
    after = {t.id: t for t in new.spec.transitions}
    removed = [t for t in old.spec.transitions if t.id not in after or _key(after[t.id]) != _key(t)]
    added = [t for t in new.spec.transitions if t.id not in before or _key(before[t.id]) != _key(t)]
    if not removed and not added:
        return []
    common = _Common(old, new)
    return ([_removed(common, t) for t in removed] + [_added(common, t) for t in added])


class _Common:
    """What every route finding of one revision shares, computed once."""

    def __init__(self, old: Procedure, new: Procedure):
        self.old, self.new = old, new
        self.reached_old, self.reached_new = reachable(old), reachable(new)
        self.unreachable_now = [s for s in self.reached_old - self.reached_new if s in new.states]
        self.reachable_now = [s for s in self.reached_new - self.reached_old if s in old.states]
        self.stuck_now = [s for s in dead_ends(new) if s in old.states and s not in dead_ends(old)]
        self.old_ahead, self.new_ahead = _EventsAhead(old), _EventsAhead(new)
        self.rules_lost = _rules_lost(old, new)
        self.walks_old = walks(old)

    def pathways(self, transition) -> list[dict]:
        """Shipped pathways that walked through this step (removed) or its state (added), and
        walk differently now."""
        found = []
        for name, walk in self.walks_old.items():
            if transition.id not in walk.transitions() and transition.source not in walk.states:
                continue
            how = first_difference(walk, walks(self.new, [name])[name])
            if how:
                found.append({"pathway": name, "difference": how})
        return found


def _listed(pathways: list[dict], most: int = 3) -> str:
    text = "; ".join(f"{p['pathway']} ({p['difference']})" for p in pathways[:most])
    return text + (f"; and {len(pathways) - most} more (see the witness)" if len(pathways) > most else "")


def _removed(common: _Common, transition) -> Finding:
    old, new = common.old, common.new
    source, target = transition.source, transition.target
    parts, witness = [], {"transition": transition.id, "from": source, "to": target, "event": transition.event}
    way = path_to(old, source)
    if way is not None and source in common.reached_old:
        gone = way + [transition.id]
        witness["path_gone"] = gone
        parts.append(f"the way {path_in_words(old, gone)} is gone")
        now = path_to(new, target) if target in new.states else None
        witness["path_now"] = now
        if now is None:
            parts.append(f"no way from the start reaches '{old.states[target].name}' now")
        elif len(now) > len(gone):
            parts.append(f"the shortest way there is now {path_in_words(new, now)} ({len(now)} steps, not {len(gone)})")
        else:
            parts.append(f"a case still gets there by {path_in_words(new, now)}")
    if source in new.states and transition.event not in _events_here(new, source):
        parts.append(f"{transition.event!r} can no longer be recorded while a case is in '{old.states[source].name}'")
        witness["event_gone_from"] = source
    if target in new.states and source != target and not any(
            t.target == target and t.source != target for t in new.spec.transitions):
        parts.append(f"'{old.states[target].name}' has no way in left")
        witness["no_way_in"] = target
    if source in new.states and not new.outgoing(source):
        parts.append(f"'{old.states[source].name}' has no way out left")
        witness["no_way_out"] = source
    for key, text in (("unreachable_now", "no case can reach"), ("stuck_now", "a case can no longer reach an end from")):
        states = getattr(common, key)
        if states:
            witness[key] = states
            parts.append(f"{text} {_state_names(new, states)}")
    losses = _deadline_losses(old, new, common.old_ahead, common.new_ahead, {source, target} | common.reached_new)
    if losses:
        witness["deadlines"] = losses
        for loss in losses:
            where = []
            if loss["not_here"]:
                where.append(f"can no longer happen in {_state_names(new, loss['not_here'])}, where the deadline is live")
            if loss["never_after"]:
                where.append(f"can never follow once a case is in {_state_names(new, loss['never_after'][:3])}"
                             + (f" (and {len(loss['never_after']) - 3} more states)" if len(loss["never_after"]) > 3 else "")
                             + ", so the deadline lapses there")
            parts.append(f"{words_of(new, loss['deadline'])}: its event {loss['event']!r} " + " and ".join(where))
    if common.rules_lost:
        witness["rules_never_triggered"] = common.rules_lost
        parts.append("no step can now trigger " + "; ".join(words_of(new, r) for r in common.rules_lost))
    return _route_finding(common, REMOVED, old, transition, parts, witness,
                          "is removed", "shipped pathways no longer walk as before: ")


def _added(common: _Common, transition) -> Finding:
    old, new = common.old, common.new
    source, target = transition.source, transition.target
    parts, witness = [], {"transition": transition.id, "from": source, "to": target, "event": transition.event}
    way = path_to(new, source)
    if way is not None:
        now = way + [transition.id]
        before = path_to(old, target) if target in old.states else None
        witness["path_new"], witness["path_before"] = now, before
        if before is None:
            parts.append(f"'{new.states[target].name}' can now be reached, by {path_in_words(new, now)}")
        elif len(now) < len(before):
            parts.append(f"the shortest way to '{new.states[target].name}' is now {path_in_words(new, now)} "
                         f"({len(now)} steps, not {len(before)})")
        else:
            parts.append(f"a new way to '{new.states[target].name}': {path_in_words(new, now)}")
    if source in old.states and target in old.states:
        if not any(t.source == source and t.target == target for t in old.spec.transitions):
            parts.append(f"a case in '{new.states[source].name}' can now go to '{new.states[target].name}' "
                         f"on {transition.event!r}")
        if transition.event not in _events_here(old, source):
            parts.append(f"{transition.event!r} can now happen in '{new.states[source].name}'")
    others = [t.id for t in new.outgoing(source) if t.id != transition.id and t.event == transition.event]
    if others:
        witness["same_event_from_source"] = others
        parts.append(f"it records the same event as {', '.join(others)} from the same state")
    if common.reachable_now:
        witness["reachable_now"] = common.reachable_now
        parts.append(f"cases can now reach {_state_names(new, common.reachable_now)}")
    return _route_finding(common, ADDED, new, transition, parts, witness,
                          "is added", "shipped pathways walk differently: ")


def _route_finding(common: _Common, kind: str, procedure, transition, parts: list[str], witness: dict,
                   verb: str, pathways_lead: str) -> Finding:
    """The description of one step removed or added: its consequences, then the shipped
    pathways it changes, in the words of the procedure that has the step."""
    pathways = common.pathways(transition)
    if pathways:
        witness["pathways"] = pathways
        parts.append(pathways_lead + _listed(pathways))
    message = f"{words_of(procedure, transition.id)} {verb}: " + "; ".join(parts or ["nothing else changes"])
    return Finding(kind=kind, severity="info", involved=[transition.id], witness=witness, message=message,
                   citations=citations_of(procedure, transition.id))
