"""model/traceability.yaml: every paragraph of both documents -> the model ids that carry it, or
why it is not modelled. Read by the book, the README counts and the traceability test."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cpmodel.model.loader import suggestion, validate_model
from cpmodel.model.procedure import Procedure
from cpmodel.model.sources import citable
from cpmodel.model.yaml_source import read_yaml

TRACEABILITY_FILE = Path(__file__).with_name("traceability.yaml")
COLLECTIONS = ("roles", "facts", "invariants", "states", "transitions", "actions", "rules", "deadlines", "parameters")


class TraceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ref: str
    carried_by: list[str] = []
    not_modelled: Optional[str] = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_or_the_other(self) -> "TraceEntry":
        if bool(self.carried_by) == bool(self.not_modelled):
            raise ValueError("give either 'carried_by' (model ids) or 'not_modelled' (a reason), not both or neither")
        return self


class TraceabilityFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paragraphs: list[TraceEntry]


@dataclass(frozen=True)
class Traceability:
    entries: tuple[TraceEntry, ...]

    def modelled(self) -> list[TraceEntry]:
        return [e for e in self.entries if e.carried_by]

    def not_modelled(self) -> list[TraceEntry]:
        return [e for e in self.entries if e.not_modelled]

    def entry(self, ref: str) -> TraceEntry | None:
        return next((e for e in self.entries if e.ref == ref), None)


def model_ids(procedure: Procedure) -> set[str]:
    return {item.id for collection in COLLECTIONS for item in getattr(procedure.spec, collection)}


def load_traceability(procedure: Procedure, path: Path | str = TRACEABILITY_FILE) -> Traceability:
    """Load the table, checking each reference is a paragraph and each id an item of the model."""
    document = read_yaml(path)
    spec = validate_model(TraceabilityFile, document)
    known_refs, ids, seen = citable(), model_ids(procedure), {}
    for index, entry in enumerate(spec.paragraphs):
        where = ("paragraphs", index)
        if "/" not in entry.ref or entry.ref not in known_refs:
            raise document.error(where + ("ref",), f"{entry.ref!r} is not a paragraph of the documents"
                                                   f"{suggestion(entry.ref, known_refs)}")
        if entry.ref in seen:
            raise document.error(where + ("ref",), f"{entry.ref!r} is listed twice (first at paragraphs[{seen[entry.ref]}])")
        seen[entry.ref] = index
        for position, item in enumerate(entry.carried_by):
            if item not in ids:
                raise document.error(where + ("carried_by", position),
                                     f"no model item has id {item!r}{suggestion(item, ids)}")
    return Traceability(tuple(spec.paragraphs))


def refreshed_text(procedure: Procedure, path: Path | str = TRACEABILITY_FILE) -> str:
    """The table with `carried_by` brought up to date from the model's citations, keeping every
    id listed by hand that still exists and every `not_modelled` reason. A paragraph that loses
    its last carrier and has no reason gets `not_modelled: "TODO: ..."`, which a person must write."""
    from ruamel.yaml import YAML

    from cpmodel.model.sources import paragraphs, split_citations

    text = Path(path).read_text(encoding="utf-8")
    old = {e["ref"]: e for e in (YAML(typ="safe").load(text) or {}).get("paragraphs", [])}
    carried: dict[str, list[str]] = {}
    for collection in COLLECTIONS:
        for item in getattr(procedure.spec, collection):
            for ref in split_citations(getattr(item, "citation", "") or ""):
                carried.setdefault(ref, []).append(item.id)
    ids = model_ids(procedure)
    lines = [text[:text.index("paragraphs:")] + "paragraphs:"] if "paragraphs:" in text else ["paragraphs:"]
    for paragraph in paragraphs():
        entry = old.get(paragraph.ref, {})
        listed = list(dict.fromkeys([i for i in entry.get("carried_by", []) if i in ids] + carried.get(paragraph.ref, [])))
        if listed:
            lines.append(f'  - {{ref: "{paragraph.ref}", carried_by: [{", ".join(listed)}]}}')
        else:
            reason = entry.get("not_modelled") or f"TODO: say why '{paragraph.excerpt}' is not modelled"
            lines.append(f'  - {{ref: "{paragraph.ref}", not_modelled: "{reason}"}}')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":   # python -m cpmodel.model.traceability: refresh the table after editing the model
    from cpmodel.model.loader import load_procedure

    TRACEABILITY_FILE.write_text(refreshed_text(load_procedure()), encoding="utf-8")
    print(f"refreshed {TRACEABILITY_FILE}")
