"""Walk a dated case history through the procedure: the state at each step, the rule that applies
and its paragraph, what is permitted and forbidden now, the deadlines each step sets as real
working-day dates, and every step that breaks a rule or misses a deadline.

Used by training pathways (one narrated history) and by the audit (many histories from a log).
Facts a history does not state are unknown: a transition is taken if its condition can hold given
what is known (the unknown facts it needs are then inferred); it is a breach only if what is known
rules it out.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.conditions import evaluate, facts_named
from cpmodel.model.procedure import EventRef, Procedure, roles_of


@dataclass
class Step:
    date: dt.date
    event: str
    facts: dict = field(default_factory=dict)
    note: str = ""


BREACH_KINDS = ("deadline_missed", "deadline_late", "forbidden_action", "condition_not_met",
                "unexpected_event", "order_not_followed")


@dataclass
class Breach:
    kind: str            # one of BREACH_KINDS
    item: str            # the deadline, rule or transition id
    date: dt.date
    message: str
    citations: list[str]
    basis: str = "procedure"   # procedure | local_standard (a number the authority set, not the documents)
    strength: str = "must"     # must: a breach; should: advice not followed (reported apart)

    def to_json(self) -> dict:
        return {"kind": self.kind, "item": self.item, "date": self.date.isoformat(), "message": self.message,
                "citations": self.citations, "basis": self.basis, "strength": self.strength}


@dataclass(slots=True)
class Pending:
    deadline: str
    event: str
    occurrence: int | None
    due: dt.date
    set_on: dt.date
    anchor: str
    flagged: bool = False
    strength: str = "must"
    basis: str = "procedure"


@dataclass
class StepReport:
    date: dt.date
    event: str
    state_before: str
    state_after: str
    transition: str | None
    citations: list[str]
    explanation: str
    permitted: list[dict]
    forbidden: list[dict]
    obliged: list[dict]
    deadlines_set: list[dict]
    deadlines_met: list[str]
    breaches: list[Breach]
    note: str = ""
    advice: list[Breach] = field(default_factory=list)   # `should` items not followed: not breaches

    def to_json(self) -> dict:
        return {"date": self.date.isoformat(), "event": self.event, "state_before": self.state_before,
                "state_after": self.state_after, "transition": self.transition, "citations": self.citations,
                "explanation": self.explanation, "permitted": self.permitted, "forbidden": self.forbidden,
                "obliged": self.obliged, "deadlines_set": self.deadlines_set, "deadlines_met": self.deadlines_met,
                "breaches": [b.to_json() for b in self.breaches],
                "advice_not_followed": [b.to_json() for b in self.advice], "note": self.note}


_UNSTATED = object()    # a fact the history does not state (never equal to a fact's value)


class ConditionJudge:
    """One condition's verdicts, remembered by the values of the facts it names.

    An audit asks the same few conditions about the same few situations for every event of
    every case: the answer depends only on the named facts' values, so each distinct situation
    is judged once by the reference evaluator and looked up afterwards."""

    __slots__ = ("condition", "names", "constant", "_verdicts", "_assumptions")

    def __init__(self, condition):
        self.condition = condition
        self.names = tuple(sorted(facts_named(condition)))
        self.constant = None if self.names else evaluate(condition, {})
        self._verdicts: dict = {}
        self._assumptions: dict = {}

    def holds(self, known: dict, inferred: dict, quiet: dict) -> bool:
        """The verdict on the facts as the walker sees them: stated, else assumed, else quiet."""
        names = self.names
        if not names:
            return self.constant
        if len(names) == 1:
            name = names[0]
            values = known[name] if name in known else inferred[name] if name in inferred else quiet[name]
        else:
            values = tuple([known[n] if n in known else inferred[n] if n in inferred else quiet[n] for n in names])
        try:
            verdict = self._verdicts.get(values)
        except TypeError:   # a value that cannot be a key (never from a log): judge it afresh
            return self._judge(values)
        if verdict is None:
            verdict = self._verdicts[values] = self._judge(values)
        return verdict

    def _judge(self, values) -> bool:
        """The reference evaluator on the named facts' values (one value alone for one fact)."""
        return evaluate(self.condition, dict(zip(self.names, values if len(self.names) > 1 else (values,))))

    def satisfiable(self, known: dict, inferred: dict, quiet: dict, domain) -> Mapping | None:
        """Values for the unstated facts the condition needs so that it holds (a read-only
        mapping), or None if it cannot (see `CaseWalk._satisfiable`); the answer depends only on
        the named facts."""
        names = self.names
        if not names:
            return {} if self.constant else None
        if len(names) == 1:
            name = names[0]
            key = (known.get(name, _UNSTATED), inferred.get(name, _UNSTATED))
        else:
            key = (tuple([known.get(n, _UNSTATED) for n in names]), tuple([inferred.get(n, _UNSTATED) for n in names]))
        try:
            found = self._assumptions.get(key, _UNSTATED)
        except TypeError:   # a value that cannot be a key (never from a log): search afresh
            return self.search(known, inferred, quiet, domain)
        if found is _UNSTATED:
            found = self.search(known, inferred, quiet, domain)
            # shared by every later walk that asks the same: read-only
            found = self._assumptions[key] = None if found is None else MappingProxyType(found)
        return found

    def search(self, known: dict, inferred: dict, quiet: dict, domain) -> dict | None:
        """The reference search: the facts as they stand if they satisfy the condition, else the
        first assignment of the unstated facts (quiet values first) that does."""
        unknown = sorted(set(self.names) - known.keys())
        trial = quiet | inferred | known
        if evaluate(self.condition, trial):
            return {name: trial[name] for name in unknown}
        for values in itertools.product(*(domain(name) for name in unknown)):
            trial = quiet | known | dict(zip(unknown, values))
            if evaluate(self.condition, trial):
                return dict(zip(unknown, values))
        return None


