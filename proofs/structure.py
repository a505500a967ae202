"""Unreachable states and dead ends, from the state graph, each with the path that shows it."""
from __future__ import annotations

from cpmodel.model.digraph import descendants
from cpmodel.model.graph import dead_ends, next_states, unreachable_states
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.paths import path_in_words, path_to


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    unreachable = unreachable_states(procedure)
    for state in unreachable:
        sources = sorted({t.source for t in procedure.spec.transitions if t.target == state and t.source != state})
        if not sources:
            why = "no transition leads to it"
        else:
            why = ("the only ways in come from states that are themselves never reached: "
                   + ", ".join(repr(procedure.states[s].name) for s in sources))
        findings.append(Finding(
            kind="unreachable", severity="error", involved=[state],
            witness={"ways_in_from": sources, "start": procedure.start.id},
            message=f"{words_of(procedure, state)}: no case can reach '{procedure.states[state].name}' "
                    f"from '{procedure.start.name}': {why}",
            citations=citations_of(procedure, state)))
    graph = next_states(procedure)
    finals = {s.id for s in procedure.spec.states if s.kind == "final"}
    for state in dead_ends(procedure):
        path = path_to(procedure, state)
        onward = sorted(descendants(graph, state) - {state})
        if not graph[state]:
            why = "nothing leads out of it"
        else:
            why = ("its ways out lead only to " + ", ".join(repr(procedure.states[s].name) for s in onward)
                   + ", and none of them reaches an end")
        reached = f"a case gets there by {path_in_words(procedure, path)}" if path is not None \
            else "(it is not reachable either)"
        findings.append(Finding(
            kind="dead_end", severity="error", involved=[state],
            witness={"path": path or [], "onward": onward, "ends": sorted(finals)},
            message=f"{words_of(procedure, state)}: '{procedure.states[state].name}' is not final, yet a case "
                    f"there can never reach an end: {why}; {reached}",
            citations=citations_of(procedure, state)))
    return findings
