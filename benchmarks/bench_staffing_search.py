"""Staffing search side by side: one process against --workers 2, same answer, and how busy the two
workers were (busy worker-seconds / (workers x wall seconds)).

Run:  .venv/bin/python benchmarks/bench_staffing_search.py [--quick]
(--quick: the short test scenario and 2 replications a level, so CI can check the script works;
the figures mean little.)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpmodel.atomic import write_text  # noqa: E402
from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim import staffing  # noqa: E402
from cpmodel.sim.scenario import load_scenario  # noqa: E402


def timed_replication(procedure, scenario, levels, seed):
    start = time.perf_counter()
    result = staffing.replication_at(procedure, scenario, levels, seed)
    return result | {"busy_seconds": time.perf_counter() - start}


class TimedReplications(staffing.Replications):
    """Replications whose worker time is recorded (the measure only; the answer is unchanged)."""

    def prefetch(self, levels, seeds):
        if self.executor is None:
            return
        for seed in seeds:
            if not self._known(levels, seed):
                self.pending[(levels, seed)] = self.executor.submit(timed_replication, self.procedure,
                                                                    self.scenario, levels, seed)
                self.submitted += 1


def search(scenario_path: Path, target: dict, workers: int, effort: tuple[int, int, int]) -> dict:
    procedure = load_procedure()
    scenario, _ = load_scenario(scenario_path, procedure)
    count = scenario.staff.social_workers.count
    ranges = {"social_workers": (max(1, count // 2), count * 2)}
    with tempfile.TemporaryDirectory() as folder:
        executor = ProcessPoolExecutor(workers) if workers > 1 else None
        start = time.perf_counter()
        source = TimedReplications(procedure, scenario, staffing.SavedReplications(Path(folder), write_text), executor)
        found = staffing.search_pools(source, ["social_workers"], target, ranges, *effort[:2], survey=effort[2])
        wall = time.perf_counter() - start
        if executor is not None:
            executor.shutdown(wait=True)
    busy = sum(r.get("busy_seconds", 0.0) for r in source.done.values())
    levels = found["searches"]["social_workers"].levels
    return {"workers": workers, "level": found["needed"]["social_workers"], "wall_seconds": round(wall, 1),
            "replications_used": sum(len(l.replications) for l in levels.values()),
            "replications_run": len(source.done),
            "utilisation": round(busy / (workers * wall), 3) if workers > 1 else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    scenario = ROOT / ("tests/data/fast-unitary.yaml" if arguments.quick else "scenarios/county.yaml")
    target = {"visits": 0.9 if arguments.quick else 0.95}
    effort = (2, 2, 0) if arguments.quick else (5, 20, 4)   # replications, most replications, survey levels
    one, two = search(scenario, target, 1, effort), search(scenario, target, 2, effort)
    assert one["level"] == two["level"], "the parallel search must give the same answer"
    print(json.dumps({"scenario": scenario.name, "one_worker": one, "two_workers": two,
                      "speed_up": round(one["wall_seconds"] / two["wall_seconds"], 2)}, indent=2))


if __name__ == "__main__":
    main()
