"""Run every check on a procedure and apply the policy writer's acknowledgements."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from cpmodel.model.procedure import Procedure
from cpmodel.proofs import (accountability, conflicts, deadlines, gaps, interpretations, reachability, structure,
                    text_drift, timing, transition_conflicts, units, vacuity)
from cpmodel.proofs.encode import DEFAULT_TIMEOUT_MS, FactEncoder, SolverUndecided
from cpmodel.proofs.findings import SEVERITIES, Finding

CHECKS = {
    "structure": structure.check,
    "vacuity": vacuity.check,
    "reachability": reachability.check,
    "conflicts": conflicts.check,
    "gaps": gaps.check,
    "deadlines": deadlines.check,
    "units": units.check,
    "text_drift": text_drift.check,
    "accountability": accountability.check,
    "transition_conflicts": transition_conflicts.check,
    "timing": timing.check,
    "interpretations": interpretations.check,
}


@dataclass
class CheckReport:
    procedure_file: str
    procedure_name: str
    procedure_version: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def failed(self, strict: bool = False) -> bool:
        if strict:
            return any(f.severity in ("error", "warning") and not f.acknowledged for f in self.findings)
        return any(f.fails for f in self.findings)

    def counts(self) -> dict:
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        counts["acknowledged"] = sum(f.acknowledged for f in self.findings)
        return counts

    def to_json(self) -> dict:
        return {
            "schema_version": 1,
            "procedure": {"file": self.procedure_file, "name": self.procedure_name, "version": self.procedure_version},
            "consistent": not self.failed(),
            "counts": self.counts(),
            "findings": [f.to_json() for f in self.findings],
        }


def run_checks(procedure: Procedure, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> CheckReport:
    started = time.perf_counter()
    encoder = FactEncoder(procedure, timeout_ms)
    findings: list[Finding] = []
    for name, check in CHECKS.items():
        try:
            findings.extend(check(procedure, encoder))
        except SolverUndecided as undecided:
            findings.append(Finding(
                kind="undecided", severity="error", involved=[name],
                message=f"Z3 could not decide the {name} check ({undecided.reason}); "
                        "its result is unknown, not proved",
                witness={"reason": undecided.reason, "timeout_ms": timeout_ms}))
    apply_acknowledgements(procedure, findings)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], f.acknowledged, f.kind, f.id))
    return CheckReport(procedure.file, procedure.spec.name, procedure.spec.version, findings,
                       time.perf_counter() - started)


# Kinds that were renamed: an acknowledgement written under the old name still applies.
RENAMED_KINDS = {"ambiguous_unit": "unit_inconsistency"}


def _current_name(finding_id: str) -> str:
    kind, _, rest = finding_id.partition(":")
    return f"{RENAMED_KINDS[kind]}:{rest}" if kind in RENAMED_KINDS and rest else finding_id


def apply_acknowledgements(procedure: Procedure, findings: list[Finding]) -> None:
    """Mark acknowledged findings; an acknowledgement that matches nothing is itself a warning."""
    by_id = {f.id: f for f in findings}
    for index, acknowledgement in enumerate(procedure.spec.acknowledgements):
        finding = by_id.get(_current_name(acknowledgement.finding))
        if finding is None:
            findings.append(Finding(
                kind="stale_acknowledgement", severity="warning", involved=[acknowledgement.finding],
                message=f"acknowledgement of {acknowledgement.finding!r} (line "
                        f"{procedure.line_of('acknowledgements', index) or '?'}) matches no finding any more: remove it",
                witness={"acknowledgement": acknowledgement.model_dump()}))
            continue
        finding.acknowledged = True
        finding.acknowledgement = acknowledgement.model_dump()
