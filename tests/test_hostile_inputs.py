"""The hostile-input corpus (tests/data/hostile/manifest.yaml): every bad input gets its exit code
and its located message, never a traceback, never exit 1 (which means "findings"), nothing left
behind, and none takes over 10 s or 1 GB.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from cpmodel.cli import app
from hostile_limits import bundled_procedure_once, limited

CORPUS = Path(__file__).resolve().parent / "data" / "hostile"
CASES = YAML(typ="safe").load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module", autouse=True)
def bundled_procedure_loaded_once():
    with bundled_procedure_once():
        yield


def contents(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def prepare(folder: Path, setup: dict | None) -> None:
    for name in (setup or {}).get("folders", []):
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name, text in (setup or {}).get("files", {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def run(case: dict, folder: Path):
    file = str(CORPUS / case["file"]) if "file" in case else None
    given = {"{file}": file, "{base}": str(CORPUS / "base-procedure.yaml")}
    args = [given.get(arg, arg) for arg in case["args"]]
    with limited():
        return CliRunner().invoke(app, args)


def test_the_corpus_is_large_and_covers_every_input_type():
    files = [c for c in CASES if "file" in c]
    assert len({c["file"] for c in files}) >= 150
    kinds = {c["file"].split("/")[0] for c in files}
    assert kinds == {"procedures", "scenarios", "pathways", "csv"}
    assert sum(1 for c in CASES if "file" not in c) >= 20          # command-line cases
    assert all((CORPUS / c["file"]).is_file() for c in files)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] + ":" + c["args"][0] for c in CASES])
def test_hostile_input(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    prepare(tmp_path, case.get("setup"))
    before = contents(tmp_path)
    result = run(case, tmp_path)
    output = result.output
    assert "Traceback" not in output, output
    assert result.exit_code == case["exit"], f"exit {result.exit_code}, expected {case['exit']}:\n{output}"
    assert case["fragment"] in output, output
    if case["exit"] == 2:
        assert result.exit_code != 1
        assert contents(tmp_path) == before, "a refused run left files behind"
        if "file" in case and len(case["args"]) == 2:      # the file is the only input: it is named
            name = Path(case["file"]).name
            assert all(name in line for line in output.splitlines() if line.startswith("error: ")), output
