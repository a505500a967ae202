"""Excel output carries the same numbers as the JSON; the JSON Schemas accept every shipped file
and reject a misspelt field, as an editor using them would."""
import datetime as dt
import json

import jsonschema
import openpyxl
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.json_schema import schema_text
from cpmodel.office import write_workbook
from event_logs import write_log
from helpers import ROOT

runner = CliRunner()


def rows_of(path, sheet):
    book = openpyxl.load_workbook(path)
    return [[cell.value for cell in row] for row in book[sheet].iter_rows()]


def test_write_workbook_writes_one_sheet_per_table_with_its_headers(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", {"First: a/b": (["Name", "Hours (a week)"], [["x", 1.5], ["y", 2]]),
                                                "Second": (["Count"], [[3]])})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["First  a b", "Second"]          # Excel forbids : and / in sheet names
    assert rows_of(path, "First  a b") == [["Name", "Hours (a week)"], ["x", 1.5], ["y", 2]]


def test_write_workbook_never_overwrites_and_wants_xlsx(tmp_path):
    (tmp_path / "kept.xlsx").write_bytes(b"mine")
    write_log(tmp_path / "events.csv", cases=3)
    for name in ("kept.xlsx", "table.csv"):
        result = runner.invoke(app, ["audit", str(tmp_path / "events.csv"), "--xlsx", str(tmp_path / name)])
        assert result.exit_code == 2
        assert "--xlsx" in result.output
    assert (tmp_path / "kept.xlsx").read_bytes() == b"mine"


def test_audit_xlsx_matches_its_json(tmp_path):
    log = tmp_path / "events.csv"
    write_log(log, cases=40, planted_every=5)
    as_json = json.loads(runner.invoke(app, ["audit", str(log), "--json"]).output)
    result = runner.invoke(app, ["audit", str(log), "--xlsx", str(tmp_path / "audit.xlsx")])
    assert result.exit_code == 1, result.output   # 1: the log has breaches
    summary = dict(row for row in rows_of(tmp_path / "audit.xlsx", "Summary")[1:])
    assert summary["Cases"] == as_json["cases"] == 40
    assert summary["Cases with at least one breach"] == as_json["cases_with_breaches"] > 0
    per_case = rows_of(tmp_path / "audit.xlsx", "Breaches per case")
    assert per_case[0][:3] == ["Case id", "Date", "What happened"]
    assert len(per_case) - 1 == sum(len(found) for found in as_json["breaches"].values())
    by_kind = rows_of(tmp_path / "audit.xlsx", "Breaches by kind")[1:]
    assert {f"{row[3]}:{row[4]}": row[2] for row in by_kind} == as_json["totals"]


def test_simulate_accepts_a_scenario_name_and_writes_xlsx(tmp_path):
    result = runner.invoke(app, ["simulate", "small-unitary", "-n", "1", "--out", str(tmp_path / "run"),
                                 "--xlsx", str(tmp_path / "run.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["scenario"].startswith("Small unitary")
    deadlines = rows_of(tmp_path / "run.xlsx", "Deadlines")
    assert deadlines[0][2] == "Met on time (%)"
    by_id = {row[-1]: row for row in deadlines[1:]}
    for kind, data in summary["deadlines"].items():
        assert by_id[kind][2] == pytest.approx(100 * data["met_share"]["mean"], abs=0.01)
        assert by_id[kind][3] is None        # one replication: no interval, rather than a zero-width one


def test_simulate_refuses_an_unknown_scenario_name_with_a_suggestion():
    result = runner.invoke(app, ["simulate", "cuonty"])
    assert result.exit_code == 2
    assert "did you mean 'county'" in result.output


def _yaml_as_json(path):
    """What an editor's schema validator sees: YAML with dates as text."""
    def plain(node):
        if isinstance(node, dict):
            return {str(k): plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if isinstance(node, dt.date) else node
    return plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


SHIPPED = ([("procedure", ROOT / "model" / "procedure.yaml")]
           + [("scenario", p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
           + [("pathway", p) for p in sorted((ROOT / "scenarios" / "pathways").glob("*.yaml"))])


@pytest.mark.parametrize("kind,path", SHIPPED, ids=[p.name for _, p in SHIPPED])
def test_every_shipped_file_is_valid_against_its_schema(kind, path):
    jsonschema.validate(_yaml_as_json(path), json.loads(schema_text(kind)))


@pytest.mark.parametrize("kind", ["procedure", "scenario", "pathway"])
def test_schema_flags_a_misspelt_field(kind):
    path = next(p for k, p in SHIPPED if k == kind)
    data = _yaml_as_json(path)
    data["nmae"] = data.pop("name")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(schema_text(kind)))


def test_schema_flags_a_period_without_a_unit():
    data = _yaml_as_json(ROOT / "model" / "procedure.yaml")
    deadline = next(d for d in data["deadlines"] if "within" in d)
    deadline["within"] = "10 wd"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(schema_text("procedure")))


@pytest.mark.parametrize("kind", ["procedure", "scenario", "pathway"])
def test_the_schemas_in_the_repository_are_current(kind):
    shipped = (ROOT / "schemas" / f"{kind}.schema.json").read_text()
    assert shipped == schema_text(kind), (f"schemas/{kind}.schema.json is out of date: delete it and run "
                                          f"`cpmodel schema {kind} --out schemas`")


@pytest.mark.parametrize("kind,path", SHIPPED, ids=[p.name for _, p in SHIPPED])
def test_shipped_files_point_an_editor_at_their_schema(kind, path):
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith(f"schemas/{kind}.schema.json")
    assert (path.parent / first.split("=", 1)[1]).resolve() == (ROOT / "schemas" / f"{kind}.schema.json").resolve()


def test_schema_command_writes_a_new_file_and_never_overwrites(tmp_path):
    result = runner.invoke(app, ["schema", "pathway", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "pathway.schema.json").read_text())["title"].startswith("A cpmodel training pathway")
    assert runner.invoke(app, ["schema", "pathway", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["schema", "scenery"]).exit_code == 2


@pytest.mark.parametrize("command", [
    ["staff", "{fast}", "--target", "visits=0.9", "--range", "4:6", "-n", "2", "--max-replications", "2", "--survey", "0"],
    ["sensitivity", "{fast}", "--param", "case_flow.no_access_per_visit", "-n", "2"],
    ["simulate", "{fast}", "-n", "1"],
])
def test_a_misnamed_or_existing_xlsx_is_refused_before_any_work(tmp_path, command):
    """Every command with --xlsx refuses a wrong ending, a file the user has, or a link, at the
    start: not after a search of many minutes (staff, sensitivity and compare once checked only
    that the file was new, and learnt the ending was wrong when writing it)."""
    fast = str(ROOT / "tests" / "data" / "fast-unitary.yaml")
    (tmp_path / "kept.xlsx").write_bytes(b"mine")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    for name, why in (("table.txt", "must end in .xlsx"), ("kept.xlsx", "already exists"),
                      ("link.xlsx", "already exists"), ("missing/t.xlsx", "does not exist")):
        out = tmp_path / f"run-{name.replace('/', '-')}"
        args = [part.replace("{fast}", fast) for part in command] + ["--xlsx", str(tmp_path / name), "--out", str(out)]
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (name, result.output)
        assert "--xlsx" in result.output and why in result.output, result.output
        assert not out.exists()                 # refused before a run folder was made
    assert (tmp_path / "kept.xlsx").read_bytes() == b"mine"
    assert not (tmp_path / "nowhere.xlsx").exists()
