"""Defects a new-user pass found (stop 20): a date given with --set crashed simulate after the
whole run; a stop while `staff` wrote its answer said nothing was kept although the folder was;
intervals of hours, caseloads and backlogs went below zero."""
import json
import signal
from pathlib import Path

from typer.testing import CliRunner

from cpmodel.cli import app

ROOT = Path(__file__).resolve().parents[1]
FAST = str(ROOT / "tests" / "data" / "fast-unitary.yaml")
runner = CliRunner()


def test_a_date_set_on_the_command_line_is_written_to_the_run(tmp_path):
    result = runner.invoke(app, ["simulate", FAST, "-n", "1", "--set", "calendar.start_date=2027-01-05",
                                 "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["settings"] == {"calendar.start_date": "2027-01-05"}


def test_a_date_that_does_not_exist_is_named_as_one(tmp_path):
    result = runner.invoke(app, ["simulate", FAST, "-n", "1", "--set", "calendar.start_date=2027-02-30",
                                 "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert "'2027-02-30' is not a real date (YYYY-MM-DD)" in result.output
    assert not (tmp_path / "run").exists()


def test_a_stop_while_staff_writes_its_answer_says_how_to_resume(tmp_path, monkeypatch):
    from cpmodel import staffing_report
    from cpmodel.workers import Stopped

    def stopped(*args, **kwargs):
        raise Stopped(signal.SIGTERM)
    monkeypatch.setattr(staffing_report, "staffing_plot", stopped)
    folder = tmp_path / "staff"
    result = runner.invoke(app, ["staff", FAST, "--target", "visits=0.9", "--range", "4:6", "-n", "2",
                                 "--max-replications", "2", "--survey", "0", "--out", str(folder)])
    assert result.exit_code == 128 + signal.SIGTERM, result.output
    assert "nothing of this run was kept" not in result.output
    assert f"continue with --resume {folder}" in " ".join(result.output.split())
    assert (folder / "replications").is_dir()
    monkeypatch.undo()
    again = runner.invoke(app, ["staff", FAST, "--target", "visits=0.9", "--range", "4:6", "-n", "2",
                                "--max-replications", "2", "--survey", "0", "--resume", str(folder)])
    assert again.exit_code in (0, 1), again.output
    assert (folder / "staffing.png").exists()


def test_intervals_of_quantities_that_cannot_be_negative_stop_at_zero():
    from engine_fixture import FIXTURE
    recorded = json.loads(FIXTURE.read_text())
    for name, summary in recorded.items():
        intervals = [*summary["hours_per_week"].values(), *summary["hours_per_year_by_event"].values(),
                     summary["caseload_per_worker"]["mean"], summary["caseload_per_worker"]["max"],
                     summary["open_households"], summary["backlog_overdue_tasks"]]
        assert all(i["low"] >= 0 for i in intervals), name
    from cpmodel.sim.stats import NON_NEGATIVE, confidence_interval
    assert confidence_interval([0.0, 10.0], bounds=NON_NEGATIVE).low == 0.0
    assert confidence_interval([0.0, 10.0]).low < 0                     # unbounded, it would go below


def _staff(folder, scenario, *extra):
    result = runner.invoke(app, ["staff", str(scenario), "--target", "visits=0.9", "--range", "4:6", "-n", "2",
                                 "--max-replications", "2", "--survey", "0", "--out", str(folder), *extra])
    assert result.exit_code in (0, 1), result.output
    return folder


def test_the_report_says_when_the_staffing_answer_is_not_about_the_simulation(tmp_path):
    sim = tmp_path / "sim"
    assert runner.invoke(app, ["simulate", FAST, "-n", "2", "--out", str(sim)]).exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text(Path(FAST).read_text().replace("name: ", "name: Another ", 1))
    cases = {"same": (_staff(tmp_path / "same", FAST), None),
             "settings": (_staff(tmp_path / "set", FAST, "--set", "demand.plan_starts_per_month=30"),
                          "other command-line changes (--set demand.plan_starts_per_month=30)"),
             "scenario": (_staff(tmp_path / "another", other), "is for another scenario (Another ")}
    for name, (staff, warning) in cases.items():
        page = tmp_path / f"{name}.html"
        made = runner.invoke(app, ["report", "--run", str(sim), "--staff", str(staff), "--out", str(page)])
        assert made.exit_code == 0, made.output
        html = " ".join(page.read_text().split())
        assert "Scenario searched:" in html
        if warning is None:
            assert "may not agree" not in html and "do not read one against the other" not in html
        else:
            assert warning in html, name
            assert html.count(warning) == 2             # in brief, and in the staffing section


def test_small_things_a_new_user_tripped_on(tmp_path):
    # the handout is HTML: a .txt name is refused before any work
    made = runner.invoke(app, ["report", "--no-simulation", "--out", str(tmp_path / "r.txt")])
    assert made.exit_code == 2 and "must end in .html or .htm" in made.output
    # a run folder that does not exist is named as missing, not as the wrong kind
    for option in ("--run", "--staff"):
        made = runner.invoke(app, ["report", option, str(tmp_path / "nothere"), "--out", str(tmp_path / "r.html")])
        assert made.exit_code == 2 and "no such folder" in made.output, made.output
    # the scenario's own key for a pool, given as a role, gets the role it meant
    wrong = runner.invoke(app, ["staff", FAST, "--role", "social_workers", "--target", "visits=0.9"])
    assert wrong.exit_code == 2 and "did you mean social_worker?" in wrong.output
    # --out with --resume is refused, said once
    staff = _staff(tmp_path / "one", FAST)
    both = runner.invoke(app, ["staff", FAST, "--target", "visits=0.9", "--range", "4:6", "-n", "2",
                               "--max-replications", "2", "--survey", "0", "--resume", str(staff), "--out", str(tmp_path / "x")])
    assert both.exit_code == 2 and "--out: --out:" not in both.output and "not both" in both.output, both.output


def test_a_role_no_staff_carry_is_said_so():
    from cpmodel.sim.duties import duty_rules
    from cpmodel.sim.scenario import load_scenario
    from sim_helpers import PROCEDURE
    scenario, _ = load_scenario(Path(FAST), PROCEDURE)
    reasons = duty_rules(PROCEDURE, scenario).not_simulated
    assert any("is given to no staff in this scenario (its roles: section)" in why for why in reasons.values())
    assert not any("is not staffed" in why for why in reasons.values())


def test_a_negative_staff_count_is_told_the_smallest_allowed(tmp_path):
    """0 is refused with its own reason; a negative count said "at least 0", which 0 then was not."""
    for value, said in (("-3", "greater than or equal to 1"), ("0", "needs at least 1 person")):
        result = runner.invoke(app, ["simulate", FAST, "-n", "1", "--set", f"staff.social_workers.count={value}",
                                     "--out", str(tmp_path / "run")])
        assert result.exit_code == 2 and said in result.output, result.output


def test_a_resume_with_other_arguments_says_which(tmp_path):
    staff = _staff(tmp_path / "staff", FAST)
    again = runner.invoke(app, ["staff", FAST, "--target", "visits=0.8", "--range", "4:6", "-n", "2",
                                "--max-replications", "2", "--survey", "0", "--resume", str(staff)])
    assert again.exit_code == 2
    said = " ".join(again.output.split())
    assert 'targets (the run has {"visits": 0.9}, now {"visits": 0.8})' in said, said
