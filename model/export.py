"""The normalized model as JSON: a stable contract for other tools (documented in README)."""
from __future__ import annotations

from cpmodel.model.conditions import render
from cpmodel.model.procedure import Procedure, roles_of
from cpmodel.model.sources import heading_of, split_citations

SCHEMA_VERSION = 1


def _citations(text: str) -> list[dict]:
    return [{"ref": c, "heading": heading_of(c)} for c in split_citations(text)]


def _period(period):
    return None if period is None else {"number": period.number, "unit": period.unit}


def export_model(procedure: Procedure) -> dict:
    spec = procedure.spec
    return {
        "schema_version": SCHEMA_VERSION,
        "name": spec.name,
        "version": spec.version,
        "source_file": procedure.file,
        "roles": [{"id": r.id, "name": r.name, "description": r.description,
                   "citations": _citations(r.citation)} for r in spec.roles],
        "facts": [{"id": f.id, "type": f.type, "domain": f.domain(), "description": f.description}
                  for f in spec.facts],
        "invariants": [{"id": i.id, "condition": render(procedure.condition("invariant", i.id)),
                        "text": i.text, "citations": _citations(i.citation)} for i in spec.invariants],
        "states": [{"id": s.id, "name": s.name, "kind": s.kind,
                    "assumes": render(procedure.condition("state", s.id)),
                    "description": s.description, "citations": _citations(s.citation)} for s in spec.states],
        "transitions": [{"id": t.id, "from": t.source, "to": t.target, "event": t.event,
                         "when": render(procedure.condition("transition", t.id)), "exclusive": t.exclusive,
                         "action": t.action,
                         "citations": _citations(t.citation)} for t in spec.transitions],
        "actions": [{"id": a.id, "description": a.description, "excludes": a.excludes} for a in spec.actions],
        "rules": [{"id": r.id, "modality": r.modality, "action": r.action, "roles": roles_of(r.role),
                   "when": render(procedure.condition("rule", r.id)), "overrides": r.overrides,
                   "text": r.text, "citations": _citations(r.citation)} for r in spec.rules],
        "deadlines": [{"id": d.id, "event": d.event, "anchor": d.anchor, "within": _period(d.within),
                       "every": _period(d.every), "not_before": _period(d.not_before), "before": d.before,
                       "when": render(procedure.condition("deadline", d.id)),
                       "duty": d.duty, "roles": roles_of(d.role), "text": d.text, "note": d.note,
                       "citations": _citations(d.citation)} for d in spec.deadlines],
        "acknowledgements": [a.model_dump() for a in spec.acknowledgements],
        "sections_cited": sorted({c for item in _all_cited(procedure) for c in split_citations(item)}),
    }


def _all_cited(procedure: Procedure):
    spec = procedure.spec
    for collection in (spec.roles, spec.invariants, spec.states, spec.transitions, spec.rules, spec.deadlines):
        for item in collection:
            yield item.citation
