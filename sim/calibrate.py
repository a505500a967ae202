"""Scenario figures estimated from an authority's own pseudonymised event log (the audit CSV
contract, plus an optional `household_id` column), each with a 95% confidence interval.

What a log can tell: plan starts a month (and whether they are seasonal), the chance each review
conference ends the plan, monthly rates of moves, s20 accommodation and hospital admissions while
on a plan, the share of visits without access (and seen alone), the share of s20 plans the chair
ends, and children per household. Everything else stays as the base scenario says, with its source.

Rates are counted per household when the log names households (children of one household share
their events, so counting them separately would fake precision), else per case. Intervals are
exact: Clopper-Pearson for shares, Garwood (chi-square) for Poisson counts, so they are, if
anything, a little wide.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from scipy import stats

from cpmodel.model.event_log import HOUSEHOLD, event_rows
from cpmodel.model.errors import InputError, display_path
from cpmodel.model.procedure import Procedure

MONTH_DAYS = 30.44                  # the simulation's month (sim/engine.py uses the same)
PLAN_ENDS = {"plan_ended_at_conference", "plan_ended_by_chair", "plan_ended_at_18", "plan_ended_left_uk",
             "plan_ended_on_death", "original_plan_ended"}
MIN_TRIALS = 30                     # fewer visits, reviews or looked-after children: keep the base figure
MIN_EXPOSURE_MONTHS = 120           # fewer plan-months: keep the base rate
MIN_MONTHS = 3                      # a shorter log cannot give starts a month
SET_TO_NONE = ("set to 0: the review outcomes estimated from the log count every review held, "
               "brought forward or not")


@dataclass(frozen=True)
class Estimate:
    """One scenario figure from the log: value, 95% interval, how many observations it rests on."""

    path: tuple
    value: float | dict
    low: float | dict
    high: float | dict
    n: int
    basis: str

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)

    def to_json(self) -> dict:
        return {"parameter": self.name, "value": self.value, "low_95": self.low, "high_95": self.high,
                "n": self.n, "basis": self.basis}


@dataclass
class Unit:
    """A household (or, without a household column, a case): its dated events and its children."""

    events: list[tuple[dt.date, str, dict]]
    cases: set


def read_log(path: Path, procedure: Procedure) -> tuple[dict[str, Unit], bool, int, tuple[dt.date, dt.date]]:
    """The log grouped by household (or case), read by the audit's own reader, so calibration
    refuses exactly the rows, personal data and unknown events that the audit refuses."""
    units: dict[str, Unit] = {}
    seen: dict[str, set] = defaultdict(set)
    first = last = None
    rows = 0
    has_household = False
    for row in event_rows(path, procedure, extra=(HOUSEHOLD,)):
        has_household = has_household or HOUSEHOLD in row.extra
        key = (row.extra.get(HOUSEHOLD) or row.case) if HOUSEHOLD in row.extra else row.case
        unit = units.setdefault(key, Unit([], set()))
        unit.cases.add(row.case)
        stamp = (row.date, row.event)
        if stamp not in seen[key]:          # a household's children share one event
            seen[key].add(stamp)
            unit.events.append((row.date, row.event, row.facts))
        first = row.date if first is None or row.date < first else first
        last = row.date if last is None or row.date > last else last
        rows += 1
    if not rows:
        raise InputError(display_path(path), 2, "", "has no events")
    for unit in units.values():
        unit.events.sort(key=lambda item: item[0])
    return units, has_household, rows, (first, last)

def share(path: tuple, hits: int, trials: int, basis: str) -> Estimate:
    low, high = stats.binomtest(hits, trials).proportion_ci(0.95, method="exact") if trials else (0.0, 1.0)
    return Estimate(path, round(hits / trials, 6), round(float(low), 6), round(float(high), 6), trials, basis)


def rate(path: tuple, count: int, exposure: float, basis: str) -> Estimate:
    """Events per unit of exposure with the exact (Garwood) Poisson interval."""
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return Estimate(path, round(count / exposure, 6), round(float(low) / exposure, 6), round(float(high) / exposure, 6),
                    count, basis)


@dataclass
class Plan:
    """One unit's plan as the log shows it: when it started (None: before the log), ended, and what
    happened between."""

    start: dt.date | None
    end: dt.date | None
    end_event: str | None
    reviews: list[dt.date]
    events: list[tuple[dt.date, str, dict]]


def plans_of(unit: Unit) -> Plan:
    start = next((d for d, e, _ in unit.events if e == "plan_made"), None)
    if start is None:
        start = next((d for d, e, _ in unit.events if e == "initial_conference"), None)
    ending = next(((d, e) for d, e, _ in unit.events if e in PLAN_ENDS or e == "moved_authority"), (None, None))
    reviews = [d for d, e, _ in unit.events if e == "review_conference" and (ending[0] is None or d <= ending[0])]
    return Plan(start, ending[0], ending[1], reviews, unit.events)


def estimate(units: dict[str, Unit], has_household: bool, span: tuple[dt.date, dt.date], review_buckets: int,
             base_sizes: list[int]) -> tuple[list[Estimate], list[str], dict]:
    """Every figure the log can tell, the names of those it is too small for, and the seasonality test."""
    first, last = span
    plans = [plans_of(u) for u in units.values()]
    estimates, too_small = [], []

    def keep(result: Estimate | None, path: tuple, enough: bool) -> None:
        if enough and result is not None:
            estimates.append(result)
        else:
            too_small.append(".".join(str(p) for p in path))

    children = {key: len(u.cases) for key, u in units.items()}
    months = ((last - first).days + 1) / MONTH_DAYS
    started = [(p, key) for p, key in zip(plans, units) if p.start is not None and p.start >= first
               and any(e == "initial_conference" for _, e, _ in p.events)]
    child_starts = sum(children[key] for _, key in started)
    path = ("demand", "plan_starts_per_month")
    keep(rate(path, child_starts, months, f"children whose plan started, over {months:.1f} months"), path,
         months >= MIN_MONTHS)
    seasonality = _seasonality([p.start for p, _ in started], first, last)

    # Review outcomes: of the plans that reached review k, how many ended there.
    reached, ended = Counter(), Counter()
    for plan in plans:
        if plan.start is None or plan.start < first:
            continue                                  # the review number is unknown for older plans
        for number, day in enumerate(plan.reviews, start=1):
            bucket = min(number, review_buckets)
            reached[bucket] += 1
            last_review = number == len(plan.reviews)
            if last_review and plan.end_event == "plan_ended_at_conference":
                ended[bucket] += 1
    for bucket in range(1, review_buckets + 1):
        path = ("case_flow", "end_at_review", bucket - 1)
        word = f"review {bucket}" if bucket < review_buckets else f"review {bucket} and later"
        keep(share(path, ended[bucket], reached[bucket], f"plans that reached {word}") if reached[bucket] else None,
             path, reached[bucket] >= MIN_TRIALS)
    if any(e.name.startswith("case_flow.end_at_review") for e in estimates):
        # The log's reviews include any brought forward, so its review outcomes already hold the
        # plans ended that way: simulating the base's reviews brought forward as well would end
        # them twice.
        estimates.append(Estimate(("case_flow", "review_brought_forward_per_month"), 0.0, 0.0, 0.0,
                                  sum(reached.values()), SET_TO_NONE))

    # Monthly rates while on a plan: exposure from the plan's start (or the log's) to its end.
    exposure, counts = 0.0, Counter()
    for plan in plans:
        begin = max(plan.start or first, first)
        finish = plan.end or last
        exposure += max((finish - begin).days, 0) / MONTH_DAYS
        for day, event, facts in plan.events:
            if day < begin or (plan.end is not None and day > plan.end):
                continue
            if event == "became_looked_after" and facts.get("legal_status", "s20") != "s20":
                continue
            counts[event] += 1
    for event, field in (("moved_authority", "moved_authority_per_month"),
                         ("became_looked_after", "becomes_looked_after_s20_per_month"),
                         ("hospital_admission", "hospital_admission_per_month")):
        path = ("case_flow", field)
        keep(rate(path, counts[event], exposure, f"{event.replace('_', ' ')} events over {exposure:.0f} "
                  f"{'household' if has_household else 'case'}-months on a plan"), path,
             exposure >= MIN_EXPOSURE_MONTHS)
    care = rate(("not_in_scenario", "care_proceedings_per_month"), counts["care_proceedings_started"], exposure,
                "care proceedings started while on a plan") if exposure else None

    visits = sum(1 for p in plans for _, e, _ in p.events if e == "visit")
    failed = sum(1 for p in plans for _, e, _ in p.events if e == "visit_no_access")
    path = ("case_flow", "no_access_per_visit")
    keep(share(path, failed, visits + failed, "visits attempted") if visits + failed else None, path,
         visits + failed >= MIN_TRIALS)
    alone = sum(1 for p in plans for _, e, _ in p.events if e == "visit_seen_alone")
    if alone:
        path = ("case_flow", "seen_alone_per_visit")
        keep(share(path, alone, visits, "visits with access"), path, visits >= MIN_TRIALS)

    accommodated = [p for p in plans if any(e == "became_looked_after" and f.get("legal_status", "s20") == "s20"
                                            for _, e, f in p.events)]
    removed = sum(1 for p in accommodated if p.end_event == "plan_ended_by_chair")
    path = ("case_flow", "double_protection_removal_share")
    keep(share(path, removed, len(accommodated), "children on plans who became s20 accommodated")
         if accommodated else None, path, len(accommodated) >= MIN_TRIALS)

    if has_household:
        sizes = Counter(children[key] for _, key in started)
        total = sum(sizes.values())
        path = ("demand", "children_per_household")
        if total >= MIN_TRIALS:
            keys = sorted(set(base_sizes) | set(sizes))
            intervals = {k: stats.binomtest(sizes[k], total).proportion_ci(0.95, method="exact") for k in keys}
            estimates.append(Estimate(path, {k: round(sizes[k] / total, 6) for k in keys},
                                      {k: round(float(intervals[k][0]), 6) for k in keys},
                                      {k: round(float(intervals[k][1]), 6) for k in keys}, total,
                                      "households whose plan started in the log"))
        else:
            too_small.append(".".join(str(p) for p in path))
    extras = {"seasonality": seasonality, "log": {"first_date": first.isoformat(), "last_date": last.isoformat(),
                                                  "months": round(months, 2), "units": len(units),
                                                  "unit": "household" if has_household else "case"}}
    if care is not None:
        extras["care_proceedings_per_month"] = care.to_json() | {"note": "reported only: the scenario has no such field"}
    return estimates, too_small, extras


def _seasonality(starts: list[dt.date], first: dt.date, last: dt.date) -> dict:
    """Starts by calendar month against what an even rate would give (months fully in the log)."""
    covered = Counter()
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if day >= first and following - dt.timedelta(days=1) <= last:
            covered[day.month] += 1
        day = following
    counts = Counter(d.month for d in starts if covered[d.month] and
                     dt.date(d.year, d.month, 1) >= first and
                     dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.timedelta(days=1) <= last)
    months = sorted(covered)
    total, exposure = sum(counts[m] for m in months), sum(covered[m] for m in months)
    if len(months) < 12 or total < 60:
        return {"tested": False, "reason": "needs every calendar month in the log and at least 60 starts"}
    expected = [total * covered[m] / exposure for m in months]
    statistic, p_value = stats.chisquare([counts[m] for m in months], expected)
    factors = {m: round(counts[m] / e, 3) for m, e in zip(months, expected)}
    return {"tested": True, "p_value": float(p_value), "seasonal": bool(p_value < 0.05), "factor_by_month": factors,
            "note": "reported only: the simulation draws starts at an even rate (no seasonality field)"}
