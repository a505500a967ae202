"""A sampling profile of county replications: each function's own share of the run, without the
distortion a tracing profiler adds to small functions (cProfile makes each call dearer, and a
replication makes millions), and how the run splits between SimPy, the engine's clock and the
procedure's own work.

Run:  .venv/bin/python benchmarks/profile_sampled.py [--replications 8] [--factor 1] [--out FILE]
Needs py-spy (`pip install -e '.[bench]'`). Only samples taken inside the clock's run count, so
loading the model and building each replication are left out.
"""
from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from run_all import tasks_script  # noqa: E402

RATE = 700      # samples a second


def sample(replications: int, factor: int) -> tuple[collections.Counter, int, int]:
    """Own samples by function (inside the clock's run), all such samples, and the tasks done."""
    script = tasks_script(factor, replications)
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "samples.txt"
        done = subprocess.run([_py_spy(), "record", "-r", str(RATE), "-f", "raw", "-o", str(raw), "--",
                               sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 or not raw.exists():
            sys.exit(f"error: py-spy failed ({done.returncode}): {done.stderr.strip()[-400:]}")
        tasks = int(re.search(r"^tasks (\d+)$", done.stdout, re.M).group(1))
        own, total = collections.Counter(), 0
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            if not any(frame.startswith("run_until ") for frame in frames):
                continue
            own[_function(frames[-1])] += int(count)
            total += int(count)
    return own, total, tasks


def _py_spy() -> str:
    """py-spy from this environment (a venv's scripts sit beside its python), else from PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        sys.exit("error: py-spy is not installed: pip install -e '.[bench]'")
    return found


def _function(frame: str) -> str:
    """'name (path/to/file.py:line)' -> 'name  (folder/file.py)'."""
    match = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not match:
        return frame
    name, path = match.groups()
    parts = Path(path).parts
    return f"{name}  ({'/'.join(parts[-2:])})"


def report(own: collections.Counter, total: int, tasks: int, replications: int, factor: int, top: int) -> str:
    lines = [f"Sampling profile (py-spy, {RATE} Hz), county x{factor}, {replications} replications, {tasks:,} tasks; "
             f"{total:,} samples inside the clock's run; own time by function, share of the run:", ""]
    for name, count in own.most_common(top):
        lines.append(f"{100 * count / total:5.1f}%  {name}")
    simpy = sum(count for name, count in own.items() if "(simpy/" in name)
    clock = sum(count for name, count in own.items() if "clock.py)" in name)
    lines += ["", f"SimPy's own functions (processes, timeouts, events): {100 * simpy / total:.1f}%; the clock's loop, "
              f"its heap and the workers' wake-ups (sim/clock.py): {100 * clock / total:.1f}%; everything else, "
              f"{100 * (total - simpy - clock) / total:.1f}%, is the procedure's own work."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--factor", type=int, default=1, help="times the county's caseload and staff")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, default=None, help="also append the report to this file")
    args = parser.parse_args()
    if args.replications < 1 or args.factor < 1:
        parser.error("--replications and --factor must be at least 1")
    text = report(*sample(args.replications, args.factor), args.replications, args.factor, args.top)
    print(text)
    if args.out:
        with args.out.open("a") as out:
            out.write("\n\n" + text)


if __name__ == "__main__":
    main()
