"""The condition language: one tree, printed and parsed back the same, evaluated without eval."""
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpmodel.model.conditions import (And, Compare, ConditionSyntaxError, Fact, Implies, Member, Not, Or,
                              evaluate, facts_named, parse, render)

leaves = st.one_of(
    st.sampled_from(["a", "b", "c"]).map(Fact),
    st.builds(Compare, st.just("n"), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), st.integers(-2, 5)),
    st.builds(Member, st.just("status"), st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True).map(tuple)),
)
trees = st.recursive(leaves, lambda inner: st.one_of(
    inner.map(Not),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
), max_leaves=8)


def flatten(tree):
    """The parser flattens nested and/or; compare modulo that."""
    if isinstance(tree, (And, Or)):
        parts = []
        for part in map(flatten, tree.operands):
            parts.extend(part.operands if type(part) is type(tree) else [part])
        return type(tree)(tuple(parts))
    if isinstance(tree, Not):
        return Not(flatten(tree.operand))
    return tree


@given(trees)
def test_render_then_parse_gives_back_the_same_tree(tree):
    assert parse(render(tree)) == flatten(tree)


@given(trees, st.booleans(), st.booleans(), st.booleans(), st.integers(-2, 5), st.sampled_from(["x", "y", "z"]))
def test_printed_condition_means_the_same(tree, a, b, c, n, status):
    case = {"a": a, "b": b, "c": c, "n": n, "status": status}
    assert evaluate(parse(render(tree)), case) == evaluate(tree, case)


def test_implies_is_false_only_when_premise_holds_and_conclusion_fails():
    tree = parse("a implies b")
    assert isinstance(tree, Implies)
    table = {(a, b): evaluate(tree, {"a": a, "b": b}) for a, b in itertools.product([False, True], repeat=2)}
    assert table == {(False, False): True, (False, True): True, (True, False): False, (True, True): True}


def test_and_binds_tighter_than_or():
    assert evaluate(parse("a or b and c"), {"a": True, "b": False, "c": False})


def test_facts_named_lists_every_fact():
    assert facts_named(parse("not a and (n > 2 or status in {x, y})")) == {"a", "n", "status"}


@pytest.mark.parametrize("text", ["", "a and", "(a", "a == ", "not", "a implies b implies c", "__import__('os')"])
def test_malformed_conditions_are_refused(text):
    with pytest.raises(ConditionSyntaxError):
        parse(text)
