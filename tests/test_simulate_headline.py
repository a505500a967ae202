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
