"""Calibration of a 100,000-event log as a whole process (goal: under 10 s).

Run:  .venv/bin/python benchmarks/bench_calibrate.py [--quick]
The log is drawn from known parameters by tests/calibration_logs.py (about 100,000 rows for
4.3 years; --quick: 1 year, so CI can check the script works).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))   # the test helpers, by their own name (Ciw ships a package called tests)

from calibration_logs import write_log  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    years = 1.0 if parser.parse_args().quick else 4.3
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "events.csv"
        rows = write_log(log, 1, years=years)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cpmodel.cli", "calibrate", str(log), "--out",
                        str(Path(folder) / "mine.yaml")], cwd=ROOT, check=True, capture_output=True)
        print(f"calibrate: {rows} events in {time.perf_counter() - start:.2f} s (whole process)")


if __name__ == "__main__":
    main()
