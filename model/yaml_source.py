"""Read a YAML file into plain data plus the line of every key and item, for error messages.

This is the one door every YAML input comes through (procedures, scenarios, pathways). It
refuses what a hostile or careless file could use to exhaust memory or confuse a reader:
anchors and aliases (an alias bomb grows by copying), nesting deeper than any real file,
files larger than any real file, tags that build unusual objects. Syntax errors are reported
in plain words with their line, never in the parser's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.composer import Composer
from ruamel.yaml.events import AliasEvent, CollectionStartEvent
from ruamel.yaml.reader import ReaderError

from cpmodel.model.errors import InputError, display_path, refuse_pipes
from cpmodel.model.yaml_fast import plain_scalar

Path_ = tuple  # a location in the document: ("transitions", 14, "to")

MAX_BYTES = 5_000_000      # the shipped procedure is about 70 kB
MAX_DEPTH = 40             # the shipped files nest at most 5 deep
PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
              "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
              "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp"}


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
    """Load a YAML file; anything wrong with it becomes an InputError with the line it is on."""
    shown = display_path(path)
    text = _read_text(Path(path), shown)
    fast = fast_document(text, shown)
    if fast is not None:
        return fast
    return _round_trip_document(text, shown)


def fast_document(text: str, shown: str) -> YamlDocument | None:
    """The same document read by libyaml's C parser, or None where the reference must read it."""
    from cpmodel.model.yaml_fast import read_plain
    found = read_plain(text, MAX_DEPTH, _round_trip_yaml)
    if found is None:
        return None
    data, lines = found
    return YamlDocument(shown, data, lines)


def _round_trip_document(text: str, shown: str) -> YamlDocument:
    """The reference reading (ruamel's pure-Python round-trip loader): every error and refusal
    is worded from here."""
    yaml = _round_trip_yaml()
    try:
        raw = yaml.load(text)
    except _Refused as refused:
        raise InputError(shown, refused.line, "", refused.message) from None
    except MarkedYAMLError as error:
        raise _syntax_error(error, shown) from None
    except ReaderError as error:
        line = text[:error.position].count("\n") + 1 if isinstance(error.position, int) else None
        raise InputError(shown, line, "", f"the file contains a control character YAML does not allow "
                         f"(code {error.character!r}); remove it") from None
    except (YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        raise InputError(shown, None, "", f"cannot read this YAML ({_short(error)})") from None
    document = YamlDocument(shown, None, {(): 1})
    document.data = _plain(raw, (), document.lines, shown)
    return document


def _round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Composer = _GuardedComposer
    # Dates stay text here, so that a date that does not exist (2027-02-30) is reported by
    # validation with its line and field, not as a crash inside the YAML library.
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.__class__.construct_yaml_str)
    return yaml


