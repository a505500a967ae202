"""A recurring duty's next one is not met by the event that created it: every visit done is
counted once under 'visits', and no case is visited twice on one day."""
from collections import Counter

from cpmodel.sim.engine import run_replication
from sim_helpers import PROCEDURE, scenario


def test_each_visit_counts_once_and_never_twice_a_day():
    plan = scenario("small-unitary", horizon_years=1.5, warm_up_months=0)
    result = run_replication(PROCEDURE, plan, 5, record_history=True)
    visits = Counter((case, day) for case, day, event, _ in result.history if event == "visit")
    assert sum(visits.values()) > 1000
    assert max(visits.values()) == 1
    # Each measured 'visits' deadline was met by one visit, or was still open (or lapsed) when
    # the case's plan ended or the run stopped: at most one of those per household.
    households = len(result.households)
    counted = len(result.lateness["visits"])
    assert counted <= sum(visits.values()) + households
    assert counted >= sum(visits.values()) - households
