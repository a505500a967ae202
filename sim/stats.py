"""Results over replications: means with 95% confidence intervals, never single draws."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from dateutil.relativedelta import relativedelta

from cpmodel.sim.engine import ReplicationResult

# DfE table D7 (2025): share of plans ending by how long they lasted (see DATA.md).
D7_2025 = {"3 months or less": 0.159, "over 3 to 6 months": 0.110, "over 6 months to under 1 year": 0.435,
           "1 to under 2 years": 0.252, "2 years or more": 0.044}
BANDS = list(D7_2025)


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int

    def to_json(self) -> dict:
        return {"mean": self.mean, "low": self.low, "high": self.high, "replications": self.n}


# Hours, caseloads, households and tasks are never negative: their intervals are clipped at 0
# (with two replications the t interval is 12.7 standard errors wide and could go below).
NON_NEGATIVE = (0.0, math.inf)


def confidence_interval(values, level: float = 0.95, bounds: tuple[float, float] | None = None) -> Interval:
    """Student-t interval of the mean over replications (zero width with one replication);
    a share's interval is clipped to [0, 1]."""
    data = replicated_values(values)
    if data.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    if data.size < 2:
        mean = float(data.mean())
        return Interval(mean, mean, mean, 1)
    # Student's t quantile: special.stdtrit is what scipy.stats.t.ppf calls (tested equal), without
    # importing scipy.stats (0.3 s at the start of every simulate and staff command); imported
    # when first asked, so a search's first replications do not wait for scipy (0.1 s)
    from scipy import special
    return interval_of_mean(data, special.stdtrit(data.size - 1, (1 + level) / 2), bounds)


def replicated_values(values) -> np.ndarray:
    """The replications' values that say something (None and NaN left out)."""
    return np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)


def interval_of_mean(data: np.ndarray, critical: float, bounds: tuple[float, float] | None = None) -> Interval:
    """The mean of two values or more, critical standard errors either side (clipped to bounds)."""
    mean = float(data.mean())
    half = float(critical * data.std(ddof=1) / math.sqrt(data.size))
    low, high = mean - half, mean + half
    if bounds:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Interval(mean, low, high, int(data.size))


def met_share(lateness: list[int]) -> float | None:
    return float(np.mean(np.asarray(lateness) == 0)) if lateness else None


def d7_band(started: dt.date, ended: dt.date) -> str:
    """The DfE D7 band of a plan from its start date to its end date, in calendar months, as the
    data set words its bands: '3 months or less', 'more than 3 months but less than or equal to
    6 months', 'more than 6 months but less than 1 year', '1 year but less than 2 years', '2 years
    or more'. A plan ended on its 3-month date (a first review held on the day it is due) lasted 3
    months, not more."""
    def after(months: int) -> dt.date:
        return started + relativedelta(months=months)
    if ended <= after(3):
        return BANDS[0]
    if ended <= after(6):
        return BANDS[1]
    if ended < after(12):
        return BANDS[2]
    if ended < after(24):
        return BANDS[3]
    return BANDS[4]


def plan_length_shares(spans: list[tuple[int, int, int]], start_date: dt.date | None) -> dict[str, float]:
    """The share of plans ending in each D7 band; spans are (start day, end day, children) and
    each child's plan counts once, as D7 counts plans."""
    counts = dict.fromkeys(BANDS, 0)
    for started, ended, children in spans:
        counts[d7_band(start_date + dt.timedelta(days=started), start_date + dt.timedelta(days=ended))] += children
    total = sum(counts.values())
    return {band: (count / total if total else float("nan")) for band, count in counts.items()}


def summarise(results: list[ReplicationResult]) -> dict:
    kinds = sorted({k for r in results for k in r.lateness})
    deadlines, not_triggered = {}, []
    for kind in kinds:
        if not any(r.lateness.get(kind) for r in results):
            not_triggered.append(kind)
            continue
        pooled = np.concatenate([np.asarray(r.lateness.get(kind, []), dtype=float) for r in results]) \
            if results else np.array([])
        per_rep = [met_share(r.lateness.get(kind, [])) for r in results]
        late = pooled[pooled > 0]
        deadlines[kind] = {
            "due_per_replication": float(np.mean([len(r.lateness.get(kind, [])) for r in results])),
            "met_share": confidence_interval(per_rep, bounds=(0, 1)).to_json(),
            "lateness_working_days": {
                "p50": float(np.percentile(pooled, 50)) if pooled.size else None,
                "p90": float(np.percentile(pooled, 90)) if pooled.size else None,
                "p95": float(np.percentile(pooled, 95)) if pooled.size else None,
                "max": float(pooled.max()) if pooled.size else None,
                "late_p50": float(np.percentile(late, 50)) if late.size else None,
            },
        }
    pools = sorted(results[0].hours_by_week) if results else []
    hours = {p: confidence_interval([np.mean(r.hours_by_week[p]) for r in results], bounds=NON_NEGATIVE).to_json() for p in pools}
    utilisation = {p: confidence_interval([sum(r.hours_by_week[p]) / sum(r.available_by_week[p])
                                           if sum(r.available_by_week[p]) else float("nan") for r in results],
                                          bounds=(0, 1)).to_json()
                   for p in pools}
    durations = [plan_length_shares(r.plan_spans, r.start_date) for r in results]
    return {
        "deadlines": deadlines,
        "hours_per_week": hours,
        "hours_per_year_by_event": {event: confidence_interval(
            [r.hours_by_event.get(event, 0.0) / max(len(r.hours_by_week[pools[0]]) / 52.18, 1e-9) for r in results],
            bounds=NON_NEGATIVE).to_json()
            for event in sorted({e for r in results for e in r.hours_by_event})},
        "utilisation": utilisation,
        "caseload_per_worker": {
            "mean": confidence_interval([np.mean(r.caseload_mean_by_week) for r in results], bounds=NON_NEGATIVE).to_json(),
            "max": confidence_interval([np.max(r.caseload_max_by_week) for r in results], bounds=NON_NEGATIVE).to_json(),
        },
        "open_households": confidence_interval([np.mean(r.open_households_by_week) for r in results], bounds=NON_NEGATIVE).to_json(),
        "backlog_overdue_tasks": confidence_interval([np.mean(r.backlog_by_week) for r in results], bounds=NON_NEGATIVE).to_json(),
        "plan_durations": {name: {"simulated": confidence_interval([d[name] for d in durations], bounds=(0, 1)).to_json(),
                                  "published_d7_2025": D7_2025[name]} for name in D7_2025},
        "households_started_per_replication": float(np.mean([r.households_started for r in results])),
        "not_simulated": results[0].not_simulated if results else {},
        "not_triggered": not_triggered,
    }
