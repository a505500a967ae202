"""The first line of `simulate` says how long was simulated and how much of it was measured (the
horizon includes the warm-up: '2 years after 18 months' warm-up' read as 3.5 years simulated)."""
import json
from pathlib import Path

from typer.testing import CliRunner

from cpmodel.cli import app

FAST = Path(__file__).resolve().parent / "data" / "fast-unitary.yaml"


def test_simulate_says_the_warm_up_is_part_of_the_horizon(tmp_path):
    result = CliRunner().invoke(app, ["simulate", str(FAST), "-n", "2", "--set", "horizon_years=2",
                                      "--set", "warm_up_months=18", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    first = " ".join(result.output.split())
    assert "2 replications of 2 years simulated, measured over the last 6 months after 18 months' warm-up" in first
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["horizon_years"] == 2
    # Written to a pipe, not a terminal: the tables come whole (80 columns cut off the last column).
    assert "95% confidence interval in brackets)" in first and "longest delay" in result.output


def test_a_deadline_measured_from_visit_outcomes_is_not_listed_as_not_simulated(tmp_path):
    # Seen alone on alternate visits is measured (it has a row in the deadline table); the bedroom
    # seen is not drawn at all. Both used to be listed as "not simulated", the first wrongly.
    result = CliRunner().invoke(app, ["simulate", str(FAST), "-n", "2", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    skipped = text[text.index("Not simulated"):]
    assert "bedroom seen alternate visits (an outcome of a visit (counted in visits) that the simulation does not draw)" in skipped
    assert "seen alone" not in skipped
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert "seen_alone_alternate_visits" in summary["deadlines"]

