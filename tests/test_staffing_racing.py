"""Racing in the staffing search: a level stops as soon as its interval is clear of the target, the
stated 95% stays true although every replication is a look, and the search that places its probes
by the survey finds the same level as a level-by-level scan, with fewer levels visited."""
import json
import math
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from cpmodel.sim import staffing
from cpmodel.sim.racing import FAILS, MEETS, MORE, SequentialRule
from cpmodel.sim.runner import replication_seeds
from cpmodel.sim.stats import confidence_interval

SEED = 20261123
POOL = "social_workers"


class Unsaved:
    def load(self, levels, seed):
        return None

    def save(self, result):
        pass


class World:
    """Stands in for the simulation: the share of visits met at a level and seed is given by
    `share(level, index)` (index: the seed's place in the replication order); counts each run."""

    def __init__(self, share):
        self.share = share
        self.index = {seed: index for index, seed in enumerate(replication_seeds(SEED, 200))}
        self.runs = []

    def __call__(self, procedure, scenario, levels, seed):
        level = dict(levels)[POOL]
        self.runs.append((level, seed))
        due = 1_000_000
        met = int(round(min(max(self.share(level, self.index[seed]), 0.0), 1.0) * due))
        return ({"levels": dict(levels), "seed": seed, "deadlines": {"visits": {"due": due, "met": met}},
                 "hours": {POOL: 1.0}, "available": {POOL: 2.0}, "weeks": 1, "backlog": 0.0, "caseload_mean": 0.0},
                0.0, 1)


def source(world, monkeypatch, executor=None, slots=1):
    monkeypatch.setattr(staffing, "timed_replication", world)
    return staffing.Replications(None, SimpleNamespace(seed=SEED), Unsaved(), executor, slots=slots)


def search(replications, low, high, target=0.95, first=5, most=20, survey=0, survey_replications=3):
    return staffing.StaffingSearch(replications, POOL, {"visits": target}, low, high, first, most, survey_points=survey,
                                   survey_replications=survey_replications)


def first_clear_look(shares, target, rule):
    """Worked out here from the definition: the first n (from rule.first) where the t statistic of
    the first n shares reaches the rule's critical value, or the last look."""
    for n in range(rule.first, rule.most + 1):
        data = np.asarray(shares[:n])
        t = (data.mean() - target) / (data.std(ddof=1) / math.sqrt(n))
        if abs(t) >= rule.critical(n):
            return n
    return rule.most


def test_a_raced_level_stops_at_the_first_replication_where_its_interval_clears_the_target(monkeypatch):
    noise = np.random.default_rng(5).standard_normal(20)
    shares = list(0.958 + 0.006 * noise)
    expected = first_clear_look(shares, 0.95, SequentialRule(5, 20))
    assert 5 < expected < 20          # the data are chosen so the race stops neither at once nor at the end
    world = World(lambda level, index: shares[index])
    result = search(source(world, monkeypatch), 10, 10).evaluate(10)
    assert len(result.replications) == expected and len(world.runs) == expected   # run one at a time, none wasted
    assert result.meets({"visits": 0.95}) and result.share("visits").low >= 0.95


def test_a_level_far_from_the_target_needs_fewer_replications_than_one_near_it(monkeypatch):
    noise = np.random.default_rng(11).standard_normal(200)
    world = World(lambda level, index: {10: 0.990, 11: 0.954, 12: 0.900}[level] + 0.004 * noise[index])
    replications = source(world, monkeypatch)
    far_above, near, far_below = (len(search(replications, level, level).evaluate(level).replications)
                                  for level in (10, 11, 12))
    assert far_above == 5 and far_below == 5       # clear at the first look
    assert near > 5


def test_a_level_whose_mean_sits_on_the_target_goes_to_the_most_replications_and_does_not_meet(monkeypatch):
    noise = np.random.default_rng(3).standard_normal(200)
    world = World(lambda level, index: 0.95 + 0.004 * noise[index])
    result = search(source(world, monkeypatch), 10, 10).evaluate(10)
    assert len(result.replications) == 20 and not result.meets({"visits": 0.95})


