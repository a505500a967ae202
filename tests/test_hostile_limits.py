"""Inputs that used to hang, freeze the machine or run without end are refused with exit 2 and a
line naming the option or file (found by a hostile-input hunt: --workers 100000 started about
3,900 processes on a 2-core machine)."""
import os

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app

runner = CliRunner()


def _refused(arguments, *said):
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    for words in said:
        assert words in text, text
    assert "Traceback" not in result.output


def test_more_local_workers_than_four_a_core_are_refused(tmp_path):
    _refused(["staff", "small-unitary", "--target", "visits=0.9", "--workers", "100000", "--out", str(tmp_path / "r")],
             "--workers", f"at most {4 * (os.cpu_count() or 1)} local worker processes", "--scheduler")
    assert not (tmp_path / "r").exists()


def test_replications_beyond_what_a_scenario_allows_are_refused(tmp_path):
    _refused(["simulate", "small-unitary", "-n", "100000", "--out", str(tmp_path / "r")], "--replications", "10000")


def test_a_staffing_range_beyond_what_a_scenario_allows_is_refused(tmp_path):
    _refused(["staff", "small-unitary", "--target", "visits=0.9", "--range", "1:99999999", "--out", str(tmp_path / "r")],
             "--range", "at most 50,000 staff")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
@pytest.mark.parametrize("command,name", [("check", "fifo.yaml"), ("audit", "fifo.csv")])
def test_a_named_pipe_is_refused_instead_of_waited_on(tmp_path, command, name):
    pipe = tmp_path / name
    os.mkfifo(pipe)
    _refused([command, str(pipe)], name, "is a pipe or a socket")
