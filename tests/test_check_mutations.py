"""Each kind of finding is caught in a mutated copy of the shipped model, with the right kind."""
import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import find, variant, write_variant
from cpmodel.model.loader import load_procedure
from cpmodel.proofs import run_checks
from cpmodel.proofs.encode import FactEncoder, SolverUndecided


def check(tmp_path, change):
    path = write_variant(tmp_path, variant(change))
    return run_checks(load_procedure(path)), path


def unacknowledged(report, kind):
    return [f for f in report.findings if f.kind == kind and not f.acknowledged]


def test_deleting_the_plo_precedence_makes_an_unresolved_conflict_and_exit_1(tmp_path):
    report, path = check(tmp_path, lambda d: find(d, "rules", "plo_plan_ends_only_at_review").update(overrides=[]))
    conflict = [f for f in unacknowledged(report, "conflict") if f.severity == "error"]
    assert [f.id for f in conflict] == ["conflict:double_protection_removal+plo_plan_ends_only_at_review"]
    assert conflict[0].witness["plo"] is True
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_rules_overriding_each_other_in_a_circle_is_an_error(tmp_path):
    report, _ = check(tmp_path, lambda d: find(d, "rules", "double_protection_removal").update(
        overrides=["plo_plan_ends_only_at_review"]))
    assert [f.id for f in unacknowledged(report, "override_cycle")] == [
        "override_cycle:double_protection_removal+plo_plan_ends_only_at_review"]
    assert report.failed()


def test_a_decision_with_no_way_out_for_some_case_is_a_gap(tmp_path):
    def drop(d):
        d["transitions"] = [t for t in d["transitions"] if t["id"] != "plan_continues_at_review"]
    report, _ = check(tmp_path, drop)
    gap = unacknowledged(report, "gap")
    assert [f.id for f in gap] == ["gap:review_conference"]
    assert gap[0].witness["significant_harm_continuing"] is True


def test_two_exclusive_ways_out_that_both_apply_are_an_overlap(tmp_path):
    report, _ = check(tmp_path, lambda d: find(d, "transitions", "plan_discontinued_at_review").update(when="true"))
    assert [f.id for f in unacknowledged(report, "overlap")] == [
        "overlap:plan_continues_at_review+plan_discontinued_at_review"]


def test_a_state_nothing_leads_to_is_unreachable(tmp_path):
    def add(d):
        d["states"].append({"id": "orphan", "name": "Orphan", "citation": "impl#1"})
        d["transitions"].append({"id": "orphan_out", "from": "orphan", "to": "support_ended",
                                 "event": "support_ended", "citation": "impl#1"})
    report, _ = check(tmp_path, add)
    assert [f.id for f in unacknowledged(report, "unreachable")] == ["unreachable:orphan"]


def test_a_state_with_no_way_out_is_a_dead_end(tmp_path):
    def add(d):
        d["states"].append({"id": "limbo", "name": "Limbo", "citation": "impl#1"})
        d["transitions"].append({"id": "into_limbo", "from": "plan_in_force", "to": "limbo",
                                 "event": "limbo_entered", "citation": "impl#1"})
    report, _ = check(tmp_path, add)
    assert [f.id for f in unacknowledged(report, "dead_end")] == ["dead_end:limbo"]


def test_deadlines_that_cannot_all_be_met_give_the_smallest_clashing_set(tmp_path):
    def add(d):
        d["deadlines"].append({"id": "review_not_before_four_months", "event": "review_conference#1",
                               "anchor": "plan_made", "not_before": "4 months", "duty": "conference",
                               "role": "conference_chair", "citation": "wt2023#review-conference-timing"})
    report, _ = check(tmp_path, add)
    infeasible = unacknowledged(report, "infeasible_deadline")
    assert len(infeasible) == 1
    assert sorted(infeasible[0].involved) == ["first_review_conference", "review_not_before_four_months"]