def test_looking_after_every_replication_keeps_the_stated_95_percent():
    # Replications whose true mean is exactly the target: a verdict either way is wrong. Corrected,
    # about 5% of races end wrongly (half of them 'meets'); ordinary 95% intervals looked at after
    # every replication would be wrong about three times as often. (Fresh draws, not the ones the
    # rule's constant was fitted on.)
    rule = SequentialRule(5, 20)
    values = 0.95 + 0.01 * np.random.default_rng(99).standard_normal((40_000, 20))
    looks = np.arange(5, 21)
    mean = np.stack([values[:, :n].mean(axis=1) for n in looks], axis=1)
    error = np.stack([values[:, :n].std(axis=1, ddof=1) / math.sqrt(n) for n in looks], axis=1)
    corrected = np.array([rule.critical(n) for n in looks]) * error
    ordinary = stats.t.ppf(0.975, looks - 1) * error
    crossed = (mean - corrected >= 0.95) | (mean + corrected < 0.95)
    first = np.where(crossed.any(axis=1), crossed.argmax(axis=1), -1)
    wrong_meets = np.mean([first_look >= 0 and mean[row, first_look] > 0.95 for row, first_look in enumerate(first)])
    assert 0.04 <= crossed.any(axis=1).mean() <= 0.06
    assert wrong_meets <= 0.032
    assert ((mean - ordinary >= 0.95) | (mean + ordinary < 0.95)).any(axis=1).mean() > 0.12
    for row in range(200):                  # the race itself stops where the arrays say it does
        stop = next((n for n in looks if rule.verdict({"visits": rule.interval(values[row, :n])}, {"visits": 0.95}, n)
                     != MORE), None)
        assert stop == (looks[first[row]] if first[row] >= 0 else 20)


def test_with_a_single_look_the_interval_is_the_ordinary_t_interval():
    values = [0.91, 0.95, 0.93, 0.96, 0.94]
    interval, ordinary = SequentialRule(5, 5).interval(values), confidence_interval(values, bounds=(0, 1))
    assert interval.low == pytest.approx(ordinary.low) and interval.high == pytest.approx(ordinary.high)
    assert SequentialRule(5, 20).critical(20) > stats.t.ppf(0.975, 19)   # the price of looking 16 times
    assert SequentialRule(5, 20).critical(5) > SequentialRule(5, 20).critical(20)


def test_the_verdict_needs_every_target_clear_and_fails_on_any_target_wholly_below():
    rule = SequentialRule(5, 20)
    above, inside, below = (rule.interval(np.full(5, mean) + [0, .001, -.001, .002, -.002]) for mean in (.99, .95, .80))
    targets = {"visits": 0.95, "reviews": 0.95}
    assert rule.verdict({"visits": above, "reviews": above}, targets, 5) == MEETS
    assert rule.verdict({"visits": above, "reviews": inside}, targets, 5) == MORE
    assert rule.verdict({"visits": inside, "reviews": below}, targets, 5) == FAILS     # no need to race on
    assert rule.verdict({"visits": above, "reviews": inside}, targets, 20) == FAILS    # out of replications


def scan(replications, low, high, target):
    """Every level raced: which meet."""
    return {level: search(replications, level, level, target).evaluate(level).meets({"visits": target})
            for level in range(low, high + 1)}


def halving(meets, low, high):
    """The levels plain halving races (the top, then each middle), and its answer."""
    visited = [high]
    while low < high:
        middle = (low + high) // 2
        visited.append(middle)
        low, high = (low, middle) if meets[middle] else (middle + 1, high)
    return visited, low


