"""Deadlines over real dates: can all of a pathway's deadlines be met together, how tight are they,
and does some stretch of a pathway have no recurring duty covering it?

Each event occurrence is an integer day after a start date. Periods are converted exactly on the
England and Wales calendar by lookup tables (day -> the day N working days or N months later),
so the arithmetic is the calendar's own, not an approximation. A pathway is a connected group
of events linked by deadlines.

Feasibility is decided by bounds propagation, which is exact for these monotone bounds and
fast; the same bounds encoded for Z3 (``z3_feasible``) serve as the oracle in the tests and
answer the coverage question, which needs optimisation.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass

import z3

from cpmodel.model.calendar import WorkingCalendar
from cpmodel.model.conditions import Const
from cpmodel.model.digraph import connected_groups, descendants, successors_of, topological_order
from cpmodel.model.procedure import EventRef, Procedure
from cpmodel.model.schema import Period
from cpmodel.proofs.encode import SolverUndecided
from cpmodel.proofs.findings import Finding, citations_of, words_of

# Start dates the deadlines are tried from: the Friday before Christmas, the week before Easter,
# an ordinary June Monday and the week before the August bank holiday.
DEFAULT_STARTS = (dt.date(2026, 12, 18), dt.date(2027, 3, 22), dt.date(2027, 6, 14), dt.date(2027, 8, 20))
HORIZON_DAYS = 800
RECURRENCES_UNROLLED = 2
MAX_CONDITIONAL = 10   # conditional deadlines on one pathway split into cases; more are taken together


@dataclass(frozen=True)
class Bound:
    """later >= earlier + period (kind 'after') or later <= earlier + period (kind 'within')."""

    deadline: str | None
    kind: str
    earlier: str
    later: str
    period: Period


def _zero() -> Period:
    return Period(number=0, unit="days")


def _dependency_order(procedure: Procedure) -> list:
    """Deadlines ordered so that the one defining an event comes before those counting from it."""
    graph: dict[str, list[str]] = {}
    for deadline in procedure.spec.deadlines:
        event = EventRef.parse(deadline.event).event
        graph.setdefault(event, [])
        for other in (deadline.anchor, ):
            if other:
                anchor = EventRef.parse(other).event
                graph.setdefault(anchor, [])
                if event not in graph[anchor]:
                    graph[anchor].append(event)
    order = topological_order(graph)
    rank = {event: i for i, event in enumerate(order)} if order is not None else {}
    numbered_first = lambda d: (EventRef.parse(d.event).occurrence is None and d.every is None,
                                rank.get(EventRef.parse(d.event).event, 0))
    return sorted(procedure.spec.deadlines, key=numbered_first)


def timeline_bounds(procedure: Procedure) -> list[Bound]:
    """Every deadline as bounds between event occurrences (recurrences unrolled twice).

    A plain event name (no '#N') counted from an event with several occurrences is instantiated
    once per occurrence: notes follow every core group, not just one.
    """
    instances: dict[str, list[str]] = {}

    def register(node: str) -> str:
        event = EventRef.parse(node.split(" ")[0]).event
        if node not in instances.setdefault(event, []):
            instances[event].append(node)
        return node

    def anchors_of(text: str) -> list[str]:
        ref = EventRef.parse(text)
        if ref.occurrence is None and instances.get(ref.event):
            return list(instances[ref.event])
        return [str(ref)]

    bounds: list[Bound] = []
    for deadline in _dependency_order(procedure):
        event = EventRef.parse(deadline.event)
        if deadline.every is not None:
            if deadline.every.unit == "visits":
                continue
            anchor = EventRef.parse(deadline.anchor)
            first = (anchor.occurrence or 0) + 1 if anchor.event == event.event else None
            previous = str(anchor)
            for step in range(RECURRENCES_UNROLLED):
                node = register(f"{event.event}#{first + step}" if first else
                                f"{event.event} (every {deadline.every} after {anchor}) #{step + 1}")
                bounds.append(Bound(deadline.id, "after", previous, node, _zero()))
                bounds.append(Bound(deadline.id, "within", previous, node, deadline.every))
                previous = node
            continue
        anchors = anchors_of(deadline.anchor) if deadline.anchor else [None]
        for anchor in anchors:
            if event.occurrence is not None:
                node = str(event)
            elif anchor and (len(anchors) > 1 or anchor != EventRef.parse(deadline.anchor).event):
                node = f"{event.event} (after {anchor})"
            elif not anchor:
                node = f"{event.event} (before {deadline.before})"
            else:
                node = event.event
            register(node)
            if deadline.within is not None:
                bounds.append(Bound(deadline.id, "after", anchor, node, _zero()))
                bounds.append(Bound(deadline.id, "within", anchor, node, deadline.within))
            if deadline.not_before is not None:
                bounds.append(Bound(deadline.id, "after", anchor, node, deadline.not_before))
            if deadline.before:
                bounds.append(Bound(deadline.id, "after", node, deadline.before, _zero()))
    # Occurrences of one event come in order.
    nodes = {b.earlier for b in bounds} | {b.later for b in bounds}
    for name, members in instances.items():
        numbers = sorted(EventRef.parse(m).occurrence for m in members if EventRef.parse(m) and EventRef.parse(m).occurrence)
        ordered = [n for n in numbers if f"{name}#{n}" in nodes]
        for a, b in zip(ordered, ordered[1:]):
            bounds.append(Bound(None, "after", f"{name}#{a}", f"{name}#{b}", _zero()))
    return bounds


def horizon_for(bounds: list[Bound]) -> int:
    """Days enough for every event of a pathway: the sum of its longest periods, plus a margin."""
    longest = {"days": 1, "weeks": 7, "months": 31, "working_days": 2, "visits": 0}
    total = sum(b.period.number * longest[b.period.unit] + (12 if b.period.unit == "working_days" else 0)
                for b in bounds)
    return min(HORIZON_DAYS, total + 14)


def pathways(bounds: list[Bound]) -> list[list[Bound]]:
    groups = []
    for component in sorted(connected_groups((b.earlier, b.later) for b in bounds), key=lambda c: sorted(c)):
        groups.append([b for b in bounds if b.earlier in component])
    return groups


class CalendarTables:
    """Exact date arithmetic for Z3: one lookup function per period used, over the horizon.

    Tables are handed to Z3 as one SMT-LIB text each (parsed in C), and shared by every
    pathway checked from the same start date.
    """

    def __init__(self, calendar: WorkingCalendar, start: dt.date, horizon: int = HORIZON_DAYS):
        self.calendar, self.start, self.horizon = calendar, start, horizon
        self.functions: dict[str, z3.FuncDeclRef] = {}
        self.values: dict[str, list[int]] = {}
        self.tables: dict[str, str] = {}
        self._working_days: list[int] | None = None
        self._rank: list[int] | None = None

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def shift(self, day: int, period: Period) -> int:
        """Python side: the day index of (day + period)."""
        unit = period.unit
        if unit == "days":                  # plain arithmetic, as in calendar.add and term()
            return day + period.number
        if unit == "weeks":
            return day + 7 * period.number
        key = f"{period.number}_{unit}"
        if 0 <= day <= self.horizon:
            if key not in self.values:
                self.values[key] = self._table(period)
            return self.values[key][day]
        return self._shift_uncached(day, period)

    def _table(self, period: Period) -> list[int]:
        """(day + period) for every day of the horizon; working days by one pass, not a search each."""
        if period.unit != "working_days":    # months: the calendar's own addition, day after day
            add, start, one_day = self.calendar.add, self.start, dt.timedelta(days=1)
            values, date = [], start
            for _ in range(self.horizon + 1):
                values.append((add(date, period) - start).days)
                date += one_day
            return values
        if period.number == 0:
            return [self._shift_uncached(d, period) for d in range(self.horizon + 1)]
        self._shift_uncached(0, period)      # builds the working-day index
        working, count = self._working_days, len(self._working_days)
        if self._rank is None:               # how many working days fall on or before each day
            self._rank = [bisect.bisect_right(working, d) for d in range(self.horizon + 1)]
        step = period.number - 1
        return [working[r + step] if r + step < count else self._shift_uncached(d, period)
                for d, r in enumerate(self._rank)]

    def _shift_uncached(self, day: int, period: Period) -> int:
        if period.unit != "working_days":
            return (self.calendar.add(self.date(day), period) - self.start).days
        if self._working_days is None:  # every working day's index, once
            span = self.horizon + 400
            self._working_days = [d for d in range(span) if self.calendar.is_working_day(self.date(d))]
        if period.number == 0:
            return day
        position = bisect.bisect_right(self._working_days, day) + period.number - 1
        if position < len(self._working_days):
            return self._working_days[position]
        return (self.calendar.add(self.date(day), period) - self.start).days

    def first_day_with_shift_at_least(self, target: int, period: Period) -> int:
        """The earliest day d of the horizon with d + period >= target (horizon + 1 if none).

        (d + period) never decreases as d grows (a later start is never due earlier), so this is
        a search of the day's table for target: plain arithmetic for days and weeks, a bisection
        of the table for working days and months."""
        unit = period.unit
        if unit in ("days", "weeks"):
            length = period.number * (7 if unit == "weeks" else 1)
            return min(max(target - length, 0), self.horizon + 1)
        key = f"{period.number}_{unit}"
        if key not in self.values:
            self.values[key] = self._table(period)
        return bisect.bisect_left(self.values[key], target, 0, self.horizon + 1)

    def last_day_with_shift_at_most(self, target: int, period: Period) -> int:
        """The latest day d with d + period <= target (-1 if none)."""
        return self.first_day_with_shift_at_least(target + 1, period) - 1

    def term(self, variable, period: Period):
        """Z3 side: the day index of (variable + period)."""
        if period.unit == "days":
            return variable + period.number
        if period.unit == "weeks":
            return variable + 7 * period.number
        key = f"{period.number}_{period.unit}"
        if key not in self.functions:
            name = f"plus_{key}"
            function = z3.Function(name, z3.IntSort(), z3.IntSort())
            self.shift(0, period)
            self.functions[key] = function
            self.tables[key] = f"(declare-fun {name} (Int) Int)\n" + "\n".join(
                f"(assert (= ({name} {d}) {v}))" for d, v in enumerate(self.values[key]))
        return self.functions[key](variable)

    def load_into(self, solver, periods) -> None:
        """Give the solver the tables for the periods a pathway uses (parsed by Z3 itself)."""
        keys = {f"{p.number}_{p.unit}" for p in periods if p.unit in ("working_days", "months")}
        for key in sorted(keys):
            solver.from_string(self.tables[key])


def _encode(bounds: list[Bound], tables: CalendarTables, root: str):
    days = {}
    for bound in bounds:
        for name in (bound.earlier, bound.later):
            days.setdefault(name, z3.Int(name))
    structural = [z3.And(v >= 0, v <= tables.horizon) for v in days.values()] + [days[root] == 0]
    tracked: dict[str, list] = {}
    for bound in bounds:
        shifted = tables.term(days[bound.earlier], bound.period)
        constraint = days[bound.later] >= shifted if bound.kind == "after" else days[bound.later] <= shifted
        if bound.deadline is None:
            structural.append(constraint)
        else:
            tracked.setdefault(bound.deadline, []).append(constraint)
    return days, structural, tracked


def _root(bounds: list[Bound]) -> str:
    """The event the pathway starts from: the one most others count from."""
    later = {b.later for b in bounds}
    roots = sorted({b.earlier for b in bounds} - later) or sorted({b.earlier for b in bounds})
    return max(roots, key=lambda r: (sum(1 for b in bounds if b.earlier == r), r))


def propagate(bounds: list[Bound], tables: CalendarTables, root: str) -> dict[str, int] | None:
    low, _high, _failed = narrow(bounds, tables, root)
    return None if _failed else low


def narrow(bounds: list[Bound], tables: CalendarTables, root: str, windows: tuple[dict, dict] | None = None):
    """Decide a pathway exactly: the earliest date of every event, or None if no schedule exists.

    Every bound is monotone (a later anchor never gives an earlier due date), so narrowing each
    event's [earliest, latest] window until nothing changes is complete: if no window empties,
    taking every event at its earliest date meets every bound, and so does taking every event at
    its latest (checked by Z3 in the tests). `windows` starts from narrower windows than the
    whole horizon (earliest, latest; copied). Returns (earliest, latest, the event whose window
    emptied or None).
    """
    names = {n for b in bounds for n in (b.earlier, b.later)}
    if windows is None:
        low = {n: 0 for n in names}
        high = {n: tables.horizon for n in names}
        high[root] = 0
    else:
        low, high = dict(windows[0]), dict(windows[1])
    changed = True
    while changed:
        changed = False
        for bound in bounds:
            x, y = bound.earlier, bound.later
            if bound.kind == "after":      # y >= x + period
                candidates = ((y, "low", tables.shift(low[x], bound.period)),
                              (x, "high", tables.last_day_with_shift_at_most(high[y], bound.period)))
            else:                          # y <= x + period
                candidates = ((y, "high", tables.shift(high[x], bound.period)),
                              (x, "low", tables.first_day_with_shift_at_least(low[y], bound.period)))
            for name, side, value in candidates:
                if side == "low" and value > low[name]:
                    low[name], changed = value, True
                elif side == "high" and value < high[name]:
                    high[name], changed = value, True
                if low[name] > high[name]:
                    return low, high, name
    return low, high, None


def _entries(bounds: list[Bound]) -> list[str]:
    """Events a case can start the pathway from: every event that something counts from."""
    return sorted({b.earlier for b in bounds})


def downstream(bounds: list[Bound], entry: str) -> list[Bound]:
    """The bounds among the events that come after entry (the entry itself included)."""
    graph = successors_of((), ((b.earlier, b.later) for b in bounds))
    after = {entry} | descendants(graph, entry)
    return [b for b in bounds if b.earlier in after and b.later in after]


def minimal_clash(bounds: list[Bound], tables: CalendarTables, root: str) -> list[str]:
    """The smallest set of deadlines that still cannot all be met (deletion, one at a time)."""
    needed = sorted({b.deadline for b in bounds if b.deadline})
    for deadline in list(needed):
        trial = [d for d in needed if d != deadline]
        if propagate([b for b in bounds if b.deadline is None or b.deadline in trial], tables, root) is None:
            needed = trial
    return needed


def case_classes(procedure: Procedure, encoder, group: list[Bound]) -> list[set[str]]:
    """The sets of deadlines that can apply together in one case.

    A deadline applies only in the cases its `when` (and its scope, `in:`) allows; two deadlines
    for cases that can never overlap never clash. Feasibility is monotone (fewer deadlines are
    easier to meet), so the maximal sets that some case allows are enough.
    """
    from cpmodel.proofs.vacuity import applicability

    ids = sorted({b.deadline for b in group if b.deadline})
    conditional, always = [], []
    for deadline_id in ids:
        deadline = procedure.deadlines[deadline_id]
        parts = applicability(procedure, encoder, "deadline", deadline)
        if len(parts) == 1 and procedure.condition("deadline", deadline_id) == Const(True):
            always.append(deadline_id)
        else:
            conditional.append((deadline_id, list(parts.values())))
    if not conditional or len(conditional) > MAX_CONDITIONAL:  # too many to split: taken together
        return [set(ids)]
    found: list[set[str]] = []
    for size in range(len(conditional), -1, -1):
        for chosen in itertools.combinations(conditional, size):
            names = {d for d, _ in chosen}
            if any(names <= earlier for earlier in found):
                continue
            if encoder.satisfiable(*(c for _, parts in chosen for c in parts)):
                found.append(names)
    return [set(always) | names for names in found]


def check(procedure: Procedure, encoder=None, calendar: WorkingCalendar | None = None,
          starts=DEFAULT_STARTS, timeout_ms: int = 10_000) -> list[Finding]:
    from cpmodel.proofs.encode import FactEncoder

    encoder = encoder or FactEncoder(procedure, timeout_ms)
    calendar = calendar or WorkingCalendar()
    findings: list[Finding] = []
    groups = pathways(timeline_bounds(procedure))
    horizon = max((horizon_for(g) for g in groups), default=0)
    tables_by_start = {start: CalendarTables(calendar, start, horizon) for start in starts}
    for whole_group in groups:
        root = _root(whole_group)
        tightest, clash = None, None
        for applying in case_classes(procedure, encoder, whole_group):
            group = [b for b in whole_group if b.deadline is None or b.deadline in applying]
            for start in starts:
                tables = tables_by_start[start]
                schedule = propagate(group, tables, root)
                if schedule is not None:
                    slack = _tightest_slack(group, tables, schedule)
                    if slack and (tightest is None or slack[0] < tightest[0]):
                        tightest = slack
                for entry in _entries(group):
                    part = downstream(group, entry)
                    if propagate(part, tables, entry) is None:
                        core = minimal_clash(part, tables, entry)
                        if clash is None or (len(core), len(part)) < (len(clash[1]), len(clash[3])):
                            clash = (start, core, entry, part)
        if clash:
            findings.append(_clash_finding(procedure, encoder, tables_by_start, *clash))
        elif tightest:
            findings.append(tightest[1](procedure, root))
    findings.extend(coverage_gaps(procedure, tables_by_start[starts[0]], groups, timeout_ms))
    return findings


def _clash_finding(procedure, encoder, tables_by_start, start, core, entry, part) -> Finding:
    """Name the dates: the event whose earliest allowed date is after its latest allowed date."""
    from cpmodel.proofs.vacuity import applicability

    tables = tables_by_start[start]
    bounds = [b for b in part if b.deadline is None or b.deadline in core]
    event, earliest_day, latest_day = clash_window(bounds, core, tables, entry)
    earliest, latest = tables.date(earliest_day), tables.date(latest_day)
    limits = [applicability(procedure, encoder, "deadline", procedure.deadlines[d]) for d in core]
    conditional = [c for parts in limits for name, c in parts.items()
                   if name == "scope" or not z3.is_true(z3.simplify(c))]
    case = encoder.search(*conditional).witness if conditional else {}
    quoted = " and ".join(words_of(procedure, d) for d in core)
    when = f" in a case like {_facts(case)}" if case else ""
    return Finding(
        kind="infeasible_deadline", severity="error", involved=core,
        witness={"pathway_start": entry, "start_date": start.isoformat(), "clashing_deadlines": core,
                 "event": event, "earliest_date": earliest.isoformat(), "latest_date": latest.isoformat(),
                 "case": case},
        message=f"{quoted} cannot all be met: when {entry!r} happens on {start.isoformat()}{when}, "
                f"{event!r} may come no earlier than {earliest.isoformat()} ({earliest:%A %d %B %Y}) but must "
                f"come by {latest.isoformat()} ({latest:%A %d %B %Y}) (smallest clashing set: {', '.join(core)})",
        citations=citations_of(procedure, *core))


def clash_window(bounds: list[Bound], core: list[str], tables: CalendarTables, entry: str) -> tuple[str, int, int]:
    """The event and the two days that show a clash: with every other deadline of the smallest
    clashing set met, one deadline needs the event earlier than the others allow, or later than
    they allow. (Falls back to the window that bounds propagation emptied.)"""
    for deadline in reversed(core):
        low, high, failed = narrow([b for b in bounds if b.deadline != deadline], tables, entry)
        if failed:
            continue
        # An event the other deadlines do not name is free: any day (the entry event: day 0).
        earliest = lambda name: low.get(name, 0)
        latest = lambda name: high.get(name, 0 if name == entry else tables.horizon)
        own = [b for b in bounds if b.deadline == deadline]
        for bound in own:
            x, y = bound.earlier, bound.later
            if bound.kind == "within" and earliest(y) > tables.shift(latest(x), bound.period):
                return y, earliest(y), tables.shift(latest(x), bound.period)
            if bound.kind == "after" and tables.shift(earliest(x), bound.period) > latest(y):
                return y, tables.shift(earliest(x), bound.period), latest(y)
        for after in (b for b in own if b.kind == "after"):   # one deadline's own 'not before' past its 'within'
            for within in (b for b in own if b.kind == "within" and (b.earlier, b.later) == (after.earlier, after.later)):
                start = earliest(after.earlier)
                if tables.shift(start, after.period) > tables.shift(start, within.period):
                    return after.later, tables.shift(start, after.period), tables.shift(start, within.period)
    low, high, failed = narrow(bounds, tables, entry)
    return failed, low[failed], high[failed]


def _facts(case: dict) -> str:
    return ", ".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in case.items())


def _tightest_slack(group, tables, earliest):
    best = None
    for bound in group:
        if bound.kind != "within" or bound.deadline is None:
            continue
        due = tables.shift(earliest[bound.earlier], bound.period)
        slack = due - earliest[bound.later]
        if best is None or slack < best[0]:
            best = (slack, bound, earliest[bound.later], due)
    if best is None:
        return None
    slack, bound, happens, due = best

    def finding(procedure, root_name):
        return Finding(
            kind="deadline_slack", severity="info", involved=[bound.deadline],
            witness={"pathway_start": root_name, "start_date": tables.start.isoformat(),
                     "event": bound.later, "earliest_date": tables.date(happens).isoformat(),
                     "due_date": tables.date(due).isoformat(), "slack_days": slack},
            message=f"{words_of(procedure, bound.deadline)}: the tightest of the deadlines on the pathway from "
                    f"{root_name!r}, all of which can be met: {slack} calendar day(s) of slack when every step is "
                    f"taken as early as allowed ({bound.later!r} on {tables.date(happens).isoformat()}, due "
                    f"{tables.date(due).isoformat()}; start {tables.start.isoformat()})",
            citations=citations_of(procedure, bound.deadline))
    return slack, finding


def coverage_gaps(procedure: Procedure, tables: CalendarTables, groups, timeout_ms: int) -> list[Finding]:
    """A recurring duty that starts from another event leaves the stretch before it uncovered
    when that event can come later than one interval after the duty's last fixed occurrence."""
    findings = []
    for recurrence in procedure.spec.deadlines:
        if recurrence.every is None or recurrence.every.unit == "visits":
            continue
        event, anchor = EventRef.parse(recurrence.event), EventRef.parse(recurrence.anchor)
        if anchor.event == event.event:
            continue
        fixed = sorted((EventRef.parse(d.event).occurrence, d.id) for d in procedure.spec.deadlines
                       if d.every is None and EventRef.parse(d.event).event == event.event
                       and EventRef.parse(d.event).occurrence)
        if not fixed:
            continue
        last_number, last_deadline = fixed[-1]
        last = f"{event.event}#{last_number}"
        group = next((g for g in groups if any(last in (b.earlier, b.later) for b in g)), None)
        if group is None:
            continue
        if not any(str(anchor) in (b.earlier, b.later) for b in group):
            continue
        widest = widest_gap(group, tables, _root(group), last, str(anchor), recurrence.every)
        if widest is not None:
            last_day, anchor_day = widest
            findings.append(Finding(
                kind="uncovered_stretch", severity="warning", involved=[last_deadline, recurrence.id],
                witness={last: tables.date(last_day).isoformat(), str(anchor): tables.date(anchor_day).isoformat(),
                         "uncovered_days": anchor_day - last_day},
                message=f"{words_of(procedure, last_deadline)} and {words_of(procedure, recurrence.id)}: "
                        f"nothing says how often {event.event!r} must happen between {last!r} "
                        f"({last_deadline}) and {str(anchor)!r}, where {recurrence.id!r} starts: "
                        f"the gap can be {anchor_day - last_day} days, longer than its interval of {recurrence.every}",
                citations=citations_of(procedure, last_deadline, recurrence.id)))
    return findings


