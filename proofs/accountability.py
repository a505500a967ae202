"""Unaccountable duty: an obligation or deadline with no accountable role, or more than one."""
from __future__ import annotations

from cpmodel.model.procedure import Procedure, roles_of
from cpmodel.proofs.findings import Finding, citations_of


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    duties = [r for r in procedure.spec.rules if r.modality == "obliged"] + list(procedure.spec.deadlines)
    for duty in duties:
        roles = roles_of(duty.role)
        if len(roles) == 1:
            continue
        who = "no one" if not roles else f"{len(roles)} roles ({', '.join(roles)})"
        findings.append(Finding(
            kind="unaccountable", severity="error", involved=[duty.id], witness={"roles": roles},
            message=f"{duty.id!r} is a duty for {who}: name the single role accountable for it",
            citations=citations_of(procedure, duty.id)))
    return findings