@pytest.mark.parametrize("target", [0.93, 0.95, 0.97, 0.985])
def test_the_search_finds_the_level_a_scan_of_every_level_finds_and_races_fewer_levels_than_halving(
        monkeypatch, target):
    noise = np.random.default_rng(21).standard_normal(200)
    curve = lambda level: 0.99 - 0.5 * math.exp(-level / 9)             # a concave, rising curve
    world = World(lambda level, index: curve(level) + 0.004 * noise[index])
    replications = source(world, monkeypatch)
    found = search(replications, 15, 80, target, survey=4)             # survey levels 28, 41, 54, 67
    answer = found.run()
    meets = scan(replications, 15, 80, target)
    assert answer == min(level for level, met in meets.items() if met)
    halved, halving_answer = halving(meets, 15, 80)
    assert halving_answer == answer
    if target < 0.985:
        assert len(found.decided) < len(halved)
    else:   # the curve is flat near 0.985: levels whose mean is above it still fail, and the search halves
        assert len(found.decided) <= len(halved) + 2


def test_the_search_says_none_when_the_top_of_the_range_falls_short(monkeypatch):
    world = World(lambda level, index: 0.80 + 0.001 * level + 0.002 * math.sin(index))
    found = search(source(world, monkeypatch), 10, 40, 0.95, survey=3)
    assert found.run() is None and len(found.levels) == 4     # the top and the survey, for the plot


def test_two_workers_race_the_same_replications_to_the_same_answer(monkeypatch):
    noise = np.random.default_rng(8).standard_normal(200)
    world = World(lambda level, index: 0.99 - 0.5 * math.exp(-level / 9) + 0.004 * noise[index])
    serial = search(source(world, monkeypatch), 15, 80, survey=4)
    answer = serial.run()
    with ThreadPoolExecutor(2) as executor:
        parallel_source = source(World(world.share), monkeypatch, executor, slots=2)
        parallel = search(parallel_source, 15, 80, survey=4)
        assert parallel.run() == answer
        parallel_source.finish()
    assert {level: [r["seed"] for r in result.replications] for level, result in parallel.levels.items()} == \
        {level: [r["seed"] for r in result.replications] for level, result in serial.levels.items()}


def test_the_first_guess_is_where_the_surveyed_shares_cross_the_target(monkeypatch):
    world = World(lambda level, index: {20: 0.90, 30: 0.94, 40: 0.98}.get(level, 0.5) + 0.001 * (index % 3))
    found = search(source(world, monkeypatch), 10, 50, 0.95, survey=3)     # survey levels 20, 30, 40
    assert found.survey_levels() == [20, 30, 40]
    found.survey()
    assert found.guess(10, 50) == 32        # 30 + (0.95 - 0.941) / (0.981 - 0.941) * 10 = 32.25: the nearest level
    assert found.guess(33, 50) == 33        # kept inside the bracket
    assert found.guess(10, 31) == 20        # no share seen at or above the target below 31: the middle


def test_the_run_folder_says_where_the_replications_went_and_how_the_intervals_were_made(tmp_path):
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from cpmodel.cli import app
    fast = Path(__file__).resolve().parent / "data" / "fast-unitary.yaml"
    result = CliRunner().invoke(app, ["staff", str(fast), "--target", "visits=0.9", "--range", "10:16", "-n", "3",
                                      "--max-replications", "6", "--survey", "1", "--out", str(tmp_path / "run"), "--json"])
    assert result.exit_code in (0, 1), result.output
    answer = json.loads((tmp_path / "run" / "staffing.json").read_text())
    spent = json.loads((tmp_path / "run" / "search.json").read_text())
    rows = {row["level"]: row for row in spent["levels"]["social_worker"]}
    assert {level["level"]: level["replications"] for level in answer["levels"]} == \
        {level: row["replications"] for level, row in rows.items()}
    assert spent["replications_at_levels_reported"] == sum(row["replications"] for row in rows.values())
    assert rows[13]["why"].startswith("survey")
    # the top of the range is raced only when its verdict matters (the survey level met below it)
    assert 16 not in rows or rows[16]["why"] == "top of the range"
    level = answer["level"]
    assert level is not None and rows[level]["verdict"] == "meets"
    assert level == 10 or rows[level - 1]["verdict"] == "fails"
    assert "group-sequential" in answer["confidence_intervals"]["method"]
    assert answer["confidence_intervals"]["first_look"] == 3 and answer["confidence_intervals"]["last_look"] == 6


