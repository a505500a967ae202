"""One replication: households arrive, their plans create work from the procedure, staff do it.

A household (a case) is a SimPy process that waits for the next thing to happen to it (a move,
becoming looked after, a hospital admission, an 18th birthday); review outcomes come when the
review conference is actually held. Each finished task is the event its deadline names, which
may create the next tasks, exactly as the procedure's deadlines say. Work is booked in diaries
when its window opens (sim/diaries.py).
"""
from __future__ import annotations

import bisect
import gc
import heapq
import math
import datetime as dt
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from cpmodel.model.conditions import Const, evaluate
from cpmodel.model.procedure import Procedure
from cpmodel.model.schema import Period
from cpmodel.sim.clock import Environment, run_until
from cpmodel.sim.days import SimulationDays
from cpmodel.sim.duties import Duty, DutyRules, duty_rules
from cpmodel.sim.scenario import Scenario
from cpmodel.sim.overdue import OverdueCount
from cpmodel.sim.workforce import Task, Queue, Worker, Workforce, in_order

POOLS = ("social_workers", "team_managers", "conference_chairs")
# The facts the simulation keeps for a case, written with each event of a case history.
HISTORY_FACTS = ("unborn", "age", "on_plan", "significant_harm_continuing", "legal_status", "looked_after",
                 "agencies_absent", "failed_visits_in_a_row", "unplanned_hospital_admission", "implementation_difficulty")
WORKING_DAYS_PER_YEAR = 253
# The work kind of a review conference brought forward (not a deadline: never counted late itself;
# the scheduled review it replaces is met when it is held).
REVIEW_BROUGHT_FORWARD = "review_brought_forward"
_NOTHING_ON = (None, (), None)   # an event that decides nothing, starts no duty and has no reaction


@dataclass(eq=False)
class Household:
    id: int
    children: int
    age: float | None            # eldest child's age at the start (None: unborn)
    started: float
    worker: Worker | None = None
    phase: str = "plan"           # plan -> after_plan -> closed
    counts: dict = field(default_factory=dict)
    no_access_in_row: int = 0
    last_seen_alone: bool = True
    # the case's open tasks, in the order they were made (a dict: a set would iterate by address)
    open_tasks: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    plan_ended: float | None = None
    closed: float | None = None
    reviews: int = 0
    ending_asked: bool = False    # a review was brought forward to end the plan (not yet held)


@dataclass
class ReplicationResult:
    """Raw measurements of one replication, over the measured window (after warm-up)."""

    seed: int
    lateness: dict[str, list[int]]
    hours_by_week: dict[str, list[float]]
    available_by_week: dict[str, list[float]]
    caseload_mean_by_week: list[float]
    caseload_max_by_week: list[float]
    open_households_by_week: list[int]
    backlog_by_week: list[int]
    plan_durations_days: list[float]
    households_started: int
    households: list[tuple[float, float | None]]   # (started, closed or None) for every household
    not_simulated: dict[str, str]
    hours_by_event: dict[str, float]
    days_worked: list[int]
    events: int
    history: list[tuple] | None = None   # (household, day, event, facts) for every event, if asked for
    tasks_done: int = 0                  # every task finished, warm-up included
    # (start day, end day, children) of every plan that ended in the measured window, and the
    # calendar date of day 0: plan lengths are measured in calendar months, one plan per child
    plan_spans: list[tuple[int, int, int]] = field(default_factory=list)
    start_date: dt.date | None = None


