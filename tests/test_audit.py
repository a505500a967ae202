"""`cpmodel audit`: every planted breach found, none in a clean log; pseudonymised input only."""
import json

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from event_logs import ADVICE, EXPECTED, write_log
from cpmodel.model import load_procedure
from cpmodel.model.audit import audit_log

PROCEDURE = load_procedure()


def test_a_clean_log_has_no_breaches(tmp_path):
    path = tmp_path / "clean.csv"
    write_log(path, 60, planted_every=0, seed=3)
    result = audit_log(path, PROCEDURE)
    assert result.cases == 60
    assert {case: [(b.kind, b.item) for b in found] for case, found in result.breaches.items() if found} == {}
    assert {case: [(b.kind, b.item) for b in found] for case, found in result.advice.items() if found} == {}


def test_every_planted_breach_is_found_in_the_right_case_and_nothing_else(tmp_path):
    path = tmp_path / "planted.csv"
    plants = write_log(path, 80, planted_every=5, seed=4)
    result = audit_log(path, PROCEDURE)
    def same(breach, expected):   # a late deadline may be caught as missed first, at a later event
        kind, item = expected
        return breach.item == item and (breach.kind == kind or {breach.kind, kind} <= {"deadline_late", "deadline_missed"})

    for case, found in result.breaches.items():
        advice = result.advice[case]
        if case in plants and plants[case] in ADVICE:
            assert found == [], (case, found)            # a `should` is never a breach...
            assert any(same(b, EXPECTED[plants[case]]) for b in advice), (case, plants[case], advice)
        elif case in plants:
            assert any(same(b, EXPECTED[plants[case]]) for b in found), (case, plants[case], found)
            extra = [b for b in found if not same(b, EXPECTED[plants[case]])]
            assert all((b.kind, b.item) == ("condition_not_met", "chair_ends_plan") for b in extra), (case, extra)
            assert advice == [], (case, advice)
        else:
            assert found == [] and advice == [], (case, found, advice)


def test_audit_command_reports_per_case_and_in_total(tmp_path):
    path = tmp_path / "planted.csv"
    plants = write_log(path, 20, planted_every=5, seed=5)
    result = CliRunner().invoke(app, ["audit", str(path), "--json"])
    assert result.exit_code == 1, result.output     # breaches found
    data = json.loads(result.output)
    assert data["cases"] == 20
    assert data["cases_with_breaches"] == len([p for p in plants.values() if p not in ADVICE])
    assert data["cases_with_advice_not_followed"] == len([p for p in plants.values() if p in ADVICE])
    assert data["totals"]["forbidden_action:plo_plan_ends_only_at_review"] == 1


def write(tmp_path, text):
    path = tmp_path / "log.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize("text,field,message", [
    ("case_id,date,event,child_name\nC1,2027-01-04,initial_conference,x\n", "child_name", "personal detail"),
    ("case_id,date,event,dob\nC1,2027-01-04,initial_conference,2015-01-01\n", "dob", "personal detail"),
    ("case_id,date,event\nJane Smith,2027-01-04,initial_conference\n", "case_id", "looks like a person's name"),
    ("case_id,date,event\nC1,2027-02-30,initial_conference\n", "date", "not a real date"),
    ("case_id,date,event\nC1,2027-01-04,inital_conference\n", "event", "did you mean 'initial_conference'"),
    ("case_id,date,event,colour\nC1,2027-01-04,initial_conference,red\n", "colour", "unknown column"),
    ("case_id,date,event,plo\nC1,2027-01-04,initial_conference,maybe\n", "plo", "not true or false"),
    ("case_id,date,event,legal_status\nC1,2027-01-04,initial_conference,s21\n", "legal_status", "not one of"),
])
def test_bad_logs_are_refused_naming_the_row(tmp_path, text, field, message):
    result = CliRunner().invoke(app, ["audit", str(write(tmp_path, text))])
    assert result.exit_code == 2, result.output
    assert field in result.output and message in result.output and "Traceback" not in result.output
    if field not in ("child_name", "dob", "colour"):
        assert "log.csv:2" in result.output


def test_a_large_generated_log_is_audited(tmp_path):
    """100,000 events (speed is measured in benchmarks/bench_audit.py, not here)."""
    path = tmp_path / "big.csv"
    plants = write_log(path, 3300, planted_every=50, seed=6)
    result = audit_log(path, PROCEDURE)
    assert result.events >= 100_000
    flagged = {case for case, found in result.breaches.items() if found}
    advised = {case for case, found in result.advice.items() if found}
    assert flagged == {case for case, plant in plants.items() if plant not in ADVICE}
    assert advised == {case for case, plant in plants.items() if plant in ADVICE}


def test_audit_text_and_workbook_show_advice_not_followed(tmp_path):
    # The text used to list breaches only: advice the documents give with 'should' was in --json alone.
    path = tmp_path / "planted.csv"
    plants = write_log(path, 20, planted_every=5, seed=5)
    advised = len([p for p in plants.values() if p in ADVICE])
    assert advised
    text = " ".join(CliRunner().invoke(app, ["audit", str(path)]).output.split())
    assert f"Advice not followed (where the documents say should, not must): {advised} cases." in text
    from cpmodel.audit_report import audit_sheets
    from cpmodel.model import load_procedure
    data = json.loads(CliRunner().invoke(app, ["audit", str(path), "--json"]).output)
    rows = audit_sheets(data, load_procedure())["Advice not followed"][1]
    assert sum(row[2] for row in rows) == sum(data["advice_totals"].values()) > 0


def test_a_household_column_for_calibrate_is_accepted_and_changes_nothing(tmp_path):
    # one log serves calibrate (which reads household_id) and the audit (which refused it)
    path = tmp_path / "planted.csv"
    write_log(path, 30, planted_every=4, seed=5)
    lines = path.read_text(encoding="utf-8").splitlines()
    with_household = tmp_path / "with-household.csv"
    with_household.write_text("\n".join([lines[0] + ",household_id"] + [f"{line},H{n % 7}" for n, line in enumerate(lines[1:])]) + "\n",
                              encoding="utf-8")
    plain, both = audit_log(path, PROCEDURE), audit_log(with_household, PROCEDURE)
    assert plain.cases == both.cases and plain.events == both.events
    assert {c: [(b.kind, b.item, b.date) for b in found] for c, found in plain.breaches.items()} == \
        {c: [(b.kind, b.item, b.date) for b in found] for c, found in both.breaches.items()}
