"""Ambiguous unit: plain days where the same kind of duty elsewhere counts working days."""
from __future__ import annotations

from model.procedure import EventRef, Procedure
from proofs.findings import Finding, citations_of


def _units(deadline) -> set[str]:
    return {p.unit for p in (deadline.within, deadline.every, deadline.not_before) if p is not None}


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    deadlines = procedure.spec.deadlines
    for deadline in deadlines:
        if "days" not in _units(deadline):
            continue
        same_event = EventRef.parse(deadline.event).event
        peers = [d for d in deadlines if d.id != deadline.id and "working_days" in _units(d)
                 and (d.duty == deadline.duty or EventRef.parse(d.event).event == same_event)]
        if peers:
            findings.append(Finding(
                kind="ambiguous_unit", severity="warning", involved=[deadline.id],
                witness={"plain_days": deadline.id, "working_days_elsewhere": [p.id for p in peers]},
                message=f"{deadline.id!r} counts plain days ({deadline.within or deadline.every or deadline.not_before}) "
                        f"where the same kind of duty ({', '.join(p.id for p in peers)}) counts working days; "
                        "say which is meant",
                citations=citations_of(procedure, deadline.id, *(p.id for p in peers))))
    return findings
