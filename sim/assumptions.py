"""The figures a scenario file marks ASSUMPTION: the default parameter set of a sensitivity run.

A figure is an assumption when the word ASSUMPTION (in capitals) is in the comment on its own line,
or in the block of comment lines straight above it, or above or beside a mapping that contains it
("# ASSUMPTION throughout" over `task_hours:` marks every hour in it). Only numbers are varied;
a distribution (probabilities summing to 1) is varied as one parameter.
"""
from __future__ import annotations

import re
from pathlib import Path

from cpmodel.model.yaml_source import read_yaml

MARK = re.compile(r"\bASSUMPTION\b")
DISTRIBUTIONS = {("demand", "children_per_household"), ("demand", "age_at_start")}


def _comment(line: str) -> str:
    """The comment part of a YAML line (a # outside quotes), or ''."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[index:]
    return ""


def _marked(lines: list[str], number: int) -> bool:
    """Is the key on line `number` (1-based) marked, inline or by the comment block above it?"""
    inline = _comment(lines[number - 1])
    if inline.lstrip("# ").startswith("estimated from"):
        return False                     # replaced by `cpmodel calibrate`: no longer a guess
    if MARK.search(inline):
        return True
    above = number - 2
    while above >= 0 and lines[above].strip().startswith("#"):
        if MARK.search(lines[above]):
            return True
        above -= 1
    return False


def assumption_paths(path: Path | str) -> list[tuple]:
    """Paths of the numeric figures (and distributions) the file marks as assumptions, in file order."""
    document = read_yaml(path)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header_end = next((i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("#")), 0)
    # the first key sits under the file's opening comment, which explains the convention only
    marked_prefixes = [p for p, line in document.lines.items()
                       if p and line - 1 != header_end and _marked(lines, line)]
    found = []

    def walk(node, where):
        if where in DISTRIBUTIONS:
            if any(where[:len(m)] == m for m in marked_prefixes):
                found.append(where)
            return
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, where + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, where + (index,))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if any(where[:len(m)] == m for m in marked_prefixes):
                found.append(where)

    walk(document.data, ())
    return sorted(found, key=lambda p: document.line_of(p) or 0)


def path_text(path: tuple) -> str:
    return ".".join(str(part) for part in path)
