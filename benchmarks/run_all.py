"""Benchmarks of record (issue 14): every row of the performance table, side by side in one run.

Run:   .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/run_all.py
Quick: .venv/bin/python benchmarks/run_all.py --quick   (tiny sizes: checks that every benchmark
       works, as CI does; its figures mean nothing)

Prints the table (measure, figure, goal, met?) and writes it as JSON (--out, default a new file
under benchmarks/results/). These machines are shared and noisy: ratios measured in the same run
count, single wall times are indications. Nothing here is a timed test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim.engine import Replication  # noqa: E402
from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario  # noqa: E402

PYTHON = sys.executable
CPMODEL = [PYTHON, "-c", "from cpmodel.cli import main; main()"]
HEAVY = ("matplotlib", "scipy", "dask", "distributed", "simpy")
GROUPS = {"engine": ["simulation", "england", "queue"]}   # names for several rows at once
# Goals in seconds are judged side by side, as ratios: the issue's "now" figures were measured on
# the code of commit BASELINE (the last before the issue's work), on a machine whose speed is not
# this one's (these hosts vary by 2-3x from hour to hour). The same command on that code, run here
# beside ours, gives a speed-up; a goal of G seconds from the issue's N is met when the speed-up
# is at least N / G (what the issue's machine would then show). The seconds measured here are shown
# beside it.
BASELINE = "f8248b1"
ISSUE_NOW = {"staff": 180.0, "check": 3.1, "england": 59.0, "audit": 8.0}   # seconds (staff: 160-200)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
            "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def wall(command: list[str], repeat: int = 1) -> float:
    """Best wall time of a whole process (exit status 0 or 1 both count as a finished run)."""
    return timed(command, repeat)[0]


def timed(command: list[str], repeat: int = 1, tree: Path | None = None) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system, its children included) of a whole process.
    On a shared machine the CPU time says more: it grows little when other jobs take the cores.
    tree: run the code of that folder (the baseline) instead of this project's."""
    import resource
    best, best_cpu = math.inf, math.inf
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        finished = subprocess.run(command, cwd=tree or ROOT, capture_output=True, text=True, env=code_of(tree))
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if finished.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(command[-6:])} failed:\n{finished.stderr[-2000:]}")
    return best, best_cpu


