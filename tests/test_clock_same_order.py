"""The engine's own clock (sim/clock.py) processes SimPy's events in SimPy's own order: a worker's
reusable wake-up against a Timeout or Event for each wait, and run_until against env.run, on
random models full of ties (whole-number delays), with ordinary processes mixed in."""
import random

import pytest
import simpy
from hypothesis import given, settings, strategies as st

from cpmodel.sim.clock import WakeUp, run_until


def _trace(seed: int, ours: bool, callbacks: int, processes: int, until: float):
    """What happens when: callback 'workers' that wait (a delay, or until poked by another) and
    generator processes that wait too, all drawing from one seeded stream in the order they run."""
    env, rng, trace = simpy.Environment(), random.Random(seed), []
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
            yield env.timeout(rng.choice([1, 2, 3, rng.random() * 3]))
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
       until=st.sampled_from([5, 17, 30.5]))
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
