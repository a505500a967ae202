"""The engine's own clock (sim/clock.py) processes SimPy's events in SimPy's own order: a worker's
reusable wake-up against a Timeout or Event for each wait, run_until against env.run, and the
environment that keeps events weeks ahead off its heap against SimPy's own, on random models full
of ties (whole-number delays, and delays that land on the start of a week), with ordinary
processes mixed in."""
import random

import pytest
import simpy
from hypothesis import given, settings, strategies as st

from cpmodel.sim.clock import WEEK, Environment, WakeUp, run_until


def _trace(seed: int, ours: bool, callbacks: int, processes: int, until: float):
    """What happens when: callback 'workers' that wait (a delay, or until poked by another) and
    generator processes that wait too, all drawing from one seeded stream in the order they run."""
    env, rng, trace = (Environment() if ours else simpy.Environment()), random.Random(seed), []
    waiting: list = []

    def worker(number: int):
        state = {}

        def go(_event):
            trace.append((env.now, "worker", number))
            if waiting and rng.random() < 0.3:           # poke an idle colleague
                other = waiting.pop(0)
                if ours:
                    if not other.triggered:
                        other.succeed()
                elif not other.triggered:
                    other.succeed()
            if rng.random() < 0.2:                       # go idle until poked
                if ours:
                    state["wake"].wait()
                    waiting.append(state["wake"])
                else:
                    idle = env.event()
                    idle.callbacks.append(go)
                    waiting.append(idle)
                return
            delay = rng.choice([0, 1, 1, 2, 0.5, rng.random()])
            if ours:
                state["wake"].after(delay)
            else:
                env.timeout(delay).callbacks.append(go)
        state["wake"] = WakeUp(env, go)
        begin = env.timeout(0)
        begin.callbacks.append(go)

    def process(number: int):
        while True:
            # now and then a wait of weeks, often to the very start of a week
            yield env.timeout(rng.choice([1, 2, 3, rng.random() * 3, 7, 14 - env.now % 7, rng.random() * 40]))
            trace.append((env.now, "process", number))

    for number in range(callbacks):
        worker(number)
    for number in range(processes):
        env.process(process(number))
    if ours:
        run_until(env, until)
    else:
        env.run(until=until)
    return trace, env.now, next(env._eid)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), callbacks=st.integers(1, 8), processes=st.integers(0, 4),
       until=st.sampled_from([5, 17, 30.5, 63, 91.25]))
def test_wake_ups_and_run_until_keep_simpys_order(seed, callbacks, processes, until):
    assert _trace(seed, True, callbacks, processes, until) == _trace(seed, False, callbacks, processes, until)


def test_run_until_stops_before_events_at_the_horizon_and_can_go_on():
    env, seen = simpy.Environment(), []
    env.timeout(5).callbacks.append(lambda _e: seen.append(5))
    env.timeout(3).callbacks.append(lambda _e: seen.append(3))
    run_until(env, 5)
    assert seen == [3] and env.now == 5           # an event at the horizon itself is not processed
    env.run(until=6)                              # the clock is left as env.run leaves it
    assert seen == [3, 5]


def test_run_until_rejects_a_past_horizon_and_raises_a_failed_process():
    env = simpy.Environment()
    with pytest.raises(ValueError, match="greater than the current"):
        run_until(env, 0)

    def broken():
        yield env.timeout(1)
        raise KeyError("no such task")
    env.process(broken())
    with pytest.raises(KeyError, match="no such task"):
        run_until(env, 10)


def test_events_weeks_ahead_wait_off_the_heap_and_keep_their_order():
    env, seen = Environment(), []
    for delay in (30, 3, 21, 21, 14 + 1e-9, 14, 7):     # two on one moment: made-first goes first
        env.timeout(delay, value=delay).callbacks.append(lambda event: seen.append((env.now, event.value)))
    assert len(env._queue) < 7                        # most of them are off the heap
    assert env.peek() == 3
    run_until(env, 22)
    assert seen == [(3, 3), (7, 7), (14, 14), (14 + 1e-9, 14 + 1e-9), (21, 21), (21, 21)]
    env.run()                                         # runs out: the week's marker stops with the events
    assert seen[-1] == (30, 30) and env.now == 30 and env.peek() == float("inf")


def test_a_stop_on_the_start_of_a_week_comes_before_that_weeks_events():
    env, seen = Environment(), []
    env.timeout(4 * WEEK).callbacks.append(lambda _event: seen.append(env.now))
    run_until(env, 4 * WEEK)
    assert seen == [] and env.now == 4 * WEEK
    run_until(env, 4 * WEEK + 1)
    assert seen == [4 * WEEK]


def test_a_wait_for_ever_stays_on_the_heap_as_simpy_keeps_it():
    env, seen = Environment(), []
    env.timeout(float("inf")).callbacks.append(lambda _event: seen.append("never"))
    env.timeout(10).callbacks.append(lambda _event: seen.append(env.now))
    run_until(env, 30)
    assert seen == [10] and env.now == 30
