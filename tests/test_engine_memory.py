"""The engine keeps the cyclic garbage collector off while the clock runs (sim/engine.py run):
that is safe only if a run makes no cyclic garbage, so that finished work is freed by reference
counting and memory does not pile up over a long horizon."""
import gc

import pytest

from cpmodel.model import load_procedure
from cpmodel.sim.engine import Replication, run_replication
from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario


@pytest.mark.parametrize("name", ["county", "small-unitary"])
def test_a_run_leaves_no_cyclic_garbage(name):
    procedure = load_procedure()
    scenario, _ = load_scenario(SCENARIO_FOLDER / f"{name}.yaml", procedure)
    scenario = scenario.model_copy(update={"horizon_years": 1.5})
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()            # what earlier work left; the run itself does not collect first
    try:
        replication = Replication(procedure, scenario, 1)
        result = replication.run()
        assert result.tasks_done > 1000
        # The replication and its result are still referenced: anything unreachable now is
        # garbage the run made in cycles, which only the collector (kept off) would free.
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def _a_short_small_unitary():
    """The procedure and a year of the small unitary, with the collector on and nothing left to find."""
    procedure = load_procedure()
    scenario, _ = load_scenario(SCENARIO_FOLDER / "small-unitary.yaml", procedure)
    assert gc.isenabled()
    gc.collect()
    return procedure, scenario.model_copy(update={"horizon_years": 1.0, "warm_up_months": 0})


def test_replications_one_after_another_leave_nothing_behind():
    # A finished replication is a web of cycles that only the collector frees; with the collector
    # off during every run and each run freezing what the last left, each county replication left
    # about 10 MB that no collection ever came for (the county's staffing search peaked at 691 MB).
    procedure, scenario = _a_short_small_unitary()
    before = len(gc.get_objects())
    results = [run_replication(procedure, scenario, seed) for seed in (1, 2, 3)]
    assert all(result.tasks_done > 1000 for result in results)
    # the three results are about 700 objects; each run's own web, left behind, was about 2,000
    assert len(gc.get_objects()) - before < 1_500
    assert gc.collect() < 50                            # nothing left for the collector to find
    assert gc.isenabled()


def test_replications_in_threads_at_once_leave_nothing_behind_and_the_collector_as_found():
    # A Dask worker runs replications in several threads: the collector's state is the process's,
    # so a run that ended while another still held it must still free its own web of cycles.
    from concurrent.futures import ThreadPoolExecutor
    procedure, scenario = _a_short_small_unitary()
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda seed: run_replication(procedure, scenario, seed), range(1, 7)))
    assert all(result.tasks_done > 1000 for result in results)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.collect() < 50
