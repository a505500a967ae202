"""Stopping `staff --workers 2` (SIGTERM or Ctrl-C) leaves no worker process behind, keeps the
finished replications, and says how to resume."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
FAST = ROOT / "tests" / "data" / "fast-unitary.yaml"


def _as_from_a_terminal():
    """The command starts with Ctrl-C at its default, as a terminal's foreground job does. A job
    started in the background by a non-interactive shell (`nohup ... &`) inherits SIGINT ignored,
    and Python then leaves it ignored: the tests must not depend on how the suite was started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_staff_leaves_no_children(tmp_path, stop):
    folder = tmp_path / "run"
    command = [sys.executable, "-m", "cpmodel.cli", "staff", str(FAST), "--target", "visits=0.9", "--range", "4:16",
               "-n", "4", "--workers", "2", "--out", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_as_from_a_terminal)
    parent = psutil.Process(process.pid)
    deadline = time.time() + 120
    children = []
    while time.time() < deadline and not list((folder / "replications").glob("*.json")):
        children = parent.children(recursive=True) or children
        time.sleep(0.05)
    children = parent.children(recursive=True) or children
    assert len(children) >= 2, "the workers should be running"
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + stop
    assert "continue with --resume" in stderr and "Traceback" not in stderr
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
    assert not (folder / "staffing.json").exists()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_simulate_leaves_no_half_written_run_folder(tmp_path, stop):
    # SIGTERM used to end the process where it stood: the claimed run folder stayed behind
    folder = tmp_path / "run"
    command = [sys.executable, "-m", "cpmodel.cli", "simulate", str(FAST), "-n", "200", "--out", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_as_from_a_terminal)
    deadline = time.time() + 120
    while time.time() < deadline and not folder.exists():
        time.sleep(0.05)
    assert folder.exists(), "the run folder is claimed before the work"
    time.sleep(0.5)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + stop, stderr
    assert "stopped" in stderr and "Traceback" not in stderr
    assert not folder.exists()
