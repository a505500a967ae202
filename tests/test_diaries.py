"""Diaries: work booked when its window opens, appointments in one sitting in working hours, and
an answer that does not hang on how the booking is tuned."""
import datetime as dt

from cpmodel.model.schema import Period
from cpmodel.sim.days import SimulationDays
from cpmodel.sim.diaries import Diary
from cpmodel.sim.runner import replication_seeds, run_replications
from cpmodel.sim.stats import summarise
from sim_helpers import PROCEDURE, scenario

DAYS = SimulationDays(dt.date(2027, 1, 4), 120)   # a Monday


def six_hour_diary() -> Diary:
    return Diary(DAYS.working_days, lambda day: 6.0 if DAYS.is_working[day] else 0.0)


def test_an_appointment_is_booked_as_late_as_leaves_a_day_in_hand():
    diary = six_hour_diary()
    due = DAYS.add(0, Period(number=10, unit="working_days"))
    day = diary.latest_with_room(0, due, 3.0, margin=1)
    assert day == DAYS.minus_working_days(due, 1) and DAYS.is_working[day]


def test_a_full_day_is_skipped_and_a_full_window_books_after_the_due_day():
    diary = six_hour_diary()
    first, second, third = DAYS.working_days[:3]
    diary.book(second, 4.0)
    assert diary.latest_with_room(first, third, 3.0, margin=1) == first   # second has 2 h left
    diary.book(first, 6.0)
    diary.book(third, 6.0)
    assert diary.latest_with_room(first, third, 3.0, margin=1) == DAYS.working_days[3]


def test_unbooking_frees_the_room():
    diary = six_hour_diary()
    day = DAYS.working_days[0]
    diary.book(day, 6.0)
    assert not diary.fits(day, 1.0)
    diary.unbook(day, 3.0)
    assert diary.fits(day, 3.0) and not diary.fits(day, 3.5)


def test_no_work_is_booked_on_a_weekend_or_a_bank_holiday():
    diary = six_hour_diary()
    for opens in range(0, 60):
        day = diary.first_with_room(opens, 2.0)
        assert DAYS.is_working[day] and day >= opens


def _visits_met(margin: int, social_workers: int) -> float:
    plan = scenario("small-unitary", horizon_years=3, warm_up_months=9, replications=4,
                    booking_margin_working_days=margin)
    staff = plan.staff.model_copy(update={"social_workers": plan.staff.social_workers.model_copy(
        update={"count": social_workers})})
    plan = plan.model_copy(update={"staff": staff})
    results = run_replications(PROCEDURE, plan, replication_seeds(plan.seed, plan.replications))
    return summarise(results)["deadlines"]["visits"]["met_share"]["mean"]


def test_booking_margin_across_its_plausible_range_moves_visits_met_by_under_three_points_and_only_up():
    # 18 social workers, the level `staff` finds for a 95% visits target on the small unitary:
    # visits met about 96% at the default margin of one working day in hand (README, "How work is
    # planned"). The margin's plausible range is one to three days (with none, a visit that finds
    # nobody home is always late). More days in hand never lower visits met, and across the range
    # they raise it by under 3 points (2.6 seen): enough to move the answer by a worker or two, so
    # the README names the margin as the scheduling assumption a manager should set. (Under 2
    # points at 15 workers while the arrivals lost a fifth of the stated demand.) Same seeds at
    # every margin.
    met = [_visits_met(margin, 18) for margin in (1, 2, 3)]
    assert met == sorted(met)
    assert met[-1] - met[0] < 0.03
