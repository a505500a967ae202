"""Staff on SimPy's clock: each works its shifts on working days, most urgent task first.

A task is a duty with a due day. Workers in a pool share one queue and diary ('pooled'), or each
lead social worker has their own queue and diary of their cases' tasks ('caseload'). Work is
booked in the diary when its window opens (sim/diaries.py) and comes into the queue on its booked
day; an appointment is done in one sitting within a shift, or moves to the next day with room. An
idle worker waits on an event that the arrival of work triggers, so idle time costs nothing.
"""
from __future__ import annotations

import heapq
from heapq import heappush
import itertools
from dataclasses import dataclass, field
from typing import Callable

import simpy
from simpy.events import URGENT

from cpmodel.sim.clock import WakeUp
from cpmodel.sim.diaries import Diary

HOURS = 24.0
_sequence = itertools.count()


def in_order(tasks) -> list["Task"]:
    """Tasks in the order they were made. Sets of tasks iterate by memory address (tasks hash by
    identity), which differs from run to run; anything that draws random numbers or books work
    while going through a set of tasks must go in this order, or the same seed gives other numbers."""
    return sorted(tasks, key=_made)


def _made(task: "Task") -> int:
    return task.sequence


class Task:
    """A piece of work with a due day; queued by (due day, creation order), hashed by identity.

    A slotted record built positionally: a replication makes tens of thousands of them.
    """

    __slots__ = ("due", "sequence", "kind", "event", "case", "pool", "hours", "released", "accountable",
                 "remaining", "started", "cancelled", "phase", "duty", "appointment", "booked", "diary", "urgent")

    def __init__(self, due: int, kind: str, event: str, case, pool: str, hours: float, released: float,
                 accountable: bool = True, phase: str = "plan", duty=None, appointment: bool = False):
        self.due = due
        self.sequence = next(_sequence)
        self.kind = kind              # the deadline kind measured, or a workload label
        self.event = event            # what happens when it is done
        self.case = case
        self.pool = pool
        self.hours = hours
        self.released = released
        self.accountable = accountable
        self.remaining = hours
        self.started: float | None = None
        self.cancelled = False
        self.phase = phase
        self.duty = duty              # the recurring duty whose next task follows this one, if any
        self.appointment = appointment   # done in one sitting, on its booked day
        self.booked: int | None = None   # the diary day it is booked on
        self.diary: Diary | None = None
        self.urgent = False              # fitted in first on its day (a visit tried again)

    @classmethod
    def new(cls, **values) -> "Task":
        return cls(**values)


class Queue:
    """Tasks waiting for one worker or a pool: today's appointments and the most urgent work first."""

    def __init__(self) -> None:
        self.heap: list[tuple[int, int, int, Task]] = []
        self.idle: list["Worker"] = []
        self.diary: Diary | None = None

    def push(self, task: Task) -> None:
        # The diary's order: an appointment on the day it is booked for, other work by its due day.
        # On the same day, work due that day comes before the day's appointments.
        if task.appointment and task.booked is not None:
            heappush(self.heap, (task.booked, 0 if task.urgent else 1, task.sequence, task))
        else:
            heappush(self.heap, (task.due, 0, task.sequence, task))
        while self.idle:
            wake = self.idle.pop().wake
            if not wake.triggered:
                wake.succeed()
                break

    def pop(self) -> Task | None:
        heap = self.heap
        while heap:
            task = heapq.heappop(heap)[3]
            if not task.cancelled:
                return task
        return None

    def waiting(self) -> list[Task]:
        """The tasks still to do, in no particular order."""
        return [entry[3] for entry in self.heap if not entry[3].cancelled]


@dataclass
class Worker:
    name: str
    pool: str
    daily_hours: float
    absent_days: set
    queue: Queue
    active: bool = True
    caseload: int = 0
    cases: dict = field(default_factory=dict)   # insertion-ordered, so reallocation is reproducible
    wake: WakeUp | None = None          # the worker's own wake-ups (sim/clock.py)
    returned: simpy.Event | None = None


