"""Every kind of bad procedure input: exit code 2, file, line and field named, no traceback."""
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import find, variant, write_variant


def set_transition_target(data):
    find(data, "transitions", "plan_made")["to"] = "plan_in_forse"


def set_rule_role(data):
    find(data, "rules", "plo_plan_ends_only_at_review")["role"] = "conference_chiar"


def set_unknown_fact(data):
    find(data, "rules", "plo_plan_ends_only_at_review")["when"] = "on_plan and public_law_outline"


def duplicate_rule(data):
    data["rules"].append(dict(find(data, "rules", "double_protection_removal")))


def bad_citation(data):
    find(data, "deadlines", "first_core_group")["citation"] = "impl#4.9"


def unparsable_condition(data):
    find(data, "transitions", "plan_made")["when"] = "significant_harm_continuing and"


def negative_period(data):
    find(data, "deadlines", "first_core_group")["within"] = "-10 working_days"


def unitless_period(data):
    find(data, "deadlines", "second_core_group")["within"] = 6


def huge_period(data):
    find(data, "deadlines", "second_core_group")["within"] = "999999 days"


def unknown_unit(data):
    find(data, "deadlines", "second_core_group")["within"] = "6 fortnights"


def unknown_event(data):
    find(data, "deadlines", "first_core_group")["anchor"] = "intial_conference"


def unknown_field(data):
    find(data, "states", "plan_in_force")["colour"] = "blue"


def wrong_enum_value(data):
    find(data, "rules", "double_protection_removal")["when"] = "legal_status == section_20"


CASES = [
    ("unknown state in a transition", set_transition_target, "transitions[", ".to", "unknown state 'plan_in_forse'", "plan_in_force"),
    ("unknown role", set_rule_role, "rules[", ".role", "unknown role 'conference_chiar'", "conference_chair"),
    ("unknown fact", set_unknown_fact, "rules[", ".when", "unknown fact 'public_law_outline'", None),
    ("duplicate id", duplicate_rule, "rules[", ".id", "duplicate id 'double_protection_removal'", None),
    ("citation that does not resolve", bad_citation, "deadlines[", ".citation", "does not resolve", None),
    ("condition that does not parse", unparsable_condition, "transitions[", ".when", "cannot parse", None),
    ("negative period", negative_period, "deadlines[", ".within", "must not be negative", None),
    ("unitless period", unitless_period, "deadlines[", ".within", "has no unit", None),
    ("period longer than any timescale", huge_period, "deadlines[", ".within", "longer than any procedure timescale", None),
    ("unknown unit", unknown_unit, "deadlines[", ".within", "fortnights", None),
    ("unknown anchor event", unknown_event, "deadlines[", ".anchor", "unknown event 'intial_conference'", "initial_conference"),
    ("unknown field", unknown_field, "states[", ".colour", "unknown field", None),
    ("enum value that does not exist", wrong_enum_value, "rules[", ".when", "'section_20' is not a value", None),
]


@pytest.mark.parametrize("label,change,collection,field,message,suggested", CASES, ids=[c[0] for c in CASES])
def test_bad_procedure_is_refused_with_file_line_and_field(tmp_path, label, change, collection, field, message, suggested):
    path = write_variant(tmp_path, variant(change))
    result = CliRunner().invoke(app, ["export", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    output = result.output
    assert "Traceback" not in output
    assert "procedure.yaml:" in output
    assert collection in output and field in output, output
    assert message in output, output
    if suggested:
        assert f"did you mean {suggested!r}" in output
    line = int(output.split("procedure.yaml:")[1].split(":")[0])
    lines = path.read_text().splitlines()
    assert 1 <= line <= len(lines)


def test_the_line_named_is_the_line_of_the_bad_field(tmp_path):
    path = write_variant(tmp_path, variant(set_transition_target))
    output = CliRunner().invoke(app, ["export", str(path)]).output
    line = int(output.split("procedure.yaml:")[1].split(":")[0])
    assert "plan_in_forse" in path.read_text().splitlines()[line - 1]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "procedure.yaml"
    path.write_text("name: x\nversion: '1'\nroles: [\n  {id: a\n")
    result = CliRunner().invoke(app, ["export", str(path)])
    assert result.exit_code == 2
    assert "not closed" in result.output and "procedure.yaml:" in result.output


def test_missing_file_is_a_usage_error_not_a_crash(tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "file not found" in result.output


def test_the_real_command_prints_no_traceback(tmp_path):
    path = write_variant(tmp_path, variant(set_transition_target))
    done = subprocess.run([sys.executable, "-m", "cpmodel.cli", "export", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "unknown state 'plan_in_forse'" in done.stderr
