"""How well the staffing search keeps two workers busy, measured where a shared machine cannot
spoil it: every replication is a fixed pause in a worker thread (no CPU), the shares come from a
county-like curve (the county's means, 19-76 social workers, target visits 0.95), and the search
runs with 1 worker and with 2. The speed-up here is the most `--workers 2` can give; the machine
then decides how much of it the real run sees (compare `cpu_seconds` in search.json).

Run:  .venv/bin/python benchmarks/bench_staffing_schedule.py [--pause 0.5] [--quick]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpmodel.sim import staffing  # noqa: E402
from cpmodel.sim.racing import SequentialRule  # noqa: E402
from cpmodel.sim.runner import replication_seeds  # noqa: E402

SEED, POOL = 20261123, "social_workers"


class Unsaved:
    def load(self, levels, seed):
        return None

    def save(self, result):
        pass


def county_like(pause: float):
    """A replication stand-in: a pause, then the share of visits met at the level (a concave
    curve through the county's means: 0.836 at 30, 0.951 at 44, 0.977 at 76) with noise by seed."""
    index = {seed: number for number, seed in enumerate(replication_seeds(SEED, 200))}
    noise = np.random.default_rng(1).standard_normal(200)

    def replication(procedure, scenario, levels, seed):
        time.sleep(pause)
        level = dict(levels)[POOL]
        share = 0.978 - 4.98 * math.exp(-level / 8.43) + 0.005 * noise[index[seed]]
        due = 1_000_000
        return ({"levels": dict(levels), "seed": seed, "deadlines": {"visits": {"due": due, "met": int(share * due)}},
                 "hours": {POOL: 1.0}, "available": {POOL: 2.0}, "weeks": 1, "backlog": 0.0, "caseload_mean": 0.0},
                pause, (1, threading.get_ident()))
    return replication


def search(workers: int, pause: float) -> dict:
    staffing.timed_replication = county_like(pause)
    with ThreadPoolExecutor(workers) as executor:
        source = staffing.Replications(None, SimpleNamespace(seed=SEED), Unsaved(),
                                       executor if workers > 1 else None, slots=workers)
        found = staffing.search_pools(source, [POOL], {"visits": 0.95}, {POOL: (19, 76)}, 5, 20, 4)
        usage = source.usage()
        source.queued.clear()
        source._heap.clear()
    used = sum(len(level.replications) for level in found["searches"][POOL].levels.values())
    return {"level": found["needed"][POOL], "replications_used": used,
            "replication_times": round(usage["wall_seconds"] / pause, 1), **usage}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause", type=float, default=0.5, help="seconds each stand-in replication takes")
    parser.add_argument("--quick", action="store_true", help="short pauses: checks the script works")
    arguments = parser.parse_args()
    pause = 0.01 if arguments.quick else arguments.pause
    SequentialRule(5, 20).constant()          # fitted once, outside the timing
    one, two = search(1, pause), search(2, pause)
    assert one["level"] == two["level"], "the parallel search must give the same answer"
    print(json.dumps({"one_worker": one, "two_workers": two,
                      "speed_up": round(one["wall_seconds"] / two["wall_seconds"], 2)}, indent=2))


if __name__ == "__main__":
    main()
