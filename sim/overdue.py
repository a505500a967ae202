"""The weekly backlog (open accountable work past its due day), counted as work opens and closes.

Counting it each week by looking at every open task touched tens of thousands of scattered
objects a week at eight times the county's caseload, and its cost grew faster than the caseload.
Here each task opened or closed adds or takes one from its due day's count, and the count of
days already past is carried forward as the weeks go by: the same number, found in constant time.
"""
from __future__ import annotations


class OverdueCount:
    """Open accountable tasks by due day, and how many are due before the day last asked about."""

    __slots__ = ("by_day", "horizon", "last", "before")

    def __init__(self, horizon: int):
        self.horizon = horizon
        self.by_day = [0] * (horizon + 1)   # by_day[horizon]: due on or after it, never overdue in it
        self.last = 0       # the days before this one are in `before`
        self.before = 0

    def opened(self, due: int) -> None:
        day = due if due < self.horizon else self.horizon
        self.by_day[day] += 1
        if day < self.last:
            self.before += 1

    def closed(self, due: int) -> None:
        day = due if due < self.horizon else self.horizon
        self.by_day[day] -= 1
        if day < self.last:
            self.before -= 1

    def due_before(self, today: int) -> int:
        """Open tasks due before today; today never goes back."""
        if today < self.last:
            raise ValueError(f"the backlog was asked for day {today} after day {self.last}")
        until, before = min(today, self.horizon), self.before
        for day in range(self.last, until):
            before += self.by_day[day]
        self.before, self.last = before, until
        return before
