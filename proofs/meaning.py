"""Scope changed: a rule, deadline or step whose condition the revision rewrote so that it means
something else.

A rewritten condition is compared with the old one by Z3, over the facts' domains, the revised
procedure's invariants and where the item can apply (the states a rule or deadline is limited to,
the state a step enters). Equivalent rewrites (`failed_visits_in_a_row >= 2` for `> 1` where the
most is 2) are not reported. Otherwise the finding gives a smallest case where the new condition
holds and the old did not, and one for the other way round, in the state where it happens, so a
policy writer reads the consequence ("now applies to an unborn child") rather than the edit.
"""
from __future__ import annotations

import z3

from cpmodel.model.conditions import Condition, evaluate, facts_named
from cpmodel.model.procedure import Procedure
from cpmodel.proofs.encode import FactEncoder
from cpmodel.proofs.findings import Finding, citations_of, words_of

KIND = "scope_changed"
_COLLECTIONS = (("rules", "rule"), ("deadlines", "deadline"), ("transitions", "transition"))


def condition_difference(encoder: FactEncoder, old: Condition, new: Condition, context=()) -> dict:
    """The smallest case where the new condition holds and the old does not ('gained') and the
    other way round ('lost'), each None when there is none, under the encoder's domains and
    invariants and the given Z3 context. Both None: the two conditions mean the same."""
    show = facts_named(old) | facts_named(new)
    old_term, new_term = encoder.encode(old), encoder.encode(new)
    gained = encoder.search(new_term, z3.Not(old_term), *context, show=show)
    lost = encoder.search(old_term, z3.Not(new_term), *context, show=show)
    return {"gained": gained.witness if gained.satisfiable else None,
            "lost": lost.witness if lost.satisfiable else None}


def same_facts(old: Procedure, new: Procedure, names: set[str]) -> bool:
    """The facts a comparison needs exist in both revisions with the same domain."""
    for name in names:
        if name not in old.facts or name not in new.facts:
            return False
        was, now = old.facts[name], new.facts[name]
        if (was.type, was.values, was.min, was.max) != (now.type, now.values, now.min, now.max):
            return False
    return True


def _context(procedure: Procedure, encoder: FactEncoder, kind: str, item) -> list:
    """Where the item can matter: a step is taken into its target state; a rule or deadline
    limited to states applies only in one of them."""
    if kind == "transition":
        return [encoder.encode(procedure.condition("state", item.target))]
    states = list(getattr(item, "in_states", []) or [])
    if states:
        return [z3.Or([encoder.encode(procedure.condition("state", s)) for s in states])]
    return []


def _full_case(procedure: Procedure, case: dict) -> dict:
    return {f.id: f.quiet_value() for f in procedure.spec.facts} | case


def state_for(procedure: Procedure, kind: str, item, case: dict) -> str | None:
    """A state the witness case can be in where the item matters (for the message)."""
    if kind == "transition":
        return item.source
    full = _full_case(procedure, case)
    candidates = list(getattr(item, "in_states", []) or [])
    events = list(getattr(item, "on", []) or [])
    if not candidates and kind == "deadline" and item.anchor:
        events = [item.anchor.split("#")[0]]
    if not candidates and events:
        candidates = [t.target for t in procedure.spec.transitions if t.event in events]
    if not candidates:
        candidates = [s.id for s in procedure.spec.states if s.kind != "start"]
    # States whose own assumption the case meets say more ('plan in force' for on_plan) than
    # states that assume nothing, so they come first.
    ordered = sorted(dict.fromkeys(candidates), key=lambda s: procedure.states[s].assumes in (None, "", "true"))
    for state in ordered:
        if evaluate(procedure.condition("state", state), full):
            return state
    return None


def case_in_words(procedure: Procedure, state: str | None, case: dict) -> str:
    where = f"a case in '{procedure.states[state].name}'" if state else "a case"
    facts = ", ".join(f"{name} = {str(value).lower() if isinstance(value, bool) else value}"
                      for name, value in case.items())
    return f"{where} with {facts}" if facts else f"{where} with every fact at its default"


_SAID = {"rule": ("it now applies where before the revision it did not", "it no longer applies where before it did"),
         "deadline": ("it now binds where before the revision it did not", "it no longer binds where before it did"),
         "transition": ("it can now be taken where before the revision it could not",
                        "it can no longer be taken where before it could")}


def _scope_lists(old: Procedure, new: Procedure, kind: str, was, now) -> list[str]:
    """Changes to where a rule or deadline applies (`in`, `on`), in words."""
    parts = []
    for field, label in (("in_states", "only in the states"), ("on", "only at the events")):
        if kind == "transition" or not hasattr(was, field):
            continue
        before, after = list(getattr(was, field) or []), list(getattr(now, field) or [])
        if before == after:
            continue

        def shown(values, procedure):
            if not values:
                return "everywhere" if field == "in_states" else "at any step"
            if field == "in_states":
                return label + " " + ", ".join(f"'{procedure.states[v].name}'" if v in procedure.states else v
                                               for v in values)
            return label + " " + ", ".join(repr(v) for v in values)
        parts.append(f"it applied {shown(before, old)}; now {shown(after, new)}")
    return parts


def check(old: Procedure, new: Procedure) -> list[Finding]:
    """Every item in both revisions whose condition or scope now means something else."""
    encoder = FactEncoder(new)
    findings = []
    for collection, kind in _COLLECTIONS:
        before = {i.id: i for i in getattr(old.spec, collection)}
        for item in getattr(new.spec, collection):
            was = before.get(item.id)
            if was is None:
                continue
            if kind == "transition" and (was.source, was.target, was.event) != (item.source, item.target, item.event):
                continue   # a step moved elsewhere is a route change (routes.py)
            old_condition, new_condition = old.condition(kind, item.id), new.condition(kind, item.id)
            lists = _scope_lists(old, new, kind, was, item)
            if old_condition == new_condition and not lists:
                continue
            difference = {"gained": None, "lost": None}
            if old_condition != new_condition:
                if not same_facts(old, new, facts_named(old_condition) | facts_named(new_condition)):
                    continue   # the facts themselves changed: listed among the model changes
                difference = condition_difference(encoder, old_condition, new_condition,
                                                  _context(new, encoder, kind, item))
            if difference["gained"] is None and difference["lost"] is None and not lists:
                continue   # an equivalent rewrite: it means the same in every case
            findings.append(_finding(new, kind, was, item, difference, lists))
    return findings


def _finding(procedure: Procedure, kind: str, was, item, difference: dict, lists: list[str]) -> Finding:
    parts, witness = [], {"old_condition": was.when, "new_condition": item.when}
    for key, text in zip(("gained", "lost"), _SAID[kind]):
        case = difference[key]
        if case is None:
            continue
        state = state_for(procedure, kind, item, case)
        parts.append(f"{text}, e.g. {case_in_words(procedure, state, case)}")
        witness[key] = {"state": state, "case": case}
    if lists:
        witness["scope"] = lists
        parts.append("; ".join(lists))
    subject = {"rule": "when it applies", "deadline": "when it binds", "transition": "when it can be taken"}[kind]
    condition = (f" (`{was.when}` became `{item.when}`)" if was.when != item.when else "")
    message = (f"{words_of(procedure, item.id)}: the revision changes {subject}{condition}: "
               + "; ".join(parts))
    return Finding(kind=KIND, severity="info", involved=[item.id], witness=witness, message=message,
                   citations=citations_of(procedure, item.id))
