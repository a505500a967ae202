"""How many staff meet the targets: a search over staffing levels that spends replications
where the answer is uncertain, runs replications on any executor, and resumes from saved work;
several pools at once, with the pool that limits each target named.

Every replication at every level uses the same seeds (common random numbers), so results do not
depend on how many workers ran them, and levels are compared on the same simulated demand.

The search first runs what it needs whatever it finds: the survey levels (the curve for the
plot, from fewer replications than a race starts with: a survey level decides nothing, and three
replications place the probes as well as five: the same answers and verdicts on the county, 55
from 47 replications against 62, and the small unitary, 18 from 41 against 47, measured on
2026-12-02). The top of the range (does any level meet?) is raced first only when no surveyed
level's mean reaches the targets; else last, and only if every level below it fails (the county,
55 from 42 replications, and the small unitary, 18 from 36, on 2026-12-03). Their mean shares place the next probe
where the curve crosses the target (a guarded interpolation: a plain halving after three guesses
in a row land on the same side), so few levels are visited. Each level is raced: looked at after
every replication and stopped as soon as its interval is clear of the target, with the
sequential correction of `cpmodel.sim.racing` so its 95% stays true.

With several workers the search never waits with idle cores: the next replications of the level
being raced and the first ones of the next probe on both sides are submitted ahead
(speculatively); when the look being waited on will very likely decide the level (it would even
with its new replication a standard deviation the wrong way), a free worker starts on the probe
the search would try after that verdict instead of racing on; work that turns out not to be
needed is cancelled before it starts. A level's
verdict depends only on its own replications in seed order, so speculation changes how fast the
answer comes, never what it is.
"""
from __future__ import annotations

import heapq
import itertools
import json
import math
import os
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from cpmodel.model.procedure import Procedure
from cpmodel.sim.engine import run_replication
from cpmodel.sim.racing import MEETS, MORE, SequentialRule
from cpmodel.sim.runner import replication_seeds
from cpmodel.sim.scenario import Scenario
from cpmodel.sim.stats import NON_NEGATIVE, confidence_interval

ROLE_POOLS = {"social_worker": "social_workers", "lead_social_worker": "social_workers",
              "conference_chair": "conference_chairs", "independent_reviewing_officer": "conference_chairs",
              "team_manager": "team_managers"}
POOLS = ("social_workers", "conference_chairs", "team_managers")
POOL_ROLE = {"social_workers": "social_worker", "conference_chairs": "conference_chair", "team_managers": "team_manager"}

Levels = tuple  # ((pool, count), ...) sorted: one staffing of every searched or changed pool
SURVEY_REPLICATIONS = 3


def survey_count(survey_replications: int, first: int) -> int:
    """Replications at a survey level: as asked, never more than a race's first look, at least 2."""
    return max(2, min(survey_replications, first))


def levels_key(levels: dict[str, int]) -> Levels:
    return tuple(sorted(levels.items()))


def at_levels(scenario: Scenario, levels: dict[str, int]) -> Scenario:
    staff = scenario.staff
    for pool, count in levels.items():
        staff = staff.model_copy(update={pool: getattr(staff, pool).model_copy(update={"count": count})})
    return scenario.model_copy(update={"staff": staff})


def at_level(scenario: Scenario, pool: str, level: int) -> Scenario:
    return at_levels(scenario, {pool: level})


def replication_at(procedure: Procedure, scenario: Scenario, levels: Levels, seed: int) -> dict:
    """One replication at one staffing, reduced to what the search and the report need."""
    result = run_replication(procedure, at_levels(scenario, dict(levels)), seed)
    return {
        "levels": dict(levels), "seed": seed,
        "deadlines": {kind: {"due": len(v), "met": int(np.sum(np.asarray(v) == 0))}
                      for kind, v in result.lateness.items() if v},
        "hours": {p: float(sum(w)) for p, w in result.hours_by_week.items()},
        "available": {p: float(sum(w)) for p, w in result.available_by_week.items()},
        "weeks": len(next(iter(result.hours_by_week.values()), [])),
        "backlog": float(np.mean(result.backlog_by_week)) if result.backlog_by_week else 0.0,
        "caseload_mean": float(np.mean(result.caseload_mean_by_week)) if result.caseload_mean_by_week else 0.0,
    }


def compact_replication(procedure: Procedure, scenario: Scenario, pool: str, level: int, seed: int) -> dict:
    """One replication with one pool at a level (kept for the benchmarks)."""
    return replication_at(procedure, scenario, ((pool, level),), seed) | {"level": level}


