"""Changing one figure of a validated scenario (`--set path.to.param=value`, and sensitivity runs).

A changed scenario is validated exactly as the file is, so a value the file could not hold is
refused with the parameter's name; a path that is not in the scenario is refused too (a misspelt
parameter must never be silently ignored).
"""
from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from cpmodel.model.errors import InputError
from cpmodel.sim.scenario import Scenario

Path_ = tuple


def parse_path(text: str) -> Path_:
    """'case_flow.end_at_review.0' -> ('case_flow', 'end_at_review', '0'); keys are matched later."""
    parts = tuple(part for part in text.strip().split("."))
    if not text.strip() or any(not part for part in parts):
        raise InputError("--set", None, text, "write a parameter as a dotted path, e.g. case_flow.no_access_per_visit")
    return parts


def parse_assignment(text: str) -> tuple[Path_, Any]:
    """'path.to.param=value' -> (path, value); the value is read as YAML (numbers, lists, text)."""
    name, sep, raw = text.partition("=")
    if not sep or not raw.strip():
        raise InputError("--set", None, text, "write PATH=VALUE, e.g. --set case_flow.no_access_per_visit=0.1")
    try:
        value = YAML(typ="safe", pure=True).load(raw)
    except (YAMLError, ValueError):     # ValueError: a date that does not exist, e.g. 2027-02-30
        if re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", raw):
            raise InputError("--set", None, text, f"{raw.strip()!r} is not a real date (YYYY-MM-DD)") from None
        raise InputError("--set", None, text, f"cannot read the value {raw!r}") from None
    return parse_path(name), value


def _step(container: Any, part: str, shown: str):
    """The key or index in container that the text `part` names, or an error naming the parameter."""
    if isinstance(container, dict):
        for key in container:
            if str(key) == part:
                return key
        known = ", ".join(sorted(str(k) for k in container)) or "none"
        raise InputError("--set", None, shown, f"unknown parameter: no {part!r} here; known: {known}")
    if isinstance(container, list):
        if part.isdigit() and int(part) < len(container):
            return int(part)
        raise InputError("--set", None, shown, f"{part!r} is not an item of this list (0 to {len(container) - 1})")
    raise InputError("--set", None, shown, f"{part!r}: the parameter above it is a single value")


def get_value(scenario: Scenario, path: Path_) -> Any:
    data = scenario.model_dump(mode="json")
    shown = ".".join(path)
    for part in path:
        data = data[_step(data, part, shown)]
    return data


def with_values(scenario: Scenario, changes: dict[Path_, Any]) -> Scenario:
    """A copy of the scenario with each path set to its value, validated like the file."""
    data = scenario.model_dump(mode="json")
    for path, value in changes.items():
        value = value.isoformat() if hasattr(value, "isoformat") else value
        shown = ".".join(path)
        container = data
        for part in path[:-1]:
            container = container[_step(container, part, shown)]
        key = _step(container, path[-1], shown)
        container[key] = value
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or ", ".join(".".join(p) for p in changes)
        message = first["msg"].removeprefix("Value error, ")
        value = first.get("input")
        if isinstance(value, (str, int, float)) and str(value) not in message:
            message += f" (got {value!r})"
        raise InputError("--set", None, where, message) from None


class _SetOption:
    """Where a problem found after `--set` lies: the option and the path it names."""

    def error(self, path, message: str) -> InputError:
        return InputError("--set", None, ".".join(str(part) for part in path), message)


def apply_settings(scenario: Scenario, texts: list[str], procedure=None) -> tuple[Scenario, dict[str, Any]]:
    """The scenario with every `--set` applied, and the settings as {path: value} for the manifest;
    with the procedure, checked against it as the file is (a role it does not know, say)."""
    if not texts:
        return scenario, {}
    changes: dict = {}
    for text in texts:
        path, value = parse_assignment(text)
        if path in changes and changes[path] != value:   # one would silently win over the other
            raise InputError("--set", None, text, f"{'.'.join(path)} is set twice, to {changes[path]!r} and "
                             f"{value!r}: give it once")
        changes[path] = value
    for path in changes:
        get_value(scenario, path)          # refuse unknown paths before validating anything
    changed = with_values(scenario, changes)
    if procedure is not None:
        from cpmodel.sim.scenario import check_against_procedure
        check_against_procedure(changed, procedure, _SetOption())
    # as JSON holds them (a date as YYYY-MM-DD): the settings go into the run's summary and manifest
    return changed, {".".join(path): value.isoformat() if hasattr(value, "isoformat") else value
                     for path, value in changes.items()}
