"""Gap: at a decision point, a case where no way out applies, or two exclusive ways out both do."""
from __future__ import annotations

import itertools

import z3

from cpmodel.model.conditions import facts_named
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of


def check(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    findings = []
    for state in procedure.spec.states:
        if state.kind != "decision" or getattr(state, "judgement", False):
            continue   # a judgement decision: every way out is a valid outcome, whatever the facts
        known = encoder.encode(procedure.condition("state", state.id))
        ways = procedure.outgoing(state.id)
        guards = {t.id: encoder.encode(procedure.condition("transition", t.id)) for t in ways}
        named = set().union(*(facts_named(procedure.condition("transition", t.id)) for t in ways)) if ways else set()
        outcome = encoder.search(known, z3.Not(z3.Or(list(guards.values()) or [z3.BoolVal(False)])), show=named)
        if outcome.satisfiable:
            findings.append(Finding(
                kind="gap", severity="error", involved=[state.id], witness=outcome.witness,
                message=f"at '{state.name}' no way out applies in the case shown "
                        f"(ways out: {', '.join(guards) or 'none'})",
                citations=citations_of(procedure, state.id)))
        exclusive = [t for t in ways if t.exclusive]
        for first, second in itertools.combinations(exclusive, 2):
            outcome = encoder.search(known, guards[first.id], guards[second.id], show=named)
            if outcome.satisfiable:
                findings.append(Finding(
                    kind="overlap", severity="error", involved=[first.id, second.id], witness=outcome.witness,
                    message=f"at '{state.name}' two exclusive ways out both apply in the case shown: "
                            f"{first.id!r} and {second.id!r} (mark one 'exclusive: false' if the choice is discretionary)",
                    citations=citations_of(procedure, state.id, first.id, second.id)))
    return findings
