"""What can be reached from what, over the small graphs the checks build: states and transitions,
rules and the rules they override, events and the deadlines between them.

The check asks these graphs (tens of nodes) only reachability questions: which states follow a
state, which states can still reach an end, whether one rule overrides another through a chain,
which events are linked at all, and an order of events in which each comes after those it counts
from. networkx answered them, but importing networkx loads every algorithm it has, about a fifth
of `cpmodel check` as a whole process; the answers here are sets, yes or no, and the order is
Python's own `graphlib` (kept to networkx's topological order, as the tests show). What is more
than reachability, the shortest path shown in a finding and every cycle of overrides, is still
asked of networkx, imported only when there is such a path or cycle to show.

A graph is a mapping {node: [the nodes one edge leads to]}, every node a key.
"""
from __future__ import annotations

import graphlib
from collections.abc import Hashable, Iterable, Mapping, Sequence

Successors = Mapping[Hashable, Sequence[Hashable]]


def successors_of(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]) -> dict:
    """{node: the nodes its edges lead to, in the order the edges come, each once}; nodes first,
    then any node an edge names, in the order they appear (as networkx adds them)."""
    found: dict = {node: [] for node in nodes}
    for source, target in edges:
        if source is None or target is None:
            raise ValueError("None cannot be a node")
        following = found.setdefault(source, [])
        found.setdefault(target, [])
        if target not in following:
            following.append(target)
    return found


def descendants(graph: Successors, source: Hashable) -> set:
    """Every node reached from source by one edge or more, source itself left out (as networkx)."""
    seen = {source}
    waiting = [source]
    while waiting:
        for following in graph[waiting.pop()]:
            if following not in seen:
                seen.add(following)
                waiting.append(following)
    seen.discard(source)
    return seen


def ancestors(graph: Successors, target: Hashable) -> set:
    """Every node from which target can be reached, target itself left out."""
    return descendants(reversed_graph(graph), target)


def reversed_graph(graph: Successors) -> dict:
    found: dict = {node: [] for node in graph}
    for node, following in graph.items():
        for other in following:
            found[other].append(node)
    return found


def has_path(graph: Successors, source: Hashable, target: Hashable) -> bool:
    return source == target or target in descendants(graph, source)


def connected_groups(edges: Iterable[tuple[Hashable, Hashable]]) -> list[set]:
    """The groups of nodes linked by edges taken in either direction (connected components)."""
    return _groups(successors_of((), edges))


def _groups(graph: Successors) -> list[set]:
    both_ways = reversed_graph(graph)
    for node, following in graph.items():
        both_ways[node].extend(following)
    groups, placed = [], set()
    for node in both_ways:
        if node not in placed:
            group = {node} | descendants(both_ways, node)
            placed |= group
            groups.append(group)
    return groups


def topological_order(graph: Successors) -> list | None:
    """The nodes, each after every node with an edge to it, or None when a cycle forbids any.

    graphlib releases the nodes as networkx's topological_sort does: generation by generation,
    each generation in the order its nodes became free, the first in the order of the graph."""
    sorter = graphlib.TopologicalSorter()
    for node in graph:
        sorter.add(node)
    for node, following in graph.items():
        for other in following:
            sorter.add(other, node)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return None


def has_cycle(graph: Successors) -> bool:
    return topological_order(graph) is None
