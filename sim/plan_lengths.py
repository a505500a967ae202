"""Plan endings fitted to published plan lengths (DfE table D7): the chance each review
conference ends the plan, and how often a review is brought forward to end a plan between reviews,
chosen so that simulated plans end in each D7 band as often as England's.

A plan normally ends at a review (first within 3 months, then 6-monthly), so each review's chance
mostly sets one band: the first review the "3 months or less" band, the second the "6 months to
under 1 year" band, the third and fourth the "1 to 2 years" band (and so what is left for "2 years
or more"). The "over 3 to 6 months" band holds plans that end between the first and second
reviews: moves, s20 removal, reaching 18, first reviews held late, and reviews brought forward
because the plan is no longer needed; of these only the last is not set by its own figure, so the
fit steers the monthly chance of a review brought forward by that band (an ASSUMPTION fitted to
D7, never an estimate).

The fit is by simulation (a few fixed-point steps of the engine's own plan lengths, common seeds),
not by a formula, so late reviews and the routes between reviews are counted as they happen.
Plan lengths are measured as D7 measures them: start date to end date in calendar months, one
plan per child (sim/stats.py).
"""
from __future__ import annotations

import numpy as np

from cpmodel.model.procedure import Procedure
from cpmodel.sim.engine import run_replication
from cpmodel.sim.runner import replication_seeds
from cpmodel.sim.scenario import Scenario
from cpmodel.sim.stats import BANDS, D7_2025, plan_length_shares

# which review numbers (1-based) mainly set which band
STEERS = {1: BANDS[0], 2: BANDS[2], 3: BANDS[3], 4: BANDS[3]}


def simulated_bands(procedure: Procedure, scenario: Scenario, seeds: list[int], executor=None) -> dict[str, float]:
    """The share of plans ending in each D7 band, pooled over replications."""
    if executor is None:
        results = [run_replication(procedure, scenario, seed) for seed in seeds]
    else:
        results = list(executor.map(run_replication, [procedure] * len(seeds), [scenario] * len(seeds), seeds))
    return plan_length_shares([span for r in results for span in r.plan_spans], results[0].start_date)


def fit_review_outcomes(procedure: Procedure, scenario: Scenario, published: dict[str, float] = D7_2025,
                        replications: int = 3, steps: int = 5, executor=None) -> tuple[list[float], float, dict, list[dict]]:
    """end_at_review and review_brought_forward_per_month fitted to the published bands; returns
    them, the final bands, and each step's figures and bands."""
    flow = scenario.case_flow
    chances = list(flow.end_at_review) + [flow.end_at_review[-1]] * max(0, 5 - len(flow.end_at_review))
    forward = flow.review_brought_forward_per_month
    seeds = replication_seeds(scenario.seed, replications)
    history = []
    for step in range(steps + 1):
        trial = scenario.model_copy(update={"case_flow": flow.model_copy(
            update={"end_at_review": chances, "review_brought_forward_per_month": forward})})
        bands = simulated_bands(procedure, trial, seeds, executor)
        history.append({"end_at_review": [round(p, 4) for p in chances],
                        "review_brought_forward_per_month": round(forward, 4), "bands": bands})
        if step < steps:
            chances, forward = _step(chances, bands, published), _step_forward(forward, bands, published)
    best = min(history, key=lambda h: _distance(h["bands"], published))
    return best["end_at_review"], best["review_brought_forward_per_month"], best["bands"], history


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


# Each 0.01 a month of reviews brought forward moves about 1.8 points into "over 3 to 6 months"
# (one county replication: 0 -> 0.02 a month took the band from 9.2% to 12.8%): the slope the fit
# steps by.
FORWARD_SLOPE = 1.8
MOST_FORWARD = 0.2


def _step_forward(forward: float, bands: dict[str, float], published: dict[str, float]) -> float:
    """Move the monthly chance of a review brought forward by how far "over 3 to 6 months" is off."""
    gap = published[BANDS[1]] - bands[BANDS[1]]
    return float(np.clip(forward + gap / FORWARD_SLOPE, 0.0, MOST_FORWARD))


def _distance(bands: dict[str, float], published: dict[str, float]) -> float:
    return max(abs(bands[b] - published[b]) for b in published)
