"""The audit's fast paths against the slow ones they replace: a condition's remembered verdicts
against the reference evaluator, the remembered assumptions against a fresh search, the
breadth-first reachability against networkx, and a walk sharing one procedure index across many
cases against a walk with a fresh index for every case (nothing remembered leaks between cases)."""
import datetime as dt

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cpmodel.model import load_procedure
from cpmodel.model.audit import read_event_log
from cpmodel.model.conditions import And, Compare, Const, Fact, Implies, Member, Not, Or, evaluate
from cpmodel.model.history import CaseWalk, ConditionJudge, ProcedureIndex, Step, steps_to
from event_logs import write_log

PROCEDURE = load_procedure()

# Facts of three types; `flag` is bool, `level` an int 0..3, `status` an enum.
DOMAINS = {"flag": [False, True], "other": [False, True], "level": [0, 1, 2, 3], "status": ["none", "s20", "care_order"]}
QUIET = {"flag": False, "other": False, "level": 0, "status": "none"}

leaves = st.one_of(
    st.sampled_from(["flag", "other"]).map(Fact),
    st.booleans().map(Const),
    st.builds(Compare, st.just("level"), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), st.integers(0, 3)),
    st.builds(Compare, st.just("status"), st.sampled_from(["==", "!="]), st.sampled_from(DOMAINS["status"])),
    st.builds(Member, st.just("status"),
              st.lists(st.sampled_from(DOMAINS["status"]), min_size=1, max_size=2, unique=True).map(tuple)),
)
conditions = st.recursive(leaves, lambda inner: st.one_of(
    inner.map(Not),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
    st.tuples(inner, inner).map(lambda pair: Implies(*pair)),
), max_leaves=6)


@st.composite
def partial_facts(draw):
    """Some facts stated, some not (what a history says, or what the walker has assumed)."""
    return {name: draw(st.sampled_from(values)) for name, values in DOMAINS.items() if draw(st.booleans())}


situations = st.lists(st.tuples(partial_facts(), partial_facts()), min_size=1, max_size=12)


def domain(name):
    quiet = QUIET[name]
    return [quiet] + [v for v in DOMAINS[name] if v != quiet]


@settings(max_examples=300, deadline=None)
@given(conditions, situations)
def test_a_remembered_verdict_is_the_reference_evaluators(condition, asked):
    judge = ConditionJudge(condition)
    for known, inferred in asked + asked:   # asked twice: the second time every answer is remembered
        assert judge.holds(known, inferred, QUIET) == evaluate(condition, QUIET | inferred | known)


@settings(max_examples=300, deadline=None)
@given(conditions, situations)
def test_remembered_assumptions_are_a_fresh_searchs(condition, asked):
    judge = ConditionJudge(condition)
    for known, inferred in asked + asked:
        fresh = ConditionJudge(condition).search(known, inferred, QUIET, domain)
        found = judge.satisfiable(known, inferred, QUIET, domain)
        assert (None if found is None else dict(found)) == fresh
        if fresh is not None:   # and what it assumes does make the condition hold
            assert evaluate(condition, QUIET | inferred | known | fresh)


edges = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["a", "b", "c", "d"])), max_size=25)


@settings(max_examples=300, deadline=None)
@given(edges, st.integers(0, 7), st.sets(st.sampled_from(["a", "b", "c", "d"]), max_size=2))
def test_breadth_first_reachability_is_networkx(edge_list, start, blocked):
    leaving = {str(n): [] for n in range(8)}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(leaving)
    for source, target, event in edge_list:
        leaving[str(source)].append((event, str(target)))
        graph.add_edge(str(source), str(target), event=event)
    assert steps_to(leaving, str(start)) == nx.single_source_shortest_path_length(graph, str(start))
    open_graph = nx.MultiDiGraph()
    open_graph.add_nodes_from(leaving)
    open_graph.add_edges_from((a, b, d) for a, b, d in graph.edges(data=True) if d["event"] not in blocked)
    assert set(steps_to(leaving, str(start), blocked)) == {str(start)} | nx.descendants(open_graph, str(start))


