"""The benchmarks of record run (quick mode, tiny sizes: no timing is asserted), and the commands
that neither draw nor simulate start without the heavy libraries."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_all_quick_mode_measures_every_row_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    finished = subprocess.run([sys.executable, "benchmarks/run_all.py", "--quick", "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert finished.returncode == 0, finished.stderr[-3000:]
    record = json.loads(out.read_text())
    measures = " | ".join(r["measure"] for r in record["rows"])
    for expected in ("completed tasks/s against bare SimPy", "events on its heap as the county's at x1 and x8", "time against caseload", "`staff` county",
                     "--workers 2 against 1", "`cpmodel check`", "England scenario", "M/M/10", "audit of",
                     "instant start"):
        assert expected in measures, expected
    assert all(r["figure"] and r["met"] is None for r in record["rows"])
    two = next(r for r in record["rows"] if r["measure"].startswith("same, --workers 2"))
    assert two["parallel_ceiling"]["ratio"] > 0 and "this machine's ceiling" in two["figure"]
    assert record["machine"]["cores"] >= 1
    startup = next(r for r in record["rows"] if r["measure"].startswith("instant start"))
    assert startup["imported"] == {"--help": [], "check": [], "export": [], "pathway two-failed-visits": []}
    check = next(r for r in record["rows"] if r["measure"].startswith("`cpmodel check`"))
    if record["baseline"]["run"]:        # a clone with history: the baseline's check ran beside ours
        assert check["baseline_seconds"] > 0 and check["speedup_over_baseline"] > 0
        assert check["speedup_needed"] == record["baseline"]["issue_now_seconds"]["check"] / 1
    # a second run never overwrites the first
    again = subprocess.run([sys.executable, "benchmarks/run_all.py", "--quick", "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_run_all_only_runs_the_groups_asked_for(tmp_path):
    out = tmp_path / "engine.json"
    finished = subprocess.run([sys.executable, "benchmarks/run_all.py", "--quick", "--only", "engine", "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert finished.returncode == 0, finished.stderr[-3000:]
    record = json.loads(out.read_text())
    measures = [r["measure"] for r in record["rows"]]
    assert record["groups"] == ["engine"] and record["only"] == ["simulation", "england", "queue"] and len(measures) == 6
    assert not any("staff" in m or "check" in m or "audit" in m or "instant start" in m for m in measures)


def test_a_goal_in_seconds_is_met_by_the_speed_up_over_the_baseline_beside_it():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run_all import against_baseline, row
    fast_host = against_baseline(row("m", "0.5 s", "under 1 s", True, seconds=0.5), 0.5, 1.0, 3.1, 1)
    assert fast_host["met"] is False and fast_host["met_in_seconds_here"] is True    # 2x; the issue needs 3.1x
    slow_host = against_baseline(row("m", "1.2 s", "under 1 s", False, seconds=1.2), 1.2, 4.0, 3.1, 1)
    assert slow_host["met"] is True and slow_host["speedup_over_baseline"] == 4.0 / 1.2
    alone = against_baseline(row("m", "0.5 s", "under 1 s", True, seconds=0.5), 0.5, None, 3.1, 1)
    assert alone["met"] is True and "judged on these seconds alone" in alone["figure"]


def _fake_baseline(folder: Path, tasks: int, seconds: float) -> Path:
    """A tree laid out as the baseline's (top-level model and sim packages): a county replication
    that takes `seconds` and completes `tasks` tasks through workforce.on_complete."""
    (folder / "model").mkdir(parents=True)
    (folder / "sim").mkdir()
    (folder / "model" / "__init__.py").write_text("def load_procedure():\n    return None\n")
    (folder / "sim" / "__init__.py").write_text("")
    (folder / "sim" / "scenario.py").write_text("def load_scenario(path, procedure):\n    return None, ''\n")
    (folder / "sim" / "engine.py").write_text(
        "import time\n"
        "class _Workforce:\n"
        "    def __init__(self):\n"
        "        self.on_complete = lambda task, now: None\n"
        "class Replication:\n"
        "    def __init__(self, procedure, scenario, seed):\n"
        "        self.workforce = _Workforce()\n"
        "    def run(self):\n"
        f"        time.sleep({seconds})\n"
        f"        for _ in range({tasks}):\n"
        "            self.workforce.on_complete(None, 0.0)\n")
    return folder


def test_the_tasks_per_second_goal_is_met_at_three_times_the_baselines_rate_beside_it(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run_all
    # ours: 30,000 tasks in 1 s, as the county script would print them
    monkeypatch.setattr(run_all, "county_script", lambda factor, quick: (
        "import json\nprint(json.dumps({'seconds': 1.0, 'cpu_seconds': 1.0, 'tasks': 30000}))\n"))
    slow = run_all.beside_baseline(run_all.row("m", "x", ">= 0.15x", False), _fake_baseline(tmp_path / "slow", 2000, 0.3), 1)
    # its tasks are counted in a run of their own (2,000), and its timed run takes at least 0.3 s:
    # at most 6,700/s, so ours is at least 4.5x
    assert slow["baseline_tasks"] == 2000 and slow["met"] is True and slow["met_in_ratio_here"] is False
    assert 4.5 <= slow["speedup_over_baseline"] <= 30.0 and "needs 3.00x" in slow["figure"]
    fast = run_all.beside_baseline(run_all.row("m", "x", ">= 0.15x", False), _fake_baseline(tmp_path / "fast", 20000, 0.0), 1)
    # 20,000 tasks in well under a third of a second: ours (30,000/s) is not 3x that
    assert fast["baseline_tasks"] == 20000 and fast["met"] is False and fast["speedup_over_baseline"] < 3.0


def test_the_compiled_engine_trial_refuses_bad_options_before_building_anything(tmp_path):
    for options in (["--factors", "1,x"], ["--seeds", ""], ["--repeat", "0"], ["--years", "-1"]):
        finished = subprocess.run([sys.executable, "benchmarks/compiled_engine_trial.py", *options, "--out", str(tmp_path / "t.json")],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 2 and "error:" in finished.stderr and "Traceback" not in finished.stderr, options
    assert not (tmp_path / "t.json").exists()
