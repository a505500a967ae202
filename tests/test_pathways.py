"""Training pathways narrate without error; the ones built to break a rule are flagged with it."""
import json

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model import load_procedure
from cpmodel.model.pathways import load_pathway, pathway_names, walk_pathway
from cpmodel.model.traceability import load_traceability

PROCEDURE = load_procedure()


def walk(name):
    pathway, steps = load_pathway(name, PROCEDURE)
    walker, end = walk_pathway(PROCEDURE, pathway, steps)
    return pathway, walker, end


def breaches_of(name):
    pathway, walker, end = walk(name)
    return pathway, walker.reports, [b for r in walker.reports for b in r.breaches] + end


def advice_of(name):
    pathway, walker, _ = walk(name)
    return [b for r in walker.reports for b in r.advice] + walker.end_advice


def test_there_are_at_least_ten_pathways_and_together_they_touch_every_section():
    names = pathway_names()
    assert len(names) >= 10
    touched = set()
    for name in names:
        pathway, reports, _ = breaches_of(name)
        touched |= set(pathway.sections)
        for report in reports:
            touched |= set(report.citations)
            for group in (report.permitted, report.forbidden, report.obliged):
                touched |= {c.strip() for entry in group for c in entry["citation"].split(",")}
    # Every section the model carries (impl#5.1, the plan's purpose, and impl#6.4, an empty list, carry nothing).
    modelled = load_traceability(PROCEDURE).modelled()
    own = {e.ref.split("/")[0] for e in modelled}
    assert own - {c.split("/")[0] for c in touched} == set()


@pytest.mark.parametrize("name", pathway_names())
def test_each_pathway_breaks_exactly_the_rules_it_was_built_to_break(name):
    pathway, reports, breaches = breaches_of(name)
    assert {(b.kind, b.item) for b in breaches} == {(e.kind, e.item) for e in pathway.expect_breaches}
    assert {(b.kind, b.item) for b in advice_of(name)} == {(e.kind, e.item) for e in pathway.expect_advice}
    assert reports[-1].state_after in PROCEDURE.states


def test_plo_pathway_is_flagged_with_the_plo_rule_and_its_citation():
    _, _, breaches = breaches_of("section-20-with-plo")
    forbidden = [b for b in breaches if b.kind == "forbidden_action"]
    assert forbidden and forbidden[0].item == "plo_plan_ends_only_at_review"
    assert "cpp#avoiding-double-protection/6" in forbidden[0].citations   # the PLO note


def test_first_core_group_deadline_skips_bank_holidays():
    _, reports, _ = breaches_of("late-first-core-group")
    first = next(d for r in reports for d in r.deadlines_set if d["deadline"] == "first_core_group")
    assert first["due"] == "2027-01-06"     # 18 Dec 2026 + 10 working days, past 25 and 28 Dec and 1 Jan
    assert any("Christmas" in h for h in first["holidays_in_window"])


def test_pathway_command_narrates_lists_and_draws(tmp_path):
    runner = CliRunner()
    listing = runner.invoke(app, ["pathway", "--list"])
    assert listing.exit_code == 0 and "section-20-with-plo" in listing.output
    result = runner.invoke(app, ["pathway", "section-20-with-plo", "--png", str(tmp_path / "t.png"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert any(b["item"] == "plo_plan_ends_only_at_review" for b in data["breaches"])
    assert (tmp_path / "t.png").stat().st_size > 10_000


def test_unknown_pathway_and_bad_pathway_file_exit_2(tmp_path):
    assert CliRunner().invoke(app, ["pathway", "section-20-with-pol"]).exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndescription: y\nsteps:\n  - {date: 2027-02-30, event: visit}\n")
    result = CliRunner().invoke(app, ["pathway", str(bad)])
    assert result.exit_code == 2 and "bad.yaml:4" in result.output and "not a real date" in result.output


def test_a_deadline_that_ends_on_a_weekend_names_the_last_working_day_before_it():
    # Three months from the initial conference can end on a Sunday: a trainer needs the day the
    # review can in practice be held by, and the date the documents' period gives.
    result = CliRunner().invoke(app, ["pathway", "two-failed-visits"])
    text = " ".join(result.output.split())
    assert "review conference by Sun 04 Apr 2027 (a Sunday: the last working day before it is Fri 02 Apr 2027)" in text


def test_what_staff_do_in_a_training_pathway_falls_on_a_working_day():
    # A chair ending a plan on Good Friday taught the wrong thing; a family may move, or a parent
    # remove a child, on any day.
    from cpmodel.model.calendar import WorkingCalendar
    procedure, calendar = load_procedure(), WorkingCalendar()
    family = {"parents", "None", "child", "family"}
    staff_events = {t.event for t in procedure.spec.transitions if str(t.by) not in family}
    staff_events -= {t.event for t in procedure.spec.transitions if str(t.by) in family}
    on_days_off = []
    for name in pathway_names():
        for step in load_pathway(name, procedure)[1]:
            if step.event in staff_events and not calendar.is_working_day(step.date):
                on_days_off.append((name, str(step.date), step.event))
    assert on_days_off == []
