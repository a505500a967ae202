"""The simulation clock's working-day tables answer exactly as searching the working days does
(they replaced bisect on every task: any difference would move due days and lateness)."""
from __future__ import annotations

import bisect
import datetime as dt

from hypothesis import given, settings, strategies as st

from cpmodel.model.schema import Period
from cpmodel.sim.days import SimulationDays

starts = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=25, deadline=None)
@given(start=starts, horizon=st.integers(30, 700), closed=st.lists(st.integers(0, 700), max_size=8),
       days=st.lists(st.integers(-20, 1600), min_size=1, max_size=40), number=st.integers(0, 40))
def test_tables_answer_as_bisect_on_the_working_days(start, horizon, closed, days, number):
    clock = SimulationDays(start, horizon, closures=[start + dt.timedelta(days=d) for d in closed])
    working = clock.working_days
    period = Period(number=number, unit="working_days")
    for day in days:
        assert clock._working_up_to(day) == bisect.bisect_right(working, day)
        if bisect.bisect_left(working, day) < len(working):
            assert clock.next_working_day(day) == working[bisect.bisect_left(working, day)]
        if 0 <= day and (number == 0 or bisect.bisect_right(working, day) + number - 1 < len(working)):
            expected = day if number == 0 else working[bisect.bisect_right(working, day) + number - 1]
            assert clock.add(day, period) == expected
        for done in (day - 3, day, day + 9):
            expected = 0 if done <= day else bisect.bisect_right(working, done) - bisect.bisect_right(working, day)
            assert clock.working_days_late(day, done) == expected


def test_a_closed_day_is_not_the_next_working_day():
    start = dt.date(2027, 1, 4)                          # a Monday
    clock = SimulationDays(start, 60, closures=[dt.date(2027, 1, 5)])
    assert clock.next_working_day(1) == 2                # Tuesday closed: Wednesday
    assert clock.next_working_day(5) == 7                # Saturday: the Monday after
    assert clock.working_days_late(0, 7) == 4            # Wed, Thu, Fri, Mon


@settings(max_examples=300, deadline=None)
@given(date=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), months=st.integers(0, 120))
def test_months_are_added_as_relativedelta_adds_them(date, months):
    from dateutil.relativedelta import relativedelta

    from cpmodel.sim.days import plus_months
    assert plus_months(date, months) == date + relativedelta(months=months)


@settings(max_examples=40, deadline=None)
@given(start=starts, closed=st.lists(st.integers(0, 300), max_size=10), bookings=st.lists(
    st.tuples(st.integers(-3, 420), st.integers(0, 30), st.floats(0.25, 9.0), st.integers(0, 3)), min_size=1, max_size=60))
def test_a_diary_books_the_same_days_with_the_clock_tables_as_with_bisect(start, closed, bookings):
    from cpmodel.sim.diaries import Diary
    clock = SimulationDays(start, 300, closures=[start + dt.timedelta(days=d) for d in closed])
    hours = lambda day: 7.4 if day % 11 else 3.0
    searched, looked_up = Diary(clock.working_days, hours), Diary(clock.working_days, hours, clock.up_to)
    for opens, window, length, margin in bookings:
        due = opens + window
        assert searched.latest_with_room(opens, due, length, margin) == looked_up.latest_with_room(opens, due, length, margin)
        assert searched.first_with_room(opens, length) == looked_up.first_with_room(opens, length)
    assert searched.booked == looked_up.booked
