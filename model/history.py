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
from dataclasses import dataclass, field

import networkx as nx

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.conditions import evaluate, facts_named
from cpmodel.model.graph import state_graph
from cpmodel.model.procedure import EventRef, Procedure, roles_of


@dataclass
class Step:
    date: dt.date
    event: str
    facts: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class Breach:
    kind: str            # deadline_missed, deadline_late, forbidden_action, condition_not_met, unexpected_event,
                         # order_not_followed
    item: str            # the deadline, rule or transition id
    date: dt.date
    message: str
    citations: list[str]
    basis: str = "procedure"   # procedure | local_standard (a number the authority set, not the documents)
    strength: str = "must"     # must: a breach; should: advice not followed (reported apart)

    def to_json(self) -> dict:
        return {"kind": self.kind, "item": self.item, "date": self.date.isoformat(), "message": self.message,
                "citations": self.citations, "basis": self.basis, "strength": self.strength}


@dataclass
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


class ProcedureIndex:
    """What the walker looks up often, computed once per procedure."""

    def __init__(self, procedure: Procedure):
        self.procedure = procedure
        self.graph = state_graph(procedure)
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
        self._named: dict[int, tuple[object, frozenset[str]]] = {}
        self._on: dict[tuple[str, str], list] = {}

    def events_ahead(self, state: str, anchor: str) -> set[str]:
        """Events that can still happen from a state without the anchor event happening again and
        without the case starting afresh (the events leaving the start state): a deadline lapses when
        only a new plan could bring its event back."""
        key = (state, anchor)
        if key not in self._ahead:
            # A new plan is a case starting afresh, as is the start itself.
            blocked = ({anchor, "plan_made"}
                       | {t.event for t in self.procedure.outgoing(self.procedure.start.id)})
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(self.graph.nodes)
            graph.add_edges_from((a, b, d) for a, b, d in self.graph.edges(data=True) if d["event"] not in blocked)
            reachable = {state} | nx.descendants(graph, state)
            self._ahead[key] = {d["event"] for a, b, d in graph.edges(data=True) if a in reachable}
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
            found = self._distances[state] = nx.single_source_shortest_path_length(self.graph, state)
        return found

    def holds_without_facts(self, condition) -> bool:
        """The verdict of a condition that names no fact."""
        return evaluate(condition, self.quiet)

    def outgoing_on(self, state: str, event: str) -> list:
        """The transitions out of a state on an event."""
        key = (state, event)
        found = self._on.get(key)
        if found is None:
            found = self._on[key] = [t for t in self.procedure.outgoing(state) if t.event == event]
        return found

    def facts_named(self, condition) -> frozenset[str]:
        """The facts a condition mentions (conditions live as long as the procedure: keyed by identity)."""
        known = self._named.get(id(condition))
        if known is None or known[0] is not condition:
            known = self._named[id(condition)] = (condition, frozenset(facts_named(condition)))
        return known[1]