@dataclass
class LevelResult:
    """A level's replications (the first ones in seed order) and the interval rule they are read by
    (none: an ordinary 95% t interval)."""

    level: int
    replications: list[dict] = field(default_factory=list)
    rule: SequentialRule | None = None

    def shares(self, kind: str) -> list[float]:
        """Each replication's share of this kind's deadlines met (those where any fell due)."""
        return [r["deadlines"][kind]["met"] / r["deadlines"][kind]["due"]
                for r in self.replications if kind in r["deadlines"]]

    def share(self, kind: str):
        shares = self.shares(kind)
        return self.rule.interval(shares) if self.rule else confidence_interval(shares, bounds=(0, 1))

    def kinds(self) -> list[str]:
        return sorted({k for r in self.replications for k in r["deadlines"]})

    def meets(self, targets: dict[str, float]) -> bool:
        return all(self.share(kind).low >= target for kind, target in targets.items())

    def failing(self, targets: dict[str, float]) -> list[str]:
        return [kind for kind, target in targets.items() if not self.share(kind).low >= target]

    def to_json(self, pool: str) -> dict:
        utilisation = confidence_interval([r["hours"][pool] / r["available"][pool] for r in self.replications
                                           if r["available"][pool]], bounds=(0, 1))
        return {"level": self.level, "replications": len(self.replications),
                "compliance": {k: self.share(k).to_json() for k in self.kinds()},
                "utilisation": utilisation.to_json(),
                "hours_per_week": confidence_interval([r["hours"][pool] / max(r["weeks"], 1) for r in self.replications], bounds=NON_NEGATIVE).to_json(),
                "backlog_overdue_tasks": confidence_interval([r["backlog"] for r in self.replications], bounds=NON_NEGATIVE).to_json(),
                "caseload_mean": confidence_interval([r["caseload_mean"] for r in self.replications], bounds=NON_NEGATIVE).to_json()}


class SavedReplications:
    """Finished replications as one small JSON file each, written atomically, so a killed run resumes."""

    def __init__(self, folder: Path, write: Callable[[Path, str], None]):
        self.folder = folder / "replications"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.write = write

    def path(self, levels: Levels, seed: int) -> Path:
        name = "_".join(f"{pool}-{count:05d}" for pool, count in levels)
        return self.folder / f"{name}-seed-{seed}.json"

    def load(self, levels: Levels, seed: int) -> dict | None:
        path = self.path(levels, seed)
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None          # a damaged file is run again

    def save(self, result: dict) -> None:
        self.write(self.path(levels_key(result["levels"]), result["seed"]), json.dumps(result, sort_keys=True))


def timed_replication(procedure: Procedure, scenario: Scenario, levels: Levels,
                      seed: int) -> tuple[dict, float, tuple[int, int], float]:
    """A replication, the seconds of work it took, the worker that did it (process and thread: a
    Dask worker may run several threads) and the CPU seconds its thread had (how busy each worker
    was, and how much a shared machine slowed it; not part of the replication)."""
    started, cpu = time.perf_counter(), time.thread_time()
    result = replication_at(procedure, scenario, levels, seed)
    return result, time.perf_counter() - started, (os.getpid(), threading.get_ident()), time.thread_time() - cpu


# How urgent a replication is: the search waits on NEEDED; SURVEY work is needed for the plot
# whatever the search finds, so it fills any free worker first; RACE is the next replications of
# the level being raced (needed unless the level stops first); AHEAD is speculation (the first
# replications of the next probes), some of which turns out not to be needed.
NEEDED, SURVEY, RACE, AHEAD = 0, 1, 2, 3


