"""Small, fast variants of the bundled scenarios for tests."""
from __future__ import annotations

from cpmodel.model import load_procedure
from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario

PROCEDURE = load_procedure()


def scenario(name: str = "small-unitary", **changes):
    loaded, _ = load_scenario(SCENARIO_FOLDER / f"{name}.yaml", PROCEDURE)
    defaults = {"horizon_years": 2.0, "warm_up_months": 6, "replications": 3}
    return loaded.model_copy(update=defaults | changes)
