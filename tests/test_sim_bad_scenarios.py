"""Bad scenario input: exit 2, file, line and field named, no traceback."""
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.sim.scenario import BUNDLED_SCENARIO


def county():
    return YAML(typ="safe").load(BUNDLED_SCENARIO.read_text())


def write(tmp_path, data):
    path = tmp_path / "scenario.yaml"
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    with path.open("w") as stream:
        yaml.dump(data, stream)
    return path


CASES = [
    ("negative FTE", lambda d: d["staff"]["social_workers"].update(fte=-1), "staff.social_workers.fte", "greater than 0"),
    ("negative head count", lambda d: d["staff"]["conference_chairs"].update(count=-2), "staff.conference_chairs.count", "greater than or equal to 1"),
    ("probabilities that do not sum to 1", lambda d: d["demand"]["children_per_household"].update({1: 0.9}),
     "demand.children_per_household", "sum to"),
    ("unknown deadline kind", lambda d: d["local_standards"].update(home_visits="10 working_days"),
     "local_standards.home_visits", "unknown deadline kind 'home_visits'"),
    ("horizon shorter than warm-up", lambda d: d.update(horizon_years=1, warm_up_months=18), "horizon_years", "longer than the warm-up"),
    ("a date that does not exist", lambda d: d["calendar"].update(start_date="2027-02-30"), "calendar.start_date", "not a real date"),
    ("probability above 1", lambda d: d["case_flow"].update(no_access_per_visit=1.5), "case_flow.no_access_per_visit", "less than or equal to 1"),
    ("unknown event in task hours", lambda d: d["task_hours"].update(home_visit={"lead_social_worker": 2}),
     "task_hours.home_visit", "unknown event 'home_visit'"),
    ("unknown field", lambda d: d["staff"].update(social_worker={"count": 3}), "staff.social_worker", "unknown field"),
]


@pytest.mark.parametrize("label,change,field,message", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_is_refused_with_file_line_and_field(tmp_path, label, change, field, message):
    data = county()
    change(data)
    path = write(tmp_path, data)
    result = CliRunner().invoke(app, ["simulate", str(path), "--replications", "1"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "scenario.yaml:" in result.output and field in result.output and message in result.output, result.output


def test_missing_hours_for_a_simulated_duty_names_it(tmp_path):
    data = county()
    del data["task_hours"]["notes_circulated"]
    result = CliRunner().invoke(app, ["simulate", str(write(tmp_path, data)), "-n", "1"])
    assert result.exit_code == 2 and "core_group_notes" in result.output and "task_hours" in result.output
