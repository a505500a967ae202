"""The simulation's clock: day numbers from the scenario's start date on the working calendar."""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.schema import Period


# The calendar runs on this far past the horizon: due days of work still open at the end fall there.
BEYOND_HORIZON_DAYS = 800


class SimulationDays:
    """Day n is start_date + n. Working-day arithmetic by precomputed tables, so it is O(1): it
    runs several times for every task (due days, lateness, the next working day)."""

    def __init__(self, start: dt.date, horizon_days: int, closures=(), always_open: bool = False):
        self.start = start
        self.horizon = horizon_days
        self.always_open = always_open
        calendar = WorkingCalendar(first_year=start.year - 1, last_year=start.year + horizon_days // 365 + 3,
                                   closures=frozenset(closures))
        span = horizon_days + BEYOND_HORIZON_DAYS
        self.is_working = [always_open or calendar.is_working_day(start + dt.timedelta(days=d)) for d in range(span)]
        self.working_days = [d for d in range(span) if self.is_working[d]]
        # up_to[d]: how many working days are on or before day d (bisect_right of working_days);
        # _next[d]: the first working day on or after d (bisect_left), for d in the span.
        self.up_to = list(itertools.accumulate(self.is_working, initial=0))[1:]
        self._next = [0] * span
        following = -1                       # none left: next_working_day falls back to bisect
        for day in range(span - 1, -1, -1):
            if self.is_working[day]:
                following = day
            self._next[day] = following
        self._span = span
        self._months: dict[tuple[int, int], int] = {}

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def add(self, day: int, period: Period) -> int:
        """The last day meeting 'within period of day'."""
        unit, number = period.unit, period.number
        if unit == "working_days":
            if number == 0:
                return day
            if 0 <= day < self._span:          # _working_up_to, inlined: it runs for most tasks
                return self.working_days[self.up_to[day] + number - 1]
            return self.working_days[self._working_up_to(day) + number - 1]
        if unit == "days":
            return day + number
        if unit == "weeks":
            return day + 7 * number
        if unit == "months":
            key = (day, number)
            if key not in self._months:   # each sum is kept
                self._months[key] = (plus_months(self.date(day), number) - self.start).days
            return self._months[key]
        raise ValueError(f"{period} is not a length of time")

    def working_days_late(self, due: int, done: int) -> int:
        """Working days after the due day up to and including the day it was done (0 if on time)."""
        if done <= due:
            return 0
        if 0 <= due and done < self._span:     # _working_up_to, inlined: it runs for every task done late
            return self.up_to[done] - self.up_to[due]
        return self._working_up_to(done) - self._working_up_to(due)

    def next_working_day(self, day: int) -> int:
        """The first working day on or after day."""
        if 0 <= day < self._span and self._next[day] >= day:
            return self._next[day]
        return self.working_days[bisect.bisect_left(self.working_days, day)]

    def _working_up_to(self, day: int) -> int:
        """How many working days fall on or before day (bisect_right of the working days)."""
        if 0 <= day < self._span:
            return self.up_to[day]
        return bisect.bisect_right(self.working_days, day)

    def minus_working_days(self, day: int, count: int) -> int:
        index = bisect.bisect_left(self.working_days, day) - count
        return self.working_days[max(index, 0)]


def plus_months(date: dt.date, months: int) -> dt.date:
    """The same day of the month months later, or the month's last day if it is shorter (what
    dateutil's relativedelta(months=...) gives, tested equal to it; a tenth of its time, and it
    runs for every review due date)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))
