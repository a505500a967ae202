"""How many staff meet the targets: a bisection over staffing levels that spends replications
where the answer is uncertain, runs replications on any executor, and resumes from saved work.

Every replication at every level uses the same seeds (common random numbers), so results do not
depend on how many workers ran them, and levels are compared on the same simulated demand.
"""
from __future__ import annotations

import json
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from model.procedure import Procedure
from sim.engine import run_replication
from sim.runner import replication_seeds
from sim.scenario import Scenario
from sim.stats import confidence_interval

ROLE_POOLS = {"social_worker": "social_workers", "lead_social_worker": "social_workers",
              "conference_chair": "conference_chairs", "independent_reviewing_officer": "conference_chairs",
              "team_manager": "team_managers"}


def at_level(scenario: Scenario, pool: str, level: int) -> Scenario:
    group = getattr(scenario.staff, pool).model_copy(update={"count": level})
    return scenario.model_copy(update={"staff": scenario.staff.model_copy(update={pool: group})})


def compact_replication(procedure: Procedure, scenario: Scenario, pool: str, level: int, seed: int) -> dict:
    """One replication at one level, reduced to what the search and the report need."""
    result = run_replication(procedure, at_level(scenario, pool, level), seed)
    return {
        "level": level, "seed": seed,
        "deadlines": {kind: {"due": len(v), "met": int(np.sum(np.asarray(v) == 0))}
                      for kind, v in result.lateness.items() if v},
        "hours": {p: float(sum(w)) for p, w in result.hours_by_week.items()},
        "available": {p: float(sum(w)) for p, w in result.available_by_week.items()},
        "weeks": len(result.hours_by_week[pool]),
        "backlog": float(np.mean(result.backlog_by_week)) if result.backlog_by_week else 0.0,
        "caseload_mean": float(np.mean(result.caseload_mean_by_week)) if result.caseload_mean_by_week else 0.0,
    }


@dataclass
class LevelResult:
    level: int
    replications: list[dict] = field(default_factory=list)

    def share(self, kind: str):
        return confidence_interval([r["deadlines"][kind]["met"] / r["deadlines"][kind]["due"]
                                    for r in self.replications if kind in r["deadlines"]], bounds=(0, 1))

    def kinds(self) -> list[str]:
        return sorted({k for r in self.replications for k in r["deadlines"]})

    def meets(self, targets: dict[str, float]) -> bool:
        return all(self.share(kind).low >= target for kind, target in targets.items())

    def uncertain(self, targets: dict[str, float]) -> bool:
        return any(self.share(kind).low < target <= self.share(kind).high for kind, target in targets.items())

    def to_json(self, pool: str) -> dict:
        utilisation = confidence_interval([r["hours"][pool] / r["available"][pool] for r in self.replications
                                           if r["available"][pool]], bounds=(0, 1))
        return {"level": self.level, "replications": len(self.replications),
                "compliance": {k: self.share(k).to_json() for k in self.kinds()},
                "utilisation": utilisation.to_json(),
                "hours_per_week": confidence_interval([r["hours"][pool] / max(r["weeks"], 1) for r in self.replications]).to_json(),
                "backlog_overdue_tasks": confidence_interval([r["backlog"] for r in self.replications]).to_json(),
                "caseload_mean": confidence_interval([r["caseload_mean"] for r in self.replications]).to_json()}


class SavedReplications:
    """Finished replications as one small JSON file each, written atomically, so a killed run resumes."""

    def __init__(self, folder: Path, write: Callable[[Path, str], None]):
        self.folder = folder / "replications"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.write = write

    def path(self, level: int, seed: int) -> Path:
        return self.folder / f"level-{level:05d}-seed-{seed}.json"

    def load(self, level: int, seed: int) -> dict | None:
        path = self.path(level, seed)
        return json.loads(path.read_text()) if path.exists() else None

    def save(self, result: dict) -> None:
        self.write(self.path(result["level"], result["seed"]), json.dumps(result, sort_keys=True))


@dataclass
class StaffingSearch:
    procedure: Procedure
    scenario: Scenario
    pool: str
    targets: dict[str, float]
    low: int
    high: int
    replications: int
    max_replications: int
    saved: SavedReplications
    executor: Executor | None = None
    progress: Callable[[str], None] = lambda message: None
    levels: dict[int, LevelResult] = field(default_factory=dict)

    def seeds(self) -> list[int]:
        return replication_seeds(self.scenario.seed, self.max_replications)

    def evaluate(self, level: int) -> LevelResult:
        """Replications at a level: the initial batch, more while a target sits inside the interval."""
        result = self.levels.setdefault(level, LevelResult(level))
        count = self.replications
        seeds = self.seeds()
        while True:
            self._run(result, seeds[:count])
            if count >= self.max_replications or not result.uncertain(self.targets):
                return result
            count = min(count * 2, self.max_replications)

    def _run(self, result: LevelResult, seeds: list[int]) -> None:
        done = {r["seed"] for r in result.replications}
        missing = []
        for seed in seeds:
            if seed in done:
                continue
            saved = self.saved.load(result.level, seed)
            if saved is not None:
                result.replications.append(saved)
            else:
                missing.append(seed)
        if self.executor is None:
            finished = (compact_replication(self.procedure, self.scenario, self.pool, result.level, s) for s in missing)
        else:
            futures = [self.executor.submit(compact_replication, self.procedure, self.scenario, self.pool,
                                            result.level, s) for s in missing]
            finished = (f.result() for f in futures)
        for replication in finished:
            self.saved.save(replication)
            result.replications.append(replication)
            self.progress(f"level {result.level}: replication {len(result.replications)}")
        order = {s: i for i, s in enumerate(self.seeds())}
        result.replications.sort(key=lambda r: order.get(r["seed"], 0))

    def survey(self, points: int) -> None:
        """A few levels spread over the range (initial replications only), so the plot shows the
        whole curve and not just where the bisection went."""
        if points <= 0:
            return
        step = (self.high - self.low) / (points + 1)
        for index in range(1, points + 1):
            level = int(round(self.low + index * step))
            self._run(self.levels.setdefault(level, LevelResult(level)), self.seeds()[:self.replications])

    def run(self) -> int | None:
        """The smallest level in [low, high] meeting every target, or None."""
        if not self.evaluate(self.high).meets(self.targets):
            return None
        low, high = self.low, self.high
        while low < high:
            middle = (low + high) // 2
            if self.evaluate(middle).meets(self.targets):
                high = middle
            else:
                low = middle + 1
        return low

    def best_seen(self) -> tuple[int, dict[str, float]]:
        """For a miss: the level closest to the targets, and each target's lower bound there."""
        def shortfall(level):   # by the mean share: with few replications the lower bounds can all be 0
            return sum(max(0.0, target - self.levels[level].share(kind).mean) for kind, target in self.targets.items())
        level = min(self.levels, key=lambda l: (shortfall(l), -l))
        return level, {kind: self.levels[level].share(kind).low for kind in self.targets}
