"""Working-day arithmetic on the real England and Wales calendar."""
import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.schema import Period

CALENDAR = WorkingCalendar()


def test_ten_working_days_after_20_december_2026_skip_christmas_and_boxing_day_substitute():
    # 25 Dec (Fri), 28 Dec (Mon, Boxing Day substitute) and 1 Jan are closed.
    assert CALENDAR.add(dt.date(2026, 12, 20), Period(number=10, unit="working_days")) == dt.date(2027, 1, 6)


def test_calendar_months_clamp_to_the_end_of_a_short_month():
    assert CALENDAR.add(dt.date(2026, 11, 30), Period(number=3, unit="months")) == dt.date(2027, 2, 28)


def test_a_local_closure_moves_a_working_day_deadline():
    closed = WorkingCalendar(closures=frozenset({dt.date(2026, 6, 3)}))
    start = dt.date(2026, 6, 1)
    assert closed.add_working_days(start, 2) == CALENDAR.add_working_days(start, 3)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2044, 6, 30)), st.integers(0, 60))
def test_working_days_agree_with_the_holidays_package(start, count):
    oracle = holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2046))
    expected = oracle.get_nth_working_day(start, count) if count else start
    assert CALENDAR.add_working_days(start, count) == expected
    assert CALENDAR.working_days_between(start, expected) == count
