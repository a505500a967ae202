"""Generated CSV event logs for audit tests and the audit benchmark: clean cases, and cases with
planted breaches whose expected findings are known."""
from __future__ import annotations

import csv
import datetime as dt
import random

from cpmodel.model.calendar import WorkingCalendar

CALENDAR = WorkingCalendar()
PLANTS = ("late_first_core_group", "core_group_gap", "plo_chair_ending", "late_notes")
EXPECTED = {"late_first_core_group": ("deadline_late", "first_core_group"),
            "core_group_gap": ("deadline_late", "core_groups_after_first_review"),
            "plo_chair_ending": ("forbidden_action", "plo_plan_ends_only_at_review"),
            "late_notes": ("deadline_late", "core_group_notes")}
# impl words these two as 'should': missing them is advice not followed, reported apart from breaches.
ADVICE = {"core_group_gap", "late_notes"}


def case_rows(case_id: str, start: dt.date, plant: str | None, rng: random.Random) -> list[dict]:
    rows = []
    add = lambda day, event, **facts: rows.append({"case_id": case_id, "date": day.isoformat(), "event": event, **facts})
    wd = lambda day, n: CALENDAR.add_working_days(day, n)
    conference = CALENDAR.next_working_day(start)
    add(conference, "initial_conference")
    first = wd(conference, 13 if plant == "late_first_core_group" else rng.randint(3, 9))
    core_groups = [first, wd(first, rng.randint(15, 25))]
    review = wd(conference, rng.randint(50, 58))
    day = review
    for _ in range(3):   # six weeks is 42 calendar days: stay well inside it, or plant a gap
        gap = 60 if plant == "core_group_gap" and len(core_groups) == 3 else rng.randint(28, 38)
        day = CALENDAR.next_working_day(day + dt.timedelta(days=gap))
        core_groups.append(day)
    end = wd(core_groups[-1], 5)
    for index, meeting in enumerate(core_groups):
        add(meeting, "core_group")
        late = plant == "late_notes" and index == 1
        add(wd(meeting, 8 if late else rng.randint(1, 4)), "notes_circulated")
    add(review, "review_conference")
    visit = conference
    while True:
        visit = wd(visit, rng.randint(6, 9))
        if visit > end:
            break
        add(visit, "visit")
    if plant == "plo_chair_ending":
        add(wd(end, 1), "became_looked_after", legal_status="s20")
        add(wd(end, 2), "plo_started", plo="true")
        add(wd(end, 3), "visit")
        add(wd(end, 4), "plan_ended_by_chair")
    else:
        add(wd(end, 1), "review_conference")
        add(wd(end, 1), "plan_ended_at_conference")
    return rows


def write_log(path, cases: int, planted_every: int = 0, seed: int = 1) -> dict[str, str]:
    """Write a log of `cases` histories in shuffled row order; return {case_id: plant} for planted ones."""
    rng = random.Random(seed)
    rows, plants = [], {}
    for number in range(cases):
        case_id = f"C{number:06d}"
        plant = PLANTS[(number // planted_every) % len(PLANTS)] if planted_every and number % planted_every == 0 else None
        if plant:
            plants[case_id] = plant
        rows += case_rows(case_id, dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 600)), plant, rng)
    rng.shuffle(rows)
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["case_id", "date", "event", "legal_status", "plo"],
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({"legal_status": "", "plo": ""} | row)
    return plants
