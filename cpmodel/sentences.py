"""The procedure's items as plain English a committee can check against the documents: who
must, should or may do what, when, by which deadline, unless which rule takes precedence.

Built from the validated model only (never from the YAML text), so the book says exactly what
the checker and the simulation read. Fields of the second version of the language (strength,
scope, interpretation, decided_by, by) are read with getattr, so a first-version file still reads.
"""
from __future__ import annotations

from cpmodel.model.conditions import And, Compare, Const, Fact, Implies, Member, Not, Or
from cpmodel.model.procedure import EventRef, Procedure, roles_of

from cpmodel.words import humanize, join_words

STRENGTH_WORDS = {"must": "must", "should": "should", "may": "may", "consider": "must consider whether to",
                  "must_not": "must not", "should_not": "should not"}
MODALITY_STRENGTH = {"obliged": "must", "permitted": "may", "forbidden": "must_not"}
STRENGTH_MEANING = {"must": "a duty", "should": "advice (a 'should'): not following it needs a reason",
                    "may": "a discretion, never a breach", "consider": "a duty to consider, not to act",
                    "must_not": "a prohibition", "should_not": "advice against"}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
COMPARISONS = {"==": "is", "!=": "is not", "<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least"}


def first(item, *names, default=None):
    """The first of several possible attribute names that the item has and sets."""
    for name in names:
        value = getattr(item, name, None)
        if value not in (None, "", [], ()):
            return value
    return default


def strength_of(item) -> str | None:
    """must/should/may/consider/must_not/should_not: the v2 field, else derived from v1 modality."""
    strength = getattr(item, "strength", None)
    if strength:
        return str(strength)
    modality = getattr(item, "modality", None)
    return MODALITY_STRENGTH.get(modality) if modality else None


def strength_is_worded(item) -> bool:
    """True when the model states the strength itself (v2), not only a v1 modality."""
    return bool(getattr(item, "strength", None))


def scope_states(item) -> list[str]:
    value = first(item, "in_states", "in_", "states_in", "scope_in")
    return [value] if isinstance(value, str) else list(value or [])


def scope_events(item) -> list[str]:
    value = first(item, "on_events", "on_", "on", "events_on", "scope_on")
    return [value] if isinstance(value, str) else list(value or [])


