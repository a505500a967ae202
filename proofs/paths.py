"""Paths through the state graph, in words: how a case gets somewhere, step by step."""
from __future__ import annotations

from cpmodel.model.procedure import Procedure


def path_to(procedure: Procedure, target: str, allowed=None) -> list[str] | None:
    """The shortest list of transition ids from the start to target (over allowed ids only).

    networkx is imported here, not above: the check asks for a path only to show a finding."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(procedure.states)
    for transition in procedure.spec.transitions:
        if allowed is not None and transition.id not in allowed:
            continue
        if not graph.has_edge(transition.source, transition.target):
            graph.add_edge(transition.source, transition.target, transition=transition.id)
    try:
        states = nx.shortest_path(graph, procedure.start.id, target)
    except nx.NetworkXNoPath:
        return None
    return [graph.edges[a, b]["transition"] for a, b in zip(states, states[1:])]


def path_in_words(procedure: Procedure, transitions: list[str]) -> str:
    """'Section 47 enquiry -> (initial_conference) Initial child protection conference -> ...'."""
    text = procedure.start.name
    for transition_id in transitions:
        transition = procedure.transitions[transition_id]
        text += f" -> [{transition.event}] {procedure.states[transition.target].name}"
    return text
