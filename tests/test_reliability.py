"""The promises behind the corpus, one by one: exit 3 for bugs, output that never overwrites,
files that follow the umask, escaped exports, a calendar for any year it knows, ids that are
not personal data, and every YAML error of a file at once."""
from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pydot
import pytest
from typer.testing import CliRunner

from cpmodel import atomic
from cpmodel.cli import app
from cpmodel.draw_graph import render_dot, render_mermaid
from helpers import ROOT, shipped_data, write_variant
from cpmodel.model.calendar import CalendarRangeError, WorkingCalendar
from cpmodel.model.errors import InputError
from cpmodel.model.loader import load_procedure
from cpmodel.model.yaml_source import MAX_BYTES, read_yaml

BASE = ROOT / "tests" / "data" / "hostile" / "base-procedure.yaml"
ATTACK = 'Plan " fontcolor="red" URL="javascript:x" \\ <b>bold</b>\nsecond line `code` #1 & [/x] end'


# -- exit codes -----------------------------------------------------------------------------------
def test_a_bug_exits_3_with_one_line_and_a_saved_traceback(monkeypatch):
    import cpmodel.model.export
    def broken(_procedure):
        raise KeyError("a bug")
    monkeypatch.setattr(cpmodel.model.export, "export_model", broken)
    result = CliRunner().invoke(app, ["export", str(BASE)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "internal error" in lines[0] and "bug" in lines[0]
    saved = Path(lines[0].rsplit("saved to ", 1)[1])
    assert "Traceback" in saved.read_text() and "KeyError" in saved.read_text()
    saved.unlink()


def test_a_full_disk_is_the_users_problem_not_a_bug(monkeypatch, tmp_path):
    import errno
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "drawings/procedure.png")
    monkeypatch.setattr(atomic, "write_bytes", full)
    monkeypatch.setattr("cpmodel.draw_graph.write_files", lambda folder, files: full())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", str(BASE), "--out", "drawings"])
    assert result.exit_code == 2 and "No space left" in result.output
    assert not (tmp_path / "drawings").exists()          # the failed run removed its folder


def test_error_text_is_never_read_as_markup_or_emoji(tmp_path):
    data = shipped_data()
    data["transitions"][0]["to"] = "[/x]:100:[bold]"
    result = CliRunner().invoke(app, ["export", str(write_variant(tmp_path, data))])
    assert result.exit_code == 2
    assert "'[/x]:100:[bold]'" in result.output and "\U0001f4af" not in result.output


def test_every_validation_error_of_a_file_is_reported_at_once_sorted_by_line(tmp_path):
    text = BASE.read_text().replace("kind: decision", "kind: maybe").replace("name: Small procedure for hostile-input tests\n", "")
    text = text.replace("{id: no_plan, name: No plan, kind: final,", "{id: no_plan, name: No plan, kind: sometimes,")
    path = tmp_path / "procedure.yaml"
    path.write_text(text)
    result = CliRunner().invoke(app, ["export", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 3, result.output
    numbers = [int(line.split("procedure.yaml:")[1].split(":")[0]) for line in lines]
    assert numbers == sorted(numbers)
    assert "name: required field is missing" in lines[0]


def test_every_cross_reference_error_of_a_procedure_is_reported_at_once(tmp_path):
    """A writer fixing a revision sees every broken reference in one run, not one per run."""
    data = shipped_data()
    data["transitions"][0]["to"] = "plan_madee"
    data["rules"][0]["when"] = "not_a_fact and on_plan"
    data["deadlines"][0]["event"] = "no_such_event"
    data["states"][1]["citation"] = "cpp#no-such-section"
    result = CliRunner().invoke(app, ["check", str(write_variant(tmp_path, data))])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 4, result.output
    text = "\n".join(lines)
    for expected in ("unknown state 'plan_madee'", "unknown fact 'not_a_fact'", "unknown event 'no_such_event'",
                     "citation 'cpp#no-such-section'"):
        assert expected in text
    numbers = [int(line.split("procedure.yaml:")[1].split(":")[0]) for line in lines]
    assert numbers == sorted(numbers) and "Traceback" not in result.output


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * (MAX_BYTES + 10))
    with pytest.raises(InputError, match="larger than"):
        read_yaml(path)


def test_yaml_aliases_are_refused_not_expanded(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text('a: &a ["x"]\n' + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n"
                                               for p, n in zip("abcdefghijklmnop", "bcdefghijklmnopq")))
    with pytest.raises(InputError, match="anchor '&a' refused") as refused:
        read_yaml(path)
    assert refused.value.line == 1


# -- output safety --------------------------------------------------------------------------------
def test_a_run_folder_is_claimed_once(tmp_path):
    first = atomic.new_run_folder(tmp_path / "out", "simulate")
    assert first == tmp_path / "out"
    with pytest.raises(InputError, match="in use by another run"):
        atomic.new_run_folder(tmp_path / "out", "simulate")


def test_runs_without_out_get_their_own_folders(tmp_path):
    folders = {atomic.new_run_folder(None, "simulate", default_base=tmp_path) for _ in range(3)}
    assert len(folders) == 3 and all(f.parent == tmp_path for f in folders)


def test_a_failed_simulation_removes_its_folder_and_exits_3(tmp_path, monkeypatch):
    import cpmodel.sim.runner
    def crash(*_args, **_kwargs):
        raise ZeroDivisionError("a bug in the simulation")
    monkeypatch.setattr(cpmodel.sim.runner, "run_replications", crash)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["simulate", str(ROOT / "tests" / "data" / "fast-unitary.yaml"), "-n", "1", "--out", "run"])
    assert result.exit_code == 3, result.output
    assert not (tmp_path / "run").exists()
    Path(result.output.rsplit("saved to ", 1)[1].strip()).unlink()


def test_a_failed_run_in_an_empty_folder_the_user_made_leaves_it_empty(tmp_path):
    (tmp_path / "mine").mkdir()
    with pytest.raises(RuntimeError):
        with atomic.run_folder(tmp_path / "mine", "graph") as folder:
            (folder / "half.png").write_text("x")
            raise RuntimeError("failed")
    assert (tmp_path / "mine").is_dir() and list((tmp_path / "mine").iterdir()) == []


def test_a_failed_run_worth_resuming_is_kept_and_marked(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic.run_folder(tmp_path / "run", "staff", keep_on_failure=lambda f: True):
            raise KeyboardInterrupt
    assert "interrupted" in (tmp_path / "run" / atomic.FAILED).read_text()


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "a.txt", "x")
        os.umask(0o027)
        atomic.write_text(tmp_path / "b.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o640


def test_a_new_file_never_replaces_an_old_one_unless_forced(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"the user's own picture")
    with pytest.raises(InputError, match="already exists"):
        atomic.write_bytes(path, b"new", replace=False)
    assert path.read_bytes() == b"the user's own picture"
    atomic.write_bytes(path, b"new", replace=True)
    assert path.read_bytes() == b"new"


def test_pathway_png_needs_force_to_replace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "timeline.png").write_bytes(b"mine")
    refused = CliRunner().invoke(app, ["pathway", "two-failed-visits", "--png", "timeline.png"])
    assert refused.exit_code == 2 and (tmp_path / "timeline.png").read_bytes() == b"mine"
    forced = CliRunner().invoke(app, ["pathway", "two-failed-visits", "--png", "timeline.png", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "timeline.png").read_bytes().startswith(b"\x89PNG")


# -- exports --------------------------------------------------------------------------------------
def hostile_procedure(tmp_path):
    """The small procedure with every state and the procedure itself named by ATTACK."""
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load(BASE.read_text())
    for state in data["states"]:
        state["name"] = ATTACK
    data["name"] = ATTACK
    return load_procedure(write_variant(tmp_path, data))


def test_dot_export_keeps_hostile_text_inside_its_label(tmp_path):
    procedure = hostile_procedure(tmp_path)
    graph = pydot.graph_from_dot_data(render_dot(procedure))[0]
    for node in graph.get_nodes():
        if node.get_name().strip('"') in procedure.states:
            attributes = node.get_attributes()
            assert "fontcolor" not in attributes and "URL" not in attributes
            label = attributes["label"]
            assert label.startswith('"') and label.endswith('"')
            assert "\n" not in label                                   # written as DOT's \n
            assert '\\"' in label and "\\\\" in label


def test_mermaid_labels_hold_no_markup_quotes_or_line_breaks(tmp_path):
    text = render_mermaid(hostile_procedure(tmp_path))
    for line in text.splitlines()[1:]:
        assert "<" not in line and ">" not in line.replace("-->", "")
        assert "`" not in line
    labels = [line.split('"')[1] for line in text.splitlines()[1:] if line.count('"') == 2]
    assert labels and all("#quot;" in label for label in labels if "Plan" in label)
    assert len(text.splitlines()) == 1 + 5 + 5                  # no label broke onto a new line


# -- calendar -------------------------------------------------------------------------------------
def test_bank_holidays_are_known_outside_2015_to_2045():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(dt.date(2060, 12, 27))        # Christmas Day 2060 observed (a Monday)
    assert not calendar.is_working_day(dt.date(2050, 12, 26))        # Boxing Day 2050 (a Monday)
    assert calendar.holiday_name(dt.date(2010, 12, 27)) == "Christmas Day (observed)"
    # Friday 24 December 2049 + 1 working day: not the 27th or 28th (substitute days), but the 29th.
    assert calendar.add_working_days(dt.date(2049, 12, 24), 1) == dt.date(2049, 12, 29)


def test_a_year_outside_the_calendar_is_refused_by_name():
    with pytest.raises(CalendarRangeError, match="9999"):
        WorkingCalendar().is_working_day(dt.date(9999, 6, 1))


# -- personal data --------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["jane doe", "SMITH, Jane", "Zoë Smith", "Jane", "jane.smith@example.org",
                                   "07700 900123", "943 476 5919", "SW1A 1AA", "QQ 12 34 56 C"])
def test_a_personal_case_id_is_refused_and_never_echoed(tmp_path, value):
    path = tmp_path / "log.csv"
    quoted = f'"{value}"' if "," in value else value
    path.write_text(f"case_id,date,event\n{quoted},2027-01-04,initial_conference\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(path)])
    assert result.exit_code == 2 and "log.csv:2: case_id: looks like" in result.output
    assert value not in result.output and value.split()[0].strip(",") not in result.output


@pytest.mark.parametrize("value", ["C000417", "7f3a9c2e", "LA12-000417", "case_17"])
def test_pseudonymised_ids_are_accepted(tmp_path, value):
    from cpmodel.model.event_log import personal_kind
    assert personal_kind(value) is None
