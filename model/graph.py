"""The procedure as a directed graph of states, for reachability and drawing."""
from __future__ import annotations

import networkx as nx

from cpmodel.model.procedure import Procedure


def state_graph(procedure: Procedure) -> nx.MultiDiGraph:
    """States are nodes; each transition is an edge keyed by its id, labelled by its event."""
    graph = nx.MultiDiGraph(name=procedure.spec.name)
    for state in procedure.spec.states:
        graph.add_node(state.id, label=state.name, kind=state.kind, citation=state.citation)
    for transition in procedure.spec.transitions:
        graph.add_edge(transition.source, transition.target, key=transition.id, event=transition.event,
                       when=transition.when, citation=transition.citation)
    return graph


def reachable(procedure: Procedure) -> set[str]:
    graph = state_graph(procedure)
    return {procedure.start.id} | nx.descendants(graph, procedure.start.id)


def unreachable_states(procedure: Procedure) -> list[str]:
    """States no case can reach from the start, in file order."""
    seen = reachable(procedure)
    return [s.id for s in procedure.spec.states if s.id not in seen]


def dead_ends(procedure: Procedure) -> list[str]:
    """Non-final states with no way out, and states from which no final state can be reached."""
    graph = state_graph(procedure)
    finals = {s.id for s in procedure.spec.states if s.kind == "final"}
    can_finish = set(finals)
    for final in finals:
        can_finish |= nx.ancestors(graph, final)
    return [s.id for s in procedure.spec.states
            if s.kind != "final" and (graph.out_degree(s.id) == 0 or s.id not in can_finish)]


def final_states(procedure: Procedure) -> list[str]:
    return [s.id for s in procedure.spec.states if s.kind == "final"]
