"""The validated procedure: what every consumer (proofs, simulation, pathways) reads."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from cpmodel.model.conditions import Condition
from cpmodel.model.schema import (Action, Deadline, FactDefinition, Invariant, Parameter, Period, ProcedureFile,
                          Role, Rule, State, Transition)

_EVENT_REF = re.compile(r"^([a-z][a-z0-9_]*)(?:#([1-9][0-9]*))?$")


@dataclass(frozen=True)
class EventRef:
    """An event, or its n-th occurrence (``core_group#2``); no number means any occurrence."""

    event: str
    occurrence: int | None = None

    @classmethod
    def parse(cls, text: str) -> "EventRef | None":
        return _parse_event_ref(text or "")

    def __str__(self) -> str:
        return self.event if self.occurrence is None else f"{self.event}#{self.occurrence}"


@lru_cache(maxsize=4096)
def _parse_event_ref(text: str) -> EventRef | None:
    match = _EVENT_REF.match(text)
    if not match:
        return None
    return EventRef(match.group(1), int(match.group(2)) if match.group(2) else None)


def roles_of(role) -> list[str]:
    """A role field may hold nothing, one role or several."""
    if role is None:
        return []
    return [role] if isinstance(role, str) else list(role)


@dataclass
class Procedure:
    """A loaded procedure with every condition parsed once."""

    file: str
    spec: ProcedureFile
    conditions: dict[tuple[str, str], Condition] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------------
    @cached_property
    def facts(self) -> dict[str, FactDefinition]:
        return {f.id: f for f in self.spec.facts}

    @cached_property
    def states(self) -> dict[str, State]:
        return {s.id: s for s in self.spec.states}

    @cached_property
    def transitions(self) -> dict[str, Transition]:
        return {t.id: t for t in self.spec.transitions}

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {r.id: r for r in self.spec.rules}

    @cached_property
    def deadlines(self) -> dict[str, Deadline]:
        return {d.id: d for d in self.spec.deadlines}

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.spec.roles}

    @cached_property
    def actions(self) -> dict[str, Action]:
        return {a.id: a for a in self.spec.actions}

    @cached_property
    def invariants(self) -> dict[str, Invariant]:
        return {i.id: i for i in self.spec.invariants}

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        return {p.id: p for p in self.spec.parameters}

    @cached_property
    def start(self) -> State:
        return next(s for s in self.spec.states if s.kind == "start")

    @cached_property
    def events(self) -> set[str]:
        """The event vocabulary: what transitions record as happening."""
        return {t.event for t in self.spec.transitions}

    def condition(self, kind: str, item_id: str) -> Condition:
        """The parsed condition of a rule, transition, invariant or state (its 'assumes')."""
        return self.conditions[(kind, item_id)]

    def invariant_conditions(self) -> list[Condition]:
        return [self.conditions[("invariant", i.id)] for i in self.spec.invariants]

    @cached_property
    def _outgoing(self) -> dict[str, list[Transition]]:
        found: dict[str, list[Transition]] = {s.id: [] for s in self.spec.states}
        for transition in self.spec.transitions:
            found.setdefault(transition.source, []).append(transition)
        return found

    def outgoing(self, state_id: str) -> list[Transition]:
        return self._outgoing.get(state_id, [])

    def line_of(self, *path) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def item_line(self, collection: str, item_id: str) -> int | None:
        """The line where an item (a rule, a deadline...) is written, for messages."""
        for index, item in enumerate(getattr(self.spec, collection)):
            if getattr(item, "id", None) == item_id:
                return self.line_of(collection, index)
        return None

    # -- scope -----------------------------------------------------------------------------------
    def rule_in_scope(self, rule: Rule, state: str, event: str | None) -> bool:
        """Whether a rule can apply where the case is and after what just happened (facts aside)."""
        if rule.in_states and state not in rule.in_states:
            return False
        if rule.on and event not in rule.on:
            return False
        return True

    def deadline_live_in(self, deadline: Deadline, state: str) -> bool:
        """A deadline scoped to states lapses when the case is elsewhere."""
        return not deadline.in_states or state in deadline.in_states

    def items_with_interpretation(self) -> list[tuple[str, str, str]]:
        """(collection, id, interpretation) for every item where the modeller chose a reading."""
        found = []
        for collection in ("roles", "facts", "invariants", "states", "transitions", "actions", "rules",
                           "deadlines", "parameters"):
            for item in getattr(self.spec, collection):
                if item.interpretation:
                    found.append((collection, item.id, item.interpretation))
        return found

    # -- local standards -------------------------------------------------------------------------
    def with_standards(self, standards) -> "Procedure":
        """This procedure with the periods it leaves to the plan or the authority filled in from an
        authority's standards file. Deadlines whose parameter the file does not set stay untimed."""
        if standards is None:
            return self
        deadlines = []
        for deadline in self.spec.deadlines:
            standard = standards.get(deadline.parameter) if deadline.parameter else None
            if standard is not None:
                deadline = deadline.model_copy(update={
                    deadline.parameter_period: standard.period, "strength": standard.strength,
                    "standard_source": standard.source or standards.name})
            deadlines.append(deadline)
        spec = self.spec.model_copy(update={"deadlines": deadlines})
        return Procedure(self.file, spec, conditions=self.conditions, lines=self.lines)
