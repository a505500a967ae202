"""`cpmodel diff` tells a policy writer what a revision changes, in their words."""
import json

from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import find, variant, write_variant
from model.loader import BUNDLED_PROCEDURE


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
