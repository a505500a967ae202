"""Unreachable states and dead ends, from the state graph."""
from __future__ import annotations

from model.graph import dead_ends, unreachable_states
from model.procedure import Procedure
from proofs.findings import Finding, citations_of


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    for state in unreachable_states(procedure):
        findings.append(Finding(kind="unreachable", severity="error", involved=[state],
                                message=f"no case can reach state {state!r} from {procedure.start.id!r}",
                                citations=citations_of(procedure, state)))
    for state in dead_ends(procedure):
        findings.append(Finding(kind="dead_end", severity="error", involved=[state],
                                message=f"state {state!r} is not final, yet a case there can never reach an end",
                                citations=citations_of(procedure, state)))
    return findings