@dataclass
class Replications:
    """Replications by (staffing, seed): from memory, from the run folder, or from the executor.

    Work is queued by urgency and handed to the executor only as workers fall free (`slots` at
    a time), so what the search waits on always goes first, a free worker always has the most
    useful work there is, and work no longer wanted is simply dropped from the queue."""

    procedure: Procedure
    scenario: Scenario
    saved: SavedReplications
    executor: Executor | None = None
    progress: Callable[[str], None] = lambda message: None
    slots: int = 2
    done: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)      # handed to the executor
    queued: dict = field(default_factory=dict)       # waiting: key -> (urgency, place in the queue)
    submitted: int = 0
    reported: set = field(default_factory=set)       # replications the progress bar has counted
    busy_seconds: float = 0.0                        # worker time spent on replications run here
    cpu_seconds: float = 0.0                         # of which the workers had a core (a shared machine)
    busy_by_worker: dict = field(default_factory=dict)   # (process, thread) -> seconds, in order of first work
    started: float = field(default_factory=time.perf_counter)
    _heap: list = field(default_factory=list)
    _order: Iterator[int] = field(default_factory=itertools.count)

    def _known(self, levels: Levels, seed: int) -> bool:
        key = (levels, seed)
        if key in self.done or key in self.pending:
            return True
        found = self.saved.load(levels, seed)
        if found is not None:
            self.done[key] = found
            return True
        return False

    def prefetch(self, levels: Levels, seeds: list[int], urgency: int = AHEAD) -> None:
        if self.executor is None:
            return
        for seed in seeds:
            key = (levels, seed)
            if self._known(levels, seed) or self.queued.get(key, (urgency + 1,))[0] <= urgency:
                continue
            entry = self.queued[key] = (urgency, next(self._order))
            heapq.heappush(self._heap, (*entry, key))
        self._hand_out()

    def _hand_out(self) -> None:
        """Give free workers the most urgent queued work."""
        while len(self.pending) < self.slots and self._heap:
            urgency, place, key = heapq.heappop(self._heap)
            if self.queued.get(key) != (urgency, place):
                continue      # dropped, or queued again (more urgently, or later after a drop)
            del self.queued[key]
            if key in self.done or key in self.pending:
                continue
            self.pending[key] = self.executor.submit(timed_replication, self.procedure, self.scenario, *key)
            self.submitted += 1

    def _collect(self, hand_out: bool = True) -> None:
        """Wait for at least one handed-out replication; keep (and save) every finished one; give
        the freed workers new work (unless the search is about to say what it wants next)."""
        wait(list(self.pending.values()), return_when=FIRST_COMPLETED)
        for key in [k for k, future in self.pending.items() if future.done()]:
            future = self.pending.pop(key)
            if future.cancelled():
                continue
            result, seconds, worker, *cpu = future.result()
            self._busy(seconds, worker, *cpu)
            self.done[key] = result
            self.saved.save(result)
        if hand_out:
            self._hand_out()

    def get(self, levels: Levels, seeds: list[int]) -> list[dict]:
        self.prefetch(levels, seeds, NEEDED)
        results = []
        for number, seed in enumerate(seeds, 1):
            key = (levels, seed)
            if self.executor is None and not self._known(levels, seed):
                result, seconds, worker, *cpu = timed_replication(self.procedure, self.scenario, levels, seed)
                self._busy(seconds, worker, *cpu)
                self.submitted += 1
                self.done[key] = result
                self.saved.save(result)
            while key not in self.done:
                # free workers take the most urgent queued work before the wait; when what is
                # waited for has come, the search looks at it and queues what it needs next
                # before the worker it freed is given anything
                self._hand_out()
                self._collect(hand_out=False)
            if key not in self.reported:       # a raced level asks again for the ones it has
                self.reported.add(key)
                self.progress(f"{_describe(levels)}: replication {number}")
            results.append(self.done[key])
        return results

    def drop(self, levels: Levels, seeds: list[int]) -> None:
        """Forget queued work for these replications (what already runs finishes and is kept)."""
        for seed in seeds:
            self.queued.pop((levels, seed), None)
        self._hand_out()

    def cancel_unless(self, wanted: Callable[[Levels], bool]) -> None:
        """Drop queued work for staffings no longer wanted (work already running finishes and is kept)."""
        for key in [k for k in self.queued if not wanted(k[0])]:
            del self.queued[key]
        for key in list(self.pending):
            if not wanted(key[0]) and self.pending[key].cancel():
                del self.pending[key]
                self.submitted -= 1
        self._hand_out()

    def finish(self) -> None:
        """Drop whatever is still queued; wait for (and keep) what is running."""
        self.queued.clear()
        self._heap.clear()
        while self.pending:
            self._collect()

    def _busy(self, seconds: float, worker, cpu: float = 0.0) -> None:
        self.busy_seconds += seconds
        self.cpu_seconds += cpu
        self.busy_by_worker[worker] = self.busy_by_worker.get(worker, 0.0) + seconds

    def usage(self) -> dict:
        """How busy the workers were: worker-seconds of replications over workers x wall seconds,
        overall and for each worker process (numbered in the order they first finished work)."""
        wall = time.perf_counter() - self.started
        workers = self.slots if self.executor is not None else 1
        share = lambda seconds, count: round(seconds / (count * wall), 3) if wall > 0 else None
        return {"workers": workers, "wall_seconds": round(wall, 2), "busy_seconds": round(self.busy_seconds, 2),
                "cpu_seconds": round(self.cpu_seconds, 2),
                "utilisation": share(self.busy_seconds, workers), "replications_run": self.submitted,
                "utilisation_by_worker": {f"worker {number}": share(seconds, 1)
                                          for number, seconds in enumerate(self.busy_by_worker.values(), 1)},
                "peak_memory_mb": peak_memory_mb()}


