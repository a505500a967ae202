"""Where a solver could be wrong, a brute-force oracle: enumerate every case, or ask Z3 the same
deadline question that bounds propagation answers."""
import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deadline_strategies

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.conditions import And, Compare, Fact, Member, Not, Or, evaluate, render
from cpmodel.model.loader import procedure_from_document
from cpmodel.model.yaml_source import YamlDocument
from cpmodel.proofs import conflicts, gaps
from cpmodel.proofs.deadlines import Bound, CalendarTables, propagate, z3_feasible
from cpmodel.proofs.encode import FactEncoder

FACTS = [
    {"id": "a", "type": "bool"}, {"id": "b", "type": "bool"}, {"id": "c", "type": "bool"},
    {"id": "status", "type": "enum", "values": ["none", "s20", "care_order"]},
    {"id": "level", "type": "int", "min": 0, "max": 2},
]
leaves = st.one_of(
    st.sampled_from(["a", "b", "c"]).map(Fact),
    st.builds(Compare, st.just("status"), st.sampled_from(["==", "!="]), st.sampled_from(["none", "s20", "care_order"])),
    st.builds(Compare, st.just("level"), st.sampled_from(["==", "<", ">="]), st.integers(0, 2)),
    st.builds(Member, st.just("status"), st.sampled_from([("s20",), ("s20", "care_order")])),
)
conditions = st.recursive(leaves, lambda inner: st.one_of(
    inner.map(Not), st.lists(inner, min_size=2, max_size=3).map(lambda x: And(tuple(x))),
    st.lists(inner, min_size=2, max_size=3).map(lambda x: Or(tuple(x)))), max_leaves=5)


def all_cases(procedure):
    facts = procedure.spec.facts
    invariants = procedure.invariant_conditions()
    for values in itertools.product(*(f.domain() for f in facts)):
        case = dict(zip((f.id for f in facts), values))
        if all(evaluate(i, case) for i in invariants):
            yield case


def build(rules, invariant=None, guards=()):
    data = {"name": "oracle", "version": "1", "roles": [{"id": "chair", "name": "Chair", "citation": "impl#1"}],
            "facts": FACTS,
            "invariants": [{"id": "inv", "when": render(invariant), "citation": "impl#1"}] if invariant else [],
            "states": [{"id": "start", "name": "Start", "kind": "start", "citation": "impl#1"},
                       {"id": "decide", "name": "Decide", "kind": "decision", "citation": "impl#1"},
                       {"id": "end", "name": "End", "kind": "final", "citation": "impl#1"}],
            "transitions": [{"id": "go", "from": "start", "to": "decide", "event": "go", "citation": "impl#1"}] + [
                {"id": f"way_{i}", "from": "decide", "to": "end", "event": f"way_{i}", "when": render(g),
                 "citation": "impl#1"} for i, g in enumerate(guards)],
            "actions": [{"id": "act", "excludes": ["other"]}, {"id": "other"}],
            "rules": [{"id": f"rule_{i}", "modality": m, "action": act, "role": "chair", "when": render(c),
                       "citation": "impl#1"} for i, (m, act, c) in enumerate(rules)]}
    return procedure_from_document(YamlDocument("<oracle>", data, {(): 1}))


rule_sets = st.lists(st.tuples(st.sampled_from(["obliged", "permitted", "forbidden"]),
                               st.sampled_from(["act", "other"]), conditions), min_size=2, max_size=5)


@settings(max_examples=60, deadline=None)
@given(rule_sets, st.one_of(st.none(), conditions))
def test_z3_conflicts_equal_brute_force_enumeration(rules, invariant):
    procedure = build(rules, invariant)
    found = {tuple(sorted(f.involved)) for f in conflicts.check(procedure, FactEncoder(procedure))
             if f.kind == "conflict"}
    cases = list(all_cases(procedure))
    expected = set()
    for first, second, _ in conflicts.clashing_pairs(procedure):
        c1, c2 = procedure.condition("rule", first.id), procedure.condition("rule", second.id)
        if any(evaluate(c1, case) and evaluate(c2, case) for case in cases):
            expected.add(tuple(sorted((first.id, second.id))))
    assert found == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(conditions, min_size=1, max_size=3), st.one_of(st.none(), conditions))
def test_z3_gaps_and_overlaps_equal_brute_force_enumeration(guards, invariant):
    procedure = build([], invariant, guards)
    findings = gaps.check(procedure, FactEncoder(procedure))
    cases = list(all_cases(procedure))
    conditions_ = [procedure.condition("transition", f"way_{i}") for i in range(len(guards))]
    expect_gap = any(not any(evaluate(g, case) for g in conditions_) for case in cases)
    expect_overlaps = {(f"way_{i}", f"way_{j}") for i, j in itertools.combinations(range(len(guards)), 2)
                       if any(evaluate(conditions_[i], c) and evaluate(conditions_[j], c) for c in cases)}
    assert any(f.kind == "gap" for f in findings) == expect_gap
    assert {tuple(f.involved) for f in findings if f.kind == "overlap"} == expect_overlaps
    for finding in findings:  # every witness really shows the defect
        case = {f.id: f.quiet_value() for f in procedure.spec.facts} | finding.witness
        if finding.kind == "gap":
            assert not any(evaluate(g, case) for g in conditions_)


