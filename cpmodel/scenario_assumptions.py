"""A scenario's figures with where each comes from, read from the comments written beside them
(the scenarios' own convention: a source, or the word ASSUMPTION), for the report's readers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z0-9_\"'-]+)\s*:\s*(.*)$")


@dataclass
class Figure:
    setting: str          # "staff / social workers / count"
    value: str
    source: str           # the comment, or "" when the file gives none
    assumption: bool


def _split_comment(text: str) -> tuple[str, str]:
    in_quote = None
    for index, char in enumerate(text):
        if char in "\"'" and in_quote in (None, char):
            in_quote = None if in_quote else char
        elif char == "#" and in_quote is None and (index == 0 or text[index - 1].isspace()):
            return text[:index].rstrip(), text[index + 1:].strip()
    return text.rstrip(), ""


def scenario_figures(path: Path | str) -> list[Figure]:
    """Every setting that has a value, with the comment above or beside it; a figure without one
    takes the comment above its section (`task_hours:` says all its hours are assumptions)."""
    figures: list[Figure] = []
    stack: list[tuple[int, str, str]] = []     # (indent, section key, the comment above the section)
    pending: list[str] = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if stripped.startswith("# yaml-language-server"):
            continue
        if not stripped:
            if not stack:
                pending = []     # the file's opening comment is about the file, not a figure
            continue
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = _KEY.match(raw)
        if not match:
            continue
        indent, key, rest = len(match.group(1)), match.group(2).strip("\"'"), match.group(3)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        value, comment = _split_comment(rest)
        if value in ("", ">-", "|", ">"):
            stack.append((indent, key, " ".join(pending + ([comment] if comment else []))))
            pending = []
            continue
        source = " ".join(part for part in (*pending, comment) if part)
        if not source:       # a figure with no comment of its own is covered by its section's
            source = next((note for _, _, note in reversed(stack) if note), "")
        setting = " / ".join([name for _, name, _ in stack] + [key]).replace("_", " ")
        if key not in ("name", "description"):
            figures.append(Figure(setting, value, source, "ASSUMPTION" in source.upper()))
        pending = []
    return figures