def test_working_day_deadline_clash_depends_on_the_real_calendar(tmp_path):
    """10 working days span 14 calendar days in an ordinary fortnight but more over Christmas, so
    'not before 15 days' clashes with 'within 10 working days' in June and not in December."""
    import datetime as dt
    from cpmodel.proofs import deadlines

    def add(d):
        d["deadlines"].append({"id": "first_core_group_not_before_15_days", "event": "core_group#1",
                               "anchor": "plan_made", "not_before": "15 days", "duty": "meeting",
                               "role": "lead_social_worker", "citation": "impl#4.1"})
    procedure = load_procedure(write_variant(tmp_path, variant(add)))
    june = deadlines.check(procedure, starts=(dt.date(2027, 6, 14),))
    christmas = deadlines.check(procedure, starts=(dt.date(2026, 12, 18),))
    clash = [f for f in june if f.kind == "infeasible_deadline"]
    assert [sorted(f.involved) for f in clash] == [["first_core_group", "first_core_group_not_before_15_days"]]
    assert not [f for f in christmas if f.kind == "infeasible_deadline"]


def test_plain_days_where_the_procedure_counts_working_days_is_a_unit_inconsistency(tmp_path):
    report, path = check(tmp_path, lambda d: find(d, "deadlines", "absent_agencies_answer").update(within="10 days"))
    assert [f.id for f in unacknowledged(report, "unit_inconsistency")] == ["unit_inconsistency:absent_agencies_answer"]
    assert report.failed()
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_strict_fails_on_an_unacknowledged_warning(tmp_path):
    def change(d):
        d["acknowledgements"] = [a for a in d["acknowledgements"] if not a["finding"].startswith("uncovered_stretch")]
    report, path = check(tmp_path, change)
    assert not report.failed() and report.failed(strict=True)
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 0
    assert CliRunner().invoke(app, ["check", str(path), "--strict"]).exit_code == 1


@pytest.mark.parametrize("role", [None, ["lead_social_worker", "team_manager"]])
def test_a_duty_with_no_single_accountable_role_is_unaccountable(tmp_path, role):
    def change(d):
        deadline = find(d, "deadlines", "second_core_group")
        if role is None:
            deadline.pop("role")
        else:
            deadline["role"] = role
    report, _ = check(tmp_path, change)
    assert [f.id for f in unacknowledged(report, "unaccountable")] == ["unaccountable:second_core_group"]


def test_a_stretch_no_recurrence_covers_is_reported_once_unacknowledged(tmp_path):
    def change(d):
        d["acknowledgements"] = [a for a in d["acknowledgements"] if not a["finding"].startswith("uncovered_stretch")]
    report, _ = check(tmp_path, change)
    assert [f.id for f in unacknowledged(report, "uncovered_stretch")] == [
        "uncovered_stretch:core_groups_after_first_review+second_core_group"]
    assert report.failed(strict=True) and not report.failed()


def test_an_acknowledgement_that_matches_nothing_is_a_stale_warning(tmp_path):
    report, _ = check(tmp_path, lambda d: d["acknowledgements"].append(
        {"finding": "gap:no_such_state", "reason": "old", "by": "someone", "date": "2026-01-01"}))
    assert [f.id for f in unacknowledged(report, "stale_acknowledgement")] == ["stale_acknowledgement:gap:no_such_state"]


def test_solver_unknown_becomes_a_finding_not_a_crash(tmp_path, monkeypatch):
    def undecided(self, *constraints, show=()):
        raise SolverUndecided("timeout")
    monkeypatch.setattr(FactEncoder, "search", undecided)
    result = CliRunner().invoke(app, ["check", "--json"])
    assert result.exit_code == 1
    assert '"kind": "undecided"' in result.output


def test_shipped_model_produces_none_of_these_as_unacknowledged_errors():
    report = run_checks(load_procedure())
    assert [f.id for f in report.findings if f.fails] == []
