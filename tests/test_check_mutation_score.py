"""The mutation-score benchmark on a sample: the first mutants of every operator, each caught with
a kind the operator should cause, by check's findings or by diff's description of the revision
(the full table is in the README)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import mutation_score  # noqa: E402


def test_a_sample_of_mutants_is_caught_with_the_right_kind():
    """The first valid mutant of every operator (some edits are refused by the loader: counted
    apart, never scored)."""
    from cpmodel.model.loader import load_procedure
    from cpmodel.proofs import run_checks

    shipped = load_procedure()
    report = run_checks(shipped)
    outcomes, rejected = [], 0
    for operator in mutation_score.OPERATORS:
        for mutant in mutation_score.mutants([operator]):
            outcome = mutation_score.judge(mutant, shipped, report)
            if outcome.status != "rejected":
                outcomes.append(outcome)
                break
            rejected += 1
    assert [o.mutant.operator for o in outcomes] == list(mutation_score.OPERATORS)
    assert rejected >= 1   # orphaning the section 47 enquiry removes every step recording 'section_47_started', which a rule names
    for outcome in outcomes:
        assert outcome.status == "caught", outcome.mutant.description
        assert set(outcome.kinds) <= mutation_score.EXPECTED[outcome.mutant.operator]
    table = mutation_score.table(outcomes, markdown=True)
    assert "| `unit_flip` | 1 | 1 | 1 | 100% | 1 |" in table


def test_consistent_revisions_are_caught_by_diffs_description_with_its_witness():
    """A negated guard, a removed route and a changed 'every N visits' leave a consistent
    procedure: diff's description (with a witness) is what catches them."""
    from cpmodel.model.loader import load_procedure
    from cpmodel.proofs import run_checks

    wanted = {"core_group_delivers_plan.when: 'on_plan' -> 'not (on_plan)'": "scope_changed",
              "visit_while_care_order removed": "route_removed",
              "seen_alone_alternate_visits.every: 2 visits -> 3 visits": "timescale_changed"}
    chosen = [m for m in mutation_score.mutants(["guard_negated", "transition_removed", "period_changed"])
              if m.description in wanted]
    assert len(chosen) == len(wanted)
    shipped = load_procedure()
    report = run_checks(shipped)
    for mutant in chosen:
        outcome = mutation_score.judge(mutant, shipped, report)
        assert outcome.status == "caught" and not outcome.by_check, (mutant.description, outcome.kinds)
        assert outcome.kinds == [wanted[mutant.description]]


def test_a_description_without_a_witness_does_not_count():
    assert not mutation_score._described({"kind": "route_removed", "witness": {"transition": "t", "from": "a",
                                                                               "to": "b", "event": "e"}})
    assert not mutation_score._described({"kind": "scope_changed", "witness": {"old_condition": "a",
                                                                               "new_condition": "b"}})
    assert mutation_score._described({"kind": "scope_changed", "witness": {"gained": {"state": "s", "case": {}}}})


def test_equivalent_conditions_are_left_out_of_the_score():
    from cpmodel.model.loader import load_procedure
    from cpmodel.proofs import run_checks

    base = mutation_score.shipped_data()
    old, new = "on_plan and failed_visits_in_a_row >= 2", "on_plan and failed_visits_in_a_row > 1"
    mutant = mutation_score._mutant(base, "guard_off_by_one", "same meaning",
                                    lambda d: mutation_score._find(d, "rules", "failed_visits_reported").update(when=new),
                                    ("rule", "failed_visits_reported", old, new))
    shipped = load_procedure()
    assert mutation_score.judge(mutant, shipped, run_checks(shipped)).status == "equivalent"