def code_of(tree: Path | None) -> dict:
    """The environment of a measured process: as a normal install runs, with compiled modules
    cached (some hosts set PYTHONDONTWRITEBYTECODE, and then every process compiles the code it
    imports again: about 0.1 s of `check`); for the baseline, its top-level packages first on the path."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if tree is not None:
        environment["PYTHONPATH"] = str(tree)
    return environment


def baseline_tree(folder: Path) -> Path | None:
    """The baseline's files (git archive of BASELINE) in folder; None without git or the commit."""
    tree = folder / f"baseline-{BASELINE}"
    archive = subprocess.run(["git", "archive", "--format=tar", BASELINE], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        return None
    tree.mkdir()
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def against_baseline(measured: dict, ours: float, theirs: float | None, issue_now: float, goal: float,
                     ratios: list[float] | None = None) -> dict:
    """The speed-up over the baseline beside the seconds measured; met when it is at least
    issue_now / goal (None, with the reason, when the baseline could not be run). ratios: the
    baseline run in each round beside ours, each round's own ratio; the speed-up is their median."""
    needed = issue_now / goal
    if theirs is None:   # --no-baseline, or no git history: judged on the seconds measured here
        measured["figure"] += "; baseline not run: judged on these seconds alone"
        return measured
    speedup = float(np.median(ratios)) if ratios else theirs / ours
    rounds = f" (rounds: {', '.join(f'{r:.2f}x' for r in ratios)})" if ratios and len(ratios) > 1 else ""
    measured.update(baseline_seconds=theirs, speedup_over_baseline=speedup, speedup_needed=needed,
                    met_in_seconds_here=measured["met"], met=speedup >= needed, baseline_ratios=ratios,
                    figure=measured["figure"] + f"; {speedup:.2f}x the baseline's {theirs:.1f} s beside it{rounds} "
                                                f"(needs {needed:.2f}x)")
    return measured


def median_of(function, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), value


def bare_timeouts_per_second(count: int) -> float:
    import simpy
    env = simpy.Environment()

    def loop():
        for _ in range(count):
            yield env.timeout(1)
    env.process(loop())
    started = time.perf_counter()
    env.run()
    return count / (time.perf_counter() - started)


def bare_seconds_per_event(pending: int, count: int, seed: int = 1) -> float:
    """Bare SimPy with `pending` timers always waiting (each a process waiting a random time,
    as households and staff do): seconds per event. What SimPy's own event heap costs as it grows."""
    import simpy
    env = simpy.Environment()
    waits = np.random.default_rng(seed).exponential(1.0, count + pending).tolist()
    per_process = 2 * count // pending + 10   # more than a process can use before the end

    def loop(first):
        for index in range(first, first + per_process):
            yield env.timeout(waits[index % len(waits)])
    for number in range(pending):
        env.process(loop(number * per_process))
    started = time.perf_counter()
    env.run(until=count / pending)   # about count events in all
    events = next(env._eid)
    return (time.perf_counter() - started) / events


HEAP_AT_X1, HEAP_AT_X8 = 37, 273   # the county's heap, mean entries (sim/clock.py keeps later weeks off it)


def heap_yardstick_row(quick: bool, repeat: int) -> dict:
    """How much of the growth of time per task with the caseload is SimPy's own heap: bare SimPy
    with as many events on the heap as the county's holds at x1 and at x8 (37 and 273 on average
    since stop 22, when events more than a week ahead went off the heap into lists by week,
    sim/clock.py; 294 and 1,608 before, benchmarks/profiles/caseload-x1-x8.txt), taken in turns;
    the exponent that growth alone would give over x1..x8 (1 + log(cost ratio) / log 8)."""
    count = 20_000 if quick else 600_000
    small, large = [], []
    for _ in range(repeat):
        small.append(bare_seconds_per_event(HEAP_AT_X1, count))
        large.append(bare_seconds_per_event(HEAP_AT_X8, count))
    ratio = float(np.median(large) / np.median(small))
    exponent = 1 + math.log(ratio) / math.log(8)
    return row(f"yardstick: bare SimPy with as many events on its heap as the county's at x1 and x8 ({HEAP_AT_X1} and "
               f"{HEAP_AT_X8}), time per event",
               f"{1e6 * float(np.median(small)):.2f} against {1e6 * float(np.median(large)):.2f} us: x{ratio:.2f}, "
               f"which alone gives exponent {exponent:.2f}", "(none: SimPy's own heap)", None,
               ratio=ratio, exponent=exponent, us_per_event=[1e6 * float(np.median(small)), 1e6 * float(np.median(large))])


def scaled(scenario, factor: int):
    grow = lambda group: group.model_copy(update={"count": group.count * factor})
    staff = scenario.staff
    return scenario.model_copy(update={
        "demand": scenario.demand.model_copy(update={"plan_starts_per_month": scenario.demand.plan_starts_per_month * factor}),
        "staff": staff.model_copy(update={"social_workers": grow(staff.social_workers),
                                          "team_managers": grow(staff.team_managers),
                                          "conference_chairs": grow(staff.conference_chairs)})})


def county_tasks(procedure, scenario) -> tuple[float, int, int, float]:
    """Wall seconds, tasks done, SimPy events and CPU seconds of one replication (CPU time is the
    fairer measure on a shared machine: it leaves out the time other jobs had the core)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = Replication(procedure, scenario, 1).run()
    return time.perf_counter() - started, result.tasks_done, result.events, time.process_time() - cpu


def county_in_own_process(factor: int, quick: bool) -> dict:
    """One county replication at factor x the caseload, in a fresh interpreter, as a user runs it:
    run one after another in one process, the larger runs paid for the heap the smaller ones left
    (x8 took 24.5 s after x1, x2 and x4, against 17.4 s on its own)."""
    script = county_script(factor, quick)
    return json_printed_by(script)


def county_script(factor: int, quick: bool) -> str:
    """The script county_in_own_process runs (also run two at once by parallel_ceiling)."""
    return ("import json, sys, time\n"
            f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
            "from run_all import scaled\nfrom cpmodel.model import load_procedure\n"
            "from cpmodel.sim.engine import Replication\nfrom cpmodel.sim.scenario import load_scenario\n"
            "p = load_procedure(); county, _ = load_scenario(None, p)\n"
            + ("county = county.model_copy(update={'horizon_years': 0.15, 'warm_up_months': 0})\n" if quick else "")
            + f"r = Replication(p, scaled(county, {factor}), 1)\n"
            "t, c = time.perf_counter(), time.process_time(); result = r.run()\n"
            "print(json.dumps({'seconds': time.perf_counter() - t, 'cpu_seconds': time.process_time() - c,"
            " 'tasks': result.tasks_done}))\n")


def tasks_script(factor: int, replications: int = 1, horizon_years: float | None = None) -> str:
    """A script that runs county replications at factor x the caseload (seeds 1 on, each freed as
    it ends, as the commands run them; from day 0 with no warm-up when horizon_years is given) and
    prints 'tasks N', the tasks they did: for the profilers, which watch the whole process."""
    return ("import sys\n"
            f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
            "from run_all import scaled\nfrom cpmodel.model import load_procedure\n"
            "from cpmodel.sim.engine import run_replication\nfrom cpmodel.sim.scenario import load_scenario\n"
            "p = load_procedure(); county, _ = load_scenario(None, p)\n"
            + (f"county = county.model_copy(update={{'horizon_years': {horizon_years}, 'warm_up_months': 0}})\n"
               if horizon_years is not None else "")
            + f"print('tasks', sum(run_replication(p, scaled(county, {factor}), seed).tasks_done "
              f"for seed in range(1, {replications} + 1)))\n")


def parallel_ceiling(quick: bool, repeat: int = 3) -> dict:
    """What two workers can give on this machine at best: the same county replication run alone,
    then two copies at once (each in its own process), in turns; 2 x alone / together, the median.
    Two virtual cores of a shared host need not give twice one: this is the ceiling any search on
    two workers is held to."""
    script = county_script(1, quick)
    ratios = []
    for _ in range(repeat):
        alone = json_printed_by(script)["seconds"]
        pair = [subprocess.Popen([PYTHON, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=code_of(None))
                for _ in range(2)]
        # each copy's own seconds of simulation (both start up together; start-up is not counted)
        together = max(json.loads(process.communicate()[0].strip().splitlines()[-1])["seconds"] for process in pair)
        ratios.append(2 * alone / together)
    return {"ratio": float(np.median(ratios)), "ratios": ratios}


def json_printed_by(script: str, tree: Path | None = None, *arguments: str) -> dict:
    """Run a script in a fresh interpreter (on the baseline's code if tree; arguments as its
    sys.argv) and read the JSON its last line prints."""
    finished = subprocess.run([PYTHON, "-c", script, *arguments], cwd=tree or ROOT, capture_output=True, text=True,
                              check=True, env=code_of(tree))
    return json.loads(finished.stdout.strip().splitlines()[-1])


def row(measure: str, figure: str, goal: str, met: bool | None, **values) -> dict:
    return {"measure": measure, "figure": figure, "goal": goal, "met": met, **values}


def simulation_rows(procedure, quick: bool, repeat: int, tree: Path | None = None) -> list[dict]:
    county, _ = load_scenario(None, procedure)
    if quick:
        county = county.model_copy(update={"horizon_years": 0.15, "warm_up_months": 0})
    rows = []
    # Side by side: each county run right after a bare SimPy run, the ratio taken pair by pair (the
    # load on a shared machine changes between minutes).
    bares, runs = [], []
    for _ in range(repeat):
        bares.append(bare_timeouts_per_second(20_000 if quick else 1_000_000))
        runs.append(county_tasks(procedure, county))
    bare = float(np.median(bares))
    seconds = float(np.median([r[0] for r in runs]))
    tasks, events = runs[0][1], runs[0][2]
    ratio = float(np.median([r[1] / r[0] / b for r, b in zip(runs, bares)]))
    measured = row(f"county, {county.horizon_years:g} years, 1 replication: completed tasks/s against bare SimPy timeouts/s",
                   f"{ratio:.3f}x ({tasks:,} tasks in {seconds:.2f} s; {events:,} SimPy events; bare {bare:,.0f}/s)",
                   ">= 0.15x", ratio >= 0.15, ratio=ratio, seconds=seconds, tasks=tasks, events=events,
                   bare_timeouts_per_second=bare)
    if tree is not None and not quick:
        beside_baseline(measured, tree, repeat)
    rows.append(measured)
    rows.append(simpy_queue_row(quick, bare))
    factors = [1, 2] if quick else [1, 2, 4, 8]
    # Each factor in its own process, in rounds (x1, x2, x4, x8, x1, ...), the median of each: one
    # run of each swings by a third on these hosts, which alone moves the exponent by 0.1.
    rounds = [[county_in_own_process(f, quick) for f in factors] for _ in range(repeat)]
    middle = lambda key, index: float(np.median([r[index][key] for r in rounds]))
    measured = [{"seconds": middle("seconds", i), "cpu_seconds": middle("cpu_seconds", i), "tasks": rounds[0][i]["tasks"]}
                for i in range(len(factors))]
    times, cpu = [m["seconds"] for m in measured], [m["cpu_seconds"] for m in measured]
    exponent = float(np.polyfit(np.log(factors), np.log(times), 1)[0])
    cpu_exponent = float(np.polyfit(np.log(factors), np.log(cpu), 1)[0])
    per_task = [1e6 * c / m["tasks"] for c, m in zip(cpu, measured)]
    rows.append(heap_yardstick_row(quick, repeat))
    rows.append(row(f"time against caseload (county x{', x'.join(map(str, factors))}, same horizon, each in its own process, "
                    f"median of {repeat})",
                    " / ".join(f"{t:.1f}" for t in times) + f" s: fitted exponent {exponent:.2f}; CPU "
                    + " / ".join(f"{t:.1f}" for t in cpu) + f" s: exponent {cpu_exponent:.2f}; CPU per task "
                    + " / ".join(f"{t:.1f}" for t in per_task) + " us",
                    "exponent <= 1.05", exponent <= 1.05, exponent=exponent, seconds=times, factors=factors,
                    cpu_exponent=cpu_exponent, cpu_seconds=cpu, tasks=[m["tasks"] for m in measured],
                    cpu_us_per_task=per_task, rounds=rounds))
    return rows


BASELINE_COUNTY = ("import json, sys, time\n"
                   "from model import load_procedure\nfrom sim.engine import Replication\n"
                   "from sim.scenario import load_scenario\n"
                   "p = load_procedure(); county, _ = load_scenario('scenarios/county.yaml', p)\n"
                   "r = Replication(p, county, 1)\n"
                   "done = [0]\n"
                   "if 'count' in sys.argv:   # counted in a run of its own: the timed run is left as it is\n"
                   "    complete = r.workforce.on_complete\n"
                   "    def counted(*values):\n"
                   "        done[0] += 1\n"
                   "        return complete(*values)\n"
                   "    r.workforce.on_complete = counted\n"
                   "t, c = time.perf_counter(), time.process_time(); r.run()\n"
                   "print(json.dumps({'seconds': time.perf_counter() - t, 'cpu_seconds': time.process_time() - c,"
                   " 'tasks': done[0]}))\n")


def baseline_county_tasks(tree: Path) -> int:
    """The tasks the baseline's county does, counted in a run of their own (BASELINE_COUNTY)."""
    return json_printed_by(BASELINE_COUNTY, tree, "count")["tasks"]


def beside_baseline(measured: dict, tree: Path, repeat: int) -> dict:
    """The county's tasks per second against the baseline's, each in its own process, in turns.

    The ratio to bare SimPy is not the same yardstick on every host: the baseline's own county
    gives 0.026x on the AMD EPYC host where the issue's table said about 0.05x. So, as for the goals
    in seconds, the goal of 0.15x from the issue's 0.05x is judged as a speed-up of the tasks per
    second over the baseline's, beside ours: at least 3x (the issue's "3x faster for the same
    work"). The baseline does fewer tasks for the same five years (it lost the arrivals between
    working days, fixed in stop 17), so it is tasks per second, not seconds, that are compared; its
    tasks are counted in a run of their own, each completion through a counter, so that the timed
    runs are its code as it was."""
    script = county_script(1, quick=False)
    their_tasks = baseline_county_tasks(tree)
    ratios, ours_rate, their_rate = [], [], []
    for _ in range(repeat):
        ours = json_printed_by(script)
        theirs = json_printed_by(BASELINE_COUNTY, tree)
        ours_rate.append(ours["tasks"] / ours["seconds"])
        their_rate.append(their_tasks / theirs["seconds"])
        ratios.append(ours_rate[-1] / their_rate[-1])
    speedup = float(np.median(ratios))
    needed = 3.0   # the issue's 0.15x from its 0.05x
    measured.update(met_in_ratio_here=measured["met"], met=speedup >= needed, speedup_over_baseline=speedup,
                    speedup_needed=needed, baseline_ratios=ratios, baseline_tasks=their_tasks,
                    baseline_tasks_per_second=float(np.median(their_rate)), tasks_per_second=float(np.median(ours_rate)))
    measured["figure"] += (f"; {speedup:.2f}x the baseline's tasks/s beside it, each in its own process "
                           f"({float(np.median(ours_rate)):,.0f}/s against {float(np.median(their_rate)):,.0f}/s, "
                           f"{their_tasks:,} tasks; rounds: {', '.join(f'{r:.2f}x' for r in ratios)}) (needs {needed:.2f}x)")
    return measured


def simpy_mmc(arrival: float, service: float, servers: int, customers: int, seed: int) -> float:
    """A plain SimPy M/M/c queue (simpy.Resource, one process per customer): the least a SimPy
    model of work waiting for staff does per piece of work. Returns seconds taken."""
    import simpy
    rng = np.random.default_rng(seed)
    gaps, services = rng.exponential(1 / arrival, customers).tolist(), rng.exponential(1 / service, customers).tolist()
    env = simpy.Environment()
    staff = simpy.Resource(env, servers)

    def customer(hours):
        with staff.request() as request:
            yield request
            yield env.timeout(hours)

    def arrivals():
        for gap, hours in zip(gaps, services):
            yield env.timeout(gap)
            env.process(customer(hours))
    started = time.perf_counter()
    env.process(arrivals())
    env.run()
    return time.perf_counter() - started


def simpy_queue_row(quick: bool, bare: float) -> dict:
    """The yardstick for the tasks/s row: a bare SimPy queue's customers/s against bare timeouts/s
    (each customer is an arrival, a request, a service and a release: about five SimPy events)."""
    customers = 2_000 if quick else 200_000
    seconds = simpy_mmc(9.0, 1.0, 10, customers, 1)
    ratio = customers / seconds / bare
    return row("yardstick: a bare SimPy M/M/10 queue, customers/s against bare SimPy timeouts/s",
               f"{ratio:.3f}x ({customers / seconds:,.0f} customers/s)", "(none: what SimPy itself does per piece of queued work)",
               None, ratio=ratio, customers_per_second=customers / seconds)


def staffing_rows(quick: bool, extra: list[str] | None = None, tree: Path | None = None, repeat: int = 1) -> list[dict]:
    """The search on one worker and on two, in `repeat` rounds (each round both, and the baseline's
    search beside them when it is run; the order turned about from one round to the next), the
    medians: one run of each swings the speed-up by 0.1 on these hosts (1.79x and 1.91x in two full
    runs a quarter of an hour apart, with the same two-worker seconds), and the baseline's search
    took 121-144 s in three runs within half an hour. Each speed-up is the median of each round's
    own ratio, the runs of a round taken together."""
    if quick:
        base = ["staff", "tests/data/fast-unitary.yaml", "--target", "visits=0.5", "--range", "5:6",
                "--replications", "2", "--max-replications", "2", "--survey", "0", "--json"]
    else:
        base = ["staff", "scenarios/county.yaml", "--target", "visits=0.95", "--json"]
    base = base[:-1] + (extra or []) + ["--json"]
    rounds = []
    # the baseline's search on one worker, beside ours in each round (its options are these; not
    # with --staff-args)
    with_baseline = tree is not None and not quick and not extra
    with tempfile.TemporaryDirectory() as folder:
        load = [os.getloadavg()[0]]
        order = (1, 2, 0) if with_baseline else (1, 2)     # 0: the baseline's search
        for number in range(repeat):
            measured = {}
            for workers in (order if number % 2 == 0 else order[::-1]):
                name = f"{number}-{workers}"
                if workers == 0:
                    measured[0] = timed(CPMODEL + base + ["--out", f"{folder}/{name}"], tree=tree)[0]
                    continue
                options = ["--workers", "2"] if workers == 2 else []
                seconds, cpu = timed(CPMODEL + base + options + ["--out", f"{folder}/{name}"])
                measured[workers] = {"seconds": seconds, "cpu": cpu,
                                     "level": json.loads((Path(folder) / name / "staffing.json").read_text())["level"],
                                     "usage": json.loads((Path(folder) / name / "search.json").read_text())}
            rounds.append(measured)
        load.append(os.getloadavg()[0])
    theirs = float(np.median([r[0] for r in rounds])) if with_baseline else None
    middle = lambda workers, key: float(np.median([r[workers][key] for r in rounds]))
    one, two, one_cpu, two_cpu = middle(1, "seconds"), middle(2, "seconds"), middle(1, "cpu"), middle(2, "cpu")
    ratios = [r[1]["seconds"] / r[2]["seconds"] for r in rounds]
    speedup = float(np.median(ratios))
    levels = sorted({r[w]["level"] for r in rounds for w in (1, 2)}, key=str)
    usage = [rounds[0][1]["usage"], rounds[0][2]["usage"]]
    usage[1] = dict(usage[1], utilisation=float(np.median([r[2]["usage"]["utilisation"] for r in rounds])))
    ceiling = parallel_ceiling(quick, 1 if quick else 3)
    shown = " ".join(extra or []) + (" (quick: the fast unitary)" if quick else "")
    # On a shared machine the wall times say little alone: the CPU seconds of the replications and
    # how busy the workers were (busy worker-seconds / (workers x wall)) say what the search did.
    spent = lambda u: (f"{u['replications_run']} replications run, {u.get('replications_at_levels_reported', '?')} at the levels reported, "
                       f"{u.get('cpu_seconds', float('nan')):.0f} s CPU in replications")
    of = f", median of {repeat} rounds" if repeat > 1 else ""
    first = row(f"`staff` county --target visits=0.95 {shown}, 1 worker (whole process{of})",
                f"{one:.1f} s ({one_cpu:.0f} s CPU), {spent(usage[0])}, peak memory {usage[0].get('peak_memory_mb') or float('nan'):.0f} MB; "
                f"load {load[0]:.1f}",
                "under 60 s", one < 60, seconds=one, cpu_seconds=one_cpu, level=rounds[0][1]["level"], usage=usage[0],
                peak_memory_mb=usage[0].get("peak_memory_mb"),
                load_average=load[0])
    second = row("same, --workers 2 against 1 worker", f"{speedup:.2f}x (" + ", ".join(f"{r:.2f}x" for r in ratios)
                 + f"), {two:.1f} s (levels {' and '.join(map(str, levels)) if len(levels) > 1 else f'{levels[0]} in every run'}; "
                 f"workers busy {100 * usage[1]['utilisation']:.0f}% of the search; {spent(usage[1])}; load {load[1]:.1f}; "
                 f"this machine's ceiling: two replications at once run {ceiling['ratio']:.2f}x one alone)",
                 ">= 1.85x, and under 30 s", speedup >= 1.85 and two < 30, speedup=speedup, seconds=two,
                 cpu_seconds=two_cpu, same_answer=len(levels) == 1, usage=usage[1], load_average=load[1], ratios=ratios,
                 rounds=[{**{str(w): {k: v for k, v in r[w].items() if k != "usage"} for w in (1, 2)}, "baseline": r.get(0)} for r in rounds],
                 parallel_ceiling=ceiling)
    if quick:
        return [first, second]
    beside = (lambda workers: [r[0] / r[workers]["seconds"] for r in rounds]) if with_baseline else (lambda workers: None)
    against_baseline(first, one, theirs, ISSUE_NOW["staff"], 60, beside(1))
    against_baseline(second, two, theirs, ISSUE_NOW["staff"], 30, beside(2))   # two workers against its one
    if second["met"] is not None:
        second["met"] = second["met"] and speedup >= 1.85
    return [first, second]


def check_row(repeat: int, tree: Path | None = None) -> dict:
    """Ours and the baseline's `check`, taken in turns (best of each)."""
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(timed(CPMODEL + ["check"]))
        if tree is not None:
            theirs.append(timed(CPMODEL + ["check"], tree=tree)[0])
    seconds, cpu = min(t[0] for t in ours), min(t[1] for t in ours)
    measured = row("`cpmodel check` on the shipped model (whole process)", f"{seconds:.2f} s wall, {cpu:.2f} s CPU",
                   "under 1 s", seconds < 1, seconds=seconds, cpu_seconds=cpu, load_average=os.getloadavg()[0])
    return against_baseline(measured, seconds, min(theirs) if theirs else None, ISSUE_NOW["check"], 1)


def england_row(quick: bool, tree: Path | None = None, years: float | None = None) -> dict:
    years = years or (0.02 if quick else 1.0)
    script = ("import resource, sys, time, json\n"
              "{imports}"
              "p = load_procedure(); e, _ = load_scenario({folder} / 'england.yaml', p)\n"
              f"e = e.model_copy(update={{{{'horizon_years': {years}, 'warm_up_months': 0}}}})\n"
              "t, c = time.perf_counter(), time.process_time(); r = Replication(p, e, 1).run()\n"
              "t, c = time.perf_counter() - t, time.process_time() - c\n"
              "print(json.dumps({{'seconds': t, 'cpu_seconds': c, 'tasks': getattr(r, 'tasks_done', None),"
              " 'households': r.households_started, 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))\n")
    data = json_printed_by(script.format(imports="from cpmodel.model import load_procedure\nfrom cpmodel.sim.engine import Replication\n"
                                                  "from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario\n",
                                         folder="SCENARIO_FOLDER"))
    measured = row(f"England scenario, {years:g} simulated year(s), 1 worker; peak memory",
                   f"{data['seconds']:.1f} s ({data['cpu_seconds']:.1f} s CPU, {data['tasks']:,} tasks), "
                   f"peak RSS {data['peak_rss_mb']:,.0f} MB",
                   "under 20 s per year; under 2 GB", data["seconds"] / years < 20 and data["peak_rss_mb"] < 2048, **data)
    if quick:
        return measured
    theirs = None
    if tree is not None:   # the baseline's engine, its own England scenario, the same year
        baseline = json_printed_by(script.format(imports="from pathlib import Path\nfrom model.loader import load_procedure\n"
                                                         "from sim.engine import Replication\nfrom sim.scenario import load_scenario\n",
                                                 folder="Path('scenarios')"), tree)
        # The baseline lost the arrivals that fell between working days (fixed in stop 17): it
        # simulated about 71% of England's stated demand. Its seconds are scaled to the households
        # ours simulated, so the speed-up is for the same work, as the issue asks ("3x faster for
        # the same work"); its own seconds are kept beside.
        theirs = baseline["seconds"] * data["households"] / baseline["households"]
        measured.update(baseline_seconds_as_run=baseline["seconds"], baseline_households=baseline["households"])
        measured["figure"] += (f"; {data['households']:,} households against the baseline's {baseline['households']:,} "
                               f"in {baseline['seconds']:.1f} s, scaled to the same households")
    against_baseline(measured, data["seconds"], theirs, ISSUE_NOW["england"], 20)
    if measured["met"] is not None:
        measured["met"] = measured["met"] and data["peak_rss_mb"] < 2048
    return measured


def queue_row(quick: bool) -> dict:
    from bench_simulation import ciw_mmc
    from test_sim_queueing_theory import mmc_waits
    customers = 2_000 if quick else 200_000
    ours, _ = median_of(lambda: mmc_waits(9.0, 1.0, 10, customers, 1), 1)
    try:
        theirs, _ = median_of(lambda: ciw_mmc(9.0, 1.0, 10, customers, 1), 1)
    except ImportError:
        return row("M/M/10 customers/s against Ciw", f"{customers / ours:,.0f}/s; Ciw not installed (pip install -e '.[bench]')",
                   "keep >= 1.5x", None, customers_per_second=customers / ours)
    ratio = theirs / ours
    return row("M/M/10 customers/s against Ciw", f"{ratio:.2f}x ({customers / ours:,.0f}/s against {customers / theirs:,.0f}/s)",
               "keep >= 1.5x", ratio >= 1.5, ratio=ratio)


def audit_row(quick: bool, tree: Path | None = None) -> dict:
    from event_logs import write_log
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        write_log(path, 60 if quick else 3300, planted_every=50, seed=6)
        events = sum(1 for _ in open(path)) - 1
        seconds, cpu = timed(CPMODEL + ["audit", str(path), "--json"])
        theirs = timed(CPMODEL + ["audit", str(path), "--json"], tree=tree)[0] if tree is not None and not quick else None
    measured = row(f"audit of {events:,} events (whole process)", f"{seconds:.2f} s wall, {cpu:.2f} s CPU",
                   "under 3 s (100,000 events)", seconds < 3 if not quick else None, seconds=seconds, cpu_seconds=cpu,
                   events=events, load_average=os.getloadavg()[0])
    return measured if quick else against_baseline(measured, seconds, theirs, ISSUE_NOW["audit"], 3)


def startup_row() -> dict:
    """Which heavy libraries `--help`, `check`, `export` and `pathway` import (python -X importtime)."""
    imported, seconds = {}, {}
    for command in (["--help"], ["check"], ["export"], ["pathway", "two-failed-visits"]):
        started = time.perf_counter()
        finished = subprocess.run([PYTHON, "-X", "importtime", "-c", "from cpmodel.cli import main; main()", *command],
                                  cwd=ROOT, capture_output=True, text=True)
        seconds[" ".join(command)] = time.perf_counter() - started
        top = {line.rsplit("|", 1)[-1].strip() for line in finished.stderr.splitlines() if line.startswith("import time:")}
        imported[" ".join(command)] = sorted(name for name in HEAVY if name in top)
    clean = not any(imported.values())
    return row("instant start: heavy imports of --help, check, export, pathway (python -X importtime)",
               "none" if clean else "; ".join(f"{c}: {', '.join(m)}" for c, m in imported.items() if m),
               f"none of {', '.join(HEAVY)}", clean, imported=imported, seconds=seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check that every benchmark works")
    parser.add_argument("--repeat", type=int, default=None, help="repeats for medians (default 3, quick 1)")
    parser.add_argument("--out", type=Path, default=None, help="JSON file to write (a new file)")
    parser.add_argument("--only", default=None, help="comma-separated rows to run: simulation, staff, check, "
                        "england, queue, audit, startup, or engine (simulation, england and queue; default: all)")
    parser.add_argument("--no-baseline", action="store_true", help=f"do not run the code of {BASELINE} beside ours "
                        "(the goals in seconds are then judged on this machine's seconds alone)")
    parser.add_argument("--staff-args", default="", help="more `staff` arguments for the staff rows, e.g. "
                        "'--set horizon_years=1 --max-replications 10' to fit a loaded machine (the row says so)")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    out = args.out or ROOT / "benchmarks" / "results" / f"{dt.datetime.now():%Y%m%d-%H%M%S}{'-quick' if args.quick else ''}.json"
    if out.exists():
        sys.exit(f"error: {out} already exists; choose a new file (nothing is overwritten)")
    procedure = load_procedure()
    record = {"machine": machine(), "quick": args.quick, "rows": []}
    import shlex
    staff_extra = shlex.split(args.staff_args)
    holder = tempfile.TemporaryDirectory()
    tree = None if args.no_baseline else baseline_tree(Path(holder.name))
    record["baseline"] = {"commit": BASELINE, "issue_now_seconds": ISSUE_NOW, "run": tree is not None}
    steps = {"simulation": lambda: simulation_rows(procedure, args.quick, repeat, tree),
             "staff": lambda: staffing_rows(args.quick, staff_extra, tree, repeat),
             "check": lambda: [check_row(repeat, tree)], "england": lambda: [england_row(args.quick, tree)],
             "queue": lambda: [queue_row(args.quick)], "audit": lambda: [audit_row(args.quick, tree)],
             "startup": lambda: [startup_row()]}
    asked = [name.strip() for name in args.only.split(",")] if args.only else list(steps)
    chosen = [row for name in asked for row in (GROUPS.get(name) or [name])]
    unknown = [name for name in chosen if name not in steps]
    if unknown:
        sys.exit(f"error: --only {', '.join(unknown)}: not a row; choose from {', '.join(steps)}")
    record["groups"], record["only"] = asked, chosen
    for step in (steps[name] for name in chosen):
        for measured in step():
            if args.quick:
                measured["met"] = None   # tiny sizes: the figures say only that the benchmark runs
            record["rows"].append(measured)
            mark = {True: "met", False: "MISSED", None: "-"}[measured["met"]]
            print(f"| {measured['measure']} | {measured['figure']} | {measured['goal']} | {mark} |", flush=True)
    from cpmodel.atomic import write_text
    write_text(out, json.dumps(record, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