def widest_gap(bounds: list[Bound], tables: CalendarTables, root: str, last: str, anchor: str,
               every: Period) -> tuple[int, int] | None:
    """The schedule where `anchor` comes longest after `last` while later than one interval
    `every` after it, and of those the one with `last` earliest: (last's day, anchor's day), or
    None if anchor can never come that late.

    Exact, by the narrowing of `narrow`: with `last` pinned to a day L, the latest anchor is
    its latest date after narrowing (the latest dates meet every bound together). L is tried from
    its earliest day on, and no later L can do better once the anchor's latest date overall, less
    L, is no wider than the best gap found. (This answered with Z3's Optimize, maximise the gap,
    then minimise L, which took over a second on the shipped model; `z3_widest_gap` is that
    oracle, in the tests.)"""
    low, high, failed = narrow(bounds, tables, root)
    if failed or last not in low or anchor not in low:
        return None
    best: tuple[int, int] | None = None
    for day in range(low[last], high[last] + 1):
        if best is not None and high[anchor] - day <= best[1] - best[0]:
            break
        pinned_low, pinned_high = dict(low), dict(high)
        pinned_low[last] = pinned_high[last] = day
        _low, latest, emptied = narrow(bounds, tables, root, (pinned_low, pinned_high))
        if emptied:
            continue
        if latest[anchor] > tables.shift(day, every) and (best is None or latest[anchor] - day > best[1] - best[0]):
            best = (day, latest[anchor])
    return best


