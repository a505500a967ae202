"""The backlog counted as work opens and closes equals a count over every open task each week."""
from hypothesis import given, settings, strategies as st

import pytest

from cpmodel.sim.overdue import OverdueCount

HORIZON = 60

# An operation: open a task due on a day, close one of those open (by position), or ask the
# backlog on a later day.
operations = st.lists(st.one_of(
    st.tuples(st.just("open"), st.integers(0, 3 * HORIZON)),
    st.tuples(st.just("close"), st.integers(0, 10_000)),
    st.tuples(st.just("ask"), st.integers(0, 9))), max_size=200)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_due_before_equals_a_count_over_the_open_tasks(steps):
    count, open_dues, today = OverdueCount(HORIZON), [], 0
    for kind, value in steps:
        if kind == "open":
            count.opened(value)
            open_dues.append(value)
        elif kind == "close" and open_dues:
            count.closed(open_dues.pop(value % len(open_dues)))
        elif kind == "ask":
            today = min(today + value, HORIZON - 1)
            assert count.due_before(today) == sum(1 for due in open_dues if due < today)


def test_work_due_at_or_after_the_horizon_is_never_overdue():
    count = OverdueCount(10)
    count.opened(10)
    count.opened(500)
    assert count.due_before(9) == 0
    assert count.due_before(50) == 0    # a day past the horizon counts no further


def test_asking_about_an_earlier_day_is_refused():
    count = OverdueCount(10)
    count.due_before(5)
    with pytest.raises(ValueError, match="day 2 after day 5"):
        count.due_before(2)
