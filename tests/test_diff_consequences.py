"""`cpmodel diff` says what a revision means: a condition whose meaning changed (with a case where
old and new differ), a route removed or added (with what it cuts off or opens), a timescale
changed (with a due date before and after). Each on a hand-made mutant of the shipped model, run
through the command line; and Z3's equivalence decision against brute-force enumeration."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.conditions import evaluate
from cpmodel.model.loader import BUNDLED_PROCEDURE
from cpmodel.model.schema import Period
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.meaning import condition_difference
from helpers import find, variant, write_variant
from test_oracles import all_cases, build, conditions
from test_random_procedures import valid_procedures
from cpmodel.model.loader import procedure_from_document
from cpmodel.model.yaml_source import YamlDocument
from cpmodel.proofs.consequences import of_revision


def _diff(tmp_path, change):
    revised = write_variant(tmp_path, variant(change))
    result = CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised), "--json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    assert result.exit_code == (1 if data["new_errors"] else 0)   # a change of meaning alone never fails
    return data, revised


def _of_kind(data, kind):
    return {c["involved"][0]: c for c in data["consequences"] if c["kind"] == kind}


def test_a_negated_rule_condition_is_described_with_a_case_each_way(tmp_path):
    data, revised = _diff(tmp_path, lambda d: find(d, "rules", "core_group_delivers_plan").update(when="not (on_plan)"))
    change = _of_kind(data, "scope_changed")["core_group_delivers_plan"]
    assert change["witness"]["gained"]["case"]["on_plan"] is False
    assert change["witness"]["lost"]["case"]["on_plan"] is True
    assert change["witness"]["lost"]["state"] == "plan_in_force"
    assert change["message"].startswith("\u201cThe core group is responsible for working out the detailed plan")
    assert "it now applies where before the revision it did not" in change["message"]
    assert [c["ref"] for c in change["citations"]][0] == "impl#2.1/1"
    text = " ".join(CliRunner().invoke(app, ["diff", str(BUNDLED_PROCEDURE), str(revised)]).output.split())
    assert text.index("What the revision means (1)") < text.index("Model changes")
    assert "1 change of meaning described" in text


def test_a_reworded_but_equivalent_guard_is_not_reported(tmp_path):
    def reword(d):
        find(d, "rules", "core_group_delivers_plan").update(when="not (not on_plan)")
        find(d, "rules", "failed_visits_reported").update(when="on_plan and failed_visits_in_a_row > 1")
        find(d, "transitions", "enquiry_leads_to_conference").update(when="not (unborn or on_plan)")
    data, _ = _diff(tmp_path, reword)
    assert data["consequences"] == []
    assert {c["id"] for c in data["changes"]} >= {"core_group_delivers_plan", "failed_visits_reported"}


def test_a_guard_equivalent_only_where_the_step_leads_is_not_reported(tmp_path):
    # 'Child protection plan in force' assumes on_plan, so adding it to the step's guard changes nothing.
    data, _ = _diff(tmp_path, lambda d: find(d, "transitions", "plan_made").update(
        when="significant_harm_continuing and on_plan"))
    assert data["consequences"] == []


def test_a_negated_step_guard_names_the_state_it_leaves(tmp_path):
    data, _ = _diff(tmp_path, lambda d: find(d, "transitions", "plan_made").update(
        when="not (significant_harm_continuing)"))
    change = _of_kind(data, "scope_changed")["plan_made"]
    assert change["witness"]["gained"] == {"state": "initial_conference",
                                           "case": {"on_plan": True, "significant_harm_continuing": False}}
    assert "it can now be taken where before the revision it could not" in change["message"]


def test_removing_the_core_group_step_names_the_way_gone_and_the_pathways(tmp_path):
    data, _ = _diff(tmp_path, lambda d: d.__setitem__(
        "transitions", [t for t in d["transitions"] if t["id"] != "core_group_held"]))
    change = _of_kind(data, "route_removed")["core_group_held"]
    witness = change["witness"]
    assert witness["path_gone"][-1] == "core_group_held"
    assert witness["path_gone"][0] == "enquiry_started"
    assert "core_group_held" not in witness["path_now"] and len(witness["path_now"]) > len(witness["path_gone"])
    walked = {p["pathway"] for p in witness["pathways"]}
    assert "two-failed-visits" in walked and "no-plan-but-support" not in walked
    assert "shipped pathways no longer walk as before" in change["message"]


def test_removing_a_visit_loop_names_the_deadline_that_can_no_longer_be_met_there(tmp_path):
    data, _ = _diff(tmp_path, lambda d: d.__setitem__(
        "transitions", [t for t in d["transitions"] if t["id"] != "visit_while_care_order"]))
    change = _of_kind(data, "route_removed")["visit_while_care_order"]
    [loss] = change["witness"]["deadlines"]
    assert loss["deadline"] == "visits" and loss["not_here"] == ["care_order"]
    assert "can no longer happen in 'Looked after under a care order while on a plan'" in change["message"]


def test_adding_a_route_names_the_shorter_way(tmp_path):
    new_step = {"id": "ends_at_18_without_review", "from": "plan_in_force", "to": "plan_ended_at_18",
                "event": "plan_ended_at_18", "when": "age == 18", "citation": "cpp#discontinuing-the-child-protection-plan/1.3"}
    data, _ = _diff(tmp_path, lambda d: d["transitions"].append(new_step))
    change = _of_kind(data, "route_added")["ends_at_18_without_review"]
    assert change["witness"]["path_new"][-1] == "ends_at_18_without_review"
    assert "birthday_review_held" in change["witness"]["path_before"]
    assert len(change["witness"]["path_new"]) < len(change["witness"]["path_before"])
    assert "a case in 'Child protection plan in force' can now go to 'Plan ended at 18'" in change["message"]
    assert "'plan_ended_at_18' can now happen in 'Child protection plan in force'" in change["message"]


def test_a_changed_period_gives_the_due_date_before_and_after(tmp_path):
    data, _ = _diff(tmp_path, lambda d: find(d, "deadlines", "later_review_conferences").update(every="7 months"))
    [change] = [c for c in data["consequences"] if c["kind"] == "timescale_changed"]
    witness = change["witness"]
    assert (witness["deadline"], witness["old"], witness["new"]) == ("later_review_conferences", "6 months", "7 months")
    sample = witness["sample"]
    assert sample["pathway"]   # a shipped pathway sets this deadline
    calendar, start = WorkingCalendar(), __import__("datetime").date.fromisoformat(sample["from"])
    assert sample["due_before"] == calendar.add(start, Period(number=6, unit="months")).isoformat()
    assert sample["due_after"] == calendar.add(start, Period(number=7, unit="months")).isoformat()
    assert "was due" in change["message"] and "is now due" in change["message"]


def test_a_changed_visit_count_is_said_in_visits(tmp_path):
    data, _ = _diff(tmp_path, lambda d: find(d, "deadlines", "seen_alone_alternate_visits").update(every="3 visits"))
    [change] = [c for c in data["consequences"] if c["kind"] == "timescale_changed"]
    assert "once in every 3 visits, where before it was once in every 2" in change["message"]


@settings(max_examples=80, deadline=None)
@given(conditions, conditions, st.one_of(st.none(), conditions))
def test_z3_equivalence_agrees_with_enumerating_every_case(old, new, invariant):
    procedure = build([("obliged", "act", old)], invariant)
    difference = condition_difference(FactEncoder(procedure), old, new)
    cases = list(all_cases(procedure))
    quiet = {f.id: f.quiet_value() for f in procedure.spec.facts}
    for key, (holds, fails) in (("gained", (new, old)), ("lost", (old, new))):
        exists = any(evaluate(holds, c) and not evaluate(fails, c) for c in cases)
        assert (difference[key] is not None) == exists
        if exists:   # the witness is a real case: it meets the invariants and tells the two apart
            case = quiet | difference[key]
            assert case in cases
            assert evaluate(holds, case) and not evaluate(fails, case)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_two_valid_procedures_are_described_without_a_crash(data):
    old, new = (procedure_from_document(YamlDocument(f"<{n}>", data.draw(valid_procedures()), {(): 1}))
                for n in ("old", "new"))
    assert of_revision(old, old) == []
    for finding in of_revision(old, new):
        assert finding.kind in ("scope_changed", "route_removed", "route_added", "timescale_changed")
        assert finding.message and finding.witness
