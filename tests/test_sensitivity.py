"""`cpmodel sensitivity`: each assumption low and high on the base run's seeds; effects are paired
differences with 95% CIs; tornado plot, CSV, JSON and Excel; resumable."""
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.sim.sensitivity import variation
from sim_helpers import scenario

FAST = "tests/data/fast-unitary.yaml"
PARAMS = ["--param", "task_hours.visit.lead_social_worker", "--param", "staff.team_managers.hours_per_week"]


def test_low_and_high_values_stay_inside_what_a_scenario_allows():
    base = scenario()
    visit = variation(base, ("task_hours", "visit", "lead_social_worker"), 0.2)
    assert (visit.low, visit.high) == pytest.approx((2.4, 3.6))
    count = variation(base, ("staff", "conference_chairs", "count"), 0.2)
    assert (count.low, count.high) == (1, 3)             # whole people, and always a change
    seen = variation(base, ("case_flow", "seen_alone_per_visit"), 0.9)
    assert seen.high == 1.0                              # a share is clipped at 1
    spread = variation(base, ("demand", "children_per_household"), 0.2)
    assert sum(spread.low.values()) == pytest.approx(1) and sum(spread.high.values()) == pytest.approx(1)
    assert spread.high["4"] > base.demand.children_per_household[4] > spread.low["4"]
    flow = base.case_flow.model_copy(update={"hospital_admission_per_month": 0.0})
    assert "zero" in variation(base.model_copy(update={"case_flow": flow}), ("case_flow", "hospital_admission_per_month"), 0.2)
    # how the run is made is not a figure of the caseload: varying the seed compares chance with chance
    for how_run in ("seed", "replications", "horizon_years", "warm_up_months"):
        assert "not a figure of the caseload" in variation(base, (how_run,), 0.2)


def test_sensitivity_run_writes_tornado_csv_json_and_excel_and_resumes(tmp_path):
    folder, book = tmp_path / "run", tmp_path / "sensitivity.xlsx"
    first = CliRunner().invoke(app, ["sensitivity", FAST, *PARAMS, "-n", "2", "--target", "visits",
                                     "--out", str(folder), "--xlsx", str(book), "--json"])
    assert first.exit_code == 0, first.output
    result = json.loads(first.output)
    assert [p["parameter"] for p in result["parameters"]] == ["task_hours.visit.lead_social_worker",
                                                              "staff.team_managers.hours_per_week"]
    visit = result["parameters"][0]
    assert (visit["low"], visit["high"]) == pytest.approx((2.4, 3.6))
    for outcome in ("visits met", "social_workers hours a week"):
        for side in ("low", "high"):
            effect = visit["effects"][outcome][side]
            assert effect["replications"] == 2 and effect["low"] <= effect["mean"] <= effect["high"]
    assert (folder / "tornado.png").stat().st_size > 10_000
    rows = (folder / "sensitivity.csv").read_text().splitlines()
    assert rows[0].startswith("parameter,base value,low value,high value,outcome")
    assert any(r.startswith("task_hours.visit.lead_social_worker,3.0,2.4") for r in rows)
    sheet = load_workbook(book)["Sensitivity"]
    assert sheet["A1"].value == "parameter" and sheet.max_row == len(rows)
    saved = {p: p.stat().st_mtime_ns for p in (folder / "replications").glob("*.json")}
    assert len(saved) == 2 * (1 + 2 * 2)        # base, and each parameter low and high, on 2 seeds
    again = CliRunner().invoke(app, ["sensitivity", FAST, *PARAMS, "-n", "2", "--target", "visits",
                                     "--resume", str(folder), "--json"])
    assert again.exit_code == 0, again.output
    resumed = json.loads(again.output)
    assert resumed["parameters"] == result["parameters"]
    assert {p: p.stat().st_mtime_ns for p in (folder / "replications").glob("*.json")} == saved


def test_a_base_run_paired_with_itself_differs_by_exactly_nothing():
    from cpmodel.sim.measures import paired_difference
    run = [{"seed": s, "deadlines": {"visits": {"due": 100, "met": 90 + s}}, "hours_per_week": {"x": 10.0 + s}}
           for s in range(3)]
    same = paired_difference(run, run, ("deadline", "visits"))
    assert (same.mean, same.low, same.high) == (0, 0, 0)
    shifted = [m | {"hours_per_week": {"x": m["hours_per_week"]["x"] + 2}} for m in run]
    moved = paired_difference(run, shifted, ("hours", "x"))
    assert (moved.mean, moved.low, moved.high) == pytest.approx((2, 2, 2))   # pairing removes the spread


@pytest.mark.parametrize("arguments,fragment", [
    (["--param", "case_flow.nope"], "unknown parameter"),
    (["--param", "name"], "cannot be varied: not a number"),
    (["--param", "task_hours.visit.lead_social_worker", "--span", "2"], "span"),
])
def test_bad_sensitivity_requests_exit_2(tmp_path, arguments, fragment):
    result = CliRunner().invoke(app, ["sensitivity", FAST, "-n", "2", "--out", str(tmp_path / "x")] + arguments)
    assert result.exit_code == 2 and fragment in result.output and "Traceback" not in result.output