@pytest.mark.parametrize("target", [0.93, 0.95, 0.97])
def test_a_survey_of_three_replications_a_level_gives_the_same_verdicts_and_answer_for_less_work(monkeypatch, target):
    # The survey decides nothing: a raced level's verdict rests on its own replications in seed
    # order under the same rule, so surveying with 3 replications instead of the race's first 5
    # changes what the plot shows at the survey levels and where probes go, never a verdict.
    noise = np.random.default_rng(21).standard_normal(200)
    world = World(lambda level, index: 0.99 - 0.5 * math.exp(-level / 9) + 0.004 * noise[index])
    lean = search(source(world, monkeypatch), 15, 80, target, survey=4, survey_replications=3)
    full_world = World(world.share)
    full = search(source(full_world, monkeypatch), 15, 80, target, survey=4, survey_replications=5)
    assert lean.run() == full.run()
    for level in lean.survey_levels():
        if level not in lean.decided:
            assert len(lean.levels[level].replications) == 3
    for level in lean.decided & full.decided:
        assert lean.levels[level].meets({"visits": target}) == full.levels[level].meets({"visits": target})
        assert len(lean.levels[level].replications) == len(full.levels[level].replications)
    assert len(world.runs) < len(full_world.runs)


def test_survey_replications_are_never_more_than_a_race_starts_with(monkeypatch):
    world = World(lambda level, index: 0.9 + 0.001 * level)
    found = search(source(world, monkeypatch), 10, 50, 0.95, first=3, survey=3, survey_replications=8)
    assert found.survey_seeds() == found.first_seeds()
    assert search(source(world, monkeypatch), 10, 50, first=5, survey_replications=1).survey_seeds() == found.seeds()[:2]


def test_the_shipped_boundary_constants_are_the_fitted_ones():
    """The table saves the half-second fit at every `staff` start; it must hold what the fit gives
    (with another numpy than the one that wrote it, it is not used, and the fit runs instead)."""
    from cpmodel.sim import racing
    for look in racing.SHIPPED_LOOKS:
        fitted = racing.fitted_constant(*look)
        shipped = racing.shipped_constant(*look)
        assert shipped in (fitted, None)
        assert racing.boundary_constant.__wrapped__(*look) == fitted
    assert racing.shipped_constant(*racing.SHIPPED_LOOKS[0]) is not None, \
        "sim/boundary_constants.json was written with another numpy: run python -m cpmodel.sim.racing"


def test_a_table_is_used_only_for_the_numpy_and_draws_that_wrote_it(tmp_path, monkeypatch):
    from cpmodel.sim import racing
    table = tmp_path / "constants.json"
    racing.write_table(table, looks=((3, 6, 0.95),))
    assert racing.shipped_constant(3, 6, 0.95, table) == racing.fitted_constant(3, 6, 0.95)
    assert racing.shipped_constant(3, 7, 0.95, table) is None            # looks not in the table
    data = json.loads(table.read_text())
    for change in ({"numpy": "0.0.1"}, {"draws": 10}, {"seed": 1}, {"constants": {"3:6:0.95": "x"}}):
        table.write_text(json.dumps(data | change))
        assert racing.shipped_constant(3, 6, 0.95, table) is None
    table.write_text("{not json")
    assert racing.shipped_constant(3, 6, 0.95, table) is None
    # the shipped table's value is what boundary_constant gives, without fitting
    monkeypatch.setattr(racing, "fitted_constant", lambda *look: pytest.fail("fitted although shipped"))
    look = racing.SHIPPED_LOOKS[0]
    assert racing.boundary_constant.__wrapped__(*look) == racing.shipped_constant(*look)


