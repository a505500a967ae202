"""Working days on the England and Wales calendar, and deadline arithmetic over them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import holidays
from dateutil.relativedelta import relativedelta

from model.schema import Period


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends, England and Wales bank holidays (with substitute days) and extra closures."""

    first_year: int = 2015
    last_year: int = 2045
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    @cached_property
    def bank_holidays(self):
        return holidays.country_holidays("GB", subdiv="ENG", years=range(self.first_year, self.last_year + 1))

    @cached_property
    def closed_days(self) -> frozenset:
        """Bank holidays (with substitute days) and local closures, as a plain set for speed."""
        return frozenset(self.bank_holidays.keys()) | self.closures

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.closed_days

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.closures:
            return "local closure"
        return self.bank_holidays.get(day)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The count-th working day after start (start itself is day 0, whatever it is)."""
        day = start
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add(self, start: dt.date, period: Period) -> dt.date:
        """The last day that meets 'within period of start' (visits are not dates)."""
        if period.unit == "working_days":
            return self.add_working_days(start, period.number)
        if period.unit == "days":
            return start + dt.timedelta(days=period.number)
        if period.unit == "weeks":
            return start + dt.timedelta(weeks=period.number)
        if period.unit == "months":
            return start + relativedelta(months=period.number)
        raise ValueError(f"a period of {period} is counted in visits, not dates")
