"""Where the time of `cpmodel check` goes, as a whole process: start-up, each phase, each library.

Run:  .venv/bin/python benchmarks/profile_check.py [--repeat 5] [--out benchmarks/profiles/check-N.txt]

Prints (and writes with --out): the whole process's best wall and CPU time; the CPU time of each
phase (importing the command line, importing what check needs, loading the procedure, the checks,
writing the report), best of --repeat runs each in a new process; the import time of each library
(`python -X importtime`, its own time summed by top-level package, best of --repeat); and the
checks under cProfile. These machines are shared and noisy: CPU times are the steadier figures.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import time

PHASES = r"""
import io, json, sys, time
try:
    from cpmodel.startup import in_own_process, loading_modules
    in_own_process()
except ImportError:            # an older cpmodel, measured side by side
    import contextlib
    loading_modules = contextlib.nullcontext
marks, last = {}, time.process_time()
def mark(name):
    global last
    now = time.process_time(); marks[name] = now - last; last = now
import cpmodel.cli
mark("import the command line")
with loading_modules():
    from cpmodel.render_findings import print_report
    from cpmodel.model import load_procedure
    from cpmodel.proofs import run_checks
mark("import what check needs")
procedure = load_procedure(None)
mark("load the procedure")
report = run_checks(procedure)
mark("run the checks")
from rich.console import Console
print_report(Console(file=io.StringIO(), highlight=False, emoji=False), report, False)
mark("write the report")
print(json.dumps(marks))
"""
CHECK = "import sys; sys.argv = ['cpmodel', 'check']; from cpmodel.cli import main; main()"


def whole_process(repeat: int) -> tuple[float, float]:
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", CHECK], capture_output=True)
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


def phases(repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(repeat):
        finished = subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True, check=True)
        for name, seconds in json.loads(finished.stdout.strip().splitlines()[-1]).items():
            best[name] = min(best.get(name, seconds), seconds)
    return best


def imports(repeat: int) -> collections.Counter:
    """Own import time summed by top-level package (cpmodel's modules one by one), best of repeat."""
    best: collections.Counter | None = None
    for _ in range(repeat):
        finished = subprocess.run([sys.executable, "-X", "importtime", "-c", CHECK], capture_output=True, text=True)
        found: collections.Counter = collections.Counter()
        for line in finished.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
            if match:
                name = match.group(4)
                key = ".".join(name.split(".")[:3]) if name.startswith("cpmodel.") else name.split(".")[0]
                found[key] += int(match.group(1))
        best = found if best is None else collections.Counter({k: min(best[k], found[k]) for k in set(best) | set(found)})
    return best or collections.Counter()


def checks_profile(lines: int) -> str:
    from cpmodel.model import load_procedure
    from cpmodel.proofs import run_checks

    procedure = load_procedure(None)
    profile = cProfile.Profile()
    profile.enable()
    run_checks(procedure)
    profile.disable()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(lines)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lines", type=int, default=30, help="Lines of the checks' profile.")
    parser.add_argument("--out", default=None, help="Also write the profile to this new file.")
    args = parser.parse_args()
    out = []
    wall, cpu = whole_process(args.repeat)
    out.append(f"`cpmodel check` as a whole process: {wall:.2f} s wall, {cpu:.2f} s CPU (best of {args.repeat}; "
               f"load average {os.getloadavg()[0]:.1f}; PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')})")
    out.append("\nCPU time by phase (best of each):")
    for name, seconds in phases(args.repeat).items():
        out.append(f"  {seconds:6.3f} s  {name}")
    found = imports(args.repeat)
    out.append(f"\nimport time by package (own time, best of each; {sum(found.values()) / 1e6:.2f} s in all):")
    for name, microseconds in found.most_common(30):
        out.append(f"  {microseconds / 1000:7.1f} ms  {name}")
    out.append("\nthe checks under cProfile (in-process, after one load):\n")
    out.append(checks_profile(args.lines))
    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "x", encoding="utf-8") as stream:
            stream.write(text + "\n")


if __name__ == "__main__":
    main()
