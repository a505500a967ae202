"""Simulator speed, measured side by side in one run (these machines are shared and noisy).

Run:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/bench_simulation.py

1. events per second of the county simulation against a bare SimPy loop of env.timeout
   (target: at least half the bare rate);
2. wall time of the county scenario over 5 simulated years, 1 replication (target: under 3 s);
3. how time grows with 10x and 100x the caseload (staff scaled alike; target: linear);
4. the workforce queue as an M/M/c queue against Ciw on the same queue (target: at least Ciw's
   customers per second).
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import simpy  # noqa: E402

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim.engine import Replication  # noqa: E402
from cpmodel.sim.scenario import load_scenario  # noqa: E402


def best(function, repeat):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return min(times), value


def bare_simpy(count: int = 1_000_000) -> int:
    env = simpy.Environment()

    def loop():
        for _ in range(count):
            yield env.timeout(1)
    env.process(loop())
    env.run()
    return count


def scaled(scenario, factor: int):
    staff = scenario.staff
    grow = lambda group: group.model_copy(update={"count": group.count * factor})
    return scenario.model_copy(update={
        "demand": scenario.demand.model_copy(update={"plan_starts_per_month": scenario.demand.plan_starts_per_month * factor}),
        "staff": staff.model_copy(update={"social_workers": grow(staff.social_workers),
                                          "team_managers": grow(staff.team_managers),
                                          "conference_chairs": grow(staff.conference_chairs)})})


def county_run(procedure, scenario, seed=1):
    replication = Replication(procedure, scenario, seed)
    replication.run()
    return next(replication.env._eid)


def ciw_mmc(arrival, service, servers, customers, seed):
    import ciw
    ciw.seed(seed)
    network = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(arrival)],
                                 service_distributions=[ciw.dists.Exponential(service)],
                                 number_of_servers=[servers])
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_customers(customers, method="Finish")
    records = simulation.get_all_records()
    return sum(r.waiting_time for r in records) / len(records)


def main():
    parser = argparse.ArgumentParser(description="simulator benchmarks")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--customers", type=int, default=200_000)
    args = parser.parse_args()
    procedure = load_procedure()
    county, _ = load_scenario(None, procedure)

    bare_seconds, count = best(bare_simpy, args.repeat)
    county_seconds, events = best(lambda: county_run(procedure, county), args.repeat)
    bare_rate, sim_rate = count / bare_seconds, events / county_seconds
    print(f"bare SimPy: {bare_rate:,.0f} timeouts/s | county simulation: {sim_rate:,.0f} events/s "
          f"= {sim_rate / bare_rate:.2f} of the bare rate (target >= 0.5: {'met' if sim_rate >= bare_rate / 2 else 'MISSED'})")
    print(f"county, 5 simulated years, 1 replication: {county_seconds:.2f} s "
          f"(target < 3 s: {'met' if county_seconds < 3 else 'MISSED'}); {events:,} events")

    rows = []
    for factor in args.scales:
        plan = scaled(county, factor)
        seconds, events = best(lambda: county_run(procedure, plan), 1 if factor > 10 else args.repeat)
        rows.append((factor, seconds, events))
        print(f"  {factor:>4}x caseload: {seconds:8.2f} s, {events:,} events, {seconds / factor:.2f} s per county")
    for factor, seconds, _ in rows[1:]:
        ratio = seconds / rows[0][1]
        print(f"  growth {factor}x: {ratio:.1f}x the time, exponent {math.log(ratio) / math.log(factor):.2f} (1.0 = linear)")

    from test_sim_queueing_theory import erlang_c_wait, mmc_waits
    arrival, servers = 9.0, 10
    ours_seconds, ours_wait = best(lambda: mmc_waits(arrival, 1.0, servers, args.customers, 1), 1)
    try:
        ciw_seconds, ciw_wait = best(lambda: ciw_mmc(arrival, 1.0, servers, args.customers, 1), 1)
    except ImportError:
        print("Ciw is not installed: pip install -e '.[bench]'")
        return
    print(f"M/M/10 (9 arrivals/h, 1/h service), {args.customers:,} customers; Erlang C mean wait "
          f"{erlang_c_wait(arrival, 1.0, servers):.3f} h")
    print(f"  cpmodel workforce: {ours_seconds:.2f} s, {args.customers / ours_seconds:,.0f} customers/s, mean wait {ours_wait:.3f} h")
    print(f"  Ciw:               {ciw_seconds:.2f} s, {args.customers / ciw_seconds:,.0f} customers/s, mean wait {ciw_wait:.3f} h")
    print(f"  ratio: {ciw_seconds / ours_seconds:.2f}x Ciw's speed (target >= 1: {'met' if ours_seconds <= ciw_seconds else 'MISSED'})")


if __name__ == "__main__":
    main()