def test_the_t_quantile_is_scipy_stats_own():
    """confidence_interval uses scipy.special.stdtrit (scipy.stats is slow to import): the same numbers."""
    for df in (1, 2, 4, 9, 19, 49, 199):
        for level in (0.9, 0.95, 0.99):
            values = np.linspace(0.8, 0.9, df + 1)
            interval = confidence_interval(values, level)
            half = stats.t.ppf((1 + level) / 2, df) * values.std(ddof=1) / math.sqrt(df + 1)
            assert interval.high - interval.mean == pytest.approx(half, rel=1e-12)


def test_the_likely_verdict_needs_a_standard_deviation_of_room():
    rule = SequentialRule(5, 20)
    spread = np.array([0.0, 0.004, -0.004, 0.002, -0.002, 0.001])
    targets = {"visits": 0.95}
    assert rule.likely_verdict({"visits": list(0.99 + spread)}, targets, 7) == MEETS
    assert rule.likely_verdict({"visits": list(0.80 + spread)}, targets, 7) == FAILS
    assert rule.likely_verdict({"visits": list(0.951 + spread)}, targets, 7) == MORE     # could go either way
    assert rule.likely_verdict({"visits": list(0.951 + spread)}, targets, 20) == FAILS   # the last look: not clear is a fail
    assert rule.likely_verdict({"visits": [0.99]}, targets, 2) == MORE                   # one value: no spread to judge by
    assert rule.likely_verdict({"visits": list(0.99 + spread), "reviews": list(0.951 + spread)},
                               {"visits": 0.95, "reviews": 0.95}, 7) == MORE            # every target must be clear


class Recording:
    """A synchronous stand-in for Replications that records what the search asks it for."""

    def __init__(self, world):
        self.world, self.calls, self.slots = world, [], 2
        self.scenario = SimpleNamespace(seed=SEED)

    def prefetch(self, levels, seeds, urgency=staffing.AHEAD):
        self.calls.append(("prefetch", dict(levels)[POOL], len(seeds), urgency))

    def drop(self, levels, seeds):
        self.calls.append(("drop", dict(levels)[POOL], len(seeds)))

    def get(self, levels, seeds):
        return [self.world(None, None, levels, seed)[0] for seed in seeds]


def test_when_a_look_will_likely_decide_a_free_worker_starts_the_next_probe(monkeypatch):
    """Far above the target with a wide spread: the level needs several looks, and before the
    look that decides it the speculation goes to the probe the search would try next; the
    verdict and the replications it rests on are those of the race without speculation."""
    noise = np.random.default_rng(4).standard_normal(200)
    world = World(lambda level, index: 0.975 + 0.012 * noise[index])     # decided at the 7th look, and foreseen
    plain = search(Recording(world), 1, 40)
    alone = plain.evaluate(30)
    recording = Recording(world)
    speculating = search(recording, 1, 40)
    result = speculating.evaluate(30, lambda verdict, so_far: 29 if verdict == MEETS else 31)
    assert [r["seed"] for r in result.replications] == [r["seed"] for r in alone.replications]
    assert result.meets({"visits": 0.95}) == alone.meets({"visits": 0.95})
    looks = len(alone.replications)
    assert looks == 7
    ahead = [call for call in recording.calls if call[0] == "prefetch" and call[1] != 30]
    assert ahead and ahead[-1] == ("prefetch", 29, 5, staffing.RACE)   # the next probe below, its first look's worth
    assert recording.calls[recording.calls.index(ahead[-1]) - 1] == ("drop", 30, 20 - looks)  # its own race ahead dropped
    # the race's own speculation stops at the look foreseen to decide
    last_own = [call for call in recording.calls if call[0] == "prefetch" and call[1] == 30][-1]
    assert recording.calls.index(last_own) < recording.calls.index(ahead[-1])


