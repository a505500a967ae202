"""One-at-a-time sensitivity: each assumption set low and high, the rest as in the file, on the same
seeds as the base run, so each effect is a paired difference with its own 95% interval.

A manager reads from it which guesses the answer depends on, and so which local figures are worth
collecting first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpmodel.model.errors import InputError
from cpmodel.sim.measures import level, outcomes, paired_difference
from cpmodel.sim.overrides import get_value, with_values
from cpmodel.sim.scenario import Scenario


@dataclass(frozen=True)
class Variation:
    """A parameter and the two values it is tried at."""

    path: tuple
    base: Any
    low: Any
    high: Any

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    def label(self, side: str) -> str:
        return f"{self.name}={side}"


def _tilt(distribution: dict, factor: float) -> dict:
    """A distribution leaned towards its later categories (factor > 1) or earlier ones (< 1)."""
    keys = list(distribution)
    weights = {key: distribution[key] * factor ** index for index, key in enumerate(keys)}
    total = sum(weights.values())
    return {key: round(weight / total, 6) for key, weight in weights.items()}


def _fix_total(distribution: dict) -> dict:
    """Rounding can leave the sum a hair off 1; put the remainder on the largest category."""
    largest = max(distribution, key=distribution.get)
    distribution[largest] = round(distribution[largest] + 1 - sum(distribution.values()), 6)
    return distribution


# Figures of how the simulation is run, not of the world it simulates: varying them says nothing
# about what drives deadlines (the seed would only compare one draw of chance with another).
_HOW_RUN = {
    "seed": "the random seed is how chance is drawn, not a figure of the caseload (every side is "
            "paired with the base by seed)",
    "replications": "the number of replications is how precise the answer is, not a figure of the caseload",
    "horizon_years": "the simulated time is how long the run is, not a figure of the caseload",
    "warm_up_months": "the warm-up is how the run starts, not a figure of the caseload",
}


def variation(scenario: Scenario, path: tuple, span: float) -> Variation | str:
    """The low and high values of one parameter, or the reason it cannot be varied."""
    value = get_value(scenario, tuple(str(p) for p in path))
    how_run = _HOW_RUN.get(".".join(str(p) for p in path))
    if how_run:
        return how_run
    if isinstance(value, dict):
        if not all(isinstance(v, (int, float)) for v in value.values()):
            return "not a number or a distribution"
        low, high = _fix_total(_tilt(value, 1 - span)), _fix_total(_tilt(value, 1 + span))
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        return "not a number"
    elif value == 0:
        return "zero: a relative span does not move it (name it with --set to try a value)"
    elif isinstance(value, int):
        low, high = round(value * (1 - span)), round(value * (1 + span))
        low = min(low, value - 1)
        high = max(high, value + 1)
        low = max(low, 1 if value >= 1 else 0)
    else:
        low, high = value * (1 - span), value * (1 + span)
    tried = {}
    for side, candidate in (("low", low), ("high", high)):
        for attempt in (candidate, 1.0 if isinstance(candidate, float) and candidate > 1 >= value else None):
            if attempt is None:
                continue
            try:
                with_values(scenario, {tuple(str(p) for p in path): attempt})
                tried[side] = attempt
                break
            except InputError:
                continue
    if len(tried) < 2 or tried["low"] == tried["high"]:
        return "its low or high value is outside what the scenario allows"
    return Variation(tuple(str(p) for p in path), value, tried["low"], tried["high"])


def designs(scenario: Scenario, variations: list[Variation]) -> dict[str, Scenario]:
    """Every scenario the sensitivity run needs, by label: the base and each parameter low and high."""
    jobs = {"base": scenario}
    for item in variations:
        for side in ("low", "high"):
            jobs[item.label(side)] = with_values(scenario, {item.path: getattr(item, side)})
    return jobs


def effects(variations: list[Variation], runs: dict[str, list[dict]]) -> dict:
    """Each parameter's effect (side minus base, paired by seed) on every outcome, with 95% CIs."""
    names = outcomes(list(runs.values()))
    base = runs["base"]
    result = {"base": {_key(name): level(base, name).to_json() for name in names}, "parameters": []}
    for item in variations:
        entry = {"parameter": item.name, "base": item.base, "low": item.low, "high": item.high, "effects": {}}
        for name in names:
            entry["effects"][_key(name)] = {
                side: paired_difference(base, runs[item.label(side)], name).to_json() for side in ("low", "high")}
        result["parameters"].append(entry)
    return result


def _key(name: tuple[str, str]) -> str:
    """('deadline', 'visits') -> 'visits met'; ('hours', 'social_workers') -> 'social_workers hours a week'."""
    return f"{name[1]} met" if name[0] == "deadline" else f"{name[1]} hours a week"


def swing(entry: dict, outcome: str) -> float:
    """How far a parameter moves an outcome: the larger of its two effects, in absolute value."""
    effect = entry["effects"].get(outcome)
    if not effect:
        return 0.0
    values = [abs(effect[side]["mean"]) for side in ("low", "high") if effect[side]["replications"]]
    return max(values, default=0.0)


def most_sensitive(result: dict, kinds: list[str], exclude: set[str] = frozenset(), count: int = 3) -> list[dict]:
    """The parameters that move the given deadline kinds' shares met most, largest first."""
    ranked = []
    for entry in result["parameters"]:
        if entry["parameter"] in exclude:
            continue
        score = max((swing(entry, f"{kind} met") for kind in kinds), default=0.0)
        ranked.append((score, entry))
    ranked.sort(key=lambda item: -item[0])
    return [entry | {"swing": score} for score, entry in ranked[:count] if score > 0]
