"""Random bad input of every type, each under a 10 s / 1 GB limit: the answer is always an exit
code a script can trust (0, 1 for findings, 2 with located lines), never a traceback or a crash."""
from __future__ import annotations

import copy
import csv
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from cpmodel.cli import app
from helpers import ROOT, dump_yaml
from hostile_limits import bundled_procedure_once, limited
from cpmodel.model.errors import InputError, InputErrors

BASE = (ROOT / "tests" / "data" / "hostile" / "base-procedure.yaml").read_text(encoding="utf-8")
COUNTY = YAML(typ="safe").load((ROOT / "scenarios" / "county.yaml").read_text(encoding="utf-8"))
PATHWAY = YAML(typ="safe").load((ROOT / "scenarios" / "pathways" / "two-failed-visits.yaml").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
SNIPPETS = ["&a ", "*a", "!!python/object:os.system ", "!!binary ", "[", "]", "{", "}", ": ", "\t", '"', "'",
            "#", "- ", "~", ".inf", ".nan", "1e400", "9" * 40, "[/x]", ":100:", "\x07", "\\", "%", "? ", "|",
            ">", "---", "...", "@", "`", "\u00e9", "\U0001f4af", "0x1F", "-1", "0", "null", "yes", "2027-02-30",
            "9999-12-31", " or " * 3, "not not ", "#99"]
payload = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12))


@pytest.fixture(scope="module", autouse=True)
def bundled_procedure_loaded_once():
    with bundled_procedure_once():
        yield


def invoke(args):
    with limited():
        result = CliRunner().invoke(app, args)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}: {result.output}"
    if result.exit_code == 2:
        errors = [line for line in result.output.splitlines() if line.lower().startswith("error: ")]
        assert errors, result.output
    return result


@st.composite
def mutated_text(draw, text: str):
    """A few line-level edits a careless or hostile writer could make."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "insert", "splice", "indent"]))
        if operation == "delete" and len(lines) > 1:
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "insert":
            lines.insert(index, draw(payload))
        elif operation == "splice":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(payload) + line[at + draw(st.integers(0, 5)):]
        else:
            lines[index] = draw(st.sampled_from(["", " ", "  ", "\t"])) + lines[index].lstrip()
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=mutated_text(BASE))
def test_any_procedure_text_gets_an_answer_not_a_crash(tmp_path, text):
    path = tmp_path / "procedure.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    result = invoke(["export", str(path)])
    if result.exit_code == 2:
        assert all("procedure.yaml" in line for line in result.output.splitlines() if line.startswith("error: "))


def leaves(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, path + (index,))
    yield path


any_value = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                      st.none(), st.text(max_size=15), st.sampled_from(["2027-02-30", "9999-01-01", "1900-01-01", "0 working_days",
                                                                        "lead_social_wroker", "visits"]),
                      st.lists(st.integers(0, 3), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(0, 2), max_size=2))


@st.composite
def mutated_data(draw, data):
    data = copy.deepcopy(data)
    paths = [p for p in leaves(data) if p]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            if draw(st.booleans()) or not isinstance(node, dict):
                node[path[-1]] = draw(any_value)
            else:
                del node[path[-1]]
        except (KeyError, IndexError, TypeError):
            pass                         # an earlier edit removed this part
    return data


@FUZZ
@given(data=mutated_data(COUNTY))
def test_any_scenario_is_loaded_or_refused_with_located_lines(tmp_path, data):
    from cpmodel.model import load_procedure
    from cpmodel.sim.scenario import load_scenario
    path = tmp_path / "scenario.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with limited():
        try:
            load_scenario(path, load_procedure())
        except (InputError, InputErrors) as error:
            assert all("scenario.yaml" in line for line in str(error).splitlines())


@FUZZ
@given(data=mutated_data(PATHWAY))
def test_any_pathway_is_walked_or_refused(tmp_path, data):
    path = tmp_path / "pathway.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    invoke(["pathway", str(path)])


EVENTS = ["initial_conference", "plan_made", "visit", "core_group", "notes_circulated", "review_conference",
          "plan_ended_at_conference", "visit_no_access"]
cell = {
    "case_id": st.one_of(st.sampled_from(["C000101", "C000102", "Jane", "jane doe", "a@b.org", "SW1A 1AA"]), st.text(max_size=10)),
    "date": st.one_of(st.dates(min_value=__import__("datetime").date(2026, 1, 1),
                               max_value=__import__("datetime").date(2028, 12, 31)).map(str),
                      st.sampled_from(["2027-02-30", "9999-12-31", "01/02/2027", ""]), st.text(max_size=10)),
    "event": st.one_of(st.sampled_from(EVENTS), st.text(max_size=10)),
    "legal_status": st.one_of(st.sampled_from(["", "none", "s20", "care_order", "interim_care_order"]), st.text(max_size=6)),
    "plo": st.one_of(st.sampled_from(["", "true", "false"]), st.text(max_size=6)),
}
row = st.fixed_dictionaries(cell)


@FUZZ
@given(rows=st.lists(row, min_size=0, max_size=25), header=st.permutations(list(cell)), raw=st.one_of(st.none(), st.binary(max_size=20)))
def test_any_event_log_is_audited_or_refused(tmp_path, rows, header, raw):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header))
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8", errors="surrogatepass")
    if raw is not None:                 # bytes spliced in anywhere: broken encodings, NULs, quotes
        at = random.Random(len(rows)).randint(0, len(data))
        data = data[:at] + raw + data[at:]
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    invoke(["audit", str(path), "--until", "2029-01-01"])


@FUZZ
@given(until=st.text(max_size=20), name=st.text(max_size=20))
def test_any_option_text_gets_an_answer(tmp_path, until, name):
    log = tmp_path / "log.csv"
    log.write_text("case_id,date,event\nC000101,2027-01-04,initial_conference\n")
    invoke(["audit", str(log), "--until", until])
    invoke(["pathway", name, "--json"])
