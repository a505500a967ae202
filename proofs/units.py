"""Unit inconsistency: a period in plain days where the procedure counts comparable duties in
working days. Judged against the whole procedure, not a pair: every short timescale (days or
working days) is compared with all the others, those of the same duty kind first."""
from __future__ import annotations

from cpmodel.model.procedure import Procedure
from cpmodel.proofs.findings import Finding, citations_of, words_of

KIND = "unit_inconsistency"


def periods_of(item) -> list:
    return [p for p in (getattr(item, name, None) for name in ("within", "every", "not_before"))
            if p is not None and getattr(p, "unit", None) is not None and p.number]


def short_timescales(procedure: Procedure) -> list[tuple]:
    """(deadline, period) for every non-zero period counted in days or working days."""
    return [(d, p) for d in procedure.spec.deadlines for p in periods_of(d) if p.unit in ("days", "working_days")]


def check(procedure: Procedure, _encoder=None) -> list[Finding]:
    findings = []
    timescales = short_timescales(procedure)
    working = [(d, p) for d, p in timescales if p.unit == "working_days"]
    plain = [(d, p) for d, p in timescales if p.unit == "days"]
    if len(working) <= len(plain):
        return findings   # the procedure mostly counts plain days: nothing to be inconsistent with
    for deadline, period in plain:
        same_kind = [(d, p) for d, p in working if d.duty == deadline.duty]
        peers = same_kind or working
        shown = ", ".join(f"{d.id} ({p})" for d, p in peers[:4]) + (", ..." if len(peers) > 4 else "")
        findings.append(Finding(
            kind=KIND, severity="error", involved=[deadline.id],
            witness={"period": str(period), "working_day_timescales": len(working), "plain_day_timescales": len(plain),
                     "comparable": [d.id for d, _ in peers]},
            message=f"{words_of(procedure, deadline.id)}: counts {period} (plain days, weekends and bank "
                    f"holidays included), where {len(working)} of the procedure's {len(timescales)} short "
                    f"timescales count working days"
                    f"{' (the same kind of duty: ' + shown + ')' if same_kind else ' (' + shown + ')'}; "
                    f"say which is meant, and record it as an interpretation if the document is unclear",
            citations=citations_of(procedure, deadline.id, *(d.id for d, _ in peers[:4]))))
    return findings
