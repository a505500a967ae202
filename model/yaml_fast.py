"""The quick way through a YAML file: libyaml's C parser (through PyYAML) for the text, ruamel's
YAML 1.2 resolver and constructor for what each scalar means.

ruamel's round-trip loader, the reference reading, is pure Python and took well over a second
on the shipped procedure; the C parser takes a few hundredths. This path gives the very data and
line numbers the reference gives, or declines (returns None) so the reference reads the file
and words any error or refusal itself: on any parser error, anchors and aliases, explicit tags,
directives, more than one document, keys that are not plain scalars, duplicate or merge keys,
deep nesting, tabs, and the YAML 1.1 line breaks (NEL, LS, PS) that libyaml reads differently.
"""
from __future__ import annotations

from typing import Any

try:   # PyYAML built with libyaml; without it every file takes the reference path
    from yaml.cyaml import CParser as _CParser
    from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent, DocumentEndEvent)
except ImportError:       # pragma: no cover - PyYAML is a dependency, libyaml is in its wheels
    _CParser = None

STR = "tag:yaml.org,2002:str"
CONSTRUCTED = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
               "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
# YAML 1.1's extra line breaks (libyaml counts lines by them, YAML 1.2 does not), and tabs, which
# ruamel refuses inside plain text where libyaml takes them as part of it.
DECLINED_CHARACTERS = ("\x85", "\u2028", "\u2029", "\t")


class _Decline(Exception):
    """Leave this file to the reference loader."""


def read_plain(text: str, max_depth: int, yaml_factory) -> tuple[Any, dict] | None:
    """(data, {path: line}) as the reference loader gives them, or None to leave it to that loader.

    yaml_factory makes the reference loader's YAML object; its resolver and constructor decide
    what each plain scalar is, so 'yes', '0o17', '1_000' and dates mean the same on both paths."""
    if _CParser is None or any(mark in text for mark in DECLINED_CHARACTERS):
        return None
    try:
        return _Builder(yaml_factory(), max_depth).build(_CParser(text))
    except _Decline:
        return None
    except Exception:    # noqa: BLE001 - any parser complaint: the reference words it
        return None


class _Builder:
    def __init__(self, yaml, max_depth: int):
        from ruamel.yaml.nodes import ScalarNode
        self.resolver, self.constructor = yaml.resolver, yaml.constructor
        self.scalar_node, self.max_depth = ScalarNode, max_depth
        self.plain: dict[str, Any] = {}

    def scalar(self, event) -> Any:
        if not event.implicit[0]:        # quoted or block: text, as the resolver would say
            return event.value
        # a plain scalar means what its text says, wherever it stands: each text resolved once
        known = self.plain.get(event.value, self)
        if known is self:
            known = self.plain[event.value] = self._resolve(event)
        return known

    def _resolve(self, event) -> Any:
        tag = self.resolver.resolve(self.scalar_node, event.value, event.implicit)
        name = str(tag)
        if name == STR:
            return event.value
        if name not in CONSTRUCTED:       # a merge key '<<' or any other special value
            raise _Decline
        value = self.constructor.construct_object(self.scalar_node(tag, event.value, None, None, style=event.style))
        return plain_scalar(value)

    def build(self, parser) -> tuple[Any, dict]:
        lines: dict[tuple, int] = {(): 1}
        documents = 0
        root: Any = None
        # Each open collection: [container, path, pending key (mappings), key_is_set]
        stack: list[list] = []
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is StreamStartEvent or kind is DocumentEndEvent:
                continue
            if kind is StreamEndEvent:
                break
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _Decline
                continue
            if kind is AliasEvent or getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
                raise _Decline
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                finished = stack.pop()
                if stack:
                    self._place(stack[-1], finished[0], lines)
                else:
                    root = finished[0]
                continue
            line = event.start_mark.line + 1
            if stack and isinstance(stack[-1][0], dict) and not stack[-1][3]:
                if kind is not ScalarEvent:   # a list or mapping as a key: the reference refuses it
                    raise _Decline
                key = self.scalar(event)
                top = stack[-1]
                if key in top[0]:
                    raise _Decline            # a duplicate key: the reference words it
                top[2], top[3] = key, True
                lines[top[1] + (key,)] = line
                continue
            if stack and isinstance(stack[-1][0], list):
                top = stack[-1]
                lines[top[1] + (len(top[0]),)] = line
            if kind is ScalarEvent:
                value = self.scalar(event)
                if stack:
                    self._place(stack[-1], value, lines)
                else:
                    root = value
                continue
            if len(stack) >= self.max_depth:
                raise _Decline
            path = self._child_path(stack)
            stack.append([{} if kind is MappingStartEvent else [], path, None, False])
        if documents == 0:
            return None, lines
        return root, lines

    @staticmethod
    def _child_path(stack) -> tuple:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top[0], dict):
            return top[1] + (top[2],)
        return top[1] + (len(top[0]),)

    @staticmethod
    def _place(top: list, value: Any, lines: dict) -> None:
        if isinstance(top[0], dict):
            top[0][top[2]] = value
            top[2], top[3] = None, False
        else:
            top[0].append(value)


def plain_scalar(value: Any) -> Any:
    """ruamel's scalar types (str, bool, int and float subclasses) as plain Python ones; both
    loaders end every scalar with this."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