def z3_widest_gap(bounds: list[Bound], tables: CalendarTables, root: str, last: str, anchor: str,
                  every: Period, timeout_ms: int = 60_000) -> tuple[int, int] | None:
    """The same question answered by Z3's Optimize over the calendar tables (an oracle)."""
    days, structural, tracked = _encode(bounds, tables, root)
    solver = z3.Optimize()
    solver.set("timeout", timeout_ms)
    solver.add(*structural, *[c for cs in tracked.values() for c in cs])
    solver.add(days[anchor] > tables.term(days[last], every))
    tables.load_into(solver, [b.period for b in bounds] + [every])
    solver.maximize(days[anchor] - days[last])
    solver.minimize(days[last])
    answer = solver.check()
    if answer == z3.unknown:
        raise SolverUndecided(solver.reason_unknown())
    if answer != z3.sat:
        return None
    model = solver.model()
    return model.eval(days[last]).as_long(), model.eval(days[anchor]).as_long()


def z3_feasible(bounds: list[Bound], tables: CalendarTables, root: str, timeout_ms: int = 60_000) -> bool:
    """The same question answered by Z3 over the calendar tables (slow on clashes; an oracle)."""
    days, structural, tracked = _encode(bounds, tables, root)
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(*structural, *[c for cs in tracked.values() for c in cs])
    tables.load_into(solver, [b.period for b in bounds])
    answer = solver.check()
    if answer == z3.unknown:
        raise SolverUndecided(solver.reason_unknown())
    return answer == z3.sat