class Workforce:
    """Every worker's process, the queues, and the hours worked by pool and week."""

    def __init__(self, env: simpy.Environment, days, day_starts_hour: float, weeks: int, on_complete: Callable):
        self.env = env
        self.days = days
        self.day_start = day_starts_hour / HOURS
        self.on_complete = on_complete
        self.workers: dict[str, list[Worker]] = {}
        self.pool_queues: dict[str, Queue] = {}
        self.hours_worked: dict[str, list[float]] = {}
        self.hours_available: dict[str, list[float]] = {}
        self.weeks = weeks
        self.hours_by_event: dict[str, float] = {}
        self.measured_from = 0
        self.days_worked: set[int] = set()
        self.releases: dict[int, list[Task]] = {}
        self.completed = 0   # tasks finished, for the benchmarks

    def add_pool(self, pool: str, workers: list[Worker]) -> None:
        self.workers[pool] = workers
        self.hours_worked[pool] = [0.0] * (self.weeks + 1)
        self.hours_available[pool] = [0.0] * (self.weeks + 1)
        available = self.hours_available[pool]
        sharing: dict[int, list[Worker]] = {}
        for worker in workers:
            sharing.setdefault(id(worker.queue), []).append(worker)
        for group in sharing.values():
            group[0].queue.diary = Diary(self.days.working_days, self._hours_on(group), self.days.up_to)
        for worker in workers:
            self._start(worker)
            hours = 24.0 if self.days.always_open else worker.daily_hours
            for day in (range(self.days.horizon) if self.days.always_open else self.days.working_days):
                if day >= self.days.horizon:
                    break
                if day not in worker.absent_days:
                    available[day // 7] += hours

    def _hours_on(self, group: list[Worker]) -> Callable[[int], float]:
        """The hours a diary's staff work on a day (the sum of their shifts; one worker's own diary
        is the common case, and is worked out with _shift's arithmetic written inline: the same
        floats, sooner)."""
        shift_of = self._shift
        if len(group) == 1 and not self.days.always_open:
            worker = group[0]
            is_working, absent, day_start = self.days.is_working, worker.absent_days, self.day_start
            length = worker.daily_hours / HOURS

            def one(day: int) -> float:
                if not is_working[day] or day in absent:
                    return 0
                start = day + day_start
                return (start + length - start) * HOURS
            return one
        return lambda day: sum((shift[1] - shift[0]) * HOURS for shift in (shift_of(w, day) for w in group) if shift)

    def vacancy(self, worker: Worker, first_day: int, last_day: int) -> None:
        """A post left empty: its hours are not available on those days."""
        for day in range(max(first_day, 0), min(last_day, self.days.horizon)):
            shift = self._shift(worker, day)
            if shift is not None:
                self.hours_available[worker.pool][day // 7] -= (shift[1] - shift[0]) * HOURS

    def _shift(self, worker: Worker, day: int) -> tuple[float, float] | None:
        if self.days.always_open:
            return float(day), float(day + 1)
        if not self.days.is_working[day] or day in worker.absent_days:
            return None
        start = day + self.day_start
        return start, start + worker.daily_hours / HOURS

    def _next_shift_start(self, worker: Worker, day: int) -> float:
        """When the worker's next shift starts, from day on (the horizon if none is left)."""
        while day < self.days.horizon:
            shift = self._shift(worker, day)
            if shift is not None:
                return shift[0]
            day += 1
        return float(self.days.horizon)

    def _start(self, worker: Worker) -> None:
        """Start the worker's day loop (_work) the way env.process would: an urgent event now."""
        begin = simpy.Event(self.env)
        begin._ok, begin._value = True, None     # triggered as it is made, as SimPy's Initialize is
        begin.callbacks.append(self._work(worker))
        self.env.schedule(begin, URGENT)

    def _work(self, worker: Worker) -> Callable:
        """The worker's day: the most urgent task in spells until the shift ends.

        A callback, not a SimPy process: each SimPy event it waits on (a spell's end, the next
        shift, work arriving) calls `go` again, which goes on where it left off. The events, and
        their order, are the very ones a process yielding them would make; what is saved is the
        generator resumed through SimPy's Process for every one of them. Written for speed (it
        runs once per spell of work): the day's shift is worked out once per day, with the very
        arithmetic of _shift; the queue is popped inline (Queue.pop); everything looked up
        per spell is a local name; and the clock is read as `env._now`, what SimPy's `now`
        property returns, without calling it (as in plan, plan_on, cancel and _release_on).
        """
        env, worked = self.env, self.hours_worked[worker.pool]
        event, heappop = env.event, heapq.heappop
        days = self.days
        horizon, always_open, is_working = days.horizon, days.always_open, days.is_working
        absent, day_start, length = worker.absent_days, self.day_start, worker.daily_hours / HOURS
        daily_hours, queue, days_worked = worker.daily_hours, worker.queue, self.days_worked
        hours_by_event, pool_queues, on_complete = self.hours_by_event, self.pool_queues, self.on_complete
        measured_from = self.measured_from
        idle = queue.idle
        shift_day, end = -1, 0.0
        start: float | None = None
        spell_of: tuple[Task, float, int] | None = None   # (task, hours, day) of the spell being worked, until it ends

        def go(_event) -> None:
            nonlocal shift_day, start, end, spell_of
            if spell_of is not None:      # a spell has ended: its hours, and the task done or queued
                task, spell, day = spell_of
                spell_of = None
                worked[day // 7] += spell
                days_worked.add(day)
                if day >= measured_from:
                    event_name = task.event
                    hours_by_event[event_name] = hours_by_event.get(event_name, 0.0) + spell
                task.remaining = remaining = task.remaining - spell
                if not task.cancelled:
                    if remaining > 1e-9:
                        (pool_queues.get(task.pool) or task.case.worker.queue).push(task)
                    else:
                        if task.booked is not None and task.booked > day:   # done early: its booking is free
                            task.diary.unbook(task.booked, task.hours)
                        self.completed += 1
                        on_complete(task, env._now)
            while True:
                if not worker.active:
                    worker.returned = returned = event()
                    returned.callbacks.append(go)
                    return
                now = env._now
                day = int(now)
                if day >= horizon:
                    return
                if day != shift_day:
                    shift_day = day
                    if always_open:
                        start, end = float(day), float(day + 1)
                    elif not is_working[day] or day in absent:
                        start = None
                    else:
                        start = day + day_start
                        end = start + length
                if start is None or now >= end - 1e-12:   # the next shift's start (_next_shift_start)
                    later = day + 1
                    while later < horizon:
                        if always_open:
                            following = float(later)
                            break
                        if is_working[later] and later not in absent:
                            following = later + day_start
                            break
                        later += 1
                    else:
                        following = float(horizon)
                    after(following - now)
                    return
                if now < start:
                    after(start - now)
                    return
                heap = queue.heap          # (a reallocation may give the queue a new heap)
                task = None
                while heap:
                    task = heappop(heap)[3]
                    if not task.cancelled:
                        break
                    task = None
                if task is None:
                    wait()
                    idle.append(worker)
                    return
                left = (end - now) * HOURS
                remaining = task.remaining
                if task.appointment and remaining > left + 1e-9 and remaining <= daily_hours + 1e-9:
                    self.move_to_next_day(task, day)   # no slot left today: the next day with room
                    continue
                if task.started is None:
                    task.started = now
                spell = remaining if remaining < left else left
                spell_of = (task, spell, day)
                after(spell / HOURS)
                return
        worker.wake = wake = WakeUp(env, go)
        after, wait = wake.after, wake.wait
        return go

    def queue_for(self, task: Task) -> Queue:
        if task.pool in self.pool_queues:
            return self.pool_queues[task.pool]
        return task.case.worker.queue

    def submit(self, task: Task) -> None:
        """Put a task in its queue when it is released (now, or at the start of a later day)."""
        if task.released <= self.env.now:
            self.queue_for(task).push(task)
        else:
            self._release_on(int(task.released), task)

    def plan(self, task: Task, opens: float, margin: int | None) -> int:
        """Book a task whose window opens now (or at opens) in its diary; return the day booked.

        An appointment comes into the queue on its day (with margin None: urgently, fitted in
        first on the next day its staff work, as a visit tried again); other work is in the queue from now, its hours held
        on the first day with room (it is done as soon as there is time, most urgent first).
        """
        queue = self.pool_queues.get(task.pool) or task.case.worker.queue
        diary, first, appointment = queue.diary, int(opens), task.appointment
        if appointment and margin is None:
            day = diary.book(diary.first_working(first), task.hours)
            task.urgent = True
        elif not appointment:
            day = diary.first_with_room(first, task.hours)
        else:
            day = diary.latest_with_room(first, task.due, task.hours, margin)
        task.booked, task.diary = day, diary
        if appointment and day > first:
            self._release_on(day, task)
        else:
            task.released = opens
            queue.push(task) if opens <= self.env._now else self._release_on(first, task)
        return day

    def plan_on(self, task: Task, day: int) -> None:
        """Book a task on a given day (another role's part in an appointment already booked)."""
        diary = self.queue_for(task).diary
        task.booked, task.diary = diary.book(day, task.hours), diary
        if day > self.env._now:
            self._release_on(day, task)
        else:
            self.queue_for(task).push(task)

    def move_to_next_day(self, task: Task, day: int) -> None:
        task.diary.unbook(task.booked, task.hours)
        task.booked = task.diary.first_with_room(day + 1, task.hours)
        self._release_on(task.booked, task)

    def cancel(self, task: Task) -> None:
        task.cancelled = True
        if task.booked is not None and task.booked > self.env._now:
            task.diary.unbook(task.booked, task.hours)

    def _release_on(self, day: int, task: Task) -> None:
        """One SimPy event per day that releases work, however many tasks it releases."""
        waiting = self.releases.get(day)
        if waiting is None:
            waiting = self.releases[day] = []
            self.env.timeout(day - self.env._now).callbacks.append(lambda _event, day=day: self._release_day(day))
        waiting.append(task)

    def _release_day(self, day: int) -> None:
        pool_queues, released = self.pool_queues, float(day)
        for task in self.releases.pop(day):
            if not task.cancelled:
                task.released = released
                (pool_queues.get(task.pool) or task.case.worker.queue).push(task)
