"""`cpmodel check` on the shipped model: consistent, with the documents' real tensions found."""
import json

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model import load_procedure
from cpmodel.proofs import run_checks


@pytest.fixture(scope="module")
def report():
    return run_checks(load_procedure())


def by_id(report, finding_id):
    return next(f for f in report.findings if f.id == finding_id)


def test_shipped_model_is_consistent_and_exits_0():
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    closing = " ".join(result.output.split()).rsplit("No new problems.", 1)
    assert len(closing) == 2 and "known findings are acknowledged;" in closing[1] and closing[1].endswith("notes.")
    assert "CONSISTENT" not in result.output


def test_plo_note_overrides_double_protection_removal(report):
    finding = by_id(report, "conflict:double_protection_removal+plo_plan_ends_only_at_review")
    assert finding.severity == "info" and not finding.fails
    assert finding.witness["plo"] is True and finding.witness["on_plan"] is True
    assert finding.witness.get("legal_status") == "s20" or finding.witness.get("care_proceedings") is True
    assert "cpp#avoiding-double-protection/6" in finding.citations   # the PLO note


def test_s20_next_review_tension_with_double_protection_route_is_found_and_acknowledged(report):
    finding = by_id(report, "conflict:double_protection_removal+s20_next_review_weighs_security")
    assert finding.severity == "error" and finding.acknowledged
    assert finding.witness["legal_status"] == "s20" and finding.witness["core_group_agrees_removal"] is True
    assert "cpp#children-with-child-protection-plans-who-become-looked-after/1" in finding.citations


def test_the_documents_genuine_defects_are_reported_as_acknowledged(report):
    acknowledged = {f.id for f in report.findings if f.acknowledged}
    assert {"gap:initial_conference", "uncovered_stretch:core_groups_after_first_review+second_core_group",
            "unit_inconsistency:conference_before_return_home",
            "unit_inconsistency:childs_plan_meeting_after_discontinuation",
            "unaccountable:childs_plan_meeting_after_discontinuation"} <= acknowledged
    assert not report.failed()


def test_gap_witness_shows_the_case_no_outcome_covers(report):
    finding = by_id(report, "gap:initial_conference")
    assert finding.witness == {"significant_harm_continuing": False, "needs_support": False}


def test_uncovered_stretch_between_second_core_group_and_first_review_is_longer_than_six_weeks(report):
    finding = by_id(report, "uncovered_stretch:core_groups_after_first_review+second_core_group")
    assert finding.witness["uncovered_days"] > 42


def test_json_output_follows_the_documented_schema():
    result = CliRunner().invoke(app, ["check", "--json"])
    data = json.loads(result.output)
    assert data["schema_version"] == 1 and data["consistent"] is True
    for finding in data["findings"]:
        assert set(finding) == {"id", "kind", "severity", "message", "involved", "witness", "citations",
                                "acknowledged", "acknowledgement"}
        assert finding["severity"] in ("error", "warning", "info")
        assert all(c["heading"] for c in finding["citations"])


def test_finding_ids_are_stable_from_run_to_run(report):
    again = run_checks(load_procedure())
    assert [f.id for f in again.findings] == [f.id for f in report.findings]
    assert [f.witness for f in again.findings] == [f.witness for f in report.findings]


def test_the_warnings_are_exactly_the_reviewed_vagueness_of_the_documents(report):
    """Each was read against the documents and is real (README, 'What the checker finds in the
    procedure'); a new warning on the shipped model must be reviewed and added there."""
    warnings = {f.id for f in report.findings if f.severity == "warning" and not f.acknowledged}
    assert warnings == {
        "vague_timing:childs_plan_meeting_after_discontinuation", "vague_timing:difficulty_reported_at_once",
        "vague_timing:legal_proceedings_considered", "vague_timing:review_planned_for_18th_birthday",
        "vague_timing:care_plans_kept_current", "vague_timing:child_kept_informed",
        "vague_timing:complex_childs_plan_reviews",
        "no_timescale:notify_agencies_when_plan_ends", "no_timescale:no_plan_decision_written",
        "no_timescale:plan_joins_care_plan", "no_timescale:core_group_told_of_change",
        "no_timescale:s47_reasons_recorded", "no_timescale:contingency_if_no_change"}
    # impl#7.2 has the chair name the lead social worker at the conference: the model says so.
    assert "interpretation:lead_social_worker_appointed" in {f.id for f in report.findings}