def _sentence_case(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class Words:
    """Plain-English pieces for one procedure: role, state, event and condition names."""

    def __init__(self, procedure: Procedure):
        self.procedure = procedure

    # -- names -----------------------------------------------------------------------------------
    def role(self, role_id: str) -> str:
        """'the lead social worker', but 'the Independent Reviewing Officer (IRO)': a title keeps its capitals."""
        role = self.procedure.roles.get(role_id)
        if role is None:
            return f"the {humanize(role_id)}"
        name = role.name
        if name.startswith("The "):
            return "the " + name[4:]
        parts = name.split()
        title = len(parts) > 1 and parts[1][:1].isupper()
        return "the " + (name if title else name[:1].lower() + name[1:])

    def roles(self, field) -> str:
        names = [self.role(r) for r in roles_of(field)]
        return join_words(names, "or") if names else ""

    def state(self, state_id: str) -> str:
        state = self.procedure.states.get(state_id)
        return f"\u201c{state.name}\u201d" if state else humanize(state_id)

    def event(self, reference: str | None, each: bool = True) -> str:
        """`core_group#2` -> 'the second core group'; `core_group` -> 'each core group'."""
        ref = EventRef.parse(reference or "")
        if ref is None:
            return humanize(reference)
        name = humanize(ref.event)
        if ref.occurrence is None:
            return f"{'each' if each else 'a'} {name}"
        return f"the {ORDINALS.get(ref.occurrence, f'{ref.occurrence}th')} {name}"

    # -- conditions ------------------------------------------------------------------------------
    def fact(self, name: str) -> str:
        fact = self.procedure.facts.get(name)
        if fact is None:
            return humanize(name)
        if fact.type == "bool" and fact.description:
            return _sentence_case(fact.description)
        return humanize(name)

    def condition(self, condition) -> str:
        """A parsed condition in words; the formal text is shown beside it for the exact reading."""
        if isinstance(condition, Const):
            return "always" if condition.value else "never"
        if isinstance(condition, Fact):
            return self.fact(condition.name)
        if isinstance(condition, Compare):
            value = humanize(str(condition.value)) if not isinstance(condition.value, bool) else str(condition.value).lower()
            return f"{humanize(condition.name)} {COMPARISONS[condition.op]} {value}"
        if isinstance(condition, Member):
            return f"{humanize(condition.name)} is " + join_words([humanize(str(v)) for v in condition.values], "or")
        if isinstance(condition, Not):
            inner = condition.operand
            if isinstance(inner, Fact):
                return f"it is not the case that {self.fact(inner.name)}"
            return f"it is not the case that ({self.condition(inner)})"
        if isinstance(condition, And):
            return join_words([self._wrapped(c) for c in condition.operands])
        if isinstance(condition, Or):
            return "either " + join_words([self._wrapped(c) for c in condition.operands], "or")
        if isinstance(condition, Implies):
            return f"if {self._wrapped(condition.premise)}, then {self._wrapped(condition.conclusion)}"
        return str(condition)

    def _wrapped(self, condition) -> str:
        text = self.condition(condition)
        return f"({text})" if isinstance(condition, (And, Or, Implies)) else text

    def scoped(self, kind: str, item) -> str:
        """The clauses that limit a rule or deadline: its states and events, then its condition."""
        scope, where = self.scope(item), self.where(kind, item.id, item.when)
        return (f", {scope}" if scope else "") + (f", where {where}" if where else "")

    def where(self, kind: str, item_id: str, text: str | None) -> str:
        """', where ...' for a condition that is not simply true; '' otherwise."""
        if not text or text.strip() == "true":
            return ""
        try:
            condition = self.procedure.condition(kind, item_id)
        except KeyError:
            from cpmodel.model.conditions import parse
            condition = parse(text)
        return self.condition(condition)

    # -- items -----------------------------------------------------------------------------------
    def scope(self, item) -> str:
        parts = []
        states = scope_states(item)
        if states:
            parts.append("while the case is in " + join_words([self.state(s) for s in states], "or"))
        events = scope_events(item)
        if events:
            parts.append("at the step where " + join_words([self.event(e, each=False) for e in events], "or")
                         + " has just happened")
        return " and ".join(parts)

    def rule(self, rule, overridden_by: list[str]) -> str:
        strength = strength_of(rule) or "must"
        action = self.procedure.actions.get(rule.action)
        doing = _sentence_case(action.description) if action and action.description else humanize(rule.action)
        who = self.roles(rule.role) or "someone (the documents name nobody)"
        sentence = f"{_capital(who)} {STRENGTH_WORDS.get(strength, strength)} {doing}"
        sentence += self.scoped("rule", rule)
        sentence += "."
        if rule.overrides:
            sentence += " This takes precedence over " + join_words([f"\u201c{humanize(o)}\u201d" for o in rule.overrides]) + "."
        if overridden_by:
            sentence += " Unless " + join_words([f"\u201c{humanize(o)}\u201d" for o in overridden_by], "or") \
                + " applies: that rule takes precedence."
        return sentence

    def parameter_name(self, parameter_id: str) -> str:
        parameter = next((p for p in getattr(self.procedure.spec, "parameters", None) or [] if p.id == parameter_id), None)
        name = getattr(parameter, "name", None) or humanize(parameter_id)
        who = {"plan": "the plan", "authority": "the authority"}.get(getattr(parameter, "set_by", None), "the plan or the authority")
        return f"\u201c{name[:1].lower() + name[1:]}\u201d (a period {who} sets)"

    def period(self, period) -> str:
        parameter = getattr(period, "parameter", None)
        if parameter:
            return f"the interval \u201c{humanize(parameter)}\u201d (set by the plan or the authority, not by the procedure)"
        return str(period)

    def deadline(self, deadline) -> str:
        strength = strength_of(deadline) or "must"
        event = self.event(deadline.event, each=True)
        parameter = getattr(deadline, "parameter", None)
        if parameter:
            named = self.parameter_name(parameter)
            counted = getattr(deadline, "parameter_period", None) or "every"
            timing = (f"at least every {named}, counted from {self.event(deadline.anchor, each=False)}" if counted == "every"
                      else f"within {named} after {self.event(deadline.anchor, each=True)}")
        elif deadline.within is not None:
            timing = f"within {self.period(deadline.within)} after {self.event(deadline.anchor, each=True)}"
        elif deadline.every is not None:
            timing = f"at least every {self.period(deadline.every)}, counted from {self.event(deadline.anchor, each=False)}"
        elif deadline.not_before is not None:
            gap = deadline.not_before
            timing = (f"not before {self.event(deadline.anchor, each=False)}" if getattr(gap, "number", 1) == 0
                      else f"no sooner than {self.period(gap)} after {self.event(deadline.anchor, each=False)}")
        else:
            timing = ""
        if deadline.before:
            timing = (timing + " and " if timing else "") + f"before {self.event(deadline.before, each=False)}"
        verb = {"must": "must happen", "should": "should happen", "may": "may happen",
                "consider": "must be considered"}.get(strength, f"{strength} happen")
        sentence = f"{_capital(event)} {verb} {timing}".rstrip()
        vague = getattr(deadline, "vague", None)
        if vague:
            sentence += f" (the documents say \u201c{humanize(vague)}\u201d)"
        sentence += self.scoped("deadline", deadline)
        who = self.roles(deadline.role)
        sentence += f"; {who} is accountable." if who else "; the documents name nobody accountable."
        return sentence

    def transition(self, transition) -> str:
        if transition.source == transition.target:
            sentence = (f"In {self.state(transition.source)}, {humanize(transition.event)} may be recorded "
                        "and the case stays there")
        else:
            sentence = (f"From {self.state(transition.source)} to {self.state(transition.target)} "
                        f"when {humanize(transition.event)} is recorded")
        where = self.where("transition", transition.id, transition.when)
        if where:
            sentence += f", where {where}"
        by = first(transition, "by")
        if by:
            sentence += f"; taken by {self.roles(by)}"
        strength = getattr(transition, "strength", None)
        if strength and strength != "must":
            sentence += f" ({STRENGTH_WORDS.get(strength, strength)} be taken)"
        if transition.action:
            action = self.procedure.actions.get(transition.action)
            sentence += f"; the step is the action \u201c{_sentence_case(action.description) if action else humanize(transition.action)}\u201d"
        if not transition.exclusive:
            sentence += "; it may be taken together with another way out"
        return sentence + "."

    def state_sentence(self, state) -> str:
        kind = {"start": "where a case starts", "final": "where a case ends", "decision": "a decision",
                "normal": "a stage"}.get(state.kind, state.kind)
        sentence = f"{self.state(state.id)}: {kind}."
        if state.kind == "decision":
            decided_by = first(state, "decided_by")
            if decided_by:
                sentence += f" Decided by {self.roles(decided_by)}."
            if getattr(state, "judgement", False):
                sentence += " Left to that person's judgement: every way out is a valid outcome."
            ways = self.procedure.outgoing(state.id)
            if ways:
                sentence += " Ways out: " + join_words([self.state(t.target) for t in ways], "or") + "."
        if state.assumes and state.assumes.strip() != "true":
            sentence += f" Here {self.where('state', state.id, state.assumes)}."
        return sentence

    def invariant(self, invariant) -> str:
        return f"In every real case: {self.where('invariant', invariant.id, invariant.when)}."

    def role_sentence(self, role) -> str:
        return f"{role.name}: {_sentence_case(role.description)}." if role.description else f"{role.name}."

    def action_sentence(self, action) -> str:
        text = f"\u201c{_sentence_case(action.description) if action.description else humanize(action.id)}\u201d"
        doers = sorted({r for rule in self.procedure.spec.rules if rule.action == action.id for r in roles_of(rule.role)})
        return f"The action {text}" + (f", done by {join_words([self.role(r) for r in doers], 'or')}" if doers else "") + "."

    def fact_sentence(self, fact) -> str:
        values = {"bool": "true or false", "enum": "one of " + join_words([humanize(str(v)) for v in fact.values or []], "or"),
                  "int": f"a whole number from {fact.min} to {fact.max}"}.get(fact.type, fact.type)
        about = _sentence_case(fact.description) if fact.description else humanize(fact.id)
        return f"What the case records: {about} ({values})."

    def parameter(self, parameter) -> str:
        set_by = {"plan": "each child's plan", "authority": "the local authority"}.get(
            getattr(parameter, "set_by", None), "the plan or the authority")
        unit = first(parameter, "unit", "unit_hint")
        name = getattr(parameter, "name", None) or humanize(parameter.id)
        return (f"\u201c{name}\u201d is left to {set_by}" + (f" (counted in {humanize(unit)})" if unit else "")
                + ": the procedure gives no number; an authority's standards file supplies one.")
