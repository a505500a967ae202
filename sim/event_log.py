"""Simulated case histories written as an event log in the audit's CSV contract (README, "Audit").

One row per event of every simulated case, in the order the events happened, with the facts the
simulation keeps for the case at that event, so `cpmodel audit` can check the simulation's
histories against the procedure independently of the simulation's own lateness counts.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from cpmodel.sim.engine import HISTORY_FACTS, ReplicationResult


def case_id(replication: int, household: int) -> str:
    """A pseudonymised id: the replication and the household's number in it."""
    return f"r{replication:02d}-h{household:06d}"


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def event_log_csv(results: list[ReplicationResult], start: dt.date, facts: list[str] | None = None) -> str:
    """The CSV text of every replication's case histories (replications numbered from 1)."""
    columns = list(facts if facts is not None else HISTORY_FACTS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["case_id", "date", "event", *columns])
    dates: dict[int, str] = {}
    for number, result in enumerate(results, start=1):
        if result.history is None:
            raise ValueError("the replication was run without recording its case histories")
        for household, day, event, values in result.history:
            date = dates.get(day)
            if date is None:
                date = dates[day] = (start + dt.timedelta(days=day)).isoformat()
            writer.writerow([case_id(number, household), date, event, *map(_cell, values[:len(columns)])])
    return buffer.getvalue()
