"""JSON Schemas for the files people edit, generated from the same pydantic models that validate
them, so an editor (VS Code's YAML extension, any yaml-language-server client) completes field
names and flags a typo while the policy writer types."""
from __future__ import annotations

import copy
import json

from cpmodel.model.schema import UNITS

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
PERIOD_TEXT = {"type": "string", "pattern": rf"^\s*-?\d+\s+({'|'.join(UNITS)})\s*$",
               "description": "A number and a unit, e.g. '10 working_days' (units: " + ", ".join(UNITS) + ")."}


def _models() -> dict:
    from cpmodel.model.pathways import PathwayFile
    from cpmodel.model.schema import ProcedureFile
    from cpmodel.sim.scenario import Scenario
    return {"procedure": (ProcedureFile, "A cpmodel procedure file (model/procedure.yaml)"),
            "scenario": (Scenario, "A cpmodel simulation scenario (scenarios/*.yaml)"),
            "pathway": (PathwayFile, "A cpmodel training pathway (scenarios/pathways/*.yaml)")}


KINDS = ("procedure", "scenario", "pathway")


def _periods_as_text(schema: dict) -> dict:
    """Periods are written as text ('6 weeks') in the files; the model parses that text before
    validating, so the schema accepts the text as well as the parsed object."""
    for name, definition in schema.get("$defs", {}).items():
        if name == "Period":
            schema["$defs"][name] = {"anyOf": [PERIOD_TEXT, definition],
                                     "description": definition.get("description", PERIOD_TEXT["description"])}
    return schema


PARAMETER_PERIOD = {"type": "object", "properties": {"parameter": {"type": "string"}}, "required": ["parameter"],
                    "additionalProperties": False,
                    "description": "A period the procedure leaves to the plan or the authority: {parameter: NAME}."}


def _parameter_periods(schema: dict) -> dict:
    """A deadline may take its period from a parameter (`every: {parameter: visit_interval}`);
    the model turns that into its parameter fields before validating, so allow it here."""
    deadline = schema.get("$defs", {}).get("Deadline", {}).get("properties", {})
    for name in ("within", "every"):
        if name in deadline and "parameter" in schema["$defs"]["Deadline"]["properties"]:
            deadline[name] = {"anyOf": [deadline[name], PARAMETER_PERIOD]}
    return schema


def _dates_as_text(node):
    """YAML dates (2026-11-23) reach an editor as strings: say so, so it does not flag them."""
    if isinstance(node, dict):
        if node.get("format") == "date" and node.get("type") == "string":
            node.setdefault("description", "A date, YYYY-MM-DD.")
        for value in node.values():
            _dates_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _dates_as_text(value)
    return node


def json_schema(kind: str) -> dict:
    model, title = _models()[kind]
    schema = copy.deepcopy(model.model_json_schema(by_alias=True, mode="validation"))
    schema = _dates_as_text(_parameter_periods(_periods_as_text(schema)))
    return {"$schema": SCHEMA_URI, "$id": f"cpmodel-{kind}.schema.json", **schema, "title": title}


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=False) + "\n"
