"""England at national scale (about 50,000 children on plans, pooled), measured in one run:
the wall time of one simulated year on one worker (target: under 2 minutes here), and the
speed-up of 2 replications on 2 worker processes against 1 (target: at least 1.7x on 2 cores).

Run:  .venv/bin/python benchmarks/bench_national.py [--years 1]
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

from cpmodel.model import load_procedure
from cpmodel.sim.runner import replication_seeds
from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario
from cpmodel.sim.staffing import compact_replication


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=1.0)
    args = parser.parse_args()
    procedure = load_procedure()
    england, _ = load_scenario(SCENARIO_FOLDER / "england.yaml", procedure)
    england = england.model_copy(update={"horizon_years": args.years, "warm_up_months": 0})
    level = england.staff.social_workers.count
    seeds = replication_seeds(england.seed, 2)

    started = time.perf_counter()
    compact_replication(procedure, england, "social_workers", level, seeds[0])
    one = time.perf_counter() - started
    print(f"England, {args.years:g} simulated year(s) from an empty caseload, 1 replication, 1 worker: {one:.1f} s "
          f"(target < 120 s per year: {'met' if one / args.years < 120 else 'MISSED'})", flush=True)

    timings = {}
    for workers in (1, 2):
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=workers) as executor:
            results = list(executor.map(compact_replication, [procedure] * 2, [england] * 2,
                                        ["social_workers"] * 2, [level] * 2, seeds))
        timings[workers] = time.perf_counter() - started
        print(f"2 replications on {workers} worker process(es): {timings[workers]:.1f} s", flush=True)
    speedup = timings[1] / timings[2]
    print(f"speed-up with 2 workers: {speedup:.2f}x (target >= 1.7: {'met' if speedup >= 1.7 else 'MISSED'})")
    assert results[0]["deadlines"] and results[1]["deadlines"]


if __name__ == "__main__":
    main()
