"""The defects that used to escape `cpmodel check`, planted in copies of the shipped model: each is
now caught with the right kind, a witness in the documents' words, and citations."""
import datetime as dt

from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import find, variant, write_variant
from cpmodel.model.loader import load_procedure
from cpmodel.proofs import deadlines, run_checks


def check(tmp_path, change):
    path = write_variant(tmp_path, variant(change))
    return run_checks(load_procedure(path)), path


def new(report, kind):
    return [f for f in report.findings if f.kind == kind and not f.acknowledged]


# -- vacuous ------------------------------------------------------------------------------------
def test_off_by_one_guard_beyond_the_facts_maximum_is_a_vacuous_duty(tmp_path):
    report, path = check(tmp_path, lambda d: find(d, "rules", "failed_visits_reported").update(
        when="on_plan and failed_visits_in_a_row > 2"))
    [finding] = new(report, "vacuous")
    assert finding.id == "vacuous:failed_visits_reported" and finding.severity == "error"
    assert finding.witness["reasons"] == ["condition", "domain:failed_visits_in_a_row"]
    assert "at most 2" in finding.message
    assert finding.message.startswith("\u201cTwo home visits in close succession without access")
    assert "impl#8.2/1" in finding.citations
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_a_rule_the_invariants_make_impossible_names_the_invariant(tmp_path):
    report, _ = check(tmp_path, lambda d: find(d, "rules", "child_given_plan").update(
        when="on_plan and unborn and looked_after"))
    [finding] = new(report, "vacuous")
    assert finding.involved == ["child_given_plan"]
    assert finding.witness["reasons"] == ["condition", "invariant:unborn_child_is_not_looked_after"]
    assert "An unborn child has no age and cannot be looked after." in finding.message
    assert "impl#7.2/1" in finding.citations


def test_a_guard_the_state_it_enters_contradicts_is_vacuous(tmp_path):
    """A plan ended on the child's death, taken when the child has not died."""
    report, _ = check(tmp_path, lambda d: find(d, "transitions", "child_dies").update(when="not died"))
    vacuous = {f.id: f for f in new(report, "vacuous")}
    assert set(vacuous) == {"vacuous:child_dies"}
    assert vacuous["vacuous:child_dies"].witness["reasons"] == ["condition", "state:plan_ended_on_death"]
    assert "it enters 'Plan ended on the child's death'" in vacuous["vacuous:child_dies"].message
    assert [f.id for f in new(report, "unreachable_by_guard")] == ["unreachable_by_guard:plan_ended_on_death"]


def test_a_guard_that_describes_the_situation_the_step_brings_about_is_not_vacuous(tmp_path):
    """The care order is made: the guard speaks of the order, not of the interim order before it."""
    report, _ = check(tmp_path, lambda d: None)
    assert not new(report, "vacuous") and not new(report, "unreachable_by_guard")
    assert find(variant(lambda d: None), "transitions", "care_order_made")["when"] == "legal_status == care_order"


# -- unreachable by guard -------------------------------------------------------------------------
def test_a_branch_the_invariants_close_is_unreachable_by_guard_with_its_path(tmp_path):
    report, path = check(tmp_path, lambda d: find(d, "transitions", "birthday_review_held").update(
        when="on_plan and unborn and age >= 17"))
    [finding] = new(report, "unreachable_by_guard")
    assert finding.id == "unreachable_by_guard:eighteenth_birthday_review"
    assert finding.witness["branch"] == ["plan_ended_at_18"]
    assert finding.witness["path_to_door"] == ["enquiry_started", "enquiry_leads_to_conference", "plan_made"]
    assert finding.witness["closed_ways_in"]["birthday_review_held"] == [
        "condition", "invariant:unborn_child_is_not_looked_after"]
    assert "Plan ended at 18" in finding.message and "Child protection plan in force" in finding.message
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_a_state_reached_only_through_closed_steps_is_reported_once_at_its_door(tmp_path):
    def close(d):
        find(d, "transitions", "accommodated_under_section_20").update(when="legal_status == none and looked_after")
    report, _ = check(tmp_path, close)
    ids = [f.id for f in new(report, "unreachable_by_guard")]
    assert ids == ["unreachable_by_guard:looked_after_section_20"]
    assert new(report, "unreachable_by_guard")[0].witness["closed_ways_in"]["accommodated_under_section_20"] == [
        "condition", "invariant:looked_after_has_a_status"]


