"""One replication reduced to what comparisons need (deadlines due and met, hours per role), and
paired differences over replications run on the same seeds (common random numbers).

Pairing by seed is what makes small differences visible: the two runs see the same households,
the same leave and the same draws, so the difference's interval is far narrower than either run's.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np

from cpmodel.model.procedure import Procedure
from cpmodel.sim.engine import ReplicationResult, run_replication
from cpmodel.sim.scenario import Scenario
from cpmodel.sim.stats import Interval, confidence_interval


def measure(result: ReplicationResult) -> dict:
    return {
        "seed": result.seed,
        "deadlines": {kind: {"due": len(v), "met": int(np.sum(np.asarray(v) == 0))}
                      for kind, v in result.lateness.items() if v},
        "hours_per_week": {pool: float(np.mean(weeks)) if weeks else 0.0 for pool, weeks in result.hours_by_week.items()},
        "available_per_week": {pool: float(np.mean(weeks)) if weeks else 0.0
                               for pool, weeks in result.available_by_week.items()},
    }


def measured_replication(procedure: Procedure, scenario: Scenario, seed: int) -> dict:
    """Run in a worker process: only the small measure travels back."""
    return measure(run_replication(procedure, scenario, seed))


def share_met(measured: dict, kind: str) -> float | None:
    entry = measured["deadlines"].get(kind)
    return entry["met"] / entry["due"] if entry and entry["due"] else None


def outcome(measured: dict, name: tuple[str, str]) -> float | None:
    """('deadline', kind) -> share met; ('hours', pool) -> hours worked per week."""
    group, key = name
    if group == "deadline":
        return share_met(measured, key)
    return measured["hours_per_week"].get(key)


def outcomes(runs: list[list[dict]]) -> list[tuple[str, str]]:
    """Every deadline kind due and every role's hours in any of the runs, in a stable order."""
    kinds = sorted({k for run in runs for m in run for k in m["deadlines"]})
    pools = sorted({p for run in runs for m in run for p in m["hours_per_week"]})
    return [("deadline", k) for k in kinds] + [("hours", p) for p in pools]


def paired_difference(before: list[dict], after: list[dict], name: tuple[str, str]) -> Interval:
    """Mean of after - before over the seeds both have, with its 95% interval."""
    by_seed = {m["seed"]: m for m in before}
    differences = []
    for m in after:
        if m["seed"] in by_seed:
            a, b = outcome(by_seed[m["seed"]], name), outcome(m, name)
            if a is not None and b is not None:
                differences.append(b - a)
    return confidence_interval(differences)


def level(run: list[dict], name: tuple[str, str]) -> Interval:
    bounds = (0, 1) if name[0] == "deadline" else None
    return confidence_interval([outcome(m, name) for m in run], bounds=bounds)


class SavedMeasures:
    """Finished replications as one small JSON file each, written atomically, so a killed run resumes."""

    def __init__(self, folder: Path, write: Callable[[Path, str], None]):
        self.folder = folder / "replications"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.write = write

    def path(self, label: str, seed: int) -> Path:
        return self.folder / f"{label}-seed-{seed}.json"

    def load(self, label: str, seed: int) -> dict | None:
        path = self.path(label, seed)
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None          # a damaged file is simply run again

    def save(self, label: str, measured: dict) -> None:
        self.write(self.path(label, measured["seed"]), json.dumps(measured, sort_keys=True))


def run_measured(jobs: dict[str, tuple[Procedure, Scenario]], seeds: list[int], saved: SavedMeasures | None = None,
                 executor=None, progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, list[dict]]:
    """Every labelled (procedure, scenario) on the same seeds; saved work is reused, the rest is
    submitted at once so that every worker stays busy until the end. Results are in seed order."""
    results: dict[str, dict[int, dict]] = {label: {} for label in jobs}
    missing = []
    for label in jobs:
        for seed in seeds:
            found = saved.load(label, seed) if saved else None
            if found is not None:
                results[label][seed] = found
            else:
                missing.append((label, seed))
    total, done = len(jobs) * len(seeds), len(jobs) * len(seeds) - len(missing)
    progress(done, total)
    if executor is None:
        finished = ((label, seed, measured_replication(*jobs[label], seed)) for label, seed in missing)
    else:
        from concurrent.futures import as_completed
        futures = {executor.submit(measured_replication, *jobs[label], seed): (label, seed) for label, seed in missing}
        finished = ((*futures[f], f.result()) for f in as_completed(futures))
    for label, seed, measured in finished:
        if saved:
            saved.save(label, measured)
        results[label][seed] = measured
        done += 1
        progress(done, total)
    return {label: [by_seed[s] for s in seeds] for label, by_seed in results.items()}