periods = deadline_strategies.periods(12)
bounds = deadline_strategies.bounds(periods)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bounds, st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 1)))
def test_deadline_propagation_agrees_with_z3_on_the_real_calendar(pathway, start):
    pathway = [Bound(f"d{i}", b.kind, b.earlier, b.later, b.period) for i, b in enumerate(pathway)]
    tables = CalendarTables(WorkingCalendar(), start, horizon=420)
    root = pathway[0].earlier
    schedule = propagate(pathway, tables, root)
    assert (schedule is not None) == z3_feasible(pathway, tables, root)
    if schedule is not None:  # the earliest schedule itself meets every bound
        for b in pathway:
            due = tables.shift(schedule[b.earlier], b.period)
            assert schedule[b.later] >= due if b.kind == "after" else schedule[b.later] <= due


@settings(max_examples=60, deadline=None)
@given(st.lists(conditions, min_size=1, max_size=4), st.one_of(st.none(), conditions))
def test_z3_vacuous_rules_equal_brute_force_enumeration(whens, invariant):
    from cpmodel.proofs import vacuity

    procedure = build([("obliged", "act", c) for c in whens], invariant)
    cases = list(all_cases(procedure))
    found = {f.involved[0] for f in vacuity.check(procedure, FactEncoder(procedure)) if f.involved[0].startswith("rule_")}
    expected = {f"rule_{i}" for i in range(len(whens))
                if not any(evaluate(procedure.condition("rule", f"rule_{i}"), case) for case in cases)}
    assert found == (expected if cases else set())
    every_case = [dict(zip((f.id for f in procedure.spec.facts), values))
                  for values in itertools.product(*(f.domain() for f in procedure.spec.facts))]
    if not cases:   # contradictory invariants: one finding says so, naming them
        assert [f.involved for f in vacuity.check(procedure, FactEncoder(procedure))] == [["inv"]]
        return
    for finding in vacuity.check(procedure, FactEncoder(procedure)):   # the explanation is needed and minimal
        if not finding.involved[0].startswith("rule_"):
            continue
        holds = lambda case: evaluate(procedure.condition("rule", finding.involved[0]), case)
        without_invariant = any(holds(case) for case in every_case)
        assert ("invariant:inv" in finding.witness["reasons"]) == without_invariant


def graph_procedure(assumptions, edges):
    """States s0 (start) .. s4 with random assumptions; edges (source, target, guard) between them."""
    states = [{"id": f"s{i}", "name": f"S{i}", "kind": "start" if i == 0 else "normal",
               "assumes": render(a) if i else "true", "citation": "impl#1"} for i, a in enumerate(assumptions)]
    states.append({"id": "end", "name": "End", "kind": "final", "citation": "impl#1"})
    data = {"name": "oracle", "version": "1", "roles": [{"id": "chair", "name": "Chair", "citation": "impl#1"}],
            "facts": FACTS, "invariants": [], "states": states,
            "transitions": [{"id": f"t{i}", "from": f"s{a}", "to": f"s{b}" if b < len(assumptions) else "end",
                             "event": f"e{i}", "when": render(g), "exclusive": False, "citation": "impl#1"}
                            for i, (a, b, g) in enumerate(edges) if a < len(assumptions)]}
    return procedure_from_document(YamlDocument("<oracle>", data, {(): 1}))


@settings(max_examples=60, deadline=None)
@given(st.lists(conditions, min_size=5, max_size=5),
       st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5), conditions), min_size=1, max_size=8))
def test_z3_reachability_over_guards_equals_brute_force_enumeration(assumptions, edges):
    from cpmodel.proofs import reachability

    procedure = graph_procedure(assumptions, edges)
    encoder = FactEncoder(procedure)
    cases = list(all_cases(procedure))
    symbolic = reachability.reachable_by_guard(procedure, reachability.open_steps(procedure, encoder))
    assert symbolic == brute_force_reachable(procedure, cases)
    from cpmodel.model.graph import reachable
    reported = {f.involved[0] for f in reachability.check(procedure, encoder)}
    for state in reported:   # every report is a state the graph reaches and no case does
        assert state in reachable(procedure) and state not in symbolic
    for state in reachable(procedure) - symbolic:   # and every such state is reported or behind one
        assert state in reported or any(state in f.witness["branch"] for f in reachability.check(procedure, encoder))


def brute_force_reachable(procedure, cases):
    """The states a case can reach, by trying every case at every step."""
    from cpmodel.proofs.reachability import reachable_by_guard

    def holds(kind, item_id, case):
        return evaluate(procedure.condition(kind, item_id), case)

    opened = set()
    for transition in procedure.spec.transitions:
        if any(holds("transition", transition.id, c) and holds("state", transition.target, c) for c in cases):
            opened.add(transition.id)
    return reachable_by_guard(procedure, opened)
