"""Review outcomes fitted to published plan lengths (DfE table D7): the chance each review
conference ends the plan, chosen so that simulated plans end in each D7 band as often as England's.

A plan normally ends at a review (first at about 3 months, then 6-monthly), so each review's
chance mostly sets one band: the first review the "3 months or less" band, the second the
"6 months to under 1 year" band, the third and fourth the "1 to 2 years" band (and so what is left
for "2 years or more"). The "over 3 to 6 months" band holds plans that end between reviews (moves,
s20 removal, reaching 18) and first reviews held late; review outcomes cannot move it, so the fit
reports how far it is, rather than bending another figure to hide it.

The fit is by simulation (a few fixed-point steps of the engine's own plan lengths, common seeds),
not by a formula, so late reviews and the routes between reviews are counted as they happen.
"""
from __future__ import annotations

import numpy as np

from cpmodel.model.procedure import Procedure
from cpmodel.sim.engine import run_replication
from cpmodel.sim.runner import replication_seeds
from cpmodel.sim.scenario import Scenario
from cpmodel.sim.stats import D7_2025, duration_shares

BANDS = list(D7_2025)
# which review numbers (1-based) mainly set which band
STEERS = {1: BANDS[0], 2: BANDS[2], 3: BANDS[3], 4: BANDS[3]}


def simulated_bands(procedure: Procedure, scenario: Scenario, seeds: list[int], executor=None) -> dict[str, float]:
    """The share of plans ending in each D7 band, pooled over replications."""
    if executor is None:
        results = [run_replication(procedure, scenario, seed) for seed in seeds]
    else:
        results = list(executor.map(run_replication, [procedure] * len(seeds), [scenario] * len(seeds), seeds))
    days = [d for r in results for d in r.plan_durations_days]
    return duration_shares(days)


def fit_review_outcomes(procedure: Procedure, scenario: Scenario, published: dict[str, float] = D7_2025,
                        replications: int = 3, steps: int = 5, executor=None) -> tuple[list[float], dict, list[dict]]:
    """end_at_review fitted to the published bands; returns it, the final bands, and each step's bands."""
    chances = list(scenario.case_flow.end_at_review) + [scenario.case_flow.end_at_review[-1]] * \
        max(0, 5 - len(scenario.case_flow.end_at_review))
    seeds = replication_seeds(scenario.seed, replications)
    history = []
    for _ in range(steps):
        trial = scenario.model_copy(update={"case_flow": scenario.case_flow.model_copy(update={"end_at_review": chances})})
        bands = simulated_bands(procedure, trial, seeds, executor)
        history.append({"end_at_review": list(chances), "bands": bands})
        chances = _step(chances, bands, published)
    trial = scenario.model_copy(update={"case_flow": scenario.case_flow.model_copy(update={"end_at_review": chances})})
    bands = simulated_bands(procedure, trial, seeds, executor)
    history.append({"end_at_review": list(chances), "bands": bands})
    best = min(history, key=lambda h: _distance(h["bands"], published))
    return [round(p, 4) for p in best["end_at_review"]], best["bands"], history


def _step(chances: list[float], bands: dict[str, float], published: dict[str, float]) -> list[float]:
    """Scale each review's chance by how far its band is from the published share."""
    new = list(chances)
    for review, band in STEERS.items():
        if bands[band] > 0:
            new[review - 1] = chances[review - 1] * published[band] / bands[band]
    # the 2 years or more band is what the first four reviews leave: too many long plans means
    # the third and fourth reviews end too few, and the reverse
    if bands[BANDS[4]] > 0:
        ratio = (bands[BANDS[4]] / published[BANDS[4]]) ** 0.5
        new[2] *= ratio
        new[3] *= ratio
    return [float(np.clip(p, 0.01, 0.99)) for p in new]


def _distance(bands: dict[str, float], published: dict[str, float]) -> float:
    return max(abs(bands[b] - published[b]) for b in published)
