"""The report's table of scenario figures shows the figures the run used: a figure changed on the
command line (-n, --seed, --set) shows the run's value and says what the file has, and a report
on a run whose scenario file has changed since says so."""
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.scenario_assumptions import figures_as_run, scenario_figures

ROOT = Path(__file__).resolve().parents[1]
FAST = ROOT / "tests" / "data" / "fast-unitary.yaml"
runner = CliRunner()

SCENARIO = """\
name: Small
replications: 10        # ASSUMPTION: enough for a first look
seed: 7
staff:
  social_workers:
    count: 12           # the team's establishment, 2026
case_flow:
  end_at_review: [0.1, 0.5, 0.4]   # fitted to D7
  no_access_per_visit: 0.1         # ASSUMPTION
"""


def by_path(figures):
    return {figure.path: figure for figure in figures}


def test_figures_the_run_changed_show_the_run_value_and_the_file_value(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SCENARIO)
    summary = {"replications": 3, "seed": 7, "horizon_years": 1.0,
               "settings": {"staff.social_workers.count": 15, "case_flow.end_at_review.1": 0.6,
                            "case_flow.no_access_per_visit": 0.1, "case_flow.hospital_admission_per_month": 0.01}}
    figures = by_path(figures_as_run(scenario_figures(path), summary))
    assert figures["replications"].value == "3" and "the file has 10" in figures["replications"].changed
    assert figures["replications"].assumption            # its source is still the file's
    assert figures["seed"].changed == "" and figures["seed"].value == "7"       # the same as the file
    assert figures["staff.social_workers.count"].value == "15"
    assert "the file has 12" in figures["staff.social_workers.count"].changed
    assert figures["staff.social_workers.count"].source == "the team's establishment, 2026"
    assert "--set case_flow.end_at_review.1=0.6" in figures["case_flow.end_at_review"].changed
    assert figures["case_flow.end_at_review"].value == "[0.1, 0.5, 0.4]"
    assert figures["case_flow.no_access_per_visit"].changed == ""               # set to what the file has
    added = figures["case_flow.hospital_admission_per_month"]
    assert added.value == "0.01" and "does not write it" in added.changed
    assert "horizon_years" not in figures       # not in the file, and not set: the report's header says it


def test_a_figure_the_run_left_alone_is_unchanged(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SCENARIO)
    plain = scenario_figures(path)
    assert figures_as_run(plain, {"replications": 10, "seed": 7}) == plain


def test_the_report_on_a_run_with_set_shows_the_run_figures(tmp_path):
    scenario = tmp_path / "fast.yaml"
    shutil.copy(FAST, scenario)
    run = tmp_path / "run"
    simulated = runner.invoke(app, ["simulate", str(scenario), "-n", "2", "--set", "staff.social_workers.count=9",
                                    "--out", str(run), "--json"])
    assert simulated.exit_code == 0, simulated.output
    page = tmp_path / "report.html"
    made = runner.invoke(app, ["report", "--run", str(run), "--out", str(page)])
    assert made.exit_code == 0, made.output
    html = page.read_text()
    assert "set for this run on the command line; the file has" in html
    assert "were changed for this run on the command line" in html      # replications and the count
    assert "has changed since the run was made" not in html
    # the file edited after the run: the report reads the copy the run kept, with the run's figures
    assert (run / "scenario.yaml").read_bytes() == scenario.read_bytes()
    text = scenario.read_text()
    starts = re.search(r"plan_starts_per_month: *([0-9.]+)", text).group(1)
    scenario.write_text(text.replace(f"plan_starts_per_month: {starts}", "plan_starts_per_month: 99", 1))
    again = tmp_path / "again.html"
    made = runner.invoke(app, ["report", "--run", str(run), "--out", str(again)])
    assert made.exit_code == 0, made.output
    html = again.read_text()
    assert "has changed since the run was made" not in html
    assert f"<code>{starts}</code>" in html and "<code>99</code>" not in html
    # without the copy (a run folder from before copies were kept), the edited file is flagged
    (run / "scenario.yaml").unlink()
    third = tmp_path / "third.html"
    made = runner.invoke(app, ["report", "--run", str(run), "--out", str(third)])
    assert made.exit_code == 0, made.output
    assert "has changed since the run was made" in third.read_text()