class Replication:
    def __init__(self, procedure: Procedure, scenario: Scenario, seed: int, record_history: bool = False):
        self.procedure, self.scenario, self.seed = procedure, scenario, seed
        self.history: list[tuple] | None = [] if record_history else None
        self.history_facts = [f for f in HISTORY_FACTS if f in procedure.facts]
        self.random = np.random.default_rng(seed)
        self.uniform = self.random.random          # looked up once: two draws for every visit
        self.env = Environment()
        self.days = SimulationDays(scenario.calendar.start_date, scenario.horizon_days,
                                   scenario.calendar.closures, scenario.calendar.always_open)
        self.rules: DutyRules = duty_rules(procedure, scenario)
        self.duty_by_kind = {d.kind: d for duties in (*self.rules.by_anchor.values(), *self.rules.by_before.values())
                             for d in duties}
        self.weeks = scenario.horizon_days // 7 + 1
        self.workforce = Workforce(self.env, self.days, scenario.calendar.day_starts_hour, self.weeks, self._done)
        self.warm_up = scenario.warm_up_days
        self.workforce.measured_from = self.warm_up
        # Work for a 'may' or 'consider' duty is simulated, but it is never late.
        self.lateness: dict[str, list[int]] = {kind: [] for kind in self.rules.simulated
                                               if kind not in self.rules.never_late}
        self.lateness["seen_alone_alternate_visits"] = []
        self.households: list[Household] = []
        self.open_households = 0
        self.lowest_caseload: list = []
        self.overdue = OverdueCount(scenario.horizon_days)   # open accountable tasks, by due day
        self.quiet_facts = {f.id: f.quiet_value() for f in procedure.spec.facts}
        self.hours_table: dict[tuple[str, str], float | None] = {}
        self.duty_work: dict[str, tuple] = {}
        self.booking_margin = scenario.booking_margin_working_days
        self.exponential_time = scenario.task_time == "exponential"
        self.no_access_per_visit = scenario.case_flow.no_access_per_visit
        self.seen_alone_per_visit = scenario.case_flow.seen_alone_per_visit
        # The duties each event starts, with what occur checks (a constant condition checked
        # once here: one that is always false starts nothing).
        self.anchored = {event: tuple((d, d.anchor_occurrence, d.occurrence, d.event,
                                       None if type(d.condition) is Const else d.condition, d.within or d.every)
                                      for d in duties if type(d.condition) is not Const or d.condition.value)
                         for event, duties in self.rules.by_anchor.items()}
        decisions = {event: getattr(self, f"_decide_{event}") for event in procedure.events
                     if hasattr(self, f"_decide_{event}")}
        reactions = {event: getattr(self, f"_after_{event}") for event in procedure.events
                     if hasattr(self, f"_after_{event}")}
        # What occur does for an event, found with one look-up: (decision, duties, reaction).
        self.on_event = {event: (decisions.get(event), self.anchored.get(event, ()), reactions.get(event))
                         for event in (*self.anchored, *decisions, *reactions)}
        flow = scenario.case_flow
        self.happenings = ("moved_authority", "became_looked_after", "hospital_admission", REVIEW_BROUGHT_FORWARD)
        self.happening_rates = (flow.moved_authority_per_month, flow.becomes_looked_after_s20_per_month,
                                flow.hospital_admission_per_month, flow.review_brought_forward_per_month)
        self._build_staff()

    # -- staff ----------------------------------------------------------------------------------
    def _build_staff(self) -> None:
        staff = self.scenario.staff
        for pool in POOLS:
            group = getattr(staff, pool)
            shared = Queue()
            absence = (group.leave_days_per_year + group.sickness_days_per_year) / WORKING_DAYS_PER_YEAR
            workers = []
            for index in range(group.count):
                absent = set()
                if absence > 0 and not self.days.always_open:
                    draws = self.random.random(self.scenario.horizon_days)
                    absent = {d for d in np.flatnonzero(draws < min(absence, 1.0)).tolist() if self.days.is_working[d]}
                pooled = pool != "social_workers" or staff.allocation == "pooled"
                workers.append(Worker(f"{pool}-{index + 1}", pool, group.hours_per_week * group.fte / 5,
                                      absent, shared if pooled else Queue()))
            if pool != "social_workers" or staff.allocation == "pooled":
                self.workforce.pool_queues[pool] = shared
            self.workforce.add_pool(pool, workers)
            if pool == "social_workers":
                self.lowest_caseload = [(0, w.name, w) for w in workers]
                heapq.heapify(self.lowest_caseload)
            if group.turnover_per_year > 0:
                for worker in workers:
                    self.env.process(self._turnover(worker, group))

    def _turnover(self, worker: Worker, group):
        while True:
            yield self.env.timeout(self.random.exponential(365.25 / group.turnover_per_year))
            if self.env.now >= self.days.horizon:
                return
            worker.active = False
            self._reallocate(worker)
            left = int(self.env.now)
            self.workforce.vacancy(worker, left + 1, left + 1 + int(group.vacancy_weeks * 7))
            yield self.env.timeout(group.vacancy_weeks * 7)
            worker.active = True
            self._change_caseload(worker, 0)
            if worker.returned is not None and not worker.returned.triggered:
                worker.returned.succeed()

    def _reallocate(self, leaver: Worker) -> None:
        """A leaver's cases go to colleagues; with no colleague in post they wait for the vacancy
        to be filled (their work stays queued for the post)."""
        if leaver.pool != "social_workers" or self.scenario.staff.allocation == "pooled":
            return
        if not any(w.active for w in self.workforce.workers["social_workers"]):
            return
        waiting = leaver.queue.waiting()
        leaver.queue.heap = []
        for household in list(leaver.cases):
            self._allocate(household)
        for task in waiting:
            task.case.worker.queue.push(task)

    def _allocate(self, household: Household) -> None:
        """The active lead social worker with the lowest caseload (ties by name).

        If even the lowest is at the maximum caseload, the case still goes to them (and shows in
        the largest caseload): a case is never left unallocated.
        """
        previous = household.worker
        if previous is not None:
            self._change_caseload(previous, -household.children)
            previous.cases.pop(household, None)
        heap = self.lowest_caseload
        while heap:
            caseload, name, worker = heap[0]
            if worker.active and worker.caseload == caseload:
                break
            heapq.heappop(heap)
        else:
            workers = self.workforce.workers["social_workers"]
            worker = min((w for w in workers if w.active), default=workers[0], key=lambda w: (w.caseload, w.name))
        household.worker = worker
        worker.cases[household] = None
        self._change_caseload(worker, household.children)
        if previous is not None and previous is not worker:   # the bookings move to the new diary
            for task in list(household.open_tasks):
                if task.diary is previous.queue.diary and task.booked is not None:
                    task.diary.unbook(task.booked, task.hours)
                    task.diary = worker.queue.diary
                    task.diary.book(task.booked, task.hours)

    def _change_caseload(self, worker: Worker, change: int) -> None:
        worker.caseload += change
        if worker.active:
            heapq.heappush(self.lowest_caseload, (worker.caseload, worker.name, worker))

    # -- tasks ----------------------------------------------------------------------------------
    def _hours(self, mean: float) -> float:
        if self.scenario.task_time == "exponential":
            return float(self.random.exponential(mean))
        return mean

    def _task(self, household: Household, kind: str, event: str, role: str, due: int, release: float,
              accountable: bool, duty: Duty | None = None, appointment: bool = False) -> Task | None:
        """A task for a role's part in an event, counted as open work (the caller books it)."""
        key = (event, role)
        if key not in self.hours_table:
            self.hours_table[key] = task_hours(self.scenario, event, role)
        hours = self.hours_table[key]
        if hours is None:
            return None
        task = Task(due, kind, event, household, self.scenario.roles[role], self._hours(hours), release,
                    accountable, household.phase, duty, appointment)
        household.open_tasks[task] = None
        if accountable:
            self.overdue.opened(due)
        return task

    def _duty_work(self, duty: Duty) -> tuple:
        """What a duty's task needs, worked out once per duty: the accountable role's mean hours
        (None: no task) and pool, the recurring duty it carries, and the other roles' parts as
        (kind, pool, mean hours), in the scenario's order of roles."""
        hours = task_hours(self.scenario, duty.event, duty.role)
        parts = []
        for role in self.scenario.task_hours.get(duty.event, {}):
            if role != duty.role and role in self.scenario.roles:
                part_hours = task_hours(self.scenario, duty.event, role)
                if part_hours is not None:
                    parts.append((f"{duty.kind}:{role}", self.scenario.roles[role], part_hours))
        return hours, self.scenario.roles.get(duty.role), duty if duty.every else None, tuple(parts)

    def _duty_task(self, household: Household, duty: Duty, due: int, opens: float, soonest: bool = False) -> None:
        """The accountable role's task, booked in the diary as its window opens, plus the other
        roles' time for the same event (at the same appointment). soonest: on the first day with
        room rather than as late as the margin allows."""
        work = self.duty_work.get(duty.kind)
        if work is None:
            work = self.duty_work[duty.kind] = self._duty_work(duty)
        hours, pool, recurring, parts = work
        if hours is None:
            return
        margin = self.days.horizon if soonest else self.booking_margin
        exponential = self.exponential_time
        phase, appointment, open_tasks = household.phase, duty.appointment, household.open_tasks
        task = Task(due, duty.kind, duty.event, household, pool,
                    float(self.random.exponential(hours)) if exponential else hours,
                    opens, True, phase, recurring, appointment)
        open_tasks[task] = None
        self.overdue.opened(due)
        plan = self.workforce.plan
        day = plan(task, opens, margin)
        for kind, part_pool, part_hours in parts:
            part = Task(due, kind, duty.event, household, part_pool,
                        float(self.random.exponential(part_hours)) if exponential else part_hours,
                        opens, False, phase, None, appointment)
            open_tasks[part] = None
            if appointment:
                self.workforce.plan_on(part, day)
            else:
                plan(part, opens, margin)

    def _done(self, task: Task, now: float) -> None:
        household = task.case
        open_tasks = household.open_tasks
        if not task.accountable:
            open_tasks.pop(task, None)
            return
        if task in open_tasks:
            del open_tasks[task]
            self.overdue.closed(task.due)
        day = int(now)
        event = task.event
        if event == "visit" and self.uniform() < self.no_access_per_visit:
            household.no_access_in_row += 1
            household.facts["failed_visits_in_a_row"] = min(household.no_access_in_row, 2)
            self.occur(household, "visit_no_access", household.no_access_in_row)
            opens = float(self.days.next_working_day(day + 1))
            retry = Task(task.due, task.kind, event, household, task.pool, task.hours, opens, True,
                         task.phase, task.duty, task.appointment)
            open_tasks[retry] = None
            self.overdue.opened(retry.due)
            self.workforce.plan(retry, opens, None)   # tried again at the first slot free
            return
        due, warm_up = task.due, self.warm_up
        if due >= warm_up:
            late = self.lateness.get(task.kind)
            if late is not None:
                late.append(self.days.working_days_late(due, day))
        if event == "visit":
            household.no_access_in_row = 0
            household.facts["failed_visits_in_a_row"] = 0
            alone = self.uniform() < self.seen_alone_per_visit
            if due >= warm_up:
                self.lateness["seen_alone_alternate_visits"].append(0 if (alone or household.last_seen_alone) else 1)
            household.last_seen_alone = alone
        # The case's other deadlines open for this event, before the successor of a recurring
        # duty exists: that one is not met by the event that created it. (A loop, not a list
        # comprehension, which is a function call of its own: this runs for every task done.)
        others = []
        for other in open_tasks:
            if other.event == event and other.accountable and not other.cancelled:
                others.append(other)
        duty = task.duty
        if duty is not None and household.phase == task.phase:   # the next one of a recurring duty
            self._next_of(household, duty, day)
        if others:
            self._meet_others(household, others, event, day)
        self.occur(household, event)

    def _next_of(self, household: Household, duty: Duty, day: int) -> None:
        """The next one of a recurring duty, due a period after today. An appointment's window
        opens on the next working day: nobody books a second visit for the day of the last."""
        opens = float(self.days.next_working_day(day + 1)) if duty.appointment else self.env._now
        self._duty_task(household, duty, self.days.add(day, duty.every), opens)

    def _forget(self, household: Household, task: Task) -> None:
        """The task is no longer the case's open work (done, met by another, or lapsed)."""
        if household.open_tasks.pop(task, False) is None and task.accountable:
            self.overdue.closed(task.due)

    def _meet_others(self, household: Household, others: list[Task], event: str, day: int) -> None:
        """The event just done also meets the household's other open deadlines for the same event
        (any core group counts as the six-weekly core group), as the procedure's deadlines read."""
        count = household.counts.get(event, 0) + 1
        for other in others:
            duty = self.duty_by_kind.get(other.kind)
            if duty is None or (duty.occurrence is not None and duty.occurrence != count):
                continue
            if other.due >= self.warm_up and other.kind in self.lateness:
                self.lateness[other.kind].append(self.days.working_days_late(other.due, day))
            for part in [t for t in household.open_tasks if t is other or t.kind.startswith(other.kind + ":")]:
                self._forget(household, part)
                self.workforce.cancel(part)
            if duty.every is not None:
                self._next_of(household, duty, day)

    # -- what happens to a household --------------------------------------------------------------
    def occur(self, household: Household, event: str, occurrence: int | None = None) -> None:
        """An event happens now: count it, settle what it decides, create the work the deadlines
        say (for the cases their conditions cover), then follow its consequences."""
        if household.phase == "closed":
            return
        decide, duties, reaction = self.on_event.get(event, _NOTHING_ON)
        counts = household.counts
        count = counts.get(event, 0) + 1
        counts[event] = count
        occurrence = occurrence or count
        if decide:
            decide(household)
        now = self.env._now          # SimPy's `now`, without calling the property
        day = int(now)
        if self.history is not None:
            facts = household.facts
            self.history.append((household.id, day, event, tuple(facts[f] for f in self.history_facts)))
        for duty, anchor_occurrence, duty_occurrence, duty_event, condition, period in duties:
            if anchor_occurrence is not None and anchor_occurrence != occurrence:
                continue
            if duty_occurrence is not None and counts.get(duty_event, 0) >= duty_occurrence:
                continue
            if condition is not None and not evaluate(condition, household.facts):
                continue
            self._duty_task(household, duty, self.days.add(day, period), now)
        if reaction:
            reaction(household)

    def _decide_review_conference(self, household: Household) -> None:
        flow = self.scenario.case_flow
        household.reviews += 1
        chance = flow.end_at_review[min(household.reviews, len(flow.end_at_review)) - 1]
        ends = self.random.random() < chance
        if household.ending_asked:       # brought forward to end the plan: this review ends it
            ends, household.ending_asked = True, False
            for task in [t for t in household.open_tasks if t.kind.split(":")[0] == REVIEW_BROUGHT_FORWARD]:
                self._forget(household, task)
                self.workforce.cancel(task)
        if ends:
            household.facts["significant_harm_continuing"] = False
            household.facts["agencies_absent"] = bool(self.random.random() < flow.absent_agencies_at_discontinuation)

    def _after_review_conference(self, household: Household) -> None:
        if household.facts["significant_harm_continuing"]:
            return
        asks_views = any(d.event == "views_requested" and evaluate(d.condition, household.facts)
                         for d in self.rules.by_anchor.get("review_conference", ()))
        if asks_views:
            return  # the plan ends when the absent agencies' views are in (views_received)
        self._end_plan(household, "plan_ended_at_conference")

    def _after_views_received(self, household: Household) -> None:
        self._end_plan(household, "plan_ended_at_conference")

    def _after_views_requested(self, household: Household) -> None:
        if not any(d.event == "views_received" for d in self.rules.by_anchor.get("views_requested", ())):
            self.env.process(self._outside(household, "views_received"))

    def _outside(self, household: Household, event: str):
        """An event someone outside this authority's staff brings about, on its last allowed day."""
        window = self._period_of(event)
        if window is not None:
            yield self.env.timeout(self.days.add(int(self.env.now), window) - self.env.now + 0.5)
        if household.phase != "plan":
            return   # the plan ended some other way meanwhile (a chair's removal): nothing awaits it
        self.occur(household, event)

    def _cancel_open_work(self, household: Household) -> None:
        """The case's open work lapses; a deadline already passed was missed (late until now)."""
        today = int(self.env.now)
        for task in list(household.open_tasks):
            if task.accountable and not task.cancelled and self.warm_up <= task.due < today and task.kind in self.lateness:
                self.lateness[task.kind].append(self.days.working_days_late(task.due, today))
            self.workforce.cancel(task)
            self._forget(household, task)

    def _end_plan(self, household: Household, ending: str) -> None:
        if household.phase != "plan":
            return
        self._cancel_open_work(household)
        household.phase = "after_plan"
        household.plan_ended = self.env.now
        household.facts["on_plan"] = False
        self.occur(household, ending)
        if not household.open_tasks:
            self._close(household)

    def _close(self, household: Household) -> None:
        self._cancel_open_work(household)
        household.phase = "closed"
        household.closed = self.env.now
        self.open_households -= 1
        if household.worker is not None:
            household.worker.cases.pop(household, None)
            self._change_caseload(household.worker, -household.children)

    def _household(self, household: Household):
        """The household's own life: moves, looked-after, hospital, birthday, until it closes."""
        flow, env = self.scenario.case_flow, self.env
        conference = self._task(household, "initial_conference", "initial_conference",
                                _role_for(self.scenario, "conference_chairs"), int(env.now), env.now, False)
        if conference is not None:   # the case starts at the conference: the chair's time that day
            self.workforce.plan_on(conference, int(env.now))
        self.occur(household, "initial_conference")
        # On a plan from the conference's decision: not before it (the conference is convened for
        # a child not yet on a plan, and the case history says so), but before the plan's duties.
        household.facts["on_plan"] = True
        self.occur(household, "plan_made")
        total = sum(self.happening_rates) / 30.44
        birthday = None
        if household.age is not None and household.children == 1:
            birthday = household.started + (18 - household.age) * 365.25
        while household.phase == "plan":
            wait = self.random.exponential(1 / total) if total > 0 else math.inf
            if birthday is not None and env.now + wait >= birthday:
                yield env.timeout(max(birthday - env.now, 0))
                if household.phase == "plan":
                    household.facts["age"] = 18      # the fact the review and the plan's end rest on
                    self.occur(household, "birthday_review")
                    self._end_plan(household, "plan_ended_at_18")
                break
            if wait == math.inf or env.now + wait > self.days.horizon:
                return
            yield env.timeout(wait)
            if household.phase != "plan":
                break
            happening = self.happenings[self._draw(self.happening_cdf)]
            if happening == "moved_authority":
                self.occur(household, "moved_authority")
                # The plan's own work lapses: the procedure leads from the move only to the
                # receiving authority's conference and the end of the original plan.
                self._cancel_open_work(household)
                # The receiving authority's conference, then the original plan ends (cpp: only after).
                notified = int(env.now)
                window = self._period_of("receiving_conference")
                if window is not None:
                    yield env.timeout(self.days.add(notified, window) - env.now + 0.5)
                self.occur(household, "receiving_conference")
                self._end_plan(household, "original_plan_ended")
            elif happening == "became_looked_after":
                household.facts.update(legal_status="s20", looked_after=True)
                self.occur(household, "became_looked_after")
                if self.random.random() < flow.double_protection_removal_share:
                    yield env.timeout(flow.removal_request_days)
                    self._end_plan(household, "plan_ended_by_chair")
                    yield env.timeout(flow.long_term_plan_weeks * 7)
                    if household.phase == "after_plan":
                        self.occur(household, "long_term_plan_agreed")
                        self._close(household)
            elif happening == REVIEW_BROUGHT_FORWARD:
                self._bring_review_forward(household)
            else:
                household.facts["unplanned_hospital_admission"] = True
                self.occur(household, "hospital_admission")
                discharge = env.now + self.random.exponential(flow.hospital_stay_days)
                if self.random.random() < flow.core_group_before_discharge_share:
                    for duty in self.rules.by_before.get("hospital_discharge", ()):
                        if evaluate(duty.condition, household.facts):
                            self._duty_task(household, duty, int(discharge), env.now)
                household.facts["unplanned_hospital_admission"] = False
        if household.phase == "after_plan" and not household.open_tasks:
            self._close(household)

    def _bring_review_forward(self, household: Household) -> None:
        """Between reviews the plan is judged no longer needed and the review conference is brought
        forward to end it (cpp#plan-made: the conference agrees when the review may be convened
        before its date; impl#8.1 lets the date be brought forward). The chair books it on the first
        working day from tomorrow with room in the diaries (the documents give no timescale); it
        meets the scheduled review, and the conference ends the plan."""
        if household.ending_asked or not household.facts["significant_harm_continuing"]:
            return
        scheduled = min((t for t in household.open_tasks if t.accountable and not t.cancelled
                         and t.event == "review_conference" and t.kind in self.duty_by_kind),
                        key=lambda t: t.due, default=None)
        if scheduled is None:
            return                       # no review is pending (the plan is already ending)
        household.ending_asked = True
        duty = replace(self.duty_by_kind[scheduled.kind], kind=REVIEW_BROUGHT_FORWARD, occurrence=None,
                       within=None, every=None)
        opens = float(self.days.next_working_day(int(self.env.now) + 1))
        self._duty_task(household, duty, max(scheduled.due, int(opens)), opens, soonest=True)

    def _period_of(self, event: str) -> Period | None:
        """The procedure's period for an event done by someone outside this authority."""
        for deadline in self.procedure.spec.deadlines:
            if deadline.event == event and deadline.within is not None:
                return deadline.within
        return None

    def _arrivals(self):
        demand, env = self.scenario.demand, self.env
        rate = demand.plan_starts_per_month * 12 / 365.25
        sizes, size_p = zip(*sorted(demand.children_per_household.items()))
        ages, age_p = zip(*demand.age_at_start.items())
        size_cdf, age_cdf = _cumulative(size_p), _cumulative(age_p)
        mean_children = sum(s * p for s, p in zip(sizes, size_p))
        household_rate = rate / mean_children
        number, horizon = 0, self.days.horizon
        while True:
            yield env.timeout(self.random.exponential(1 / household_rate))
            now = env.now
            if now >= horizon:
                return
            # The arrivals clock runs on through weekends and bank holidays (demand does not pause);
            # a household that comes to notice then has its conference on the next working day.
            # (Waiting for that day before drawing the next arrival lost the arrivals in between:
            # a fifth of the county's stated plan starts and over a quarter of England's.)
            number += 1
            children = int(sizes[self._draw(size_cdf)])
            unborn = self.random.random() < demand.unborn_share
            low, high = _age_band(ages[self._draw(age_cdf)])
            age = None if unborn else float(self.random.uniform(low, high))
            day = self.days.next_working_day(int(now))
            start = now if day <= now else float(day)
            if start >= horizon:
                continue                 # its conference would be after the simulated time
            household = Household(number, children, age, start, facts=dict(self.quiet_facts))
            household.facts.update(on_plan=False, significant_harm_continuing=True, unborn=unborn,
                                   age=min(int(age or 0), 18))
            if start > now:
                env.timeout(start - now).callbacks.append(lambda _event, household=household: self._start(household))
            else:
                self._start(household)

    def _start(self, household: Household) -> None:
        """The household's plan starts now: allocated, counted, and its own life begun."""
        self._allocate(household)
        self.households.append(household)
        self.open_households += 1
        self.env.process(self._household(household))

    def _monitor(self):
        week_caseload_mean, week_caseload_max, open_households, backlog = self.monitor = [], [], [], []
        while self.env.now < self.days.horizon:
            social_workers = [w for w in self.workforce.workers["social_workers"] if w.active]
            loads = [w.caseload for w in social_workers] or [0]
            week_caseload_mean.append(float(np.mean(loads)))
            week_caseload_max.append(float(max(loads)))
            open_households.append(self.open_households)
            today = int(self.env.now)
            backlog.append(self.overdue.due_before(today))
            yield self.env.timeout(7)

    def _draw(self, cdf: list[float]) -> int:
        """An index drawn with the probabilities whose cumulative table is cdf: the very draw
        numpy's Generator.choice(p=...) makes (one uniform, searched from the right), without its
        per-call checks."""
        return bisect.bisect_right(cdf, self.random.random())

    def run(self) -> ReplicationResult:
        self.happening_cdf = _cumulative(np.array(self.happening_rates) / sum(self.happening_rates)) if sum(self.happening_rates) > 0 else []
        self.env.process(self._arrivals())
        self.env.process(self._monitor())
        with collector_held(free_after=False):
            run_until(self.env, self.days.horizon)
        horizon, start = self.days.horizon, self.warm_up
        still_open = in_order(t for h in self.households for t in h.open_tasks if t.accountable)
        for task in still_open:   # still open at the end: late by however long they were overdue
            if not task.cancelled and start <= task.due < horizon - 1 and task.kind in self.lateness:
                self.lateness[task.kind].append(self.days.working_days_late(task.due, horizon - 1))
        first_week = start // 7
        mean_open, mean_max, open_households, backlog = self.monitor
        started = [h for h in self.households if h.started >= start]
        ended = [h for h in self.households if h.plan_ended is not None and h.plan_ended >= start]
        return ReplicationResult(
            seed=self.seed,
            lateness=self.lateness,
            hours_by_week={p: w[first_week:horizon // 7] for p, w in self.workforce.hours_worked.items()},
            available_by_week={p: w[first_week:horizon // 7] for p, w in self.workforce.hours_available.items()},
            caseload_mean_by_week=mean_open[first_week:], caseload_max_by_week=mean_max[first_week:],
            open_households_by_week=open_households[first_week:], backlog_by_week=backlog[first_week:],
            plan_durations_days=[h.plan_ended - h.started for h in ended],
            households_started=len(started),
            households=[(h.started, h.closed) for h in self.households],
            not_simulated=self.rules.not_simulated,
            hours_by_event=dict(self.workforce.hours_by_event),
            days_worked=sorted(self.workforce.days_worked),
            events=next(self.env._eid) if hasattr(self.env, "_eid") else 0,
            history=self.history,
            tasks_done=self.workforce.completed,
            plan_spans=[(int(h.started), int(h.plan_ended), h.children) for h in ended],
            start_date=self.days.start,
        )


def task_hours(scenario: Scenario, event: str, role: str) -> float | None:
    """Hours for a role's part in an event; a role without its own figure takes that of another
    role done by the same staff (the core group's meeting is the lead social worker's time)."""
    hours = scenario.task_hours.get(event, {})
    if role in hours:
        return hours[role]
    pool = scenario.roles.get(role)
    return next((h for other, h in hours.items() if scenario.roles.get(other) == pool), None)


def _role_for(scenario: Scenario, pool: str) -> str:
    return next((role for role, mapped in scenario.roles.items() if mapped == pool), "")


def _cumulative(p) -> list[float]:
    """The cumulative table numpy's choice builds from probabilities p (scaled to end at 1)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return cdf.tolist()


def _age_band(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high) + 1


def run_replication(procedure: Procedure, scenario: Scenario, seed: int,
                    record_history: bool = False) -> ReplicationResult:
    """One replication, its objects freed as it ends (see collector_held)."""
    with collector_held(free_after=True):
        return Replication(procedure, scenario, seed, record_history).run()


@contextmanager
def collector_held(free_after: bool):
    """The cyclic collector off, and everything older frozen (left out of any collection), while
    a replication runs. Full collections over an ever larger heap made the run time grow faster
    than the caseload; while the clock runs nothing is lost by it, since finished work is freed by
    reference counting (tests/test_engine_memory.py).

    free_after: then collect, before unfreezing. A finished replication is a web of cycles
    (households and their tasks, workers and their wake-ups, SimPy's processes and the
    replication itself) that only the collector frees; with the collector off during every run
    and each new run freezing what the last one left, the collection that would free it never
    came, and every replication left about 10 MB behind (the county's staffing search peaked at
    691 MB, against 114 MB now, and spent a second at exit freeing it). With everything older
    still frozen, the collection looks at the run's own objects alone: 16 ms after a county
    replication, where one over the whole heap takes 29.

    The collector's state belongs to the process, and a Dask worker runs replications in several
    threads at once: the first to come in freezes and pauses it, each run that ends collects its
    own garbage (another's run, still going, is only looked at), and the last to leave unfreezes
    and resumes it. Where the host program keeps the collector off, it is left as it is."""
    global _held, _held_by_us
    with _held_lock:
        if _held == 0:
            _held_by_us = gc.isenabled()
            if _held_by_us:
                gc.freeze()
                gc.disable()
        _held += 1
    try:
        yield
    finally:
        with _held_lock:
            _held -= 1
            if _held_by_us:
                if free_after:
                    gc.collect()
                if _held == 0:
                    gc.unfreeze()
                    gc.enable()


_held_lock = threading.Lock()
_held = 0              # replications (and nested runs) holding the collector now
_held_by_us = False    # whether the first of them found it on, and so froze and paused it
