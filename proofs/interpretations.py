"""Interpretation: every reading the model had to choose where the documents are unclear.

Not a defect of the model: a policy writer's list of what the documents leave open (which event
a period counts from, what 'around' means, who acts where nobody is named), each shown as info.
"""
from __future__ import annotations

from cpmodel.model.procedure import Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of

KIND = "interpretation"
_SINGULAR = {"roles": "role", "facts": "fact", "invariants": "invariant", "states": "state",
             "transitions": "transition", "actions": "action", "rules": "rule", "deadlines": "deadline",
             "parameters": "parameter"}


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    items = getattr(procedure, "items_with_interpretation", lambda: [])()
    for collection, item_id, reading in items:
        findings.append(Finding(
            kind=KIND, severity="info", involved=[item_id],
            witness={"item": f"{_SINGULAR.get(collection, collection)} {item_id}", "interpretation": reading},
            message=f"{words_of(procedure, item_id)}: the documents are unclear here; the model reads it so: "
                    f"{' '.join(reading.split())}",
            citations=citations_of(procedure, item_id)))
    return findings