def test_the_top_of_the_range_is_not_raced_when_a_level_below_it_meets(monkeypatch):
    noise = np.random.default_rng(21).standard_normal(200)
    world = World(lambda level, index: 0.99 - 0.5 * math.exp(-level / 9) + 0.004 * noise[index])
    replications = source(world, monkeypatch)
    found = search(replications, 15, 80, 0.95, survey=4)
    answer = found.run()
    assert 80 not in {level for level, _ in world.runs} and 80 not in found.levels
    assert answer == min(level for level, met in scan(replications, 15, 80, 0.95).items() if met)
    assert found.analytic_estimate() == pytest.approx(max(found.levels) * 0.5)   # hours 1 of 2 a head, at 67


def test_the_top_of_the_range_is_raced_last_when_every_level_below_it_fails(monkeypatch):
    # a survey level looks as if it meets (its mean is above the target) but the race says it
    # fails, and so does every level up to the top, which alone meets: the answer is the top
    world = World(lambda level, index: (0.99 if level == 40 else 0.951 if level >= 30 else 0.5) + 0.02 * math.sin(index))
    found = search(source(world, monkeypatch), 10, 40, 0.95, survey=2)     # survey levels 20, 30
    assert found.run() == 40 and 40 in found.decided
    assert all(not found.levels[level].meets({"visits": 0.95}) for level in found.decided if level < 40)


def test_the_top_of_the_range_fails_last_when_nothing_meets(monkeypatch):
    world = World(lambda level, index: (0.951 if level >= 30 else 0.5) + 0.02 * math.sin(index))
    found = search(source(world, monkeypatch), 10, 40, 0.95, survey=2)
    assert found.run() is None and 40 in found.decided and not found.levels[40].meets({"visits": 0.95})


def test_with_no_survey_the_top_of_the_range_is_raced_first(monkeypatch):
    world = World(lambda level, index: 0.9 + 0.002 * level + 0.001 * math.sin(index))
    found = search(source(world, monkeypatch), 10, 40, 0.95)
    found.run()
    assert world.runs[0][0] == 40


def test_the_first_probe_run_ahead_is_placed_by_the_last_survey_levels_first_replication():
    # survey levels 20, 30, 40 of [10, 50]; the shares cross 0.95 between 30 and 40, which only
    # the last level shows: placed by 20 and 30 alone, the probe run ahead was the middle (30),
    # as on the county (47, where the search went to 55)
    world = World(lambda level, index: {20: 0.90, 30: 0.94, 40: 0.98}.get(level, 0.5) + 0.001 * (index % 3))
    recording = Recording(world)
    recording.executor = object()          # several workers: there is a free one to run ahead
    found = search(recording, 10, 50, 0.95, survey=3)
    found.survey()
    ahead = [call for call in recording.calls if call[0] == "prefetch" and call[3] == staffing.AHEAD]
    assert found.guess(10, 50) == 32
    assert ahead == [("prefetch", 32, 5, staffing.AHEAD)]


def test_survey_replications_above_the_first_look_are_cut_and_the_user_is_told(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from cpmodel.cli import app
    fast = Path(__file__).resolve().parent / "data" / "fast-unitary.yaml"
    result = CliRunner().invoke(app, ["staff", str(fast), "--target", "visits=0.9", "--range", "10:16", "-n", "3",
                                      "--max-replications", "4", "--survey", "1", "--survey-replications", "8",
                                      "--out", str(tmp_path / "run"), "--json"])
    assert result.exit_code in (0, 1), result.output
    told = " ".join(result.stderr.split())
    assert "--survey-replications 8 is more than --replications 3; each survey level gets 3" in told
    rows = {row["level"]: row for row in json.loads((tmp_path / "run" / "search.json").read_text())["levels"]["social_worker"]}
    assert rows[13]["replications"] >= 3 and (rows[13]["verdict"] is not None or rows[13]["replications"] == 3)
