"""The procedure as a directed graph of states, for reachability and drawing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from cpmodel.model.digraph import ancestors, descendants, successors_of
from cpmodel.model.procedure import Procedure

if TYPE_CHECKING:
    import networkx as nx


def state_graph(procedure: Procedure) -> nx.MultiDiGraph:
    """States are nodes; each transition is an edge keyed by its id, labelled by its event
    (for drawing and export; the check's questions are answered by `next_states`)."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=procedure.spec.name)
    for state in procedure.spec.states:
        graph.add_node(state.id, label=state.name, kind=state.kind, citation=state.citation)
    for transition in procedure.spec.transitions:
        graph.add_edge(transition.source, transition.target, key=transition.id, event=transition.event,
                       when=transition.when, citation=transition.citation)
    return graph


def next_states(procedure: Procedure) -> dict[str, list[str]]:
    """{state: the states its transitions lead to}, every state a key."""
    return successors_of((s.id for s in procedure.spec.states),
                         ((t.source, t.target) for t in procedure.spec.transitions))


def reachable(procedure: Procedure) -> set[str]:
    return {procedure.start.id} | descendants(next_states(procedure), procedure.start.id)


def unreachable_states(procedure: Procedure) -> list[str]:
    """States no case can reach from the start, in file order."""
    seen = reachable(procedure)
    return [s.id for s in procedure.spec.states if s.id not in seen]


def dead_ends(procedure: Procedure) -> list[str]:
    """Non-final states with no way out, and states from which no final state can be reached."""
    graph = next_states(procedure)
    finals = {s.id for s in procedure.spec.states if s.kind == "final"}
    can_finish = set(finals)
    for final in finals:
        can_finish |= ancestors(graph, final)
    return [s.id for s in procedure.spec.states
            if s.kind != "final" and (not graph[s.id] or s.id not in can_finish)]


def final_states(procedure: Procedure) -> list[str]:
    return [s.id for s in procedure.spec.states if s.kind == "final"]
