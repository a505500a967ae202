"""What every check returns: a Finding, with a stable id a policy writer can acknowledge."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cpmodel.model.procedure import Procedure
from cpmodel.model.sources import heading_of, sections, split_citations

SEVERITIES = ("error", "warning", "info")


def finding_id(kind: str, *involved: str) -> str:
    """Stable across runs and revisions: the kind and the sorted ids involved."""
    return f"{kind}:{'+'.join(sorted(involved))}"


@dataclass
class Finding:
    kind: str
    severity: str
    message: str
    involved: list[str]
    witness: dict[str, Any] = field(default_factory=dict)
    citations: list[str] = field(default_factory=list)
    id: str = ""
    acknowledged: bool = False
    acknowledgement: dict | None = None

    def __post_init__(self):
        if not self.id:
            self.id = finding_id(self.kind, *self.involved)

    @property
    def fails(self) -> bool:
        return self.severity == "error" and not self.acknowledged

    def to_json(self) -> dict:
        known = sections()
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "involved": self.involved,
            "witness": self.witness,
            "citations": [{"ref": c, "heading": heading_of(c)} for c in self.citations],
            "acknowledged": self.acknowledged,
            "acknowledgement": self.acknowledgement,
        }


def citations_of(procedure: Procedure, *item_ids: str) -> list[str]:
    """The citations of the named rules, deadlines, transitions or states, in order, once each."""
    found: list[str] = []
    for item_id in item_ids:
        for collection in (procedure.rules, procedure.deadlines, procedure.transitions, procedure.states,
                           procedure.invariants):
            if item_id in collection:
                for citation in split_citations(collection[item_id].citation):
                    if citation not in found:
                        found.append(citation)
                break
    return found


def item_of(procedure: Procedure, item_id: str):
    """The rule, deadline, transition, state or invariant with this id (None if there is none)."""
    for collection in (procedure.rules, procedure.deadlines, procedure.transitions, procedure.states,
                       procedure.invariants, procedure.roles, procedure.facts, procedure.actions,
                       getattr(procedure, "parameters", {})):
        if item_id in collection:
            return collection[item_id]
    return None


def words_of(procedure: Procedure, item_id: str) -> str:
    """How a policy writer knows an item: its text in quotation marks and its paragraph.

    Messages lead with this and name the id after it, so a finding reads in the documents' words.
    """
    item = item_of(procedure, item_id)
    if item is None:
        return repr(item_id)
    text = (getattr(item, "text", "") or getattr(item, "description", "") or getattr(item, "name", "")).strip()
    where = ", ".join(split_citations(getattr(item, "citation", "") or ""))
    if hasattr(item, "source") and hasattr(item, "target"):   # a transition: say where it goes
        step = (f"the step from '{procedure.states[item.source].name}' to "
                f"'{procedure.states[item.target].name}' on {item.event!r}")
        text = f"{step}: {text}" if text else step
        return f"{text} ({where}; {item_id})"
    if not text:
        return f"{item_id!r} ({where})" if where else repr(item_id)
    if not where:
        return f"\u201c{text}\u201d ({item_id})"
    return f"\u201c{text}\u201d ({where}; {item_id})"
