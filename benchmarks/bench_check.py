"""How long `cpmodel check` takes on the shipped model and on models 10x and 100x its size.

Run:  .venv/bin/python benchmarks/bench_check.py [--sizes 1 10 100] [--repeat 3]
Sizes are measured side by side in one run (these machines are shared and noisy); the script
reports the best of --repeat runs, the ratio to the shipped model and the growth exponent
(time ~ size^k), and the whole `cpmodel check` process in wall and CPU time. Targets on the 2-core
machines: shipped < 1 s wall as a whole process (issue 14), 10x < 20 s.
"""
from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scaled_model import scaled_data  # noqa: E402

from ruamel.yaml import YAML  # noqa: E402

from cpmodel.model.loader import load_procedure  # noqa: E402
from cpmodel.proofs import run_checks  # noqa: E402


def timed(function, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def whole_process(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of the command as a process of its own."""
    best, best_cpu = math.inf, math.inf
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    folder = tempfile.mkdtemp(prefix="cpmodel-bench-")
    for size in args.sizes:
        if size == 1:
            build = load_procedure
        else:  # written to YAML and loaded like any procedure file, so the comparison is fair
            path = Path(folder) / f"procedure-{size}x.yaml"
            yaml = YAML(typ="safe")
            yaml.representer.ignore_aliases = lambda data: True   # copies share lists: written out, as a policy writer would
            with path.open("w", encoding="utf-8") as stream:
                yaml.dump(scaled_data(size), stream)
            build = lambda path=path: load_procedure(path)
        procedure = build()
        repeat = args.repeat if size <= 10 else 1
        load_seconds = timed(build, repeat)
        check_seconds = timed(lambda: run_checks(procedure), repeat)
        findings = len(run_checks(procedure).findings) if size <= 10 else None
        rows.append((size, len(procedure.spec.rules), len(procedure.spec.deadlines), load_seconds, check_seconds, findings))
        print(f"{size:>4}x: {len(procedure.spec.states):>5} states {len(procedure.spec.rules):>5} rules "
              f"{len(procedure.spec.deadlines):>5} deadlines | load {load_seconds:6.2f} s | check {check_seconds:7.2f} s"
              f" | load+check {load_seconds + check_seconds:7.2f} s", flush=True)
    base = rows[0]
    print("\nratio to the shipped model (load+check) and growth exponent k (time ~ size^k):")
    for size, _, _, load, check, _ in rows[1:]:
        ratio = (load + check) / (base[3] + base[4])
        print(f"  {size:>4}x: {ratio:6.1f}x slower, k = {math.log(ratio) / math.log(size / base[0]):.2f}")
    command = [str(Path(sys.executable).with_name("cpmodel")), "check"]
    whole, cpu = whole_process(command, args.repeat)
    print(f"\nwhole command `cpmodel check` on the shipped model (start-up, imports, load, check): "
          f"{whole:.2f} s wall, {cpu:.2f} s CPU (best of {args.repeat}; CPU time is the steadier figure on a "
          f"shared machine, load average {os.getloadavg()[0]:.1f})")
    print(f"target shipped < 1 s wall in all (issue 14): {'met' if whole < 1 else 'MISSED'} ({whole:.2f} s)")
    for size, _, _, load, check, _ in rows:
        if size == 10:
            print(f"target 10x < 20 s: {'met' if load + check < 20 else 'MISSED'} ({load + check:.2f} s)")


if __name__ == "__main__":
    main()
