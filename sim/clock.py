"""SimPy's clock driven with fewer Python calls per event, the same events in the same order.

A replication makes two SimPy events per task, most of them a worker's own wake-ups (a spell of
work ends, the next shift starts, work arrives for an idle worker). Building a `Timeout` for each
(its `__init__`, then `Environment.schedule`) and stepping through `Environment.run` (a method
call per event) was a fifth of a county run. Here a worker's wake-up is one small reusable record
put on SimPy's own queue as `Timeout` and `Event.succeed` would put it (the same time, priority
and event id from the environment's own counter, so the queue orders it exactly as before), and
`run_until` is the loop of `Environment.run(until=...)` with `Environment.step` written inline.
Ordinary SimPy processes and events share the same queue and run as they always did.
"""
from __future__ import annotations

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
        self.callbacks = None
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
