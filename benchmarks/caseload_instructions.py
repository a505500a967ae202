"""Whether the work per task grows with the caseload: machine instructions and cache misses per
task at county x1 and x8, counted by valgrind's cachegrind, which, unlike a clock, gives the same
count on a busy machine as on an idle one.

Run:  .venv/bin/python benchmarks/caseload_instructions.py [--out FILE]   (needs valgrind; about
10 minutes on 2 cores). Each size runs for one and for two simulated years, and the difference is
divided by the difference in tasks done: what one more task costs in the second year, with the
interpreter's start, the model's loading and the first year's build-up all taken away. The cache
is simulated twice: the first level (the host's own L1 data cache) and, as the last level, a
cache the size of this host's per-core L2 (2 MB), so that a miss there is a trip to the larger
shared cache or to memory.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from run_all import tasks_script  # noqa: E402

SECOND_LEVEL = "2097152,16,64"     # size in bytes, ways, line size: this host's L2 per core

COUNTS = {"instructions": r"I\s+refs:\s+([\d,]+)", "data reads and writes": r"D\s+refs:\s+([\d,]+)",
          "first-level data misses": r"D1\s+misses:\s+([\d,]+)", "L2-sized misses": r"LLd\s+misses:\s+([\d,]+)"}


def counted(factor: int, years: int) -> dict[str, int]:
    """Cachegrind's totals for one replication (the whole process), and the tasks it did."""
    script = tasks_script(factor, horizon_years=years)
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=yes", f"--LL={SECOND_LEVEL}",
                               f"--cachegrind-out-file={folder}/out", sys.executable, "-c", script],
                              cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: valgrind failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    totals = {"tasks": int(re.search(r"^tasks (\d+)$", done.stdout, re.M).group(1))}
    for name, pattern in COUNTS.items():
        totals[name] = int(re.search(pattern, done.stderr).group(1).replace(",", ""))
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="write the report to this file (a new file)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("error: valgrind is not installed (apt-get install valgrind)")
    if args.out is not None and args.out.exists():
        parser.error(f"--out {args.out} exists; give a new file (nothing is overwritten)")
    runs = [(factor, years) for factor in (1, 8) for years in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: counted(*run), runs)))
    per_task = {}
    for factor in (1, 8):
        first, second = totals[(factor, 1)], totals[(factor, 2)]
        tasks = second["tasks"] - first["tasks"]
        per_task[factor] = {name: (second[name] - first[name]) / tasks for name in COUNTS}
        per_task[factor]["tasks"] = tasks
    lines = ["County x1 and x8, seed 1, the second simulated year: counts per task done (cachegrind)", "",
             f"{'':26s}{'x1':>12s}{'x8':>12s}{'x8 / x1':>10s}"]
    lines.append(f"{'tasks in the second year':26s}{per_task[1]['tasks']:12,d}{per_task[8]['tasks']:12,d}")
    for name in COUNTS:
        small, large = per_task[1][name], per_task[8][name]
        lines.append(f"{name:26s}{small:12,.0f}{large:12,.0f}{large / small:10.3f}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out is not None:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
