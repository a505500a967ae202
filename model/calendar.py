"""Working days on the England and Wales calendar, and deadline arithmetic over them."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from cpmodel.model import bank_holiday_table
from cpmodel.model.errors import InputError
from cpmodel.model.schema import Period

# The dates England closes on, from the file the installed holidays library wrote, or None when
# the file is of another version of the library, which is then asked itself (bank_holiday_table.py).
_TABLE = bank_holiday_table.load()
# The years the holidays library knows England and Wales bank holidays for. Outside them a
# date cannot be called a working day or not, so it is refused by name, never guessed.
FIRST_YEAR, LAST_YEAR = (_TABLE.first_year, _TABLE.last_year) if _TABLE else bank_holiday_table.library_years()
# Input dates (scenarios, pathways, event logs, --until) stop earlier, so that every deadline
# they set (no procedure period is longer than 20 years) still falls inside the calendar.
LAST_INPUT_YEAR = LAST_YEAR - 21


@lru_cache(maxsize=None)
def _months(number: int) -> relativedelta:
    """relativedelta(months=number), made once: the deadline tables add it to hundreds of days."""
    return relativedelta(months=number)


class CalendarRangeError(InputError):
    """A date outside the years whose bank holidays are known (bad input, exit 2)."""

    def __init__(self, day: dt.date):
        super().__init__("calendar", None, "", f"{day.isoformat()} is in year {day.year}, outside the "
                         f"England and Wales bank holiday calendar ({FIRST_YEAR} to {LAST_YEAR})")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_from_text(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD, as every input of the project writes it (a ValueError
    otherwise). Python's own reader also takes 20270104 and the week date 2027-W01-1, which a
    person checking the file would not read as the 4th of January."""
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not a real date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a real date (YYYY-MM-DD)") from None


def check_input_date(day: dt.date) -> dt.date:
    """Refuse a date from a user's input that the calendar cannot serve (a ValueError for pydantic)."""
    if not FIRST_YEAR <= day.year <= LAST_INPUT_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the years the working-day calendar covers "
                         f"for inputs ({FIRST_YEAR} to {LAST_INPUT_YEAR}; bank holidays are known to {LAST_YEAR})")
    return day


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends, England and Wales bank holidays (with substitute days) and extra closures.

    Bank holidays are built for each year when a date in it is first asked about, so the
    calendar covers whatever years an input spans; first_year and last_year are built at once.
    """

    first_year: int = 2015
    last_year: int = 2045
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(self, "_years", {})
        object.__setattr__(self, "_named", {})
        object.__setattr__(self, "_added", {})   # (start, number, unit) -> due date: audits ask the same often

    def _year(self, year: int) -> frozenset:
        """The closed days of one year (bank holidays, substitute days, closures), built once."""
        known = self._years.get(year)
        if known is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise CalendarRangeError(dt.date(year, 1, 1))
            holidays = _TABLE.closed(year) if _TABLE else frozenset(self._names(year))
            known = self._years[year] = holidays | frozenset(d for d in self.closures if d.year == year)
        return known

    def _names(self, year: int) -> dict:
        """Bank holidays of one year by date, named by the holidays library (built once)."""
        named = self._named.get(year)
        if named is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise CalendarRangeError(dt.date(year, 1, 1))
            named = self._named[year] = bank_holiday_table.library_dates(year)
        return named

    @property
    def bank_holidays(self) -> dict:
        """Bank holidays of first_year..last_year (ask holiday_name for any other year)."""
        found = {}
        for year in range(max(self.first_year, FIRST_YEAR), min(self.last_year, LAST_YEAR) + 1):
            found.update(self._names(year))
        return found

    @property
    def closed_days(self) -> frozenset:
        return frozenset(self.bank_holidays) | self.closures

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        try:
            return day not in self._year(day.year)
        except CalendarRangeError:
            raise CalendarRangeError(day) from None

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.closures:
            return "local closure"
        return self._names(day.year).get(day)

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
        key = (start, period.number, period.unit)
        due = self._added.get(key)
        if due is None:
            due = self._added[key] = self._add(start, period)
        return due

    def _add(self, start: dt.date, period: Period) -> dt.date:
        if period.unit == "working_days":
            return self.add_working_days(start, period.number)
        if period.unit == "days":
            return start + dt.timedelta(days=period.number)
        if period.unit == "weeks":
            return start + dt.timedelta(weeks=period.number)
        if period.unit == "months":
            return start + _months(period.number)
        raise ValueError(f"a period of {period} is counted in visits, not dates")