def peak_memory_mb() -> float | None:
    """The most memory this process has held so far (its peak resident set), in MB; with one
    worker the replications ran in it. None where the system does not say (Windows).

    On Linux it is read from /proc (VmHWM): getrusage's figure for a process started by another
    counts the starting process's memory too (a `staff` started by the benchmarks, 191 MB for a
    search that held 72)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)          # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)   # bytes on macOS, KB elsewhere


def _describe(levels: Levels) -> str:
    return ", ".join(f"{count} {pool.replace('_', ' ')}" for pool, count in levels)


@dataclass
class StaffingSearch:
    """The smallest level of one pool in [low, high] that meets every target, other pools fixed."""

    replications_source: Replications
    pool: str
    targets: dict[str, float]
    low: int
    high: int
    replications: int
    max_replications: int
    fixed: dict[str, int] = field(default_factory=dict)
    survey_points: int = 0
    survey_replications: int = SURVEY_REPLICATIONS   # a survey level's (for the plot; never a verdict)
    levels: dict[int, LevelResult] = field(default_factory=dict)
    decided: set = field(default_factory=set)        # levels raced to a verdict (not only surveyed)

    @property
    def source(self) -> Replications:
        return self.replications_source

    @property
    def rule(self) -> SequentialRule:
        return SequentialRule(self.replications, self.max_replications)

    def seeds(self) -> list[int]:
        return replication_seeds(self.source.scenario.seed, self.max_replications)

    def key(self, level: int) -> Levels:
        return levels_key(self.fixed | {self.pool: level})

    def first_seeds(self) -> list[int]:
        return self.seeds()[:self.rule.first]

    def survey_seeds(self) -> list[int]:
        """A survey level's seeds: the first of the race's own, so a surveyed level raced later
        goes on from them."""
        return self.seeds()[:survey_count(self.survey_replications, self.rule.first)]

    def evaluate(self, level: int, next_probe: Callable[[str, LevelResult], int | None] | None = None) -> LevelResult:
        """A level raced: its first replications, then one more at a time until the interval of
        every target is clear of it (or some target's lies wholly below it), or the most
        replications are run. (The level is recorded only once it has its verdict: an interrupted
        evaluation never leaves a half-raced level behind.)

        next_probe(verdict, result so far) names the level the search would try next after that
        verdict (None: it would stop): when the look being waited on is likely to decide, a free worker starts on
        that level rather than on more of this one. What runs ahead never changes a verdict."""
        if level in self.decided:
            return self.levels[level]
        rule, seeds = self.rule, self.seeds()
        count, result = rule.first, None
        while True:
            likely = MORE
            if next_probe is not None and result is not None:
                likely = rule.likely_verdict({kind: result.shares(kind) for kind in self.targets}, self.targets, count)
            after = next_probe(likely, result) if likely != MORE else None
            if after is not None and after not in self.decided:
                # this look will probably decide: the next probe's first replications go ahead
                self.source.drop(self.key(level), seeds[count:])
                self.source.prefetch(self.key(after), self.first_seeds(), RACE)
            else:
                # the next replications go ahead (one per worker) in case this look leaves the level
                # undecided, so a worker that falls free races on; at most that many run for nothing
                self.source.prefetch(self.key(level), seeds[count:count + self.source.slots], RACE)
            result = LevelResult(level, self.source.get(self.key(level), seeds[:count]), rule)
            if rule.verdict({kind: result.share(kind) for kind in self.targets}, self.targets, count) != MORE:
                self.levels[level] = result
                self.decided.add(level)
                self.source.drop(self.key(level), seeds[count:])     # the race ahead is not needed now
                return result
            count += 1

    def survey_levels(self) -> list[int]:
        points = self.survey_points
        if points <= 0:
            return []
        step = (self.high - self.low) / (points + 1)
        return sorted({int(round(self.low + index * step)) for index in range(1, points + 1)})

    def survey(self) -> None:
        """A few levels spread over the range (first replications only), so the plot shows the
        whole curve and not just where the search went, and the first probe is well placed.
        (While the last of them runs, a worker that falls free starts on the first probe as the
        levels already seen place it, the last one by its first replication: placed by the others
        alone, the county's first probe went ahead at 47, and the search went to 55.)"""
        wanted = [level for level in self.survey_levels() if level not in self.decided
                  and len(self.levels.get(level, LevelResult(level)).replications) < len(self.survey_seeds())]
        for number, level in enumerate(wanted, 1):
            if number == len(wanted) and self.levels and self.source.executor is not None:
                first = LevelResult(level, self.source.get(self.key(level), self.survey_seeds()[:1]), self.rule)
                probe = self.guess(self.low, self.high, provisional=(level, first))
                self.source.prefetch(self.key(probe), self.first_seeds(), AHEAD)
            self.levels[level] = LevelResult(level, self.source.get(self.key(level), self.survey_seeds()), self.rule)

    def run(self) -> int | None:
        """The smallest level in [low, high] meeting every target, or None.

        The top of the range is raced only when its verdict can matter: first, when no surveyed
        level's mean share reaches every target (the answer is likely none, and the top says so
        soonest); else only if every level below it fails. A level below the top that meets makes
        the top's verdict moot, since the search takes more staff never to do worse (the
        assumption every bisection makes); on the county this saves the top's 5 of 47
        replications, with the same answer."""
        for level in self.survey_levels():
            self.source.prefetch(self.key(level), self.survey_seeds(), SURVEY)
        if not self.survey_levels():
            self.source.prefetch(self.key(self.high), self.first_seeds(), NEEDED)
        self.rule.constant()            # shipped for the default looks; else fitted (once, half a second) while the workers start
        self.survey()
        if not self._survey_reaches_targets() and not self.evaluate(self.high).meets(self.targets):
            return None
        first_probe = self.guess(self.low, self.high)      # a guess made before the survey ended may differ
        self.source.cancel_unless(lambda levels: not self._mine(levels)
                                  or dict(levels)[self.pool] in self.levels or dict(levels)[self.pool] == first_probe)
        answer = self._bisect()
        if answer == self.high and not self.evaluate(self.high).meets(self.targets):
            return None                  # every level below the top failed, and so does the top
        return answer

    def _survey_reaches_targets(self) -> bool:
        """Some surveyed level below the top has a mean share at or above every target."""
        return any(level < self.high and all(result.share(kind).mean >= target for kind, target in self.targets.items())
                   for level, result in self.levels.items())

    def _mine(self, levels: Levels) -> bool:
        """A staffing this search runs (its pool at some level, the other pools as fixed)."""
        staffing = dict(levels)
        staffing.pop(self.pool, None)
        return staffing == self.fixed

    def guess(self, low: int, high: int, provisional: tuple[int, LevelResult] | None = None) -> int:
        """The next level to try in [low, high - 1]: the level nearest where straight lines through
        the mean shares seen so far cross each target (the highest of those levels); below every
        level seen, the line through the two lowest is carried down. The middle when the shares
        seen cannot place a crossing (one level only, or shares not rising with the staff).

        A level can fail with its mean above the target, for want of confidence: then the mean
        a level needs is the target plus that level's half-interval, and the line is aimed there
        (else the guesses would creep up one level at a time).

        provisional: a level still being raced, taken as decided with the result it has so far
        (to place speculative work; the search's own guesses never use it)."""
        levels, decided = self.levels, self.decided
        if provisional is not None:
            levels, decided = {**levels, provisional[0]: provisional[1]}, decided | {provisional[0]}
        middle, guesses = (low + high) // 2, []
        failed = levels.get(low - 1) if low - 1 in decided else None
        for kind, target in self.targets.items():
            if failed is not None and failed.share(kind).mean >= target:
                target = target + failed.share(kind).mean - failed.share(kind).low
            points = sorted((level, result.share(kind).mean) for level, result in levels.items()
                            if level <= high and not math.isnan(result.share(kind).mean))
            below = [point for point in points if point[1] < target and point[0] < high]
            if below:
                a = below[-1]
                above = [point for point in points if point[0] > a[0] and point[1] >= target]
                if not above:
                    return middle
                b = above[0]
            elif len(points) >= 2:
                a, b = points[0], points[1]
            else:
                continue
            if b[1] <= a[1]:
                return middle
            guesses.append(math.floor(a[0] + (target - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) + 0.5))
        return min(max(max(guesses), low), high - 1) if guesses else middle

    def _ahead(self, low: int, high: int, probe: int) -> None:
        """Submit the first replications of the likely next probe on both sides of this one: its
        neighbours (guesses that land well are followed by a level next to them)."""
        for neighbour in (probe - 1, probe + 1):
            if low <= neighbour < high and neighbour not in self.decided:
                self.source.prefetch(self.key(neighbour), self.first_seeds())

    def _wanted(self, inside: range) -> Callable[[Levels], bool]:
        survey = set(self.survey_levels())

        def wanted(levels: Levels) -> bool:
            staffing = dict(levels)
            level = staffing.pop(self.pool, None)
            return staffing != self.fixed or level in inside or level in survey
        return wanted

    def _bisect(self) -> int | None:
        """Between a level that fails (or the bottom of the range) and one that meets: guesses,
        and a plain halving after three guesses in a row moved the same end of the bracket (the
        guesses are not closing in)."""
        low, high = self.low, self.high
        run = []                                  # the sides the latest guesses fell on
        while low < high:
            stuck = len(run) >= 3 and len(set(run[-3:])) == 1
            probe = (low + high) // 2 if stuck else self.guess(low, high)
            run = [] if stuck else run
            # the probe's own first replications are queued before the speculation around it, so a
            # worker free now starts on what the search needs (not on a neighbour it may never visit)
            self.source.prefetch(self.key(probe), self.first_seeds(), NEEDED)
            self._ahead(low, high, probe)

            def after(verdict: str, result: LevelResult, low=low, high=high, probe=probe) -> int | None:
                """The probe the search would try next after this verdict (None: it would stop)."""
                below, above = (low, probe) if verdict == MEETS else (probe + 1, high)
                return self.guess(below, above, (probe, result)) if below < above else None
            meets = self.evaluate(probe, after).meets(self.targets)
            if meets:
                high = probe
            else:
                low = probe + 1
            run.append(meets)
            self.source.cancel_unless(self._wanted(range(low, high + 1)))
        return low

    def spending(self) -> list[dict]:
        """Where this search's replications went: each level, how many, why it was run, and its
        verdict (a surveyed level that was never raced has none)."""
        survey = set(self.survey_levels())
        rows = []
        for level in sorted(self.levels):
            raced = level in self.decided
            why = ("top of the range" if level == self.high else "survey, then raced" if level in survey and raced
                   else "survey (for the plot)" if level in survey else "probe")
            verdict = ("meets" if self.levels[level].meets(self.targets) else "fails") if raced else None
            rows.append({"level": level, "replications": len(self.levels[level].replications), "why": why,
                         "verdict": verdict})
        return rows

    def best_seen(self) -> tuple[int, dict[str, float | None]]:
        """For a miss: the level closest to the targets, and each target's lower bound there
        (None where no deadline of that kind fell due). A level without a share for some target
        (no replications, or none where that kind fell due) is ranked last, never first: its
        mean is NaN, and max(0, target - NaN) would make it look like no shortfall at all."""
        def shortfall(level):   # by the mean share: with few replications the lower bounds can all be 0
            means = [self.levels[level].share(kind).mean for kind in self.targets]
            if not means or any(math.isnan(mean) for mean in means):
                return math.inf
            return sum(max(0.0, target - mean) for target, mean in zip(self.targets.values(), means))
        level = min(self.levels, key=lambda l: (shortfall(l), -l))
        lows = {kind: self.levels[level].share(kind).low for kind in self.targets}
        return level, {kind: None if math.isnan(low) else low for kind, low in lows.items()}

    def analytic_estimate(self) -> float | None:
        """Hours needed / hours one member of the pool has, at the highest level run (the top of
        the range when it was raced): the level below which the work cannot all be done even with
        perfect scheduling."""
        if not self.levels:
            return None
        level = max(self.levels)
        top = self.levels[level]
        if not top.replications:
            return None
        worked = np.mean([r["hours"][self.pool] for r in top.replications])
        available = np.mean([r["available"][self.pool] for r in top.replications]) / level
        return float(worked / available) if available else None


def search_pools(source: Replications, pools: list[str], targets: dict[str, float], ranges: dict[str, tuple[int, int]],
                 replications: int, max_replications: int, survey: int = 0,
                 rounds: int = 3, survey_replications: int = SURVEY_REPLICATIONS) -> dict:
    """Each pool's smallest level with the other searched pools ample (the top of their ranges),
    then the combination checked and, if it falls short, each pool searched again with the others
    at their found levels. Returns the searches, the levels found, and which pool limits which target."""
    needed: dict[str, int | None] = {}
    searches: dict[str, StaffingSearch] = {}
    ample = {pool: ranges[pool][1] for pool in pools}
    for pool in pools:
        search = StaffingSearch(source, pool, targets, *ranges[pool], replications, max_replications,
                                fixed={p: ample[p] for p in pools if p != pool}, survey_points=survey,
                                survey_replications=survey_replications)
        needed[pool] = search.run()
        search.run_answer = needed[pool]
        searches[pool] = search
    binding = {kind: [] for kind in targets}
    for pool, search in searches.items():
        level = needed[pool]
        if level is not None and level > search.low:
            for kind in search.evaluate(level - 1).failing(targets):
                binding[kind].append(pool)
    combined = None
    if len(pools) > 1 and all(v is not None for v in needed.values()):
        for _ in range(rounds):
            combined = StaffingSearch(source, pools[0], targets, needed[pools[0]], needed[pools[0]], replications,
                                      max_replications, fixed={p: needed[p] for p in pools[1:]})
            if combined.evaluate(needed[pools[0]]).meets(targets):
                break
            for pool in pools:
                again = StaffingSearch(source, pool, targets, needed[pool], ranges[pool][1], replications,
                                       max_replications, fixed={p: needed[p] for p in pools if p != pool})
                found = again.run()
                needed[pool] = found if found is not None else ranges[pool][1]
        else:
            combined = None
        moved = {pool for pool in pools if needed[pool] != searches[pool].run_answer}
        if moved:   # a later round raised some levels: judge what limits each target at the final levels
            binding = {kind: [] for kind in targets}
            for pool in pools:
                final = StaffingSearch(source, pool, targets, *ranges[pool], replications, max_replications,
                                       fixed={p: needed[p] for p in pools if p != pool})
                level = needed[pool]
                for probe in ([level - 1] if level > ranges[pool][0] else []) + [level]:
                    searches[pool].levels[probe] = final.evaluate(probe)
                if level > ranges[pool][0]:
                    for kind in searches[pool].levels[level - 1].failing(targets):
                        binding[kind].append(pool)
    return {"needed": needed, "searches": searches, "binding": binding,
            "combination_met": combined is not None or len(pools) == 1}


def other_pools_limit(source: Replications, searched: dict[str, int], unmet: list[str], targets: dict[str, float],
                      current: dict[str, int], replications: int, max_replications: int) -> dict[str, list[str]]:
    """For targets no searched level meets: which unsearched pool, doubled, would meet them."""
    limits: dict[str, list[str]] = {kind: [] for kind in unmet}
    for pool, count in current.items():
        if pool in searched or count == 0:
            continue
        trial = StaffingSearch(source, pool, {kind: targets[kind] for kind in unmet}, 2 * count, 2 * count,
                               replications, max_replications, fixed=dict(searched))
        result = trial.evaluate(2 * count)
        for kind in unmet:
            if kind not in result.failing({kind: targets[kind]}):
                limits[kind].append(pool)
    return limits


def staffing_cost(scenario: Scenario, needed: dict[str, int | None]) -> dict[str, dict]:
    """Current against needed staff for each pool: heads, FTE and (with cost_per_fte) cost a year."""
    table = {}
    for pool in POOLS:
        group = getattr(scenario.staff, pool)
        count = needed.get(pool)
        row = {"current": group.count, "needed": count, "fte_each": group.fte,
               "current_fte": round(group.count * group.fte, 2),
               "needed_fte": round(count * group.fte, 2) if count is not None else None}
        cost = getattr(group, "cost_per_fte", None)
        if cost is not None:
            row["cost_per_fte"] = cost
            row["current_cost"] = round(row["current_fte"] * cost, 2)
            row["needed_cost"] = round(row["needed_fte"] * cost, 2) if count is not None else None
        table[pool] = row
    return table


def ceil_or_none(value: float | None) -> int | None:
    return None if value is None or math.isnan(value) else math.ceil(value)
