"""An authority's local standards: the numbers the documents leave to each plan or authority.

The procedure says *that* a child is seen as often as the plan sets; an authority's standards file
says how often that authority expects it (10 working days, say). Keeping the two apart means a
breach of a local standard is never reported as a breach of the procedure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cpmodel.model.loader import suggestion, validate_model
from cpmodel.model.procedure import Procedure
from cpmodel.model.schema import Period
from cpmodel.model.yaml_source import read_yaml

STANDARDS_FOLDER = Path(__file__).resolve().parents[1] / "standards"


class StandardEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameter: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    value: Period
    source: str = Field(min_length=1)
    strength: Literal["must", "should"] = "must"   # how firmly the authority expects it
    note: str = ""


class StandardsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    source: str = ""
    standards: list[StandardEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Standard:
    parameter: str
    period: Period
    source: str
    strength: str = "must"


@dataclass(frozen=True)
class Standards:
    """Parameter id -> the authority's period for it."""

    name: str
    file: str
    entries: dict[str, Standard]

    def get(self, parameter: str) -> Standard | None:
        return self.entries.get(parameter)


def standards_from_entries(name: str, file: str, entries: list[StandardEntry]) -> Standards:
    return Standards(name, file, {e.parameter: Standard(e.parameter, e.value, e.source, e.strength) for e in entries})


def load_standards(path: Path | str, procedure: Procedure) -> Standards:
    """Load a standards file, checking every parameter it sets is one the procedure leaves open."""
    path = Path(path)
    if not path.suffix and not path.exists():
        named = STANDARDS_FOLDER / f"{path}.yaml"
        if named.exists():
            path = named
    document = read_yaml(path)
    spec = validate_model(StandardsFile, document)
    seen = set()
    for index, entry in enumerate(spec.standards):
        where = ("standards", index, "parameter")
        if entry.parameter not in procedure.parameters:
            raise document.error(where, f"the procedure leaves no parameter {entry.parameter!r} to the "
                                        f"authority{suggestion(entry.parameter, procedure.parameters)}")
        if entry.parameter in seen:
            raise document.error(where, f"{entry.parameter!r} is set twice")
        seen.add(entry.parameter)
        if entry.value.unit == "visits":
            raise document.error(("standards", index, "value"), "a standard is a length of time, not a count of visits")
        if entry.value.number == 0:
            raise document.error(("standards", index, "value"), "a standard of 0 would make every duty due at once")
    return standards_from_entries(spec.name, document.file, spec.standards)