class CaseWalk:
    """One case's history, step by step."""

    def __init__(self, index: ProcedureIndex, calendar: WorkingCalendar | None = None, start: str | None = None,
                 narrate: bool = True):
        self.index = index
        self.narrate = narrate      # a training walk lists what is permitted at each step; an audit needs only breaches
        self.procedure = index.procedure
        self.calendar = calendar or WorkingCalendar()
        self.state = start or self.procedure.start.id
        self.state_since: dt.date | None = None   # when the case entered its state
        self.known: dict = {}       # facts the history states
        self.inferred: dict = {}    # facts assumed so that the history's events could happen
        self.counts: dict[str, int] = {}
        self.pending: list[Pending] = []
        self.reports: list[StepReport] = []
        self.last_seen: dict[str, dt.date] = {}
        self.end_advice: list[Breach] = []

    # -- facts ----------------------------------------------------------------------------------
    def facts(self) -> dict:
        return self.index.quiet | self.inferred | self.known

    def _satisfiable(self, condition) -> dict | None:
        """Values for the unstated facts a condition needs so that it holds, or None if it cannot.
        Earlier assumptions are kept where they still fit, so an assumed fact changes only when
        an event needs it to."""
        named = self.index.facts_named(condition)
        if not named:    # no fact to assume (most transitions): it holds or not, whatever is known
            return {} if self.index.holds_without_facts(condition) else None
        unknown = sorted(named - self.known.keys())
        trial = self.facts()
        if evaluate(condition, trial):
            return {name: trial[name] for name in unknown}
        domains = [self._domain(name) for name in unknown]
        for values in itertools.product(*domains):
            trial = self.index.quiet | self.known | dict(zip(unknown, values))
            if evaluate(condition, trial):
                return dict(zip(unknown, values))
        return None

    def _domain(self, name: str) -> list:
        fact = self.procedure.facts[name]
        domain = fact.domain()
        quiet = fact.quiet_value()
        return [quiet] + [v for v in domain if v != quiet]

    # -- rules ----------------------------------------------------------------------------------
    def applicable_rules(self, event: str | None = None) -> list:
        """Rules whose scope (state, the event just recorded) and condition hold now, less the
        ones another applying rule takes precedence over."""
        facts = self.facts()
        procedure = self.procedure
        applying = [r for r in procedure.spec.rules
                    if procedure.rule_in_scope(r, self.state, event)
                    and evaluate(procedure.condition("rule", r.id), facts)]
        overridden = {other for r in applying for other in r.overrides}
        return [r for r in applying if r.id not in overridden]

    def _rule_entry(self, rule) -> dict:
        action = self.procedure.actions[rule.action]
        return {"rule": rule.id, "action": rule.action, "description": action.description,
                "strength": rule.strength, "role": ", ".join(roles_of(rule.role)), "text": rule.text,
                "citation": rule.citation}

    # -- walking --------------------------------------------------------------------------------
    def walk(self, step: Step) -> StepReport:
        self.known.update(step.facts)
        breaches: list[Breach] = []
        before = self.state
        transition = self._find_transition(step, breaches)
        explanation = ""
        advice: list[Breach] = []
        if transition is not None:
            explanation = transition.description or self.procedure.states[transition.target].description
            if transition.action:   # judged on the situation when the action is taken
                breaches.extend(self._check_action(transition, step.date))
            self.state = transition.target
            self.state_since = step.date
            entered = self._enter(transition, step)
            if not any(b.kind == "condition_not_met" and b.item == transition.id for b in breaches):
                breaches.extend(entered)   # one flag per step: the transition's own condition says it
        self._order(step, breaches, advice)
        self._count(step.event)
        self.last_seen[step.event] = step.date
        met = self._meet(step, breaches, advice)
        self._sort_overdue(self._overdue(step.date), breaches, advice)
        set_now = self._set_deadlines(step)
        self._drop_impossible()
        rules = self.applicable_rules(step.event) if self.narrate else []
        report = StepReport(
            date=step.date, event=step.event, state_before=before, state_after=self.state,
            transition=transition.id if transition else None,
            citations=[c.strip() for c in (transition.citation if transition else "").split(",") if c.strip()],
            explanation=explanation,
            permitted=[self._rule_entry(r) for r in rules if r.modality == "permitted"],
            forbidden=[self._rule_entry(r) for r in rules if r.modality == "forbidden"],
            obliged=[self._rule_entry(r) for r in rules if r.modality == "obliged"],
            deadlines_set=set_now, deadlines_met=met, breaches=breaches, note=step.note, advice=advice)
        self.reports.append(report)
        return report

    def _enter(self, transition, step: Step) -> list[Breach]:
        """Entering a state makes its meaning true: facts stated at earlier steps give way (a plan
        made means the child is now on a plan); facts stated at this very step cannot, and a
        contradiction with them is flagged."""
        state = self.procedure.states[self.state]
        condition = self.procedure.condition("state", self.state)
        implied = self._satisfiable(condition)
        if implied is None:
            stale = {name: self.known.pop(name) for name in facts_named(condition) - set(step.facts)
                     if name in self.known}
            implied = self._satisfiable(condition)
            if implied is None:
                self.known.update(stale)
                return [Breach("condition_not_met", transition.id, step.date,
                               f"{state.name!r} needs {state.assumes}, which what is stated rules out",
                               self._cites(state.citation))]
            self.known.update({name: implied[name] for name in stale if name in implied})
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
            if not deadline.lateness_counts or not self.procedure.deadline_live_in(deadline, self.state):
                continue
            if not evaluate(self.procedure.condition("deadline", deadline.id), self.facts()):
                continue
            first = EventRef.parse(deadline.event).event
            since = self.last_seen.get(EventRef.parse(deadline.anchor).event) if deadline.anchor else None
            if deadline.anchor and since is None:
                continue   # the duty has not arisen in this case
            done = self.last_seen.get(first)
            if done is not None and (since is None or done >= since):
                continue
            breach = Breach("order_not_followed", deadline.id, step.date,
                            f"{step.event!r} happened before {first!r}: {deadline.text or deadline.id}",
                            self._cites(deadline.citation), strength=deadline.strength)
            (advice if deadline.strength == "should" else breaches).append(breach)

    def _find_transition(self, step: Step, breaches: list[Breach]):
        for _ in range(4):   # pass through decision points the history does not name
            outgoing = self.procedure.outgoing(self.state)
            matching = self.index.outgoing_on(self.state, step.event)
            for transition in matching:
                inferred = self._satisfiable(self.procedure.condition("transition", transition.id))
                if inferred is not None:
                    self.inferred.update(inferred)
                    return transition
            if matching:
                transition = matching[0]
                breaches.append(Breach("condition_not_met", transition.id, step.date,
                                       f"{step.event!r} happened although its condition does not hold here "
                                       f"({transition.when})", self._cites(transition.citation)))
                return transition
            state = self.procedure.states[self.state]
            automatic = [t for t in outgoing if self._satisfiable(self.procedure.condition("transition", t.id)) is not None]
            if state.kind != "decision" or not automatic:
                break
            chosen = automatic[0]
            self.inferred.update(self._satisfiable(self.procedure.condition("transition", chosen.id)))
            # The history does not name this decision's outcome: it was taken when the case
            # reached the decision (the conference), so that is the date it counts from.
            decided = self.state_since or step.date
            self.state = chosen.target
            self.state_since = decided
            self._count(chosen.event)
            self.last_seen[chosen.event] = decided
            self._set_deadlines(Step(decided, chosen.event))
        elsewhere = self.index.transitions_with(step.event)
        if not elsewhere:
            breaches.append(Breach("unexpected_event", step.event, step.date,
                                   f"{step.event!r} is not an event of the procedure", []))
            return None
        distance = self.index.distances_from(self.state)
        reachable = sorted((distance[t.source], i) for i, t in enumerate(elsewhere) if t.source in distance)
        if reachable:
            # The history did not record the steps in between (notes not yet out, say): move on quietly.
            self.state = elsewhere[reachable[0][1]].source
            return self._find_transition(step, breaches)
        transition = elsewhere[0]
        breaches.append(Breach("unexpected_event", transition.id, step.date,
                               f"{step.event!r} cannot follow from {self.procedure.states[self.state].name!r}; "
                               f"continuing from {self.procedure.states[transition.target].name!r}",
                               self._cites(transition.citation)))
        return transition

    def _check_action(self, transition, date) -> list[Breach]:
        """A step whose action an applying rule forbids to the role taking it (a rule naming no
        role, or a step naming no actor, is judged against everyone)."""
        found = []
        actors = set(roles_of(transition.by))
        for rule in self.applicable_rules(transition.event):
            if rule.action != transition.action or rule.modality != "forbidden":
                continue
            forbidden_to = set(roles_of(rule.role))
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
        if any(k in self.known for k in self.inferred):
            self.inferred = {k: v for k, v in self.inferred.items() if k not in self.known}

    def _meet(self, step: Step, breaches: list[Breach], advice: list[Breach]) -> list[str]:
        met = []
        for pending in list(self.pending):
            if pending.event != step.event:
                continue
            if pending.occurrence is not None and self.counts.get(step.event, 0) != pending.occurrence:
                continue
            self.pending.remove(pending)
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
        for deadline in self.index.by_anchor.get(step.event, ()):
            anchor = EventRef.parse(deadline.anchor)
            if anchor.occurrence is not None and anchor.occurrence != occurrence:
                continue
            event = EventRef.parse(deadline.event)
            if event.occurrence is not None and self.counts.get(event.event, 0) >= event.occurrence:
                continue
            if not evaluate(self.procedure.condition("deadline", deadline.id), self.facts()):
                continue
            if deadline.within is None and deadline.every is None:
                continue   # untimed, or a period the plan sets and no standards file gives
            if not self.procedure.deadline_live_in(deadline, self.state):
                continue
            created.append(self._schedule(deadline, step.date))
        return created

    def _schedule(self, deadline, start: dt.date) -> dict:
        event = EventRef.parse(deadline.event)
        period = deadline.within or deadline.every
        due = self.calendar.add(start, period)
        self.pending = [p for p in self.pending if p.deadline != deadline.id]
        basis = "local_standard" if deadline.standard_source else "procedure"
        self.pending.append(Pending(deadline.id, event.event, event.occurrence, due, start,
                                    EventRef.parse(deadline.anchor).event, strength=deadline.strength, basis=basis))
        return {"deadline": deadline.id, "event": event.event, "due": due.isoformat(), "period": str(period),
                "strength": deadline.strength, "basis": basis, "standard_source": deadline.standard_source,
                "text": deadline.text, "citation": deadline.citation,
                "holidays_in_window": [f"{d.isoformat()} {self.calendar.holiday_name(d)}"
                                       for d in _days_between(start, due) if self.calendar.holiday_name(d)]
                if period.unit == "working_days" and self.narrate else []}

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
        deadlines = self.procedure.deadlines
        # A deadline whose event is its own anchor's (the second core group, counted from the first)
        # is met by that event happening again: only a restart of the case blocks it then.
        self.pending = [p for p in self.pending
                        if p.event in self.index.events_ahead(self.state, p.anchor if p.event != p.anchor else "")
                        and self.procedure.deadline_live_in(deadlines[p.deadline], self.state)]

    @staticmethod
    def _cites(text: str) -> list[str]:
        return [c.strip() for c in text.split(",") if c.strip()]


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
