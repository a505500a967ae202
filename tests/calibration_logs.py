"""Event logs drawn from known parameters, for the calibration round trip: households arrive, are
reviewed at 3 months and then 6-monthly, end at a review with a known chance, move, become s20
accommodated or go to hospital at known monthly rates, and are visited every 10 days with a known
chance of no access. Each child is a case; children of a household share its events."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

TRUTH = {
    "demand.plan_starts_per_month": 40.0,
    "demand.children_per_household": {1: 0.5, 2: 0.3, 3: 0.15, 4: 0.05},
    "case_flow.end_at_review": [0.2, 0.6, 0.55, 0.65, 0.7],
    "case_flow.moved_authority_per_month": 0.01,
    "case_flow.becomes_looked_after_s20_per_month": 0.015,
    "case_flow.hospital_admission_per_month": 0.006,
    "case_flow.double_protection_removal_share": 0.5,
    "case_flow.no_access_per_visit": 0.1,
    "case_flow.seen_alone_per_visit": 0.6,
}
MONTH = 30.44
START = dt.date(2027, 1, 4)


def household_events(rng: random.Random, start: float, horizon: float) -> list[tuple[float, str, dict]]:
    t = TRUTH
    events = [(start, "initial_conference", {}), (start, "plan_made", {})]
    hazards = {"moved_authority": t["case_flow.moved_authority_per_month"],
               "became_looked_after": t["case_flow.becomes_looked_after_s20_per_month"],
               "hospital_admission": t["case_flow.hospital_admission_per_month"]}
    total = sum(hazards.values()) / MONTH
    reviews, review = 0, start + 91
    now, end = start, None
    next_hazard = start + rng.expovariate(total)
    while end is None:
        step = min(review, next_hazard)
        if step > horizon:
            end = horizon
            break
        now = step
        if step == review:
            reviews += 1
            events.append((now, "review_conference", {}))
            chances = t["case_flow.end_at_review"]
            if rng.random() < chances[min(reviews, len(chances)) - 1]:
                events.append((now, "plan_ended_at_conference", {}))
                end = now
            review = now + 182
            continue
        kind = rng.choices(list(hazards), weights=list(hazards.values()))[0]
        if kind == "moved_authority":
            events += [(now, "moved_authority", {}), (now + 15, "receiving_conference", {}),
                       (now + 15, "original_plan_ended", {})]
            end = now
        elif kind == "became_looked_after":
            events.append((now, "became_looked_after", {"legal_status": "s20"}))
            if rng.random() < t["case_flow.double_protection_removal_share"]:
                events.append((now + 14, "plan_ended_by_chair", {"legal_status": "s20"}))
                end = now + 14
        else:
            events.append((now, "hospital_admission", {}))
        next_hazard = (end if end is not None else now) + rng.expovariate(total)
    visit = start + 10
    while visit < min(end, horizon):
        if rng.random() < t["case_flow.no_access_per_visit"]:
            events.append((visit, "visit_no_access", {}))
            visit += 1
            continue
        events.append((visit, "visit", {}))
        if rng.random() < t["case_flow.seen_alone_per_visit"]:
            events.append((visit, "visit_seen_alone", {}))
        visit += 10
    return [(when, event, facts) for when, event, facts in events if when <= horizon]


def write_log(path: Path, seed: int, years: float = 4.0) -> int:
    """Write a log with a household_id column; return the number of rows."""
    rng = random.Random(seed)
    sizes = TRUTH["demand.children_per_household"]
    mean_children = sum(k * p for k, p in sizes.items())
    rate = TRUTH["demand.plan_starts_per_month"] / mean_children / MONTH
    horizon = years * 365.25
    rows, number, now = [], 0, 0.0
    while True:
        now += rng.expovariate(rate)
        if now >= horizon:
            break
        number += 1
        children = rng.choices(list(sizes), weights=list(sizes.values()))[0]
        written = set()
        for when, event, facts in household_events(rng, now, horizon):
            day = (START + dt.timedelta(days=int(when))).isoformat()
            if (day, event) in written:      # the same event twice in a day is one row (the contract
                continue                     # refuses a repeated row, and calibration counts it once)
            written.add((day, event))
            for child in range(1, children + 1):
                rows.append({"case_id": f"H{number:05d}-{child}", "household_id": f"H{number:05d}", "date": day,
                             "event": event, "legal_status": facts.get("legal_status", "")})
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=["case_id", "household_id", "date", "event", "legal_status"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
