"""The version 2 model says what the documents say: duties only where their paragraph applies,
strength as worded, decisions left to a person walkable either way, local standards apart."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model import load_procedure
from cpmodel.model.errors import InputError
from cpmodel.model.history import CaseWalk, ProcedureIndex, Step, walk_case
from cpmodel.model.loader import load_procedure as load
from cpmodel.model.pathways import load_pathway, pathway_names, walk_pathway
from cpmodel.model.standards import load_standards

PROCEDURE = load_procedure()
INDEX = ProcedureIndex(PROCEDURE)
DATA = Path(__file__).parent / "data"
PLAN_ENDINGS = {"plan_ended_at_conference", "original_plan_ended", "plan_ended_at_18", "plan_ended_on_death",
                "plan_ended_left_uk", "plan_ended_by_chair"}
END_OF_PLAN_ACTIONS = {"notify_invited_agencies_of_end", "discuss_continuing_services"}
REVIEW_ONLY_ACTIONS = {"weigh_s20_security_at_next_review", "consider_continuing_support", "submit_continuing_support_plan"}


def walked(name):
    pathway, steps = load_pathway(name, PROCEDURE)
    walker, end = walk_pathway(PROCEDURE, pathway, steps)
    return walker, end


def listed(report):
    return report.obliged + report.permitted + report.forbidden


def test_no_plan_pathway_lists_no_end_of_plan_duty():
    walker, _ = walked("no-plan-but-support")
    actions = {entry["action"] for report in walker.reports for entry in listed(report)}
    assert not actions & END_OF_PLAN_ACTIONS
    assert "put_no_plan_decision_in_writing" in actions      # its own duty is there


def test_end_of_plan_duties_are_listed_when_a_plan_ends():
    walker, _ = walked("plan-reviewed-and-discontinued")
    ending = next(r for r in walker.reports if r.event == "plan_ended_at_conference")
    assert END_OF_PLAN_ACTIONS <= {entry["action"] for entry in listed(ending)}
    later = [r for r in walker.reports if r.date > ending.date]
    assert later and not any(END_OF_PLAN_ACTIONS & {e["action"] for e in listed(r)} for r in later)


@pytest.mark.parametrize("name", pathway_names())
def test_an_initial_conference_lists_no_duty_of_a_review_conference(name):
    walker, _ = walked(name)
    for report in walker.reports:
        if report.event in ("initial_conference", "plan_made", "no_plan_needed"):
            assert not REVIEW_ONLY_ACTIONS & {e["action"] for e in listed(report)}, (name, report.date)


@pytest.mark.parametrize("name", pathway_names())
def test_every_listed_duty_is_in_scope_where_it_is_listed(name):
    walker, _ = walked(name)
    for report in walker.reports:
        for entry in listed(report):
            rule = PROCEDURE.rules[entry["rule"]]
            assert PROCEDURE.rule_in_scope(rule, report.state_after, report.event), (name, report.date, rule.id)


def _random_walk(draw_choices):
    """Follow transitions from the start, choosing by the drawn indices; yields (transition, state)."""
    state = PROCEDURE.start.id
    for choice in draw_choices:
        outgoing = PROCEDURE.outgoing(state)
        if not outgoing:
            return
        transition = outgoing[choice % len(outgoing)]
        yield transition
        state = transition.target


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=25))
def test_random_walks_never_list_a_duty_outside_its_scope(choices):
    walker = CaseWalk(INDEX, narrate=True)
    day = dt.date(2027, 1, 4)
    for transition in _random_walk(choices):
        report = walker.walk(Step(day, transition.event))
        for entry in listed(report):
            rule = PROCEDURE.rules[entry["rule"]]
            assert not rule.in_states or report.state_after in rule.in_states, (rule.id, report.state_after)
            assert not rule.on or report.event in rule.on, (rule.id, report.event)
            if rule.action in END_OF_PLAN_ACTIONS:
                assert report.event in PLAN_ENDINGS, (rule.id, report.event)
        for deadline in report.deadlines_set:
            assert PROCEDURE.deadline_live_in(PROCEDURE.deadlines[deadline["deadline"]], report.state_after)
        day += dt.timedelta(days=3)


def _history(*events, start=dt.date(2027, 1, 11), gap=3):
    return [Step(start + dt.timedelta(days=gap * i), event, dict(facts)) for i, (event, facts) in enumerate(events)]


def test_a_consider_or_may_item_is_never_a_breach():
    # Discontinued, no child's-plan meeting, no reviews, support ended: all to be considered.
    steps = _history(("initial_conference", {"significant_harm_continuing": True}), ("plan_made", {}),
                     ("core_group", {}), ("notes_circulated", {}),
                     ("review_conference", {"significant_harm_continuing": False}), ("plan_ended_at_conference", {}))
    walker, end = walk_case(PROCEDURE, steps, until=dt.date(2027, 12, 31))
    items = {b.item for r in walker.reports for b in r.breaches + r.advice} | {b.item for b in end + walker.end_advice}
    assert not items & {"childs_plan_meeting_after_discontinuation", "childs_plan_first_review"}
    # Discharged from hospital with no core group: the core group only had to consider meeting.
    steps = _history(("initial_conference", {"significant_harm_continuing": True}), ("plan_made", {}),
                     ("core_group", {}), ("notes_circulated", {}),
                     ("hospital_admission", {"unplanned_hospital_admission": True}), ("hospital_discharge", {}))
    walker, end = walk_case(PROCEDURE, steps, until=steps[-1].date)
    assert not any(b.item == "core_group_before_hospital_discharge" for r in walker.reports for b in r.breaches + r.advice)


def test_a_missed_should_is_advice_not_a_breach():
    steps = _history(("initial_conference", {"significant_harm_continuing": True}), ("plan_made", {}),
                     ("core_group", {}), ("notes_circulated", {}), gap=2)
    steps += [Step(dt.date(2027, 4, 30), "core_group")]      # second core group far beyond six weeks
    walker, _ = walk_case(PROCEDURE, steps, until=dt.date(2027, 4, 30))
    breaches = {b.item for r in walker.reports for b in r.breaches}
    advice = {b.item for r in walker.reports for b in r.advice}
    assert "second_core_group" in advice and "second_core_group" not in breaches


@pytest.mark.parametrize("name,outcome", [("s20-removal-social-worker-decides", "decision_recorded"),
                                          ("s20-removal-enquiry-started", "section_47_started")])
def test_both_outcomes_of_the_social_workers_decision_are_valid(name, outcome):
    walker, end = walked(name)
    assert any(r.event == outcome for r in walker.reports)
    assert [b for r in walker.reports for b in r.breaches] + end == []
    decision = PROCEDURE.states["s20_removal_by_parent"]
    assert decision.judgement and decision.decided_by == "social_worker"


def test_visits_are_a_plan_parameter_not_a_procedure_timescale():
    visits = PROCEDURE.deadlines["visits"]
    assert visits.every is None and visits.parameter == "visit_interval"
    steps = _history(("initial_conference", {"significant_harm_continuing": True}), ("plan_made", {}), ("visit", {}))
    until = dt.date(2027, 3, 31)                                 # ten weeks without a visit
    walker, end = walk_case(PROCEDURE, steps, until=until)
    assert not any(b.item == "visits" for b in end + [b for r in walker.reports for b in r.breaches])
    standards = load_standards("example-authority", PROCEDURE)
    walker, end = walk_case(PROCEDURE.with_standards(standards), steps, until=until)
    local = [b for b in end if b.item == "visits"]
    assert local and all(b.basis == "local_standard" for b in local)
    assert "Local standard" in local[0].message


def test_audit_labels_local_standard_breaches(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("case_id,date,event,significant_harm_continuing\nC0001,2027-01-11,initial_conference,true\n"
                   "C0001,2027-01-11,plan_made,\nC0001,2027-03-01,visit,\n", encoding="utf-8")
    plain = CliRunner().invoke(app, ["audit", str(log), "--json"])
    assert '"local_standard_breaches": 0' in plain.output.replace("\n", "").replace("  ", " ") or '"local_standard_breaches":0' in plain.output
    local = CliRunner().invoke(app, ["audit", str(log), "--standards", "standards/example-authority.yaml", "--json"])
    assert '"basis": "local_standard"' in local.output


def test_a_bad_standards_file_names_the_line(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("name: Mine\nstandards:\n  - {parameter: visit_intreval, value: 10 working_days, source: x}\n")
    with pytest.raises(InputError) as error:
        load_standards(bad, PROCEDURE)
    assert "mine.yaml:3" in str(error.value) and "visit_interval" in str(error.value)


def test_a_version_1_file_still_loads_and_diff_reads_sensibly():
    old = load(DATA / "procedure_v1.yaml")
    assert old.rules["plo_plan_ends_only_at_review"].strength == "must_not"   # derived from modality
    result = CliRunner().invoke(app, ["diff", str(DATA / "procedure_v1.yaml"), "model/procedure.yaml"])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert "visits" in result.output


def test_strength_and_modality_that_disagree_are_refused(tmp_path):
    text = (DATA / "procedure_v1.yaml").read_text(encoding="utf-8")
    text = text.replace("modality: forbidden, action: end_plan_outside_conference",
                        "modality: forbidden, strength: may, action: end_plan_outside_conference", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load(path)
    assert "disagree" in str(error.value) and "rules[" in str(error.value)
