"""The check's reachability answers (model/digraph.py) are networkx's answers, on random graphs
built the way the checks build theirs: the same sets, the same yes or no, the same order."""
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpmodel.model import digraph

NODES = st.sampled_from("abcdefgh")
EDGES = st.lists(st.tuples(NODES, NODES), max_size=25)


def networkx_graph(nodes, edges, kind=nx.DiGraph):
    graph = kind()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


@settings(max_examples=300, deadline=None)
@given(st.lists(NODES, max_size=8), EDGES)
def test_descendants_ancestors_and_paths_are_networkx_answers(nodes, edges):
    ours, theirs = digraph.successors_of(nodes, edges), networkx_graph(nodes, edges)
    assert list(ours) == list(theirs.nodes)
    for node in theirs.nodes:
        assert digraph.descendants(ours, node) == nx.descendants(theirs, node)
        assert digraph.ancestors(ours, node) == nx.ancestors(theirs, node)
        assert (not ours[node]) == (theirs.out_degree(node) == 0)
        for other in theirs.nodes:
            assert digraph.has_path(ours, node, other) == nx.has_path(theirs, node, other)


@settings(max_examples=300, deadline=None)
@given(EDGES)
def test_connected_groups_are_networkx_components(edges):
    ours = sorted(digraph.connected_groups(edges), key=sorted)
    theirs = sorted(nx.connected_components(networkx_graph((), edges, nx.Graph)), key=sorted)
    assert ours == theirs


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(NODES, st.none() | NODES), max_size=12))
def test_topological_order_is_networkx_order_and_a_cycle_gives_none(deadlines):
    """Built as _dependency_order builds its graph: each deadline's event, then an edge from the
    event it counts from (a repeated edge counted once, as networkx does)."""
    ours, theirs = {}, nx.DiGraph()
    for event, anchor in deadlines:
        ours.setdefault(event, [])
        theirs.add_node(event)
        if anchor is not None:
            ours.setdefault(anchor, [])
            if event not in ours[anchor]:
                ours[anchor].append(event)
            theirs.add_edge(anchor, event)
    try:
        expected = list(nx.topological_sort(theirs))
    except nx.NetworkXUnfeasible:
        expected = None
    assert digraph.topological_order(ours) == expected
    assert digraph.has_cycle(ours) == (expected is None)


def test_a_rule_that_overrides_itself_is_a_cycle():
    assert digraph.has_cycle({"a": ["a"]})
    assert not digraph.has_cycle({"a": ["b"], "b": []})


def test_none_is_refused_as_a_node_as_networkx_refuses_it():
    for edges in ([(None, "a")], [("a", None)]):
        with pytest.raises(ValueError, match="None cannot be a node"):
            digraph.successors_of((), edges)
        with pytest.raises(ValueError, match="None cannot be a node"):
            networkx_graph((), edges)
