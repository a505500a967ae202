"""Transition conflict: the graph and the rules disagree about an action.

Two questions, both for Z3 over the facts:
- a step whose `action`, taken by its `by` role, a rule forbids where both can hold: the same
  state (the rule's `in`), the same event (its `on`) and a case meeting the step's guard, the
  state's assumption and the rule's condition, with no rule that overrides the prohibition
  permitting it there (the graph lets a PLO plan be ended by the chair);
- a duty to perform an action that only steps perform, where no such step can be taken by the
  role the duty names in some case the duty covers.
A step naming no actor, or a rule naming no role, is judged against everyone, as the pathway
walker judges it.
"""
from __future__ import annotations

import z3

from cpmodel.model.digraph import has_path
from cpmodel.model.procedure import Procedure, roles_of
from cpmodel.proofs.conflicts import precedence
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of, words_of
from cpmodel.proofs.vacuity import applicability

KIND = "transition_conflict"


def _roles_meet(step_roles, rule_roles) -> bool:
    step_roles, rule_roles = set(roles_of(step_roles)), set(roles_of(rule_roles))
    return not step_roles or not rule_roles or bool(step_roles & rule_roles)


def _in_scope(rule, transition) -> bool:
    return (not rule.in_states or transition.source in rule.in_states) and (not rule.on or transition.event in rule.on)


def _step(procedure: Procedure, encoder: FactEncoder, transition) -> list:
    """The situation when the step's action is taken: its guard holds, the case between the state
    it leaves and the state it enters (a plan still in force, or just ended)."""
    return [z3.Or(encoder.encode(procedure.condition("state", transition.source)),
                  encoder.encode(procedure.condition("state", transition.target))),
            encoder.encode(procedure.condition("transition", transition.id))]


def _rule_parts(procedure: Procedure, encoder: FactEncoder, rule) -> list:
    return list(applicability(procedure, encoder, "rule", rule).values())


def forbidden_steps(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    order = precedence(procedure)
    findings = []
    for transition in procedure.spec.transitions:
        if not transition.action:
            continue
        for rule in procedure.spec.rules:
            if rule.action != transition.action or rule.modality != "forbidden":
                continue
            if not _roles_meet(transition.by, rule.role) or not _in_scope(rule, transition):
                continue
            exceptions = [other for other in procedure.spec.rules
                          if other.id != rule.id and other.action == rule.action and other.modality != "forbidden"
                          and other.id in order and has_path(order, other.id, rule.id)
                          and not has_path(order, rule.id, other.id) and _in_scope(other, transition)
                          and _roles_meet(transition.by, other.role)]
            excused = [z3.Not(z3.And(_rule_parts(procedure, encoder, other))) for other in exceptions]
            constraints = _step(procedure, encoder, transition) + _rule_parts(procedure, encoder, rule) + excused
            if not encoder.satisfiable(*constraints):
                continue
            outcome = encoder.search(*constraints)
            actors = ", ".join(roles_of(transition.by)) or "someone the documents do not name"
            findings.append(Finding(
                kind=KIND, severity="error", involved=[rule.id, transition.id],
                witness=outcome.witness | {"action": transition.action, "by": roles_of(transition.by),
                                           "forbidden_to": roles_of(rule.role)},
                message=f"{words_of(procedure, rule.id)} forbids {transition.action!r}, yet "
                        f"{words_of(procedure, transition.id)} performs it, taken by {actors}, in a case like "
                        f"{_case(outcome.witness)}; narrow the step's `when` or say which prevails",
                citations=citations_of(procedure, rule.id, transition.id)))
    return findings


def impossible_duties(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    performed = {t.action for t in procedure.spec.transitions if t.action}
    findings = []
    for rule in procedure.spec.rules:
        if rule.strength not in ("must", "should") or rule.action not in performed:
            continue
        duty = _rule_parts(procedure, encoder, rule)
        if not encoder.satisfiable(*duty):
            continue   # vacuous: reported as such
        ways = [t for t in procedure.spec.transitions if t.action == rule.action and _roles_meet(t.by, rule.role)
                and (not rule.in_states or t.source in rule.in_states) and (not rule.on or t.event in rule.on)]
        able = [z3.And(_step(procedure, encoder, t)) for t in ways]
        constraints = duty + [z3.Not(z3.Or(able))] if able else duty
        if not encoder.satisfiable(*constraints):
            continue
        outcome = encoder.search(*constraints)
        steps = [t.id for t in procedure.spec.transitions if t.action == rule.action]
        findings.append(Finding(
            kind=KIND, severity="error", involved=[rule.id],
            witness=outcome.witness | {"action": rule.action, "steps_performing_it": steps,
                                       "open_to_the_duty": [t.id for t in ways]},
            message=f"{words_of(procedure, rule.id)} requires {rule.action!r} of "
                    f"{', '.join(roles_of(rule.role)) or 'someone'}, but in a case like {_case(outcome.witness)} "
                    f"no step can perform it (steps that do: {', '.join(steps)}"
                    f"{'; none open to that role where the duty applies' if not ways else ''})",
            citations=citations_of(procedure, rule.id, *steps)))
    return findings


def _case(witness: dict) -> str:
    if not witness:
        return "every fact at its default"
    return ", ".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in witness.items())


def check(procedure: Procedure, encoder: FactEncoder) -> list[Finding]:
    return forbidden_steps(procedure, encoder) + impossible_duties(procedure, encoder)
