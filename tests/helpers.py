"""Shared test helpers: the shipped model as plain data, and writing variants of it."""
from __future__ import annotations

import copy
import io
from pathlib import Path

from ruamel.yaml import YAML

from cpmodel.model.loader import BUNDLED_PROCEDURE

ROOT = Path(__file__).resolve().parents[1]


def shipped_data() -> dict:
    return YAML(typ="safe").load(BUNDLED_PROCEDURE.read_text(encoding="utf-8"))


def dump_yaml(data) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.representer.ignore_aliases = lambda *args: True   # cpmodel refuses anchors and aliases
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def write_variant(tmp_path: Path, data: dict, name: str = "procedure.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def variant(change) -> dict:
    data = copy.deepcopy(shipped_data())
    change(data)
    return data


def find(data: dict, collection: str, item_id: str) -> dict:
    return next(item for item in data[collection] if item["id"] == item_id)
