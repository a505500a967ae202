"""Why time grows faster than the caseload: calls and CPU per task, and what SimPy's event heap
holds, at county x1 and x8 (2 simulated years), side by side in one run.

Run: .venv/bin/python benchmarks/profile_caseload.py > benchmarks/profiles/caseload-x1-x8.txt
Calls per task the same at both sizes mean no part of the work grows faster than the caseload;
the CPU per task of each function then shows where each step got dearer.
"""
from __future__ import annotations

import collections
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import scaled  # noqa: E402

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim.engine import Replication  # noqa: E402
from cpmodel.sim.scenario import load_scenario  # noqa: E402

FACTORS = (1, 8)


def profiled(procedure, scenario) -> tuple[int, float, dict]:
    """Tasks, SimPy events per task, and per function (calls a task, CPU us a task)."""
    replication = Replication(procedure, scenario, 1)
    profile = cProfile.Profile()
    profile.enable()
    result = replication.run()
    profile.disable()
    per_task = {}
    for (file, _line, name), (_, calls, own, _, _) in pstats.Stats(profile).stats.items():
        per_task[f"{Path(file).name}:{name}"] = (calls / result.tasks_done, 1e6 * own / result.tasks_done)
    return result.tasks_done, result.events / result.tasks_done, per_task


def heap_mix(procedure, scenario) -> tuple[float, dict]:
    """SimPy's pending events (on the heap or waiting for their week, sim/clock.py), sampled every 1.37 days after the first 300: their mean number, and
    the mean number owned by each kind of process."""
    replication = Replication(procedure, scenario, 1)
    env, mix, samples = replication.env, collections.Counter(), [0]

    def owner(event) -> str:
        for callback in event.callbacks or ():
            generator = getattr(getattr(callback, "__self__", None), "_generator", None)
            return generator.__name__ if generator is not None else getattr(callback, "__name__", "callback")
        return "none"

    def sampler():
        while env.now < replication.days.horizon - 2:
            yield env.timeout(1.37)
            if env.now > 300:
                samples[0] += 1
                waiting = [*env._queue, *(entry for week in env._later.values() for entry in week)]
                mix.update(owner(entry[3]) for entry in waiting if entry[2] >= 0)   # not the week's marker
    env.process(sampler())
    replication.run()
    return sum(mix.values()) / samples[0], {name: count / samples[0] for name, count in mix.most_common()}


def main() -> None:
    procedure = load_procedure()
    county, _ = load_scenario(None, procedure)
    county = county.model_copy(update={"horizon_years": 2})
    runs = {factor: profiled(procedure, scaled(county, factor)) for factor in FACTORS}
    (small_tasks, small_events, small), (large_tasks, large_events, large) = runs[FACTORS[0]], runs[FACTORS[-1]]
    print(f"county, 2 years, seed 1, x{FACTORS[0]} and x{FACTORS[-1]}, under cProfile")
    print(f"tasks {small_tasks:,} and {large_tasks:,}; SimPy events per task {small_events:.2f} and {large_events:.2f}")
    print(f"calls per task {sum(v[0] for v in small.values()):.1f} and {sum(v[0] for v in large.values()):.1f}; "
          f"CPU us per task (profiled) {sum(v[1] for v in small.values()):.1f} and {sum(v[1] for v in large.values()):.1f}\n")
    print(f"{'function':52s} {'calls/task':>17s} {'CPU us/task':>17s}  ratio")
    for name in sorted(large, key=lambda key: -large[key][1])[:30]:
        a, b = small.get(name, (0.0, 0.0)), large[name]
        print(f"{name:52s} {a[0]:8.2f} {b[0]:8.2f} {a[1]:8.2f} {b[1]:8.2f}  x{b[1] / a[1] if a[1] else 0:.2f}")
    print("\nSimPy's pending events (mean over samples), by the process that waits on them")
    for factor in FACTORS:
        total, mix = heap_mix(procedure, scaled(county, factor))
        print(f"x{factor}: {total:,.0f} in all; " + ", ".join(f"{name} {count:,.0f}" for name, count in mix.items()))


if __name__ == "__main__":
    main()