# -- deadlines: `when` and the dates of a clash ---------------------------------------------------
def _second_first_core_group(d, separate_cases: bool):
    d["deadlines"].append({"id": "unborn_first_core_group_later", "event": "core_group#1", "anchor": "plan_made",
                           "not_before": "15 working_days", "duty": "meeting", "role": "lead_social_worker",
                           "citation": "impl#4.1", **({"when": "unborn"} if separate_cases else {})})
    if separate_cases:
        find(d, "deadlines", "first_core_group")["when"] = "not unborn"


def test_deadlines_for_cases_that_never_overlap_do_not_clash(tmp_path):
    """The false positive: 'within 10 working days' for born children and 'not before 15 working
    days' for unborn ones were reported as clashing."""
    procedure = load_procedure(write_variant(tmp_path, variant(lambda d: _second_first_core_group(d, True))))
    assert not [f for f in deadlines.check(procedure) if f.kind == "infeasible_deadline"]


def test_the_same_deadlines_for_overlapping_cases_clash_and_name_the_dates(tmp_path):
    procedure = load_procedure(write_variant(tmp_path, variant(lambda d: _second_first_core_group(d, False))))
    [clash] = [f for f in deadlines.check(procedure, starts=(dt.date(2027, 6, 14),)) if f.kind == "infeasible_deadline"]
    assert clash.involved == ["first_core_group", "unborn_first_core_group_later"]
    assert clash.witness["event"] == "core_group#1"
    # 10 working days after Monday 14 June 2027 is Monday 28 June; 15 working days is Monday 5 July
    assert clash.witness["latest_date"] == "2027-06-28" and clash.witness["earliest_date"] == "2027-07-05"
    assert "2027-06-28" in clash.message and "2027-07-05" in clash.message
    assert clash.message.startswith("\u201cThe first core group meets within ten working days")


def test_a_clash_between_conditional_deadlines_shows_the_case(tmp_path):
    def change(d):
        _second_first_core_group(d, False)
        find(d, "deadlines", "unborn_first_core_group_later")["when"] = "unborn"
    procedure = load_procedure(write_variant(tmp_path, variant(change)))
    [clash] = [f for f in deadlines.check(procedure) if f.kind == "infeasible_deadline"]
    assert clash.witness["case"] == {"unborn": True}


# -- precedence ---------------------------------------------------------------------------------
def test_a_resolved_conflict_says_which_rule_wins_and_why():
    report = run_checks(load_procedure())
    finding = next(f for f in report.findings if f.id == "conflict:double_protection_removal+plo_plan_ends_only_at_review")
    assert finding.witness["winner"] == "plo_plan_ends_only_at_review"
    assert "'plo_plan_ends_only_at_review' wins, because 'plo_plan_ends_only_at_review' declares that it overrides " \
           "'double_protection_removal'" in finding.message
    assert "is forbidden there" in finding.message


# -- units and text -----------------------------------------------------------------------------
def test_working_days_changed_to_days_is_a_unit_inconsistency_and_a_text_drift(tmp_path):
    report, path = check(tmp_path, lambda d: find(d, "deadlines", "core_group_notes").update(within="5 days"))
    assert [f.id for f in new(report, "unit_inconsistency")] == ["unit_inconsistency:core_group_notes"]
    [drift] = new(report, "text_drift")
    assert drift.id == "text_drift:core_group_notes"
    assert drift.witness == {"text_states": "5 working days", "period": "5 days"}
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_the_unit_flip_keeps_the_other_plain_day_findings(tmp_path):
    """The old pairwise check lost the finding on the return-home conference when the move rule it
    was compared with changed; judged against the whole procedure, it stays."""
    report, _ = check(tmp_path, lambda d: find(d, "deadlines", "receiving_conference_deadline").update(within="15 days"))
    ids = {f.id for f in report.findings if f.kind == "unit_inconsistency"}
    assert {"unit_inconsistency:receiving_conference_deadline", "unit_inconsistency:conference_before_return_home"} <= ids


