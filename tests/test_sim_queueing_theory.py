"""The simulator against queueing theory: its staff queue is an M/M/c queue when the calendar
never closes and work arrives as a Poisson stream; and Little's law holds on the caseload."""
import math

import numpy as np
import simpy

from cpmodel.sim.days import SimulationDays
from cpmodel.sim.runner import replication_seeds, run_replications
from cpmodel.sim.stats import confidence_interval
from cpmodel.sim.workforce import Queue, Task, Worker, Workforce
from sim_helpers import PROCEDURE, scenario


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in queue for M/M/c (Erlang C)."""
    load = arrival_rate / service_rate
    rho = load / servers
    top = load ** servers / math.factorial(servers) / (1 - rho)
    probability_wait = top / (sum(load ** k / math.factorial(k) for k in range(servers)) + top)
    return probability_wait / (servers * service_rate - arrival_rate)


class _Case:
    worker = None


def mmc_waits(arrival_per_hour: float, service_hours: float, servers: int, customers: int, seed: int) -> float:
    """Mean wait (hours) of the workforce engine fed Poisson arrivals with exponential work."""
    random = np.random.default_rng(seed)
    env = simpy.Environment()
    horizon_days = int(customers / arrival_per_hour / 24 * 1.3) + 5
    days = SimulationDays(__import__("datetime").date(2027, 1, 4), horizon_days, always_open=True)
    waits = []
    workforce = Workforce(env, days, 0.0, horizon_days // 7 + 2, lambda task, now: None)
    queue = Queue()
    workforce.pool_queues["team"] = queue
    workforce.add_pool("team", [Worker(f"w{i}", "team", 24.0, set(), queue) for i in range(servers)])
    tasks = []

    def arrivals():
        for _ in range(customers):
            yield env.timeout(random.exponential(1 / arrival_per_hour) / 24)
            task = Task.new(due=horizon_days, kind="job", event="job", case=_Case(), pool="team",
                            hours=float(random.exponential(service_hours)), released=env.now)
            tasks.append(task)
            workforce.submit(task)

    env.process(arrivals())
    env.run(until=horizon_days - 1)
    measured = [t for t in tasks[customers // 10:] if t.started is not None]
    waits = [(t.started - t.released) * 24 for t in measured]
    return float(np.mean(waits))


def test_workforce_queue_reproduces_the_erlang_c_mean_wait():
    arrival, service_hours, servers = 2.1, 1.0, 3        # 70% load
    expected = erlang_c_wait(arrival, 1 / service_hours, servers)
    means = [mmc_waits(arrival, service_hours, servers, 30_000, seed) for seed in replication_seeds(2027, 20)]
    interval = confidence_interval(means)
    assert interval.low <= expected <= interval.high, (expected, interval)
    assert interval.high - interval.low < 0.25 * expected  # and the interval is tight enough to mean something


def test_littles_law_holds_on_the_simulated_caseload():
    plan = scenario("small-unitary", horizon_years=12, warm_up_months=36, replications=3)
    results = run_replications(PROCEDURE, plan, replication_seeds(3, 3))
    for result in results:
        start, end = plan.warm_up_days, plan.horizon_days
        cutoff = end - 4 * 365        # households arriving early enough to have nearly all closed
        arrived = [(s, c) for s, c in result.households if start <= s < cutoff]
        arrival_rate = len(arrived) / (cutoff - start)
        stay = np.mean([(c if c is not None else end) - s for s, c in arrived])
        open_on_average = np.mean(result.open_households_by_week)   # measured independently, weekly
        assert abs(open_on_average - arrival_rate * stay) / open_on_average < 0.08
