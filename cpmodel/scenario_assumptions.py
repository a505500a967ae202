"""A scenario's figures with where each comes from, read from the comments written beside them
(the scenarios' own convention: a source, or the word ASSUMPTION), for the report's readers."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z0-9_\"'-]+)\s*:\s*(.*)$")


@dataclass
class Figure:
    setting: str          # "staff / social workers / count"
    value: str
    source: str           # the comment, or "" when the file gives none
    assumption: bool
    path: str = ""        # "staff.social_workers.count": the file's keys, as --set names them
    changed: str = ""     # how the run changed the file's figure ("" if it did not)


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
        keys = [name for _, name, _ in stack] + [key]
        setting = " / ".join(keys).replace("_", " ")
        if key not in ("name", "description"):
            figures.append(Figure(setting, value, source, "ASSUMPTION" in source.upper(), ".".join(keys)))
        pending = []
    return figures


# What a run can change without --set: `-n`, `--seed` (and their summary's names).
_RUN_FIGURES = ("replications", "seed", "horizon_years", "warm_up_months")


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _same(written: str, value) -> bool:
    """The file's text and the run's value say the same (5 and 5.0 do; "0.1" and 0.1 do)."""
    written = written.strip("\"'")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(written) == float(value)
        except ValueError:
            return False
    return written == _text(value)


def settings_text(settings: dict) -> str:
    """--set changes as the user types them ("" when there are none)."""
    return " ".join(f"--set {path}={_text(value)}" for path, value in sorted(settings.items()))


def figures_as_run(figures: list[Figure], summary: dict) -> list[Figure]:
    """The file's figures as the run used them: a figure the command line changed (`-n`, `--seed`,
    `--set`) shows the run's value and says what the file has; a setting the file does not
    write but the run set is listed too. (Else the report would show figures the run never used.)"""
    settings = {str(path): value for path, value in (summary.get("settings") or {}).items()}
    for name in _RUN_FIGURES:
        if name in summary and name not in settings:
            settings[name] = summary[name]
    out = []
    for figure in figures:
        items = {path: value for path, value in settings.items() if path.startswith(figure.path + ".")}
        if figure.path in settings and not _same(figure.value, settings[figure.path]):
            out.append(replace(figure, value=_text(settings[figure.path]),
                               changed=f"set for this run on the command line; the file has {figure.value}"))
        elif items:
            out.append(replace(figure, changed=f"part changed for this run on the command line "
                                                f"({settings_text(items)}; list items count from 0)"))
        else:
            out.append(figure)
    known = {figure.path for figure in figures}
    for path, value in settings.items():
        if path not in known and path not in _RUN_FIGURES and not any(path.startswith(k + ".") for k in known):
            out.append(Figure(path.replace(".", " / ").replace("_", " "), _text(value), "", False, path,
                              "set for this run on the command line; the file does not write it (its default)"))
    return out
