"""`cpmodel compare RUN_A RUN_B` and `simulate --versus`: paired differences by seed, with 95% CIs,
a table, a plot and sentences; runs of different scenarios are refused."""
import json
import shutil

import pytest

from openpyxl import load_workbook
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model.loader import BUNDLED_PROCEDURE

FAST = "tests/data/fast-unitary.yaml"


def simulate(folder, *extra, replications="2"):
    result = CliRunner().invoke(app, ["simulate", FAST, "-n", replications, "--out", str(folder), "--json", *extra])
    assert result.exit_code == 0, result.output
    return folder


def compare(a, b, *extra):
    return CliRunner().invoke(app, ["compare", str(a), str(b), "--json", *extra])


def test_a_run_compared_with_its_repeat_shows_no_difference_at_all(tmp_path):
    a, b = simulate(tmp_path / "a"), simulate(tmp_path / "b")
    result = compare(a, b, "--out", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["paired_replications"] == 2
    assert all(r["difference"]["mean"] == 0 == r["difference"]["low"] == r["difference"]["high"] for r in data["rows"])
    assert not any(r["clear"] for r in data["rows"]) and "no clear difference" in data["headline"]
    for name in ("comparison.csv", "comparison.json", "comparison.png"):
        assert (tmp_path / "c" / name).stat().st_size > 100


def test_twice_the_plan_starts_show_as_more_social_worker_hours_in_plain_words(tmp_path):
    a = simulate(tmp_path / "a", replications="4")
    b = simulate(tmp_path / "b", "--set", "demand.plan_starts_per_month=30", replications="4")
    result = compare(a, b, "--out", str(tmp_path / "c"), "--xlsx", str(tmp_path / "c.xlsx"))
    data = json.loads(result.output)
    hours = next(r for r in data["rows"] if r["outcome"] == "hours" and r["name"] == "social_workers")
    assert hours["difference"]["mean"] == pytest.approx(hours["after"]["mean"] - hours["before"]["mean"])
    assert hours["difference"]["low"] > 0 and hours["clear"]
    assert "social-worker hours a week (CI +" in data["headline"]
    sheet = load_workbook(tmp_path / "c.xlsx")["Comparison"]
    assert sheet["E1"].value == "difference (mean)"


def test_simulate_versus_runs_both_procedures_on_the_same_seeds(tmp_path):
    revised = tmp_path / "four-weekly.yaml"
    text = BUNDLED_PROCEDURE.read_text()
    old = 'anchor: "review_conference#1", every: 6 weeks, duty: meeting'
    assert old in text
    revised.write_text(text.replace(old, old.replace("6 weeks", "4 weeks")))
    result = CliRunner().invoke(app, ["simulate", FAST, "-n", "2", "--versus", str(revised),
                                      "--out", str(tmp_path / "v"), "--json"])
    assert result.exit_code == 0, result.output
    before = json.loads((tmp_path / "v" / "before" / "measures.json").read_text())
    after = json.loads((tmp_path / "v" / "after" / "measures.json").read_text())
    assert [m["seed"] for m in before] == [m["seed"] for m in after]
    kind = "core_groups_after_first_review"
    assert all(a["deadlines"][kind]["due"] > b["deadlines"][kind]["due"] for a, b in zip(after, before))
    assert json.loads(result.output)["after"] == "four-weekly.yaml"


def test_runs_of_different_scenarios_or_without_measures_are_refused(tmp_path):
    a = simulate(tmp_path / "a")
    other = CliRunner().invoke(app, ["simulate", "scenarios/small-unitary.yaml", "-n", "1",
                                     "--out", str(tmp_path / "o"), "--json", "--set", "horizon_years=1",
                                     "--set", "warm_up_months=1"])
    assert other.exit_code == 0, other.output
    result = compare(a, tmp_path / "o")
    assert result.exit_code == 2 and "another scenario" in result.output
    shutil.copytree(a, tmp_path / "old")
    (tmp_path / "old" / "measures.json").unlink()
    result = compare(a, tmp_path / "old")
    assert result.exit_code == 2 and "measures.json" in result.output and "Traceback" not in result.output
    result = compare(a, tmp_path / "nowhere")
    assert result.exit_code == 2 and "not a folder" in result.output
