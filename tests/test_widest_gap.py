"""The uncovered-stretch question (how long can the anchor of a recurring duty come after the
duty's last fixed occurrence?) answered by narrowing equals Z3's Optimize, its former answer."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deadline_strategies

from cpmodel.model import load_procedure
from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.procedure import EventRef
from cpmodel.model.schema import Period
from cpmodel.proofs.deadlines import (DEFAULT_STARTS, Bound, CalendarTables, _root, horizon_for, pathways,
                                      timeline_bounds, widest_gap, z3_widest_gap)

periods = deadline_strategies.periods(10)
bounds = deadline_strategies.bounds(periods)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bounds, st.integers(0, 3), st.integers(0, 3), periods,
       st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 1)))
def test_widest_gap_equals_z3_optimize_on_the_real_calendar(pathway, last, anchor, every, start):
    pathway = [Bound(f"d{i}", b.kind, b.earlier, b.later, b.period) for i, b in enumerate(pathway)]
    names = {n for b in pathway for n in (b.earlier, b.later)}
    last, anchor = f"e{last}", f"e{anchor}"
    if last == anchor or not {last, anchor} <= names:
        return
    tables = CalendarTables(WorkingCalendar(), start, horizon=100)
    root = pathway[0].earlier
    assert widest_gap(pathway, tables, root, last, anchor, every) == z3_widest_gap(pathway, tables, root, last,
                                                                                    anchor, every)


def test_widest_gap_equals_z3_optimize_on_the_shipped_model():
    procedure = load_procedure()
    groups = pathways(timeline_bounds(procedure))
    tables = CalendarTables(WorkingCalendar(), DEFAULT_STARTS[0], max(horizon_for(g) for g in groups))
    asked = 0
    for recurrence in procedure.spec.deadlines:
        if recurrence.every is None or recurrence.every.unit == "visits" or not recurrence.anchor:
            continue
        event, anchor = EventRef.parse(recurrence.event), str(EventRef.parse(recurrence.anchor))
        numbers = [EventRef.parse(d.event).occurrence for d in procedure.spec.deadlines
                   if d.every is None and EventRef.parse(d.event).event == event.event and EventRef.parse(d.event).occurrence]
        if not numbers:
            continue
        last = f"{event.event}#{max(numbers)}"
        for group in groups:
            names = {n for b in group for n in (b.earlier, b.later)}
            if {last, anchor} <= names and last != anchor:
                asked += 1
                root = _root(group)
                assert widest_gap(group, tables, root, last, anchor, recurrence.every) == \
                    z3_widest_gap(group, tables, root, last, anchor, recurrence.every)
    assert asked >= 1


def test_working_day_tables_built_in_one_pass_equal_a_search_for_each_day():
    for start in DEFAULT_STARTS + (dt.date(2026, 1, 1),):
        tables = CalendarTables(WorkingCalendar(), start, 800)
        for number in (0, 1, 2, 5, 10, 15, 20, 65, 300, 600):
            period = Period(number=number, unit="working_days")
            assert tables._table(period) == [tables._shift_uncached(d, period) for d in range(801)], (start, number)
