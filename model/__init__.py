"""The procedure's meaning: the YAML model, its validation, conditions, calendar and graph.

The names below are loaded when first asked for, so that importing one small module of the
package (``cpmodel.model.errors`` for the command line's error handling) does not load the
loader, pydantic and the YAML readers with it.
"""
from __future__ import annotations

import importlib

_WHERE = {"BUNDLED_PROCEDURE": "loader", "load_procedure": "loader", "InputError": "errors",
          "Procedure": "procedure"}

__all__ = ["BUNDLED_PROCEDURE", "InputError", "Procedure", "load_procedure"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"cpmodel.model.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cpmodel.model' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
