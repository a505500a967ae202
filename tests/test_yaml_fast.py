"""The quick YAML path (libyaml) gives exactly the data and lines of the reference reading
(ruamel's round-trip loader), or leaves the file to it: errors and refusals keep their wording."""
import random
from pathlib import Path

import pytest

from cpmodel.model import yaml_source
from cpmodel.model.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p for folder in ("model", "scenarios", "standards", "tests/data", "docs")
                 for p in (ROOT / folder).rglob("*.yaml"))
PIECES = ["\t", ":", " ", "- ", "&a ", "*a", "!!str ", "'", '"', "\n", "#", "[", "]", "{", "}", ",", "? ", "|",
          "> ", "%YAML 1.1\n", "---\n", "...\n", "<<: ", "yes", "0o17", "1_000", "2027-02-30", "~", "null", ".inf",
          "\\", "\x85", "\u2028", "-", "  ", "0x1F", "1e3", "+1", "True", "!", "@", "`", "=", "\r", "\r\n"]


def same_as_reference(text: str) -> bool:
    """The quick path declined, or agrees with the reference in data, types and lines."""
    quick = yaml_source.fast_document(text, "x.yaml")
    if quick is None:
        return True
    reference = yaml_source._round_trip_document(text, "x.yaml")   # raises if the quick path accepted bad YAML
    return repr(quick.data) == repr(reference.data) and quick.lines == reference.lines


def test_the_shipped_procedure_takes_the_quick_path():
    text = (ROOT / "model" / "procedure.yaml").read_text(encoding="utf-8")
    assert yaml_source.fast_document(text, "procedure.yaml") is not None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_yaml_file_reads_the_same_both_ways(path):
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        yaml_source._round_trip_document(text, "x.yaml")
    except InputError:
        assert yaml_source.fast_document(text, "x.yaml") is None
        return
    assert same_as_reference(text)


def test_damaged_copies_of_shipped_files_read_the_same_both_ways():
    rng = random.Random(14)
    sources = [(ROOT / "scenarios" / "county.yaml").read_text(), (ROOT / "model" / "procedure.yaml").read_text()]
    for _ in range(400):
        lines = rng.choice(sources).splitlines(keepends=True)
        start = rng.randrange(len(lines))
        text = "".join(lines[start:start + rng.randint(1, 25)])
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.6:
                text = text[:at] + rng.choice(PIECES) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 5):]
        assert same_as_reference(text), repr(text)


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: 1\na: 2\n", "a: b\tc\n", "<<: {a: 1}\n", "a: !!str 1\n",
                                  "%YAML 1.1\n---\na: yes\n", "a: 1\n---\nb: 2\n", "? [a]\n: 1\n", "a: [1,\n",
                                  "a: 'x\n", "a:\x85b\n"])
def test_what_the_reference_must_word_is_left_to_it(text):
    assert yaml_source.fast_document(text, "x.yaml") is None


def test_an_error_found_on_the_quick_path_keeps_the_reference_wording(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("states:\n  - id: a\n  - id: b\nstates: []\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        yaml_source.read_yaml(path)
    assert "key 'states' appears twice" in str(raised.value) and ":4" in str(raised.value)


@pytest.mark.parametrize("text, expected", [("a: yes\nb: 0o17\nc: 1_000\nd: 2027-02-30\ne: ~\nf: .inf\ng: '1'\n",
                                             {"a": "yes", "b": 15, "c": 1000, "d": "2027-02-30", "e": None,
                                              "f": float("inf"), "g": "1"})])
def test_scalars_mean_what_yaml_1_2_says(text, expected):
    assert yaml_source.fast_document(text, "x.yaml").data == expected