def test_a_guard_that_disagrees_with_its_text_by_one_is_a_text_drift(tmp_path):
    report, _ = check(tmp_path, lambda d: find(d, "rules", "failed_visits_reported").update(
        when="on_plan and failed_visits_in_a_row >= 1"))
    assert [f.id for f in new(report, "text_drift")] == ["text_drift:failed_visits_reported"]
    assert not new(report, "vacuous")


# -- structure with paths -----------------------------------------------------------------------
def test_a_dead_end_comes_with_the_path_that_reaches_it(tmp_path):
    def add(d):
        d["states"].append({"id": "limbo", "name": "Limbo", "citation": "impl#1"})
        d["transitions"].append({"id": "into_limbo", "from": "plan_in_force", "to": "limbo",
                                 "event": "limbo_entered", "citation": "impl#1"})
    report, _ = check(tmp_path, add)
    [finding] = new(report, "dead_end")
    assert finding.witness["path"] == ["enquiry_started", "enquiry_leads_to_conference", "plan_made", "into_limbo"]
    assert "nothing leads out of it" in finding.message


def test_an_unreachable_state_says_where_its_ways_in_come_from(tmp_path):
    def add(d):
        d["states"] += [{"id": "orphan", "name": "Orphan", "citation": "impl#1"},
                        {"id": "orphan_two", "name": "Orphan two", "citation": "impl#1"}]
        d["transitions"] += [{"id": "orphan_on", "from": "orphan", "to": "orphan_two", "event": "x", "citation": "impl#1"},
                             {"id": "orphan_out", "from": "orphan_two", "to": "support_ended", "event": "support_ended",
                              "citation": "impl#1"}]
    report, _ = check(tmp_path, add)
    found = {f.id: f for f in new(report, "unreachable")}
    assert "no transition leads to it" in found["unreachable:orphan"].message
    assert found["unreachable:orphan_two"].witness["ways_in_from"] == ["orphan"]


# -- v2: transitions against rules, interpretations, timing, judgement ---------------------------
def test_a_step_whose_action_a_rule_forbids_to_its_actor_is_a_transition_conflict(tmp_path):
    """The graph let a PLO plan be ended by the chair outside a conference."""
    report, path = check(tmp_path, lambda d: find(d, "transitions", "chair_ends_plan").update(when="true"))
    [finding] = new(report, "transition_conflict")
    assert finding.id == "transition_conflict:chair_ends_plan+plo_plan_ends_only_at_review"
    assert finding.witness["plo"] is True and finding.witness["action"] == "end_plan_outside_conference"
    assert finding.message.startswith("\u201cUnder the Public Law Outline the double-protection route does not apply")
    assert "cpp#avoiding-double-protection/6" in finding.citations
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_a_prohibition_for_another_role_is_no_transition_conflict(tmp_path):
    def change(d):
        find(d, "transitions", "chair_ends_plan").update(when="true")
        find(d, "rules", "plo_plan_ends_only_at_review").update(role="parents")
    report, _ = check(tmp_path, change)
    assert not new(report, "transition_conflict")


def test_a_duty_no_step_can_perform_is_a_transition_conflict(tmp_path):
    def change(d):
        d["rules"].append({"id": "must_end_at_review_under_plo", "strength": "must", "action": "end_plan_at_review_conference",
                           "role": "conference", "in": ["review_conference"], "when": "on_plan and plo and significant_harm_continuing",
                           "text": "Under the PLO a review conference ends the plan.", "citation": "cpp#avoiding-double-protection/6"})
    report, _ = check(tmp_path, change)
    [finding] = new(report, "transition_conflict")
    assert finding.involved == ["must_end_at_review_under_plo"]
    assert finding.witness["significant_harm_continuing"] is True
    assert "plan_discontinued_at_review" in finding.witness["steps_performing_it"]


def test_every_interpretation_the_model_records_is_listed_as_info():
    procedure = load_procedure()
    report = run_checks(procedure)
    listed = {f.involved[0] for f in report.findings if f.kind == "interpretation"}
    assert listed == {item_id for _, item_id, _ in procedure.items_with_interpretation()}
    assert all(f.severity == "info" for f in report.findings if f.kind == "interpretation")
    finding = next(f for f in report.findings if f.id == "interpretation:first_review_conference")
    assert "Working Together 2023" in finding.message


