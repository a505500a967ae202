"""Replications: independent seeds from one SeedSequence, run here or on any executor."""
from __future__ import annotations

from concurrent.futures import Executor
from typing import Callable, Iterable

import numpy as np

from cpmodel.model.procedure import Procedure
from cpmodel.sim.engine import ReplicationResult, run_replication
from cpmodel.sim.scenario import Scenario


def replication_seeds(seed: int, count: int) -> list[int]:
    """The same seeds whatever runs them, so results do not depend on the number of workers."""
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(seed).spawn(count)]


def run_replications(procedure: Procedure, scenario: Scenario, seeds: Iterable[int],
                     executor: Executor | None = None,
                     progress: Callable[[ReplicationResult], None] | None = None,
                     record_history: bool = False) -> list[ReplicationResult]:
    """Run one replication per seed; results come back in seed order (with every case's event
    history when record_history is set)."""
    seeds = list(seeds)
    if executor is None:
        results = []
        for seed in seeds:
            results.append(run_replication(procedure, scenario, seed, record_history))
            if progress:
                progress(results[-1])
        return results
    futures = [executor.submit(run_replication, procedure, scenario, seed, record_history) for seed in seeds]
    results = []
    for future in futures:
        results.append(future.result())
        if progress:
            progress(results[-1])
    return results
