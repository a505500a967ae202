"""SimPy's clock driven with fewer Python calls per event, the same events in the same order.

A replication makes two SimPy events per task, most of them a worker's own wake-ups (a spell of
work ends, the next shift starts, work arrives for an idle worker). Building a `Timeout` for each
(its `__init__`, then `Environment.schedule`) and stepping through `Environment.run` (a method
call per event) was a fifth of a county run. Here a worker's wake-up is one small reusable record
put on SimPy's own queue as `Timeout` and `Event.succeed` would put it (the same time, priority
and event id from the environment's own counter, so the queue orders it exactly as before), and
`run_until` is the loop of `Environment.run(until=...)` with `Environment.step` written inline.
Ordinary SimPy processes and events share the same queue and run as they always did.

Most of what waits on SimPy's queue waits for months: each household's next move or admission,
each post's next leaver. `Environment` keeps events more than a week ahead off the heap, in one
list per week, and puts a week's list on the heap as that week begins; every pop and push then
works on a heap of the week's events alone (in the county, 37 entries on average where there were
about 300).
"""
from __future__ import annotations

import math
from heapq import heappop, heappush

import simpy
from simpy.events import NORMAL, URGENT, EventPriority


class WakeUp:
    """A worker's one pending wake-up: what `Environment.step` reads of an event (its callbacks,
    and `_ok`), reused for every wake-up, since a worker waits on one thing at a time."""

    __slots__ = ("callbacks", "call", "triggered", "env")
    _ok = True          # never fails: step's check for a failed event reads this

    def __init__(self, env: simpy.Environment, callback):
        self.env = env
        self.call = [callback]
        self.callbacks: list | None = None
        self.triggered = True

    def after(self, delay: float) -> None:
        """Wake in delay days: what `env.timeout(delay).callbacks.append(callback)` does."""
        env = self.env
        self.callbacks = self.call
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))

    def wait(self) -> None:
        """Wait, untriggered, until `succeed` (work arrives)."""
        self.triggered = False

    def succeed(self) -> None:
        """Wake now: what `Event.succeed()` does for an event the callback waits on."""
        env = self.env
        self.triggered = True
        self.callbacks = self.call
        heappush(env._queue, (env._now, NORMAL, next(env._eid), self))


WEEK = 7.0     # the span of each list of events kept off the heap


class Environment(simpy.Environment):
    """SimPy's environment with the events due after this week kept off its heap until their week.

    An event is given its place (time, priority, event id from the environment's own counter)
    when it is scheduled, as SimPy gives it, whether it goes on the heap now or later: SimPy
    orders events by that triple alone, so the order is the same. A week's events go on the heap
    when a marker at the start of the week comes off it; the marker sorts before every event at
    that moment (priority URGENT, event id -1, below any SimPy gives), so no event of the week
    can come off before it. The marker uses no event id, so the count of SimPy events is SimPy's.
    """

    def __init__(self, initial_time: float = 0):
        super().__init__(initial_time)
        self._later: dict[int, list] = {}    # week number -> events of that week, not yet on the heap
        self._marker = _WeekMarker(self._week_begins)
        self._armed = False                  # the marker is on the heap
        self._later_from = self._now         # events from this time on wait in _later (once armed)

    def schedule(self, event, priority=NORMAL, delay=0) -> None:
        at = self._now + delay
        # a wait for ever (or a time that is not one) stays on the heap, as SimPy puts it
        if at >= self._later_from and at < math.inf:
            if not self._armed:
                self._arm()
            if at >= self._later_from:
                week = int(at // WEEK)
                waiting = self._later.get(week)
                if waiting is None:
                    waiting = self._later[week] = []
                waiting.append((at, priority, next(self._eid), event))
                return
        heappush(self._queue, (at, priority, next(self._eid), event))

    def _arm(self) -> None:
        """The marker at the start of next week; events from then on wait off the heap."""
        self._armed = True
        self._later_from = WEEK * (int(self._now // WEEK) + 1)
        self._marker.callbacks = self._marker.call
        heappush(self._queue, (self._later_from, URGENT, -1, self._marker))

    def _week_begins(self, _marker) -> None:
        """The week's events onto the heap, and the marker on to next week (or off, if nothing waits)."""
        waiting = self._later.pop(int(self._later_from // WEEK), None)
        if waiting:
            queue = self._queue
            for entry in waiting:
                heappush(queue, entry)
        if self._later:
            self._later_from += WEEK
            self._marker.callbacks = self._marker.call
            heappush(self._queue, (self._later_from, URGENT, -1, self._marker))
        else:
            self._armed = False

    def peek(self) -> float:
        """The time of the next event, wherever it waits."""
        times = [entry[0] for entry in self._queue if entry[3] is not self._marker]
        times += [entry[0] for waiting in self._later.values() for entry in waiting]
        return min(times, default=math.inf)


class _WeekMarker:
    """What `Environment.step` reads of an event, for the marker that starts each week."""

    __slots__ = ("callbacks", "call")
    _ok = True

    def __init__(self, callback):
        self.call = [callback]
        self.callbacks = self.call


def run_until(env: simpy.Environment, until: float) -> None:
    """`env.run(until=until)`: every event before `until` is processed, in SimPy's order."""
    at = until if isinstance(until, int) else float(until)
    if at <= env._now:
        raise ValueError(f"until ({at}) must be greater than the current simulation time")
    stop = simpy.Event(env)
    stop._ok, stop._value = True, None
    env.schedule(stop, URGENT, at - env._now)      # before all regular events at that moment
    queue = env._queue
    while True:
        try:
            now, _, _, event = heappop(queue)
        except IndexError:
            raise RuntimeError(f'No scheduled events left but "until" event was not triggered: {stop}') from None
        env._now = now
        if event is stop:
            # as Environment.run leaves it: the stop event queued again, first, for a later run
            stop.callbacks = []
            env.schedule(stop, EventPriority(-1))
            return
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            # a process failed: raise a copy, as Environment.step does
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