def test_an_interpretation_removed_is_a_finding_gone_in_diff(tmp_path):
    from cpmodel.model.loader import BUNDLED_PROCEDURE
    import json
    revised = write_variant(tmp_path, variant(lambda d: find(d, "deadlines", "first_review_conference").pop("interpretation")))
    data = json.loads(CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"]).output)
    assert "interpretation:first_review_conference" in {f["id"] for f in data["findings_removed"]}


def test_a_timing_word_without_a_window_is_vague_timing():
    report = run_checks(load_procedure())
    vague = {f.id: f for f in report.findings if f.kind == "vague_timing"}
    assert vague["vague_timing:childs_plan_meeting_after_discontinuation"].witness["model_period"] == "10 days"
    assert "'around'" in vague["vague_timing:childs_plan_meeting_after_discontinuation"].message
    assert vague["vague_timing:difficulty_reported_at_once"].witness["words"] == ["at once"]
    assert "vague_timing:continuing_support_considered" not in vague   # 'thinks about' is not timing


def test_a_permission_is_never_late_so_its_timing_word_is_not_vague_timing(tmp_path):
    # 'a regularly reviewed child's plan' (cpp#.../2.2) is reported once, on the deadline that times it.
    vague = {f.id for f in run_checks(load_procedure()).findings if f.kind == "vague_timing"}
    assert "vague_timing:inter_agency_commitment_for_complex_needs" not in vague   # a `may`
    assert "vague_timing:complex_childs_plan_reviews" in vague
    report, _ = check(tmp_path, lambda d: find(d, "rules", "inter_agency_commitment_for_complex_needs").update(
        strength="should"))
    assert "vague_timing:inter_agency_commitment_for_complex_needs" in {f.id for f in report.findings}


def test_a_duty_after_an_event_with_no_period_or_reason_is_no_timescale(tmp_path):
    report = run_checks(load_procedure())
    found = {f.id for f in report.findings if f.kind == "no_timescale"}
    assert "no_timescale:notify_agencies_when_plan_ends" in found
    assert "no_timescale:lead_social_worker_named" not in found   # the chair names them at the conference
    report, _ = check(tmp_path, lambda d: find(d, "rules", "notify_agencies_when_plan_ends").update(
        interpretation="Read as at the conference that ends the plan."))
    assert "no_timescale:notify_agencies_when_plan_ends" not in {f.id for f in report.findings}


def test_no_gap_or_overlap_is_reported_at_a_judgement_decision(tmp_path):
    def only_under_plo(d):
        for transition in d["transitions"]:
            if transition["from"] == "double_protection_request":
                transition["when"] = "plo"
    assert find(variant(lambda d: None), "states", "double_protection_request")["judgement"] is True
    report, _ = check(tmp_path, only_under_plo)
    assert not [f for f in report.findings if f.kind in ("gap", "overlap") and "double_protection_request" in f.id]

    def not_judged(d):
        only_under_plo(d)
        find(d, "states", "double_protection_request")["judgement"] = False
    report, _ = check(tmp_path, not_judged)
    gap = next(f for f in report.findings if f.id == "gap:double_protection_request")
    assert gap.witness["plo"] is False


def test_text_drift_reads_the_boundary_a_text_states():
    from cpmodel.proofs.text_drift import stated_boundaries

    assert stated_boundaries("Two home visits in close succession", "failed_visits_in_a_row") == {2}
    assert stated_boundaries("more than two visits", "failed_visits_in_a_row") == {3}
    assert stated_boundaries("a child under 18", "age") == {17}
    assert stated_boundaries("the model applies this from age 17, around the birthday", "age") == {17}


def test_an_off_by_one_in_a_step_is_read_against_the_state_it_leads_to(tmp_path):
    report, _ = check(tmp_path, lambda d: find(d, "transitions", "plan_ends_at_18").update(when="age == 17"))
    [drift] = new(report, "text_drift")
    assert drift.id == "text_drift:plan_ends_at_18" and drift.witness["stated"] == [18]
