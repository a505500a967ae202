"""YAML -> validated Procedure. Every problem becomes an InputError naming file, line and field."""
from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import ValidationError

from cpmodel.model.conditions import Compare, ConditionSyntaxError, Fact, atoms, parse
from cpmodel.model.procedure import EventRef, Procedure, roles_of
from cpmodel.model.schema import ProcedureFile
from cpmodel.model.errors import InputErrors, shorten
from cpmodel.model.sources import citable, section_of, sections, split_citations
from cpmodel.model.yaml_source import YamlDocument, read_yaml

BUNDLED_PROCEDURE = Path(__file__).with_name("procedure.yaml")


def load_procedure(path: Path | str | None = None) -> Procedure:
    """Load and validate a procedure file (the bundled one by default)."""
    document = read_yaml(path or BUNDLED_PROCEDURE)
    return procedure_from_document(document)


def procedure_from_document(document: YamlDocument) -> Procedure:
    if not isinstance(document.data, dict):
        raise document.error((), "the file must be a mapping with keys such as 'states' and 'rules'")
    spec = _judgement_outcomes_not_exclusive(validate_model(ProcedureFile, document))
    procedure = Procedure(document.file, spec, lines=document.lines)
    _CrossReferences(procedure, document).check()
    return procedure


def _judgement_outcomes_not_exclusive(spec: ProcedureFile) -> ProcedureFile:
    """At a decision the documents leave to a person every way out is a valid outcome, so none
    of them excludes another (the gap check then asks only whether some outcome is open)."""
    judged = {s.id for s in spec.states if s.judgement}
    if not judged:
        return spec
    transitions = [t.model_copy(update={"exclusive": False}) if t.source in judged else t for t in spec.transitions]
    return spec.model_copy(update={"transitions": transitions})