def test_events_ahead_and_distances_agree_with_networkx_on_the_shipped_model():
    index = ProcedureIndex(PROCEDURE)
    blocked_by_start = {t.event for t in PROCEDURE.outgoing(PROCEDURE.start.id)}
    for state in PROCEDURE.states:
        assert index.distances_from(state) == nx.single_source_shortest_path_length(index.graph, state)
        for anchor in ["", "plan_made", "core_group", "review_conference", "visit"]:
            blocked = {anchor, "plan_made"} | blocked_by_start
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(index.graph.nodes)
            graph.add_edges_from((a, b, d) for a, b, d in index.graph.edges(data=True) if d["event"] not in blocked)
            reachable = {state} | nx.descendants(graph, state)
            assert index.events_ahead(state, anchor) == {d["event"] for a, b, d in graph.edges(data=True) if a in reachable}


def _walked(cases, index_for):
    found = {}
    for case, steps in cases.items():
        walker = CaseWalk(index_for(), narrate=False)
        for step in steps:
            walker.walk(step)
        end = walker.finish(dt.date(2028, 6, 30))
        found[case] = ([b.to_json() for b in walker.breaches + end], [b.to_json() for b in walker.advice + walker.end_advice])
    return found


def test_one_index_shared_by_many_cases_walks_each_as_a_fresh_one_would(tmp_path):
    path = tmp_path / "events.csv"
    write_log(path, 80, planted_every=3, seed=11)
    cases = read_event_log(path, PROCEDURE)
    shared = ProcedureIndex(PROCEDURE)
    together = _walked(cases, lambda: shared)
    apart = _walked(cases, lambda: ProcedureIndex(PROCEDURE))
    assert together == apart
    assert sum(1 for breaches, advice in together.values() if breaches or advice) >= 20   # the plants are there


def test_a_narrated_walk_and_an_audit_walk_find_the_same(tmp_path):
    path = tmp_path / "events.csv"
    write_log(path, 40, planted_every=2, seed=5)
    index = ProcedureIndex(PROCEDURE)
    for case, steps in read_event_log(path, PROCEDURE).items():
        narrated, audited = CaseWalk(index), CaseWalk(index, narrate=False)
        for step in steps:
            report = narrated.walk(Step(step.date, step.event, dict(step.facts)))
            assert audited.walk(step) is None
            assert report.state_after == audited.state
        assert [b for r in narrated.reports for b in r.breaches] == audited.breaches
        assert [b for r in narrated.reports for b in r.advice] == audited.advice


class CheckedEveryStep(CaseWalk):
    """The walker without its shortcut: what the case can no longer meet is looked at after
    every step, not only after the state changes or a deadline is set."""

    def walk(self, step):
        self._checked_in = None
        return super().walk(step)


EVENTS = sorted(PROCEDURE.events)
FACTS = sorted(PROCEDURE.facts)


@st.composite
def histories(draw):
    """Any events in any order, some with facts: the walker must take what a log can hold."""
    day, steps = dt.date(2026, 3, 2), []
    for _ in range(draw(st.integers(1, 40))):
        day += dt.timedelta(days=draw(st.integers(0, 25)))
        facts = {}
        for name in draw(st.lists(st.sampled_from(FACTS), max_size=2, unique=True)):
            facts[name] = draw(st.sampled_from(PROCEDURE.facts[name].domain()))
        steps.append(Step(day, draw(st.sampled_from(EVENTS)), facts))
    return steps


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_walkers_shortcuts_change_nothing_on_any_history(steps):
    index = ProcedureIndex(PROCEDURE)
    fast, slow = CaseWalk(index, narrate=False), CheckedEveryStep(index, narrate=False)
    for step in steps:
        fast.walk(Step(step.date, step.event, dict(step.facts)))
        slow.walk(Step(step.date, step.event, dict(step.facts)))
        assert (fast.state, fast.pending, fast.known, fast.inferred) == (slow.state, slow.pending, slow.known, slow.inferred)
    until = steps[-1].date + dt.timedelta(days=400)
    assert fast.breaches + fast.finish(until) == slow.breaches + slow.finish(until)
    assert fast.advice + fast.end_advice == slow.advice + slow.end_advice