def _read_text(path: Path, shown: str) -> str:
    try:
        if path.is_dir():
            raise InputError(shown, None, "", "is a folder, not a YAML file")
        refuse_pipes(path, shown)
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(shown, None, "", "file not found") from None
    except OSError as error:
        raise InputError(shown, None, "", f"cannot read the file ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise InputError(shown, None, "", f"the file is larger than {MAX_BYTES // 1_000_000} MB; "
                         "no procedure, scenario or pathway is that long")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(shown, line, "", "the file is not UTF-8 text (save it as UTF-8)") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError(shown, line, "", "the file contains a NUL character; it is not a text file")
    return text


class _Refused(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line, self.message = line, message


class _GuardedComposer(Composer):
    """The round-trip composer, refusing anchors, aliases, odd tags and deep nesting as it goes
    (one pass: nothing is built before the refusal)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            raise _Refused(line, f"alias '*{event.anchor}' refused: cpmodel files do not use anchors "
                           "and aliases (& and *); write the value out in full")
        if event.anchor is not None:
            raise _Refused(line, f"anchor '&{event.anchor}' refused: cpmodel files do not use anchors "
                           "and aliases (& and *); write the value out in full")
        if _tag(event) not in PLAIN_TAGS:
            raise _Refused(line, f"tag {_tag(event)!r} refused: cpmodel files hold plain text, numbers, "
                           "lists and mappings only")
        if isinstance(event, CollectionStartEvent) and self._depth >= MAX_DEPTH:
            raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep; no cpmodel file needs that")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _tag(event) -> str | None:
    tag = getattr(event, "tag", None)
    if tag is None:
        return None
    return str(getattr(tag, "value", tag) if not isinstance(tag, str) else tag)


# Parser wording -> what a policy writer can act on. First match wins.
_PLAIN_WORDS = [
    (r"mapping values are not allowed", "a colon followed by a space inside text must be quoted "
     "(put the text in quotes), or a key is indented wrongly"),
    (r"found duplicate key \"?([^\"]*)\"?", "key {0!r} appears twice in the same mapping; keep one"),
    (r"found duplicate key", "a key appears twice in the same mapping; keep one"),
    (r"could not find expected ':'", "a key is missing its colon, or a line is indented wrongly"),
    (r"found character '\\t'|found a tab", "tabs cannot indent YAML; use spaces"),
    (r"expected <block end>", "this line's indentation does not line up with the lines above it"),
    (r"expected <document start>|expected a single document", "the file holds more than one "
     "document (a line '---' or text after the end); keep one"),
    (r"found unexpected end of stream", "the file ends inside a quotation or bracket that is never closed"),
    (r"while scanning a quoted scalar", "a quotation mark is not closed"),
    (r"found unknown escape character", "unknown backslash escape in double-quoted text; "
     "use single quotes, or write \\\\ for a backslash"),
    (r"expected ',' or '\]'", "a list in square brackets is not closed, or is missing a comma"),
    (r"expected ',' or '}'", "a mapping in braces is not closed, or is missing a comma"),
    (r"special characters are not allowed|unacceptable character", "the file contains a control "
     "character YAML does not allow; remove it"),
    (r"block sequence entries are not allowed", "a list item ('- ') is not allowed here; check the indentation"),
    (r"found character '([^']*)' that cannot start any token", "{0!r} cannot start a value here; "
     "put the value in quotes"),
    (r"while scanning an? (alias|anchor)", "& and * start anchors and aliases, which cpmodel files "
     "do not use; put the value in quotes"),
    (r"did not find expected key", "a key is missing or a line is indented wrongly"),
    (r"did not find expected node content|expected the node content", "a value is missing or starts "
     "with a character that must be quoted"),
    (r"while scanning a directive|found unknown directive", "a line starting with '%' must be quoted"),
]


def _syntax_error(error: MarkedYAMLError, shown: str) -> InputError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    wording = " ".join(str(part) for part in (error.context, error.problem) if part)
    for pattern, plain in _PLAIN_WORDS:
        match = re.search(pattern, wording)
        if match:
            return InputError(shown, line, "", plain.format(*match.groups()))
    return InputError(shown, line, "", "this line is not well-formed YAML (check its indentation, "
                      "colons and quotation marks)")


def _short(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:120] + ("..." if len(text) > 120 else "")


def _plain(node: Any, path: Path_, lines: dict, shown: str) -> Any:
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            position = node.lc.data.get(key) if node.lc.data else None
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                line = position[0] + 1 if position else lines.get(path)
                raise InputError(shown, line, format_path(path), "a key must be plain text or a number, "
                                 "not a list or mapping")
            if position:
                lines[path + (key,)] = position[0] + 1
            result[key] = _plain(value, path + (key,), lines, shown)
        return result
    if isinstance(node, CommentedSeq):
        result = []
        for index, value in enumerate(node):
            position = node.lc.data.get(index) if node.lc.data else None
            if position:
                lines[path + (index,)] = position[0] + 1
            result.append(_plain(value, path + (index,), lines, shown))
        return result
    return plain_scalar(node)
