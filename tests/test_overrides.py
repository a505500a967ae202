"""`--set path=value`: a figure changed from the command line is validated like the file, and a
wrong path or value is refused naming the parameter (exit 2, no traceback)."""
import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.model.errors import InputError
from cpmodel.sim.overrides import apply_settings
from sim_helpers import scenario

FAST = "tests/data/fast-unitary.yaml"


def test_a_setting_changes_only_the_named_figure():
    base = scenario()
    changed, record = apply_settings(base, ["case_flow.no_access_per_visit=0.2", "local_standards.visits=5 working_days",
                                            "demand.children_per_household.1=0.5"])
    assert changed.case_flow.no_access_per_visit == 0.2 and base.case_flow.no_access_per_visit != 0.2
    assert changed.local_standards["visits"].number == 5
    assert changed.case_flow.end_at_review == base.case_flow.end_at_review
    assert record["case_flow.no_access_per_visit"] == 0.2


@pytest.mark.parametrize("setting,fragment", [
    ("case_flow.no_access_per_visit=1.5", "case_flow.no_access_per_visit: Input should be less than or equal to 1"),
    ("case_flow.no_acess_per_visit=0.1", "unknown parameter: no 'no_acess_per_visit'"),
    ("staff.social_workers.count=-3", "staff.social_workers.count"),
    ("demand.children_per_household.1=0.9", "probabilities sum to"),
    ("case_flow.end_at_review.9=0.5", "not an item of this list"),
    ("task_hours.visit.lead_social_worker=-1", "must not be negative"),
    ("calendar.start_date=2027-02-30", "is not a real date (YYYY-MM-DD)"),
    ("no_equals_sign", "write PATH=VALUE"),
    ("horizon_years.x=1", "single value"),
])
def test_bad_settings_name_the_parameter(setting, fragment):
    with pytest.raises(InputError) as caught:
        apply_settings(scenario(), [setting])
    assert fragment in str(caught.value) and str(caught.value).startswith("--set")


@pytest.mark.parametrize("command", [["simulate", FAST, "-n", "1"], ["staff", FAST, "--target", "visits=0.9"],
                                     ["sensitivity", FAST, "-n", "2"]])
def test_every_command_taking_set_exits_2_before_any_work(tmp_path, command):
    result = CliRunner().invoke(app, command + ["--set", "case_flow.nope=1", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2, result.output
    assert "case_flow.nope" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "run").exists()
