"""The engine keeps the cyclic garbage collector off while the clock runs (sim/engine.py run):
that is safe only if a run makes no cyclic garbage, so that finished work is freed by reference
counting and memory does not pile up over a long horizon."""
import gc

import pytest

from cpmodel.model import load_procedure
from cpmodel.sim.engine import Replication
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