@dataclass(frozen=True, slots=True)
class DeadlineTerms:
    """What the walker reads of a deadline at every event, worked out once."""

    deadline: object
    judge: ConditionJudge
    anchor_event: str | None
    anchor_occurrence: int | None
    event: str
    occurrence: int | None
    in_states: frozenset | None
    timed: bool
    period_text: str
    basis: str
    cites: tuple[str, ...]

    def live_in(self, state: str) -> bool:
        return self.in_states is None or state in self.in_states


@dataclass(frozen=True, slots=True)
class TransitionTerms:
    """A transition's judge, paragraphs, explanation and actors, worked out once."""

    judge: ConditionJudge
    cites: tuple[str, ...]
    explanation: str
    actors: frozenset


class _Memo(dict):
    """A table filled on first use: `memo[key]` works the answer out once."""

    def __init__(self, work):
        super().__init__()
        self._work = work

    def __missing__(self, key):
        found = self[key] = self._work(key)
        return found


class ProcedureIndex:
    """What the walker looks up often, computed once per procedure."""

    def __init__(self, procedure: Procedure):
        self.procedure = procedure
        # state -> [(event, next state)] in file order: the walker's questions of reachability are
        # breadth-first searches over this table (networkx would cost more to import than an audit's walk).
        self.leaving: dict[str, list[tuple[str, str]]] = {s.id: [] for s in procedure.spec.states}
        for transition in procedure.spec.transitions:
            self.leaving.setdefault(transition.source, []).append((transition.event, transition.target))
        self.by_anchor: dict[str, list] = {}
        for deadline in procedure.spec.deadlines:
            if deadline.anchor and not (deadline.every and deadline.every.unit == "visits"):
                self.by_anchor.setdefault(EventRef.parse(deadline.anchor).event, []).append(deadline)
        self.by_before: dict[str, list] = {}
        for deadline in procedure.spec.deadlines:
            if deadline.before:
                self.by_before.setdefault(EventRef.parse(deadline.before).event, []).append(deadline)
        self.quiet = {f.id: f.quiet_value() for f in procedure.spec.facts}
        self._ahead: dict[tuple[str, str], set[str]] = {}
        # An audit walks thousands of cases through the same few states: these are asked again
        # and again with the same arguments, and the answers never change for one procedure.
        self._with_event: dict[str, list] = {}
        self._distances: dict[str, dict[str, int]] = {}
        self._in_scope: dict[tuple[str, str | None], list] = {}
        self._domains: dict[str, list] = {}
        self._cited: dict[str, tuple[str, ...]] = {}
        self.judges = {key: ConditionJudge(condition) for key, condition in procedure.conditions.items()}
        self.deadline_terms = {d.id: self._deadline_terms(d) for d in procedure.spec.deadlines}
        self.transition_terms = {t.id: self._transition_terms(t) for t in procedure.spec.transitions}
        self.rule_roles = {r.id: frozenset(roles_of(r.role)) for r in procedure.spec.rules}
        self.still_possible = _Memo(self._still_possible)
        self.meeting = {terms.event for terms in self.deadline_terms.values()}   # events that can meet a deadline
        self.on = _Memo(lambda key: [(t, self.transition_terms[t.id].judge)   # out of a state on an event
                                     for t in procedure.outgoing(key[0]) if t.event == key[1]])
        self.skipped_to = _Memo(self._skipped_to)
        self.forbidding = _Memo(self._forbidding)
        self.state_judges = {s.id: self.judges[("state", s.id)] for s in procedure.spec.states}

    def _forbidding(self, key: tuple[str, str, str]) -> list:
        """(rule, its judge, the judges of the rules that take precedence over it) for each rule in
        scope for a state and event that forbids an action: `applicable_rules` narrowed to one action."""
        state, event, action = key
        in_scope = self.rules_in_scope(state, event)
        return [(rule, judge, tuple(j for other, j in in_scope if rule.id in other.overrides))
                for rule, judge in in_scope if rule.action == action and rule.modality == "forbidden"]

    def _skipped_to(self, key: tuple[str, str]) -> str | None:
        """The nearest state ahead from which an event can happen, when the history did not record
        the steps in between (None if no state ahead has it); ties go to the transition first in the file."""
        state, event = key
        distance = self.distances_from(state)
        elsewhere = self.transitions_with(event)
        reachable = sorted((distance[t.source], i) for i, t in enumerate(elsewhere) if t.source in distance)
        return elsewhere[reachable[0][1]].source if reachable else None

    def _still_possible(self, key: tuple[str, str]) -> bool:
        """Whether a deadline pending in a state can still be met there: its event can still
        happen and the state keeps the duty live (see `CaseWalk._drop_impossible`)."""
        state, deadline = key
        terms = self.deadline_terms[deadline]
        anchor = terms.anchor_event
        return (terms.event in self.events_ahead(state, anchor if terms.event != anchor else "")
                and terms.live_in(state))

    def _deadline_terms(self, deadline) -> DeadlineTerms:
        anchor = EventRef.parse(deadline.anchor) if deadline.anchor else None
        event = EventRef.parse(deadline.event)
        period = deadline.within or deadline.every
        return DeadlineTerms(
            deadline, self.judges[("deadline", deadline.id)], anchor.event if anchor else None,
            anchor.occurrence if anchor else None, event.event, event.occurrence,
            frozenset(deadline.in_states) if deadline.in_states else None, period is not None,
            str(period) if period is not None else "", "local_standard" if deadline.standard_source else "procedure",
            self.cites(deadline.citation))

    def _transition_terms(self, transition) -> TransitionTerms:
        return TransitionTerms(
            self.judges[("transition", transition.id)], self.cites(transition.citation or ""),
            transition.description or self.procedure.states[transition.target].description,
            frozenset(roles_of(transition.by)))

    def cites(self, text: str) -> tuple[str, ...]:
        """The paragraphs a citation text lists (comma-separated)."""
        found = self._cited.get(text)
        if found is None:
            found = self._cited[text] = tuple(c.strip() for c in text.split(",") if c.strip())
        return found

    @cached_property
    def graph(self):
        """The state graph (networkx), for callers that want one."""
        from cpmodel.model.graph import state_graph
        return state_graph(self.procedure)

    def judge(self, kind: str, item_id: str) -> ConditionJudge:
        return self.judges[(kind, item_id)]

    def events_ahead(self, state: str, anchor: str) -> set[str]:
        """Events that can still happen from a state without the anchor event happening again and
        without the case starting afresh (the events leaving the start state): a deadline lapses when
        only a new plan could bring its event back."""
        key = (state, anchor)
        if key not in self._ahead:
            # A new plan is a case starting afresh, as is the start itself.
            blocked = ({anchor, "plan_made"}
                       | {t.event for t in self.procedure.outgoing(self.procedure.start.id)})
            reachable = steps_to(self.leaving, state, blocked)
            self._ahead[key] = {event for source in reachable for event, _ in self.leaving.get(source, ())
                                if event not in blocked}
        return self._ahead[key]

    def transitions_with(self, event: str) -> list:
        found = self._with_event.get(event)
        if found is None:
            found = self._with_event[event] = [t for t in self.procedure.spec.transitions if t.event == event]
        return found

    def distances_from(self, state: str) -> dict[str, int]:
        """Steps from a state to every state it can reach (the graph never changes)."""
        found = self._distances.get(state)
        if found is None:
            found = self._distances[state] = steps_to(self.leaving, state)
        return found

    def rules_in_scope(self, state: str, event: str | None) -> list:
        """(rule, its judge) for the rules whose scope covers a state and event, in file order."""
        key = (state, event)
        found = self._in_scope.get(key)
        if found is None:
            procedure = self.procedure
            found = self._in_scope[key] = [(r, self.judges[("rule", r.id)]) for r in procedure.spec.rules
                                           if procedure.rule_in_scope(r, state, event)]
        return found

    def domain(self, name: str) -> list:
        """A fact's values, its quiet value first: the order in which assumptions are tried."""
        found = self._domains.get(name)
        if found is None:
            fact = self.procedure.facts[name]
            quiet = fact.quiet_value()
            found = self._domains[name] = [quiet] + [v for v in fact.domain() if v != quiet]
        return found


