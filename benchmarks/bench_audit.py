"""How long `cpmodel audit` takes on a generated log of about 100,000 events (goal: under 3 s as a
whole process), and where the time goes: start-up (imports), loading the model, reading and
checking the log, walking the cases, and the JSON report.

Run:  .venv/bin/python benchmarks/bench_audit.py [--cases 3300] [--repeat 3]

Wall and CPU time both: on a shared machine the CPU time says more. Not a timed test.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from event_logs import write_log  # noqa: E402

PYTHON = sys.executable


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clocks()
    return now[0] - start[0], now[1] - start[1]


def whole_process(path: Path, repeat: int) -> tuple[float, float]:
    """Best wall and best CPU time of `cpmodel audit LOG --json` as its own process."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([PYTHON, "-c", "from cpmodel.cli import main; main()", "audit", str(path), "--json"],
                              cwd=ROOT, capture_output=True, text=True)
        best_wall = min(best_wall, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr[-2000:])
    return best_wall, best_cpu


def phases(path: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) of each phase of one audit in this process, in the order the command runs them."""
    found = {}
    code = ("import time; started = time.process_time(); import cpmodel.cli, cpmodel.model.audit; "
            "print(time.process_time() - started)")
    begun = time.perf_counter()
    cpu = float(subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    found["start-up (imports, fresh process)"] = (time.perf_counter() - begun, cpu)
    from cpmodel.model import load_procedure
    from cpmodel.model.audit import AuditResult, _walk_cases, read_event_log
    from cpmodel.model.calendar import WorkingCalendar
    from cpmodel.model.history import ProcedureIndex

    start = clocks()
    procedure = load_procedure()
    found["loading the model"] = since(start)
    collecting = gc.isenabled()
    gc.disable()   # as audit_log does
    try:
        start = clocks()
        cases = read_event_log(path, procedure)
        found["reading and checking the log"] = since(start)
        start = clocks()
        result = AuditResult(str(path), len(cases), sum(len(s) for s in cases.values()))
        _walk_cases(cases, ProcedureIndex(procedure), WorkingCalendar(), None, result)
        found["walking the cases"] = since(start)
    finally:
        if collecting:
            gc.enable()
    start = clocks()
    json.dumps(result.to_json(), indent=2)
    found["the JSON report"] = since(start)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "events.csv"
    write_log(path, args.cases, planted_every=50, seed=6)
    events = sum(1 for _ in open(path)) - 1
    wall, cpu = whole_process(path, args.repeat)
    goal = f"goal under 3 s: {'met' if wall < 3 else 'MISSED'}" if events >= 100_000 else "the goal is for 100,000 events"
    print(f"{events:,} events in {args.cases:,} cases: `cpmodel audit --json` as a process {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU (best of {args.repeat}); {goal}")
    for name, (seconds, cpu_seconds) in phases(path).items():
        print(f"  {name:38} {seconds:6.2f} s wall {cpu_seconds:6.2f} s CPU")


if __name__ == "__main__":
    main()
