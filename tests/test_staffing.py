"""`cpmodel staff`: the smallest staffing meeting the targets, the same whatever runs it, resumable."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app

ROOT = Path(__file__).resolve().parents[1]
FAST = ROOT / "tests" / "data" / "fast-unitary.yaml"
BASE = ["staff", str(FAST), "--target", "visits=0.9", "--range", "4:16", "-n", "3", "--max-replications", "4", "--json"]


def answer(result):
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    data.pop("run_folder")
    return data


def test_staffing_answer_is_the_smallest_level_meeting_the_target(tmp_path):
    data = answer(CliRunner().invoke(app, BASE + ["--out", str(tmp_path / "a")]))
    level = data["level"]
    assert level is not None and 4 <= level <= 16
    by_level = {entry["level"]: entry for entry in data["levels"]}
    assert by_level[level]["compliance"]["visits"]["low"] >= 0.9
    below = [l for l in by_level if l < level]
    assert below and all(by_level[l]["compliance"]["visits"]["low"] < 0.9 for l in below)
    for name in ("staffing.png", "staffing.csv", "staffing.json"):
        assert (tmp_path / "a" / name).stat().st_size > 100


def test_local_processes_and_a_dask_cluster_give_identical_numbers(tmp_path):
    from distributed import LocalCluster
    serial = answer(CliRunner().invoke(app, BASE + ["--out", str(tmp_path / "serial")]))
    local = answer(CliRunner().invoke(app, BASE + ["--workers", "2", "--out", str(tmp_path / "local")]))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = answer(CliRunner().invoke(app, BASE + ["--scheduler", cluster.scheduler_address,
                                                      "--out", str(tmp_path / "dask")]))
    assert serial == local == dask


def test_a_killed_run_resumes_without_redoing_work_and_equals_an_uninterrupted_run(tmp_path):
    whole = answer(CliRunner().invoke(app, BASE + ["--out", str(tmp_path / "whole")]))
    folder = tmp_path / "killed"
    command = [sys.executable, "-m", "cpmodel.cli"] + BASE + ["--out", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    saved = folder / "replications"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(saved.glob("*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = {p.name: p.stat().st_mtime_ns for p in saved.glob("*.json")}
    assert 4 <= len(before) and not (folder / "staffing.json").exists()
    resumed = answer(CliRunner().invoke(app, BASE[:-1] + ["--json", "--resume", str(folder)]))
    assert resumed == whole
    after = {p.name: p.stat().st_mtime_ns for p in saved.glob("*.json")}
    assert all(after[name] == stamp for name, stamp in before.items())  # finished work was not redone


@pytest.mark.parametrize("arguments,message", [
    (["--target", "home_visits=0.9"], "unknown deadline kind 'home_visits'"),
    (["--target", "visits=1.5"], "(0, 1]"),
    (["--target", "visits=0"], "(0, 1]"),
    (["--target", "visits=0.9", "--range", "12:4"], "LOW < HIGH"),
    (["--target", "visits=0.9", "--range", "5:5"], "LOW < HIGH"),
    (["--target", "visits=0.9", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
])
def test_bad_staffing_requests_exit_2_with_a_message(tmp_path, arguments, message):
    result = CliRunner().invoke(app, ["staff", str(FAST), "--out", str(tmp_path / "x")] + arguments)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_target_no_level_meets_exits_1_naming_the_best_level(tmp_path):
    # 8-10 social workers: visits met rises with the staff (means about 82%, 88%, 95%), none near 99.9%.
    result = CliRunner().invoke(app, ["staff", str(FAST), "--target", "visits=0.999", "--range", "8:10", "-n", "2",
                                      "--max-replications", "2", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "No level in 8-10 meets every target" in result.output and "Best seen: 10" in result.output


def test_resume_refuses_a_folder_started_with_other_arguments(tmp_path):
    first = CliRunner().invoke(app, BASE + ["--out", str(tmp_path / "run")])
    assert first.exit_code in (0, 1)
    other = ["staff", str(FAST), "--target", "visits=0.8", "--range", "4:16", "-n", "3", "--max-replications", "4"]
    result = CliRunner().invoke(app, other + ["--resume", str(tmp_path / "run")])
    assert result.exit_code == 2 and "resume with the same ones" in result.output
