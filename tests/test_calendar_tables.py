"""The deadline tables' searches (proofs/deadlines.py CalendarTables) give what trying every day
of the horizon gives: the earliest day whose due date is at least the target, the latest whose
due date is at most it, for every period the shipped model uses and a few more, from each start."""
import pytest

from cpmodel.model import load_procedure
from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.schema import Period
from cpmodel.proofs.deadlines import DEFAULT_STARTS, CalendarTables

PROCEDURE = load_procedure()
CALENDAR = WorkingCalendar()
HORIZON = 300
EXTRA = [Period(number=n, unit=u) for n, u in ((0, "working_days"), (1, "working_days"), (10, "working_days"),
                                               (0, "days"), (10, "days"), (2, "weeks"), (1, "months"), (6, "months"))]
PERIODS = sorted({(p.number, p.unit) for d in PROCEDURE.spec.deadlines
                  for p in (d.within, d.not_before, d.every) if p is not None and p.unit != "visits"}
                 | {(p.number, p.unit) for p in EXTRA})


def earliest_by_trying(tables: CalendarTables, target: int, period: Period) -> int:
    return next((day for day in range(tables.horizon + 1) if tables.shift(day, period) >= target), tables.horizon + 1)


@pytest.mark.parametrize("start", DEFAULT_STARTS)
def test_searches_agree_with_trying_every_day(start):
    tables = CalendarTables(CALENDAR, start, HORIZON)
    assert len(PERIODS) >= 10
    for number, unit in PERIODS:
        period = Period(number=number, unit=unit)
        for target in range(-3, HORIZON + 260, 7):
            earliest = earliest_by_trying(tables, target, period)
            assert tables.first_day_with_shift_at_least(target, period) == earliest, (period, target)
            assert tables.last_day_with_shift_at_most(target, period) == earliest_by_trying(tables, target + 1, period) - 1


def test_a_later_day_is_never_due_earlier():
    """What the bisection relies on: each period's due dates never decrease as the day grows."""
    tables = CalendarTables(CALENDAR, DEFAULT_STARTS[0], HORIZON)
    for number, unit in PERIODS:
        period = Period(number=number, unit=unit)
        due = [tables.shift(day, period) for day in range(HORIZON + 1)]
        assert due == sorted(due), period
