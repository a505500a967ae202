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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpmodel.atomic import write_text  # noqa: E402
from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim import staffing  # noqa: E402
from cpmodel.sim.scenario import load_scenario  # noqa: E402
from cpmodel.workers import executor_slots, replication_executor  # noqa: E402


def search(scenario_path: Path, target: dict, workers: int, effort: tuple[int, int, int]) -> dict:
    procedure = load_procedure()
    scenario, _ = load_scenario(scenario_path, procedure)
    count = scenario.staff.social_workers.count
    ranges = {"social_workers": (max(1, count // 2), count * 2)}
    with tempfile.TemporaryDirectory() as folder:
        with replication_executor(workers) as executor:
            source = staffing.Replications(procedure, scenario, staffing.SavedReplications(Path(folder), write_text),
                                           executor, slots=executor_slots(executor, workers))
            found = staffing.search_pools(source, ["social_workers"], target, ranges, *effort[:2], survey=effort[2])
            usage = source.usage()
    levels = found["searches"]["social_workers"].levels
    return {"level": found["needed"]["social_workers"],
            "replications_used": sum(len(l.replications) for l in levels.values()), **usage}


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