class CaseWalk:
    """One case's history, step by step."""

    def __init__(self, index: ProcedureIndex, calendar: WorkingCalendar | None = None, start: str | None = None,
                 narrate: bool = True):
        self.index = index
        self.narrate = narrate      # a training walk reports each step; an audit needs only breaches
        self.procedure = index.procedure
        self.calendar = calendar or WorkingCalendar()
        self.state = start or self.procedure.start.id
        self.state_since: dt.date | None = None   # when the case entered its state
        self.known: dict = {}       # facts the history states
        self.inferred: dict = {}    # facts assumed so that the history's events could happen
        self.counts: dict[str, int] = {}
        self.pending: list[Pending] = []
        self.reports: list[StepReport] = []   # one per step of a narrated walk
        self.breaches: list[Breach] = []       # every step's, in order (not those open at the end)
        self.advice: list[Breach] = []         # every step's `should` not followed, in order
        self.last_seen: dict[str, dt.date] = {}
        self.end_advice: list[Breach] = []
        self._scheduled = False                 # a deadline set since the last look at what is impossible
        self._checked_in: str | None = None     # the state of that look

    # -- facts ----------------------------------------------------------------------------------
    def facts(self) -> dict:
        return self.index.quiet | self.inferred | self.known

    def _holds(self, judge: ConditionJudge) -> bool:
        return judge.holds(self.known, self.inferred, self.index.quiet)

    def _satisfiable(self, judge: ConditionJudge) -> Mapping | None:
        """Values for the unstated facts a condition needs so that it holds, or None if it cannot.
        Earlier assumptions are kept where they still fit, so an assumed fact changes only when
        an event needs it to."""
        return judge.satisfiable(self.known, self.inferred, self.index.quiet, self.index.domain)

    # -- rules ----------------------------------------------------------------------------------
    def applicable_rules(self, event: str | None = None) -> list:
        """Rules whose scope (state, the event just recorded) and condition hold now, less the
        ones another applying rule takes precedence over."""
        known, inferred, quiet = self.known, self.inferred, self.index.quiet
        applying = [r for r, judge in self.index.rules_in_scope(self.state, event) if judge.holds(known, inferred, quiet)]
        overridden = {other for r in applying for other in r.overrides}
        return [r for r in applying if r.id not in overridden] if overridden else applying

    def _rule_entry(self, rule) -> dict:
        action = self.procedure.actions[rule.action]
        return {"rule": rule.id, "action": rule.action, "description": action.description,
                "strength": rule.strength, "role": ", ".join(roles_of(rule.role)), "text": rule.text,
                "citation": rule.citation}

    # -- walking --------------------------------------------------------------------------------
    def walk(self, step: Step) -> StepReport | None:
        """Take one step of the history: its report (a narrated walk), or None (an audit's walk
        keeps only what breaks a rule, in `breaches` and `advice`)."""
        if step.facts:
            self.known.update(step.facts)
        breaches: list[Breach] = []
        advice: list[Breach] = []
        index = self.index
        before = self.state
        transition = self._find_transition(step, breaches)
        if transition is not None:
            if transition.action:   # judged on the situation when the action is taken
                breaches.extend(self._check_action(transition, step.date))
            self.state = transition.target
            self.state_since = step.date
            implied = index.state_judges[self.state].satisfiable(self.known, self.inferred, index.quiet, index.domain)
            if implied is None:   # the state's meaning contradicts what is known: see _enter
                entered = self._enter(transition, step)
                if entered and not any(b.kind == "condition_not_met" and b.item == transition.id for b in breaches):
                    breaches.extend(entered)   # one flag per step: the transition's own condition says it
            elif implied:
                self.inferred.update(implied)
        event = step.event
        if event in index.by_before:
            self._order(step, breaches, advice)
        self._count(event)
        self.last_seen[event] = step.date
        met = self._meet(step, breaches, advice) if self.pending and event in index.meeting else []
        if self.pending:
            self._sort_overdue(self._overdue(step.date), breaches, advice)
        set_now = self._set_deadlines(step) if event in index.by_anchor else []
        if self.pending and (self._scheduled or self.state != self._checked_in):
            self._drop_impossible()
        if breaches:
            self.breaches += breaches
        if advice:
            self.advice += advice
        if not self.narrate:
            return None
        rules = self.applicable_rules(event)
        terms = index.transition_terms[transition.id] if transition is not None else None
        report = StepReport(
            step.date, event, before, self.state, transition.id if terms else None,
            list(terms.cites) if terms else [], terms.explanation if terms else "",
            [self._rule_entry(r) for r in rules if r.modality == "permitted"],
            [self._rule_entry(r) for r in rules if r.modality == "forbidden"],
            [self._rule_entry(r) for r in rules if r.modality == "obliged"],
            set_now, met, breaches, step.note, advice)
        self.reports.append(report)
        return report

    def _enter(self, transition, step: Step) -> list[Breach]:
        """Entering a state makes its meaning true: facts stated at earlier steps give way (a plan
        made means the child is now on a plan); facts stated at this very step cannot, and a
        contradiction with them is flagged."""
        judge = self.index.state_judges[self.state]
        implied = judge.satisfiable(self.known, self.inferred, self.index.quiet, self.index.domain)
        if implied is None:
            stale = {name: self.known.pop(name) for name in judge.names
                     if name not in step.facts and name in self.known}
            implied = self._satisfiable(judge)
            if implied is None:
                self.known.update(stale)
                state = self.procedure.states[self.state]
                return [Breach("condition_not_met", transition.id, step.date,
                               f"{state.name!r} needs {state.assumes}, which what is stated rules out",
                               self._cites(state.citation))]
            self.known.update({name: implied[name] for name in stale if name in implied})
        if implied:
            self.inferred.update(implied)
        return []

    def finish(self, until: dt.date) -> list[Breach]:
        """Deadlines still open at the end of the history that were due before it ended (advice
        not followed goes to `end_advice`)."""
        breaches: list[Breach] = []
        self._sort_overdue(self._overdue(until + dt.timedelta(days=1)), breaches, self.end_advice)
        return breaches

    @staticmethod
    def _sort_overdue(found: list[Breach], breaches: list[Breach], advice: list[Breach]) -> None:
        for breach in found:
            (advice if breach.strength == "should" else breaches).append(breach)

    def _order(self, step: Step, breaches: list[Breach], advice: list[Breach]) -> None:
        """'Before' duties: when the later event happens, the earlier one must already have
        happened (since the anchor, where one is given)."""
        for deadline in self.index.by_before.get(step.event, ()):
            terms = self.index.deadline_terms[deadline.id]
            if not deadline.lateness_counts or not terms.live_in(self.state):
                continue
            if not self._holds(terms.judge):
                continue
            first = terms.event
            since = self.last_seen.get(terms.anchor_event) if deadline.anchor else None
            if deadline.anchor and since is None:
                continue   # the duty has not arisen in this case
            done = self.last_seen.get(first)
            if done is not None and (since is None or done >= since):
                continue
            breach = Breach("order_not_followed", deadline.id, step.date,
                            f"{step.event!r} happened before {first!r}: {deadline.text or deadline.id}",
                            list(terms.cites), strength=deadline.strength)
            (advice if deadline.strength == "should" else breaches).append(breach)

    def _find_transition(self, step: Step, breaches: list[Breach]):
        index = self.index
        terms = index.transition_terms
        known, quiet, domain = self.known, index.quiet, index.domain
        for _ in range(4):   # pass through decision points the history does not name
            matching = index.on[(self.state, step.event)]
            for transition, judge in matching:
                inferred = judge.satisfiable(known, self.inferred, quiet, domain)
                if inferred is not None:
                    if inferred:
                        self.inferred.update(inferred)
                    return transition
            if matching:
                transition = matching[0][0]
                breaches.append(Breach("condition_not_met", transition.id, step.date,
                                       f"{step.event!r} happened although its condition does not hold here "
                                       f"({transition.when})", list(terms[transition.id].cites)))
                return transition
            state = self.procedure.states[self.state]
            if state.kind != "decision":
                break
            chosen, inferred = None, None
            for transition in self.procedure.outgoing(self.state):
                inferred = self._satisfiable(terms[transition.id].judge)
                if inferred is not None:
                    chosen = transition
                    break
            if chosen is None:
                break
            self.inferred.update(inferred)
            # The history does not name this decision's outcome: it was taken when the case
            # reached the decision (the conference), so that is the date it counts from.
            decided = self.state_since or step.date
            self.state = chosen.target
            self.state_since = decided
            self._count(chosen.event)
            self.last_seen[chosen.event] = decided
            if chosen.event in index.by_anchor:
                self._set_deadlines(Step(decided, chosen.event))
        elsewhere = index.transitions_with(step.event)
        if not elsewhere:
            breaches.append(Breach("unexpected_event", step.event, step.date,
                                   f"{step.event!r} is not an event of the procedure", []))
            return None
        ahead = index.skipped_to[(self.state, step.event)]
        if ahead is not None:
            # The history did not record the steps in between (notes not yet out, say): move on quietly.
            self.state = ahead
            return self._find_transition(step, breaches)
        transition = elsewhere[0]
        breaches.append(Breach("unexpected_event", transition.id, step.date,
                               f"{step.event!r} cannot follow from {self.procedure.states[self.state].name!r}; "
                               f"continuing from {self.procedure.states[transition.target].name!r}",
                               list(terms[transition.id].cites)))
        return transition

    def _check_action(self, transition, date) -> list[Breach]:
        """A step whose action an applying rule forbids to the role taking it (a rule naming no
        role, or a step naming no actor, is judged against everyone)."""
        found = []
        candidates = self.index.forbidding[(self.state, transition.event, transition.action)]
        if not candidates:
            return found
        actors = self.index.transition_terms[transition.id].actors
        for rule, judge, overriders in candidates:
            if not self._holds(judge) or any(self._holds(other) for other in overriders):
                continue   # not applying, or another applying rule takes precedence
            forbidden_to = self.index.rule_roles[rule.id]
            if actors and forbidden_to and not actors & forbidden_to:
                continue
            found.append(Breach("forbidden_action", rule.id, date,
                                f"{transition.action!r} is forbidden here: {rule.text}", self._cites(rule.citation),
                                strength="should" if rule.strength == "should_not" else "must"))
        return found

    def _count(self, event: str) -> None:
        self.counts[event] = self.counts.get(event, 0) + 1
        if event == "visit":
            self.counts["visit_no_access"] = 0   # 'two in a row' counts consecutive failed visits
            self.known["failed_visits_in_a_row"] = 0
        if event == "visit_no_access":
            self.known["failed_visits_in_a_row"] = min(self.counts[event], 2)
        if self.inferred and not self.inferred.keys().isdisjoint(self.known):
            self.inferred = {k: v for k, v in self.inferred.items() if k not in self.known}

    def _meet(self, step: Step, breaches: list[Breach], advice: list[Breach]) -> list[str]:
        met = []
        count = self.counts.get(step.event, 0)
        for pending in [p for p in self.pending
                        if p.event == step.event and (p.occurrence is None or p.occurrence == count)]:
            self.pending = [p for p in self.pending if p is not pending]   # (two are never equal: one per deadline)
            deadline = self.procedure.deadlines[pending.deadline]
            if step.date <= pending.due:
                met.append(pending.deadline)
            elif not pending.flagged and deadline.lateness_counts:
                late = self.calendar.working_days_between(pending.due, step.date)
                breach = Breach("deadline_late", pending.deadline, step.date,
                                f"{_label(pending)}{deadline.text or pending.deadline} due {pending.due.isoformat()}, "
                                f"done {late} working day(s) late", self._cites(deadline.citation),
                                basis=pending.basis, strength=pending.strength)
                (advice if pending.strength == "should" else breaches).append(breach)
            if deadline.every is not None:
                self._schedule(deadline, step.date)
        return met

    def _set_deadlines(self, step: Step) -> list[dict]:
        created = []
        occurrence = self.counts.get(step.event, 0)
        terms_of = self.index.deadline_terms
        for deadline in self.index.by_anchor.get(step.event, ()):
            terms = terms_of[deadline.id]
            if terms.anchor_occurrence is not None and terms.anchor_occurrence != occurrence:
                continue
            if terms.occurrence is not None and self.counts.get(terms.event, 0) >= terms.occurrence:
                continue
            if not terms.timed:
                continue   # untimed, or a period the plan sets and no standards file gives
            if not terms.live_in(self.state):
                continue
            if not self._holds(terms.judge):
                continue
            created.append(self._schedule(deadline, step.date))
        return created

    def _schedule(self, deadline, start: dt.date) -> dict | None:
        terms = self.index.deadline_terms[deadline.id]
        period = deadline.within or deadline.every
        due = self.calendar.add(start, period)
        self.pending = [p for p in self.pending if p.deadline != deadline.id]
        self._scheduled = True
        self.pending.append(Pending(deadline.id, terms.event, terms.occurrence, due, start, terms.anchor_event,
                                    False, deadline.strength, terms.basis))
        if not self.narrate:
            return None   # an audit lists no step
        return {"deadline": deadline.id, "event": terms.event, "due": due.isoformat(), "period": terms.period_text,
                "strength": deadline.strength, "basis": terms.basis, "standard_source": deadline.standard_source,
                "text": deadline.text, "citation": deadline.citation,
                "holidays_in_window": [f"{d.isoformat()} {self.calendar.holiday_name(d)}"
                                       for d in _days_between(start, due) if self.calendar.holiday_name(d)]
                if period.unit == "working_days" else []}

    def _overdue(self, date: dt.date) -> list[Breach]:
        found = []
        for pending in self.pending:
            if pending.due < date and not pending.flagged:
                pending.flagged = True
                if pending.strength not in ("must", "should"):
                    continue   # a `may` or `consider` is never a breach
                deadline = self.procedure.deadlines[pending.deadline]
                found.append(Breach("deadline_missed", pending.deadline, date,
                                    f"{_label(pending)}{deadline.text or pending.deadline} was due by "
                                    f"{pending.due.isoformat()} and had not happened", self._cites(deadline.citation),
                                    basis=pending.basis, strength=pending.strength))
        return found

    def _drop_impossible(self) -> None:
        """Deadlines the case can no longer meet where it is are dropped (whether one can depends
        only on the state and the deadline: a deadline kept in a state is asked again only when
        the state changes)."""
        state = self._checked_in = self.state
        self._scheduled = False
        possible = self.index.still_possible
        kept = [p for p in self.pending if possible[(state, p.deadline)]]
        if len(kept) != len(self.pending):
            self.pending = kept

    def _cites(self, text: str) -> list[str]:
        return list(self.index.cites(text))


