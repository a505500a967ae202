"""When a staffing level has had enough replications: a sequential test looked at after every
replication, so a level clear of a target stops as soon as it is clear (racing), and the 95% the
report states stays true although the search looks many times.

Looking at an ordinary 95% interval after each replication and stopping when it clears the target
would be wrong far more often than 5% of the time (each look is another chance of a fluke). The
intervals here are repeated confidence intervals of a group-sequential t-test (Jennison and
Turnbull, *Group Sequential Methods*, 2000, ch. 9) with O'Brien-Fleming-shaped boundaries: at the
n-th look the half-width is C * sqrt(most / n) standard errors, C chosen so that, for normally
distributed replications, the chance that *any* look's interval misses the true mean is 5%.
Early looks are therefore strict (only a level far from the target stops early) and the last
look is close to an ordinary 95% interval. C has no closed form; it is found once by a seeded
simulation of the t statistics (the same C every run), to about +-0.01. The fit takes about half a
second, so the constants of the default looks are shipped in `boundary_constants.json`, written by
`python -m cpmodel.sim.racing` with the same draws, and used only with the numpy that wrote them
(with any other, the constant is fitted again, as it would be for looks not in the table).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from cpmodel.sim.stats import Interval, interval_of_mean, replicated_values

MEETS, FAILS, MORE = "meets", "fails", "more"
_DRAWS, _CHUNK, _SEED = 100_000, 20_000, 20261202
TABLE_FILE = Path(__file__).with_name("boundary_constants.json")
# The looks whose constants are shipped: `cpmodel staff`'s defaults (--replications 5, --max-replications 20).
SHIPPED_LOOKS = ((5, 20, 0.95),)


def _key(first: int, most: int, confidence: float) -> str:
    return f"{first}:{most}:{confidence!r}"


def shipped_constant(first: int, most: int, confidence: float, path: Path = TABLE_FILE) -> float | None:
    """The constant from the shipped table, if it has these looks and was written with this numpy
    and these draws (else None: the caller fits it)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["numpy"] != np.__version__ or data["draws"] != _DRAWS or data["seed"] != _SEED:
            return None
        value = data["constants"].get(_key(first, most, confidence))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def write_table(path: Path = TABLE_FILE, looks=SHIPPED_LOOKS) -> dict:
    """Fit the shipped looks' constants with the installed numpy and write them (atomically)."""
    from cpmodel.atomic import write_text
    data = {"numpy": np.__version__, "draws": _DRAWS, "seed": _SEED,
            "constants": {_key(*look): fitted_constant(*look) for look in looks}}
    write_text(path, json.dumps(data, indent=2) + "\n", replace=True)
    return data


@lru_cache(maxsize=32)
def boundary_constant(first: int, most: int, confidence: float = 0.95) -> float:
    """C: with looks after replications first, first + 1, ..., most, the chance that some look
    has |t_n| >= C * sqrt(most / n) is 1 - confidence when the true mean is the target."""
    if first >= most:                              # one look: the ordinary t interval
        from scipy import special
        return float(special.stdtrit(most - 1, (1 + confidence) / 2))
    shipped = shipped_constant(first, most, confidence)
    return shipped if shipped is not None else fitted_constant(first, most, confidence)


def fitted_constant(first: int, most: int, confidence: float = 0.95) -> float:
    """C fitted by the seeded simulation of the t statistics (what the shipped table holds)."""
    rng = np.random.default_rng(_SEED)
    looks = np.arange(first, most + 1)
    largest = []
    for _ in range(_DRAWS // _CHUNK):
        draws = rng.standard_normal((_CHUNK, most))
        mean = np.cumsum(draws, axis=1)[:, looks - 1] / looks
        squares = np.cumsum(draws ** 2, axis=1)[:, looks - 1]
        sd = np.sqrt(np.maximum(squares - looks * mean ** 2, 0) / (looks - 1))
        largest.append(np.max(np.abs(mean) * np.sqrt(looks) / sd / np.sqrt(most / looks), axis=1))
    return float(np.quantile(np.concatenate(largest), confidence))


@dataclass(frozen=True)
class SequentialRule:
    """Looks after each replication from `first` to `most`; `interval` is what the report shows
    and what the verdict uses."""

    first: int
    most: int
    confidence: float = 0.95

    def __post_init__(self):
        object.__setattr__(self, "first", max(2, min(self.first, self.most)))

    def constant(self) -> float:
        return boundary_constant(self.first, self.most, self.confidence)

    def critical(self, n: int) -> float:
        """Standard errors either side of the mean at the n-th replication."""
        return self.constant() * math.sqrt(self.most / n)

    def interval(self, values) -> Interval:
        """The repeated confidence interval of the mean share, clipped to [0, 1]. Fewer than two
        values say nothing about the spread: the interval is all of [0, 1]."""
        data = replicated_values(values)
        if data.size == 0:
            return Interval(float("nan"), float("nan"), float("nan"), 0)
        if data.size < 2:
            return Interval(float(data.mean()), 0.0, 1.0, 1)
        return interval_of_mean(data, self.critical(int(data.size)), (0.0, 1.0))

    def verdict(self, intervals: dict[str, Interval], targets: dict[str, float], count: int) -> str:
        """MEETS when every target's interval lies at or above it; FAILS when some target's lies
        wholly below it, or at the last look when any is still not clear; else MORE."""
        lows = {kind: intervals[kind].low for kind in targets}
        if any(intervals[kind].high < target for kind, target in targets.items()):
            return FAILS
        if all(lows[kind] >= target for kind, target in targets.items()):
            return MEETS
        return FAILS if count >= self.most else MORE

    def likely_verdict(self, values: dict[str, list[float]], targets: dict[str, float], count: int) -> str:
        """The verdict look `count` will very likely give: MEETS if it would meet even were its new
        replication a standard deviation worse than the mean, FAILS if it would fail even were it
        a standard deviation better; else MORE. Where to send a free worker, never a verdict."""
        data = {kind: replicated_values(values.get(kind, [])) for kind in targets}
        if any(d.size < 2 for d in data.values()):
            return MORE
        for verdict, side in ((MEETS, -1.0), (FAILS, 1.0)):
            intervals = {kind: self.interval(np.append(d, d.mean() + side * d.std(ddof=1))) for kind, d in data.items()}
            if self.verdict(intervals, targets, count) == verdict:
                return verdict
        return MORE

    def describe(self) -> dict:
        return {"method": "repeated confidence intervals of a group-sequential t-test, O'Brien-Fleming "
                          "boundaries, looked at after every replication (Jennison and Turnbull 2000, ch. 9)",
                "confidence": self.confidence, "first_look": self.first, "last_look": self.most,
                "standard_errors_at_first_look": round(self.critical(self.first), 3),
                "standard_errors_at_last_look": round(self.critical(self.most), 3)}


if __name__ == "__main__":
    print(json.dumps(write_table(), indent=2))
