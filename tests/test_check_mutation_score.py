"""The mutation-score benchmark on a sample: the first mutants of the operators the checker
catches, each caught with a kind the operator should cause (the full table is in the README)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import mutation_score  # noqa: E402


def test_a_sample_of_mutants_is_caught_with_the_right_kind():
    operators = ["unit_flip", "guard_off_by_one", "override_removed", "override_reversed", "role_removed",
                 "role_doubled", "transition_added"]
    outcomes = mutation_score.score(operators, limit=1)
    assert [o.mutant.operator for o in outcomes] == operators
    for outcome in outcomes:
        assert outcome.status == "caught", outcome.mutant.description
        assert set(outcome.kinds) <= mutation_score.EXPECTED[outcome.mutant.operator]
    table = mutation_score.table(outcomes, markdown=True)
    assert "| `unit_flip` | 1 | 1 | 1 | 100% |" in table


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
