"""`simulate --events`: the simulated case histories, audited by the walker, give the simulation's
own lateness counts for every deadline kind both check: two independent engines, one answer."""
import csv
import datetime as dt
import json
from collections import Counter

from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model.audit import audit_log, read_event_log
from cpmodel.model.standards import Standard, Standards
from cpmodel.sim.engine import run_replication
from cpmodel.sim.event_log import event_log_csv
from cpmodel.sim.runner import replication_seeds
from sim_helpers import PROCEDURE, scenario


def _late_counts(result) -> Counter:
    return Counter({kind: sum(1 for late in lateness if late > 0) for kind, lateness in result.lateness.items()})


def test_audit_of_the_simulated_histories_agrees_with_the_simulation(tmp_path):
    plan = scenario("small-unitary", horizon_years=2, warm_up_months=0)
    results = [run_replication(PROCEDURE, plan, seed, record_history=True) for seed in replication_seeds(11, 2)]
    path = tmp_path / "events.csv"
    path.write_text(event_log_csv(results, plan.calendar.start_date))
    # The simulation counts a task still open at the end as late if it was due before its last day.
    until = plan.calendar.start_date + dt.timedelta(days=plan.horizon_days - 2)
    # The scenario's local standard for visits is the authority's number the audit checks too.
    standards = Standards("scenario", "", {"visit_interval": Standard("visit_interval", plan.local_standards["visits"],
                                                                      "the scenario's local standard")})
    audited = audit_log(path, PROCEDURE, until, standards)
    # A missed 'must' is a breach, a missed 'should' advice not followed: the simulation counts both late.
    found = Counter(b.item for cases in (audited.breaches, audited.advice) for found in cases.values() for b in found
                    if b.kind in ("deadline_late", "deadline_missed"))
    simulated = sum((_late_counts(r) for r in results), Counter())
    timed = PROCEDURE.with_standards(standards)
    checked = {d.id for d in timed.spec.deadlines if (d.within or d.every) and d.anchor and d.lateness_counts
               and not (d.every and d.every.unit == "visits")}
    both = checked & set(results[0].lateness)
    assert {"visits", "first_core_group", "core_group_notes", "core_groups_after_first_review",
            "first_review_conference", "later_review_conferences", "second_core_group"} <= both
    assert simulated["visits"] > 50   # enough lateness for the comparison to mean something
    for kind in sorted(both):
        assert found[kind] == simulated[kind], (kind, found[kind], simulated[kind])
    # Whatever else the audit reports is a deadline the simulation does not staff (its own alone).
    assert set(found) - both <= set(results[0].not_simulated)
    # And every step the simulation takes is one the procedure allows, with its condition holding
    # in the facts the history records (it once recorded every child on a plan at the conference
    # that makes the plan, and a child turning 18 at their last recorded age).
    steps = [(case, b.kind, b.item) for cases in (audited.breaches, audited.advice) for case, found in cases.items()
             for b in found if b.kind not in ("deadline_late", "deadline_missed")]
    assert not steps, steps[:5]


def test_simulate_events_writes_the_audit_contract_and_never_overwrites(tmp_path):
    events = tmp_path / "events.csv"
    runner = CliRunner()
    result = runner.invoke(app, ["simulate", "tests/data/fast-unitary.yaml", "-n", "1", "--json",
                                 "--out", str(tmp_path / "run"), "--events", str(events)])
    assert result.exit_code == 0, result.output
    with open(events, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0].keys() >= {"case_id", "date", "event", "legal_status"}
    assert {"initial_conference", "visit", "core_group", "review_conference"} <= {r["event"] for r in rows}
    histories = read_event_log(events, PROCEDURE)   # the audit's own reader accepts it
    assert len(histories) == len({r["case_id"] for r in rows}) > 10
    audit = runner.invoke(app, ["audit", str(events), "--json"])
    assert audit.exit_code in (0, 1) and json.loads(audit.output)["cases"] == len(histories)   # 1: breaches found
    again = runner.invoke(app, ["simulate", "tests/data/fast-unitary.yaml", "-n", "1",
                                "--out", str(tmp_path / "run2"), "--events", str(events)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_audit_flags_a_late_second_review_counted_from_the_first(tmp_path):
    # A deadline whose event is its own anchor's (later reviews, counted from the first) used to
    # lapse unseen in the walker; the simulation and the audit disagreed on it.
    path = tmp_path / "late-review.csv"
    path.write_text("case_id,date,event\nc1,2027-01-11,initial_conference\nc1,2027-01-11,plan_made\n"
                    "c1,2027-04-06,review_conference\nc1,2027-04-06,plan_continued\n"
                    "c1,2027-11-15,review_conference\n")
    items = {(b.kind, b.item) for found in audit_log(path, PROCEDURE).breaches.values() for b in found}
    assert ("deadline_late", "later_review_conferences") in items


def _steps_not_allowed(results, plan, tmp_path) -> list:
    path = tmp_path / "events.csv"
    path.write_text(event_log_csv(results, plan.calendar.start_date))
    audited = audit_log(path, PROCEDURE)
    return [(case, b.kind, b.item) for cases in (audited.breaches, audited.advice) for case, found in cases.items()
            for b in found if b.kind not in ("deadline_late", "deadline_missed")]


def test_absent_agencies_views_do_not_arrive_for_a_plan_a_chair_has_already_ended(tmp_path):
    # This seed has a review that ends a plan and asks absent agencies for their views, then a
    # section 20 removal after which the chair ends the plan a week later: the views used to
    # arrive afterwards, as a step from a plan that no longer existed.
    plan = scenario("small-unitary", horizon_years=2)
    result = run_replication(PROCEDURE, plan, 3391993868, record_history=True)
    assert any(event == "plan_ended_by_chair" for _, _, event, _ in result.history)
    assert _steps_not_allowed([result], plan, tmp_path) == []