def steps_to(leaving: dict[str, list[tuple[str, str]]], state: str, blocked=frozenset()) -> dict[str, int]:
    """Every state reachable from `state` (itself included) with the fewest steps to it, moving
    only on transitions whose event is not blocked: a breadth-first search."""
    found = {state: 0}
    queue = deque([state])
    while queue:
        here = queue.popleft()
        for event, there in leaving.get(here, ()):
            if there not in found and event not in blocked:
                found[there] = found[here] + 1
                queue.append(there)
    return found


def _label(pending: Pending) -> str:
    return "Local standard (not the procedure): " if pending.basis == "local_standard" else ""


def _days_between(start: dt.date, end: dt.date):
    day = start + dt.timedelta(days=1)
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def walk_case(procedure: Procedure, steps: list[Step], until: dt.date | None = None,
              index: ProcedureIndex | None = None, calendar: WorkingCalendar | None = None,
              start: str | None = None, facts: dict | None = None) -> tuple[CaseWalk, list[Breach]]:
    """Walk a whole history; the walker (its reports, its advice at the end) and the breaches
    open at the end. Pass a procedure `with_standards(...)` to check local standards too."""
    walker = CaseWalk(index or ProcedureIndex(procedure), calendar, start)
    walker.known.update(facts or {})
    for step in steps:
        walker.walk(step)
    end = until or (steps[-1].date if steps else dt.date.today())
    return walker, walker.finish(end)


def walk_history(procedure: Procedure, steps: list[Step], until: dt.date | None = None,
                 index: ProcedureIndex | None = None, calendar: WorkingCalendar | None = None,
                 start: str | None = None, facts: dict | None = None):
    """Walk a whole history; return the step reports and the breaches open at the end."""
    walker, end = walk_case(procedure, steps, until, index, calendar, start, facts)
    return walker.reports, end
