"""Read a YAML file into plain data plus the line of every key and item, for error messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from model.errors import InputError, display_path

Path_ = tuple  # a location in the document: ("transitions", 14, "to")


@dataclass
class YamlDocument:
    """Plain data (dicts, lists, scalars) and where each part of it was written."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of a path, or of its nearest enclosing part that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: Path_, message: str) -> InputError:
        return InputError(self.file, self.line_of(path), format_path(path), message)


def format_path(path: Path_) -> str:
    """("transitions", 14, "to") -> "transitions[14].to"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(path: Path | str) -> YamlDocument:
    """Load a YAML file; a syntax error becomes an InputError with the line it is on."""
    shown = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(shown, None, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(shown, None, "", f"cannot read the file ({error})") from None
    yaml = YAML(typ="rt")
    # Dates stay text here, so that a date that does not exist (2027-02-30) is reported by
    # validation with its line and field, not as a crash inside the YAML library.
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.__class__.construct_yaml_str)
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(shown, line, "", f"YAML syntax error: {problem}") from None
    except YAMLError as error:
        raise InputError(shown, None, "", f"YAML error: {error}") from None
    document = YamlDocument(shown, None, {(): 1})
    document.data = _plain(raw, (), document.lines)
    return document


def _plain(node: Any, path: Path_, lines: dict) -> Any:
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            position = node.lc.data.get(key) if node.lc.data else None
            if position:
                lines[path + (key,)] = position[0] + 1
            result[key] = _plain(value, path + (key,), lines)
        return result
    if isinstance(node, CommentedSeq):
        result = []
        for index, value in enumerate(node):
            position = node.lc.data.get(index) if node.lc.data else None
            if position:
                lines[path + (index,)] = position[0] + 1
            result.append(_plain(value, path + (index,), lines))
        return result
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
