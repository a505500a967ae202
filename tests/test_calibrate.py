"""`cpmodel calibrate`: figures estimated from an event log with 95% CIs that cover the values the
log was drawn from, written into a scenario with their sources; bad or small logs are handled."""
import json

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.sim.scenario import load_scenario
from calibration_logs import TRUTH, write_log
from sim_helpers import PROCEDURE

BASE = "scenarios/county.yaml"


def calibrate(log, out, *extra):
    return CliRunner().invoke(app, ["calibrate", str(log), "--base", BASE, "--out", str(out), *extra])


def covered(estimate) -> list[bool]:
    name = estimate["parameter"]
    if name == "case_flow.review_brought_forward_per_month":
        # not an estimate: set to 0 because the log's review outcomes already hold such endings
        assert estimate["value"] == 0 and estimate["basis"].startswith("set to 0")
        return []
    if name.startswith("case_flow.end_at_review."):
        truth = TRUTH["case_flow.end_at_review"][int(name.rsplit(".", 1)[1])]
        return [estimate["low_95"] <= truth <= estimate["high_95"]]
    truth = TRUTH[name]
    if isinstance(truth, dict):
        return [estimate["low_95"][str(k)] <= p <= estimate["high_95"][str(k)] for k, p in truth.items()]
    return [estimate["low_95"] <= truth <= estimate["high_95"]]


def test_round_trip_every_interval_covers_the_value_the_log_was_drawn_from(tmp_path):
    checks, estimated = [], set()
    for seed in (1, 2, 3):
        log = tmp_path / f"events-{seed}.csv"
        write_log(log, seed)
        result = calibrate(log, tmp_path / f"mine-{seed}.yaml", "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        for estimate in data["estimates"]:
            checks += covered(estimate)
            estimated.add(estimate["parameter"])
    assert {"demand.plan_starts_per_month", "case_flow.end_at_review.0", "case_flow.end_at_review.1",
            "case_flow.moved_authority_per_month", "case_flow.becomes_looked_after_s20_per_month",
            "case_flow.hospital_admission_per_month", "case_flow.no_access_per_visit",
            "case_flow.seen_alone_per_visit", "case_flow.double_protection_removal_share",
            "demand.children_per_household"} <= estimated
    assert sum(checks) / len(checks) >= 0.9, f"{sum(checks)} of {len(checks)} intervals cover the truth"


def test_the_calibrated_scenario_loads_with_a_source_for_every_estimate(tmp_path):
    log = tmp_path / "events.csv"
    write_log(log, 7, years=3)
    out = tmp_path / "mine.yaml"
    result = calibrate(log, out, "--json")
    data = json.loads(result.output)
    scenario, _ = load_scenario(out, PROCEDURE)
    base, _ = load_scenario(BASE, PROCEDURE)
    for estimate in data["estimates"]:
        if estimate["basis"].startswith("set to 0"):      # reviews brought forward: in the review outcomes
            assert scenario.case_flow.review_brought_forward_per_month == 0
            assert scenario.sources[estimate["parameter"]].endswith(f"(calibrated from events.csv, n={estimate['n']} reviews)")
            continue
        assert scenario.sources[estimate["parameter"]].startswith(f"estimated from events.csv (n={estimate['n']}")
    moved = next(e for e in data["estimates"] if e["parameter"] == "case_flow.moved_authority_per_month")
    assert scenario.case_flow.moved_authority_per_month == moved["value"]
    assert scenario.task_hours == base.task_hours and scenario.staff == base.staff      # the rest is the base's
    assert "# ASSUMPTION: children per household" in out.read_text()    # the base's comments are kept
    again = calibrate(log, out)
    assert again.exit_code == 2 and "already exists" in again.output


def test_a_small_log_keeps_base_figures_with_a_warning_naming_them(tmp_path):
    log = tmp_path / "small.csv"
    log.write_text("case_id,date,event\nC1,2027-01-04,initial_conference\nC1,2027-01-04,plan_made\n"
                   "C1,2027-01-15,visit\nC1,2027-04-01,review_conference\nC2,2027-03-01,initial_conference\n")
    result = CliRunner().invoke(app, ["calibrate", str(log), "--base", BASE,
                                                      "--out", str(tmp_path / "mine.yaml")])
    assert result.exit_code == 0, result.output
    assert "warning: case_flow.no_access_per_visit: the log is too small to estimate it; kept from" in result.stderr
    assert "case_flow.end_at_review.0" in result.stderr


@pytest.mark.parametrize("text,fragment", [
    ("case_id,date,event,surname\nC1,2027-01-04,visit,Smith\n", "surname: looks like a name"),
    ("case_id,date,event\nJane Smith,2027-01-04,visit\n", ":2: case_id: looks like a person's name"),
    ("case_id,date,event\nC1,2027-02-30,visit\n", ":2: date: '2027-02-30' is not a real date"),
    ("case_id,date,event\nC1,2027-02-03,home_visit\n", ":2: event: unknown event 'home_visit'"),
    ("case_id,date\nC1,2027-02-03\n", "missing column(s) event"),
    ("case_id,date,event,event\nC1,2027-02-03,visit,visit\n", "event: the column appears twice"),
    ("case_id,date,event,legal_status\nC1,2027-02-03,visit,s21\n", ":2: legal_status:"),
    ("", "the file is empty"),
])
def test_bad_logs_get_one_located_line_and_exit_2(tmp_path, text, fragment):
    log = tmp_path / "bad.csv"
    log.write_text(text)
    result = calibrate(log, tmp_path / "mine.yaml")
    assert result.exit_code == 2, result.output
    assert fragment in result.output and "Traceback" not in result.output
    assert not (tmp_path / "mine.yaml").exists()


def test_the_d7_fit_steers_each_review_by_its_own_band():
    from cpmodel.sim.plan_lengths import _step
    from cpmodel.sim.stats import D7_2025
    bands = dict(D7_2025)
    bands["3 months or less"] = 2 * D7_2025["3 months or less"]          # too many end at the first review
    bands["over 6 months to under 1 year"] = 0.5 * D7_2025["over 6 months to under 1 year"]
    chances = _step([0.2, 0.4, 0.5, 0.5, 0.7], bands, D7_2025)
    assert chances[0] == pytest.approx(0.1) and chances[1] == pytest.approx(0.8)
    assert chances[2:4] == pytest.approx([0.5, 0.5]) and chances[4] == 0.7
    assert _step([0.5, 0.9, 0.5, 0.5, 0.7], {**bands, "over 6 months to under 1 year": 0.1}, D7_2025)[1] == 0.99
