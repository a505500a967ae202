"""Vacuous: a rule, deadline, transition guard or state that can never hold in any case.

A duty whose condition no case can meet never applies, however carefully it was written (an
off-by-one such as `failed_visits_in_a_row > 2` where the fact's maximum is 2). Z3 decides it
over the facts' domains and the invariants; the explanation is the smallest set of reasons
(an unsat core shrunk by deletion), said in words.
"""
from __future__ import annotations

import z3

from cpmodel.model.conditions import Const, render
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of, words_of

KIND = "vacuous"


def scope_states(item) -> list[str]:
    """The states a rule or deadline is limited to (`in:` in the file), if it has a scope."""
    for name in ("in_states", "in_", "scope_in", "states"):
        value = getattr(item, name, None)
        if value:
            return [value] if isinstance(value, str) else list(value)
    return []


def applicability(procedure: Procedure, encoder: FactEncoder, kind: str, item) -> dict:
    """The named parts that must all hold for a rule or deadline to apply (for explanations)."""
    parts = {"condition": encoder.encode(procedure.condition(kind, item.id))}
    states = scope_states(item)
    if states:
        parts["scope"] = z3.Or([encoder.encode(procedure.condition("state", s)) for s in states])
    return parts


def _never(procedure: Procedure, encoder: FactEncoder, kind: str, item) -> list[str] | None:
    """The reasons an item can never hold, or None if some case meets it."""
    if kind == "transition":
        from cpmodel.proofs.reachability import step_possible, step_reasons

        return None if step_possible(procedure, encoder, item) else step_reasons(procedure, encoder, item)
    if kind == "state":
        parts = {"condition": encoder.encode(procedure.condition("state", item.id))}
    else:
        parts = applicability(procedure, encoder, kind, item)
    return None if encoder.satisfiable(*parts.values()) else encoder.explain(parts)


def reason_in_words(procedure: Procedure, item, label: str) -> str:
    if label == "condition":
        kind = "guard" if hasattr(item, "source") else ("assumption" if hasattr(item, "kind") else "condition")
        field = "assumes" if kind == "assumption" else "when"
        return f"its {kind} `{getattr(item, field)}`"
    if label == "scope":
        names = ", ".join(repr(procedure.states[s].name) for s in scope_states(item))
        return f"it applies only in {names}, " + "; ".join(
            f"'{procedure.states[s].name}' assumes `{procedure.states[s].assumes}`" for s in scope_states(item))
    if label.startswith("state:"):
        state = procedure.states[label.split(":", 1)[1]]
        if item is not None and getattr(item, "target", None) == state.id and getattr(item, "source", None) != state.id:
            return f"it enters '{state.name}', which assumes `{state.assumes}`"
        if item is not None and getattr(item, "source", None) == state.id:
            return f"it leaves '{state.name}', which assumes `{state.assumes}`"
        return f"'{state.name}' assumes `{state.assumes}`"
    if label.startswith("invariant:"):
        invariant = procedure.invariants[label.split(":", 1)[1]]
        return f"the invariant \u201c{invariant.text or invariant.when}\u201d ({invariant.citation}; {invariant.id})"
    if label.startswith("domain:"):
        fact = procedure.facts[label.split(":", 1)[1]]
        return f"{fact.id} is at least {fact.min} and at most {fact.max}"
    return label


def _items(procedure: Procedure):
    for rule in procedure.spec.rules:
        yield "rule", rule
    for deadline in procedure.spec.deadlines:
        yield "deadline", deadline
    for transition in procedure.spec.transitions:
        yield "transition", transition
    for state in procedure.spec.states:
        yield "state", state


def check(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    if not encoder.satisfiable():   # the invariants contradict each other: no case exists at all
        reasons = encoder.explain({})
        invariants = [r.split(":", 1)[1] for r in reasons if r.startswith("invariant:")]
        because = "; ".join(reason_in_words(procedure, None, r) for r in reasons)
        return [Finding(
            kind=KIND, severity="error", involved=invariants or ["invariants"],
            witness={"reasons": reasons, "because": because},
            message=f"no case can exist at all, so every rule, deadline and step is void: {because}",
            citations=citations_of(procedure, *invariants))]
    findings = []
    for kind, item in _items(procedure):
        if kind == "state" and procedure.condition("state", item.id) == Const(True):
            continue
        reasons = _never(procedure, encoder, kind, item)
        if reasons is None:
            continue
        because = "; ".join(reason_in_words(procedure, item, r) for r in reasons)
        what = {"rule": "this rule can never apply", "deadline": "this deadline can never apply",
                "transition": "this way out can never be taken",
                "state": "no case can ever be in this state"}[kind]
        condition = procedure.condition(kind, item.id)
        findings.append(Finding(
            kind=KIND, severity="error", involved=[item.id],
            witness={"condition": render(condition), "reasons": reasons, "because": because},
            message=f"{words_of(procedure, item.id)}: {what}, because no case meets all of: {because}",
            citations=citations_of(procedure, item.id,
                                   *(r.split(":", 1)[1] for r in reasons if r.startswith("invariant:")))))
    return findings
