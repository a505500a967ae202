"""`cpmodel diff` tells a policy writer what a revision changes, in their words."""
import json

from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import find, variant, write_variant
from cpmodel.model.loader import BUNDLED_PROCEDURE


def test_changing_the_core_group_interval_is_reported_in_words(tmp_path):
    revised = write_variant(tmp_path, variant(
        lambda d: find(d, "deadlines", "core_groups_after_first_review").update(
            every="4 weeks", text="After the first review conference the core group meets at least every four weeks.")))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised)])
    assert result.exit_code == 0, result.output
    assert "core groups after first review (interval): 6 weeks -> 4 weeks" in result.output


def test_findings_added_and_removed_are_listed(tmp_path):
    def revise(d):
        find(d, "rules", "plo_plan_ends_only_at_review")["overrides"] = []
        d["deadlines"] = [x for x in d["deadlines"] if x["id"] != "six_weekly_meetings_after_removal"]
    revised = write_variant(tmp_path, variant(revise))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"])
    data = json.loads(result.output)
    added = {f["id"]: f["severity"] for f in data["findings_added"]}
    removed = {f["id"] for f in data["findings_removed"]}
    assert "stale_acknowledgement:unaccountable:six_weekly_meetings_after_removal" in added
    assert "unaccountable:six_weekly_meetings_after_removal" in removed
    changed = {c["id"]: (c["old"], c["new"]) for c in data["findings_changed"]}
    assert changed["conflict:double_protection_removal+plo_plan_ends_only_at_review"] == ("info", "error")
    changes = {(c["change"], c["kind"], c["id"]) for c in data["changes"]}
    assert ("removed", "deadline", "six_weekly_meetings_after_removal") in changes
    assert ("changed", "rule", "plo_plan_ends_only_at_review") in changes


def test_identical_procedures_have_no_differences():
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(BUNDLED_PROCEDURE)])
    assert "no differences" in result.output


def test_turning_the_precedence_round_is_a_changed_finding_naming_the_new_winner(tmp_path):
    def reverse(d):
        find(d, "rules", "plo_plan_ends_only_at_review")["overrides"] = []
        find(d, "rules", "double_protection_removal")["overrides"] = ["plo_plan_ends_only_at_review"]
    revised = write_variant(tmp_path, variant(reverse))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"])
    data = json.loads(result.output)
    [change] = [c for c in data["findings_changed"] if c["id"] == "conflict:double_protection_removal+plo_plan_ends_only_at_review"]
    assert change["old"] == change["new"] == "info"   # still resolved, but the other way round
    assert "now double_protection_removal wins (end_plan_outside_conference allowed)" in change["text"]
    assert change["old_witness"]["winner"] == "plo_plan_ends_only_at_review"
    text = " ".join(CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised)]).output.split())
    assert "the winner changed" in text


def test_diff_exits_1_when_the_revision_adds_an_unacknowledged_error(tmp_path):
    revised = write_variant(tmp_path, variant(
        lambda d: find(d, "deadlines", "first_core_group").update(within="10 days")))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data["new_errors"]) == {"unit_inconsistency:first_core_group", "text_drift:first_core_group"}
    text = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised)])
    assert text.exit_code == 1
    assert "The revision adds 2 new problems" in " ".join(text.output.split())


def test_diff_exits_0_when_the_revision_only_removes_a_problem(tmp_path):
    revised = write_variant(tmp_path, variant(
        lambda d: find(d, "deadlines", "childs_plan_meeting_after_discontinuation").update(
            role="lead_practitioner")))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert "unaccountable:childs_plan_meeting_after_discontinuation" in {f["id"] for f in data["findings_removed"]}
    assert data["new_errors"] == []


def test_a_changed_witness_is_reported(tmp_path):
    revised = write_variant(tmp_path, variant(
        lambda d: find(d, "deadlines", "core_group_notes").update(
            within="3 working_days", text="Notes and plan go to members within three working days of each core group.")))
    data = json.loads(CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"]).output)
    changed = {c["id"]: c for c in data["findings_changed"]}
    slack = changed["deadline_slack:core_group_notes"]
    assert slack["old_witness"]["slack_days"] > slack["witness"]["slack_days"]
    assert "slack_days" in slack["text"]
