"""Small helpers that turn ids and numbers into the words a manager or trainer reads.

One place for them, so the terminal, the report, the book and the spreadsheets say the same."""
from __future__ import annotations

import math

MIN_REPLICATIONS_FOR_INTERVAL = 2


def humanize(identifier: str | None) -> str:
    """`core_group_notes` -> `core group notes`; plain words first, the id can follow."""
    return (identifier or "").replace("_", " ")


def percent(share: float | None, digits: int = 1) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return f"{100 * share:.{digits}f}%"


def interval_text(interval: dict, digits: int = 1, scale: float = 100.0, unit: str = "%") -> str:
    """A 95% confidence interval, or why there is none: with one replication the interval is
    zero-width and would look like certainty, so it is printed as 'n/a, 1 replication'."""
    count = interval.get("replications", 0)
    if count < MIN_REPLICATIONS_FOR_INTERVAL:
        return f"n/a, {count} replication" + ("" if count == 1 else "s")
    low, high = interval.get("low"), interval.get("high")
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "n/a"
    return f"{scale * low:.{digits}f}{unit} to {scale * high:.{digits}f}{unit}"


def working_days(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    number = f"{value:.0f}"
    return f"{number} working day" + ("" if number == "1" else "s")


def join_words(parts: list[str], last: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def not_simulated(summary: dict) -> dict[str, str]:
    """The deadlines a run neither does nor measures, with why: a deadline measured without a task
    of its own (seen alone, from each visit's outcome) is in the deadline table, not here."""
    measured = summary.get("deadlines", {})
    return {kind: why for kind, why in summary.get("not_simulated", {}).items() if kind not in measured}


def measured_months(summary: dict) -> float:
    """Months a run measured: its horizon includes the warm-up."""
    return max(summary["horizon_years"] * 12 - summary["warm_up_months"], 0)