def validate_model(model, document: YamlDocument):
    """Pydantic validation, every error turned into a sentence with a line number (all at once)."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        found = {}
        for item in error.errors():
            path = located_path(document.data, item["loc"])
            found.setdefault(path, document.error(path, _pydantic_message(item)))
        raise InputErrors(list(found.values())) from None


def located_path(data, loc) -> tuple:
    """The part of a pydantic location that exists in the file (drops union member names)."""
    path, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            if isinstance(node, dict) and isinstance(part, str) and not path[-1:] == [part]:
                path.append(part)
            break
        path.append(part)
    return tuple(path)


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field; remove it or check its spelling"
    if kind == "missing":
        return "required field is missing"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "greater_than_equal" and error["ctx"].get("ge") == 0:
        return f"must not be negative (got {error['input']})"
    if kind == "less_than_equal" and "number" in [str(part) for part in error["loc"]]:
        return f"a period of {error['input']} is longer than any procedure timescale (at most {error['ctx']['le']})"
    if kind == "string_pattern_mismatch":
        return (f"{shorten(error['input'])} is not a valid id: use lower case letters, digits and "
                "underscores, starting with a letter")
    value = error.get("input")
    if isinstance(value, (str, int, float)) and str(value) not in message:
        message = f"{message} (got {shorten(value)})"
    return message


def suggestion(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _CrossReferences:
    """Checks that need the whole file: ids, references, conditions, citations. Every problem is
    collected and all are reported together, so a writer fixes a file in one pass."""

    def __init__(self, procedure: Procedure, document: YamlDocument):
        self.procedure = procedure
        self.document = document
        self.spec = procedure.spec
        self.found: dict[tuple, object] = {}

    def fail(self, path, message) -> None:
        self.found.setdefault((tuple(path), message), self.document.error(path, message))

    def check(self) -> None:
        self._unique_ids()
        self._states()
        self._conditions()
        self._references()
        self._scopes()
        self._citations()
        if self.found:
            raise InputErrors(list(self.found.values()))

    def _unique_ids(self) -> None:
        for collection in ("roles", "facts", "states", "actions"):
            seen = {}
            for index, item in enumerate(getattr(self.spec, collection)):
                if item.id in seen:
                    self.fail((collection, index, "id"),
                              f"duplicate id {item.id!r} (first used at {collection}[{seen[item.id]}])")
                seen[item.id] = index
        # Rules, deadlines, transitions and invariants share one namespace: findings name them.
        seen = {}
        for collection in ("transitions", "rules", "deadlines", "invariants"):
            for index, item in enumerate(getattr(self.spec, collection)):
                if item.id in seen:
                    first = seen[item.id]
                    self.fail((collection, index, "id"),
                              f"duplicate id {item.id!r} (first used at {first[0]}[{first[1]}])")
                seen[item.id] = (collection, index)

    def _states(self) -> None:
        starts = [i for i, s in enumerate(self.spec.states) if s.kind == "start"]
        if len(starts) != 1:
            self.fail(("states",), f"exactly one state must have kind 'start' (found {len(starts)})")
        state_ids = self.procedure.states
        for index, transition in enumerate(self.spec.transitions):
            for field, value in (("from", transition.source), ("to", transition.target)):
                if value not in state_ids:
                    self.fail(("transitions", index, field),
                              f"unknown state {value!r}{suggestion(value, state_ids)}")
            if transition.source in state_ids and state_ids[transition.source].kind == "final":
                self.fail(("transitions", index, "from"),
                          f"state {transition.source!r} is final: nothing may leave it")

    def _conditions(self) -> None:
        for collection, kind, field in (("invariants", "invariant", "when"),
                                        ("states", "state", "assumes"),
                                        ("transitions", "transition", "when"),
                                        ("rules", "rule", "when"),
                                        ("deadlines", "deadline", "when")):
            for index, item in enumerate(getattr(self.spec, collection)):
                text = getattr(item, field)
                path = (collection, index, field)
                try:
                    condition = parse(text)
                except ConditionSyntaxError as error:
                    self.fail(path, str(error))
                    continue
                self._typecheck(condition, path)
                self.procedure.conditions[(kind, item.id)] = condition

    def _typecheck(self, condition, path) -> None:
        facts = self.procedure.facts
        for atom in atoms(condition):
            if atom.name not in facts:
                self.fail(path, f"unknown fact {atom.name!r}{suggestion(atom.name, facts)}")
                continue
            fact = facts[atom.name]
            if isinstance(atom, Fact):
                if fact.type != "bool":
                    self.fail(path, f"fact {fact.id!r} is {fact.type}: compare it, e.g. "
                                    f"'{fact.id} == {fact.domain()[0]}'")
                continue
            values = (atom.value,) if isinstance(atom, Compare) else atom.values
            for value in values:
                self._check_value(fact, value, path)
            if isinstance(atom, Compare) and atom.op in ("<", "<=", ">", ">=") and fact.type != "int":
                self.fail(path, f"{atom.op!r} needs a number, but fact {fact.id!r} is {fact.type}")

    def _check_value(self, fact, value, path) -> None:
        if fact.type == "bool" and not isinstance(value, bool):
            self.fail(path, f"fact {fact.id!r} is true or false, not {value!r}")
        if fact.type == "enum" and value not in fact.values:
            self.fail(path, f"{value!r} is not a value of {fact.id!r} (values: "
                            f"{', '.join(fact.values)}){suggestion(value, fact.values)}")
        if fact.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(path, f"fact {fact.id!r} is a number, not {value!r}")

    def _references(self) -> None:
        procedure = self.procedure
        roles, rules, actions = procedure.roles, procedure.rules, procedure.actions
        for index, action in enumerate(self.spec.actions):
            for position, other in enumerate(action.excludes):
                if other not in actions:
                    self.fail(("actions", index, "excludes", position),
                              f"unknown action {other!r}{suggestion(other, actions)}")
        for collection in ("rules", "deadlines"):
            for index, item in enumerate(getattr(self.spec, collection)):
                for position, role in enumerate(roles_of(item.role)):
                    path = (collection, index, "role") + ((position,) if isinstance(item.role, list) else ())
                    if role not in roles:
                        self.fail(path, f"unknown role {role!r}{suggestion(role, roles)}")
        for index, transition in enumerate(self.spec.transitions):
            if transition.action is not None and transition.action not in actions:
                self.fail(("transitions", index, "action"),
                          f"unknown action {transition.action!r}{suggestion(transition.action, actions)}")
        for index, rule in enumerate(self.spec.rules):
            if rule.action not in actions:
                self.fail(("rules", index, "action"),
                          f"unknown action {rule.action!r}{suggestion(rule.action, actions)}; "
                          "declare it under 'actions'")
            for position, other in enumerate(rule.overrides):
                if other not in rules:
                    self.fail(("rules", index, "overrides", position),
                              f"unknown rule {other!r}{suggestion(other, rules)}")
                if other == rule.id:
                    self.fail(("rules", index, "overrides", position), "a rule cannot override itself")
        events = procedure.events
        for index, deadline in enumerate(self.spec.deadlines):
            for field in ("event", "anchor", "before"):
                value = getattr(deadline, field)
                if value is None:
                    continue
                reference = EventRef.parse(value)
                if reference is None:
                    self.fail(("deadlines", index, field),
                              f"{value!r} is not an event name, optionally with '#N' for its N-th time")
                    continue
                if reference.event not in events:
                    self.fail(("deadlines", index, field),
                              f"unknown event {reference.event!r}{suggestion(reference.event, events)}"
                              "; events are what transitions record")
                if reference.occurrence is not None and not 1 <= reference.occurrence <= 1000:
                    self.fail(("deadlines", index, field), f"occurrence #{reference.occurrence} is not "
                              "between 1 and 1000")
            if EventRef.parse(deadline.event) is not None:
                self._not_self_anchored(index, deadline)

    def _not_self_anchored(self, index, deadline) -> None:
        """A deadline counted from its own event (or due before it) can never be set or missed;
        the simulation would drop it without a word."""
        event = EventRef.parse(deadline.event)
        for field in ("anchor", "before"):
            other = EventRef.parse(getattr(deadline, field)) if getattr(deadline, field) else None
            if other is None or other.event != event.event:
                continue
            later = (field == "anchor" and event.occurrence is not None and other.occurrence is not None
                     and other.occurrence < event.occurrence)
            if not later and not (field == "anchor" and event.occurrence is None and other.occurrence is not None):
                self.fail(("deadlines", index, field),
                          f"{deadline.event!r} is {'counted from' if field == 'anchor' else 'due before'} "
                          f"{getattr(deadline, field)!r}, itself or a later occurrence of it; count it from "
                          "an earlier event (e.g. 'core_group#2' from 'core_group#1')")

    def _scopes(self) -> None:
        """Version 2 fields: scopes, who acts, who decides, parameters."""
        procedure = self.procedure
        states, events, roles = procedure.states, procedure.events, procedure.roles
        for collection in ("rules", "deadlines"):
            for index, item in enumerate(getattr(self.spec, collection)):
                for position, state in enumerate(item.in_states):
                    if state not in states:
                        self.fail((collection, index, "in", position),
                                  f"unknown state {state!r}{suggestion(state, states)}")
        for index, rule in enumerate(self.spec.rules):
            for position, event in enumerate(rule.on):
                if event not in events:
                    self.fail(("rules", index, "on", position),
                              f"unknown event {event!r}{suggestion(event, events)}; events are what transitions record")
        for collection, field in (("transitions", "by"), ("states", "decided_by")):
            for index, item in enumerate(getattr(self.spec, collection)):
                value = getattr(item, field)
                for position, role in enumerate(roles_of(value)):
                    if role not in roles:
                        path = (collection, index, field) + ((position,) if isinstance(value, list) else ())
                        self.fail(path, f"unknown role {role!r}{suggestion(role, roles)}")
        seen = {}
        for index, parameter in enumerate(self.spec.parameters):
            if parameter.id in seen:
                self.fail(("parameters", index, "id"), f"duplicate id {parameter.id!r}")
            seen[parameter.id] = index
        for index, deadline in enumerate(self.spec.deadlines):
            if deadline.parameter and deadline.parameter not in seen:
                self.fail(("deadlines", index, deadline.parameter_period or "parameter"),
                          f"unknown parameter {deadline.parameter!r}{suggestion(deadline.parameter, seen)}; "
                          "declare it under 'parameters'")

    def _citations(self) -> None:
        known = citable()
        for collection in ("roles", "invariants", "states", "transitions", "rules", "deadlines", "parameters"):
            for index, item in enumerate(getattr(self.spec, collection)):
                cited = split_citations(item.citation)
                if not cited:
                    self.fail((collection, index, "citation"), "a citation (document#section) is required")
                for citation in cited:
                    if citation not in known:
                        where = "a paragraph" if "/" in citation and section_of(citation) in sections() else "a section"
                        self.fail((collection, index, "citation"),
                                  f"citation {citation!r} does not resolve to {where} of the "
                                  f"documents{suggestion(citation, known)}")
