"""The shipped scenarios, cut short, and their summaries: the engine's answers of record.

`python tests/engine_fixture.py` rewrites tests/data/engine_summaries.json from the engine as it
is now; do that only for an intended change of answers, and say so in the commit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpmodel.model import load_procedure  # noqa: E402
from cpmodel.sim.runner import replication_seeds, run_replications  # noqa: E402
from cpmodel.sim.scenario import SCENARIO_FOLDER, load_scenario  # noqa: E402
from cpmodel.sim.stats import summarise  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "data" / "engine_summaries.json"
# England is a hundred counties: a few weeks of it exercise the same engine at scale.
SHORTENED = {"england": {"horizon_years": 0.08, "warm_up_months": 0}}


def shipped_scenarios() -> list[str]:
    return sorted(path.stem for path in SCENARIO_FOLDER.glob("*.yaml"))


def summary_of(name: str, procedure=None) -> dict:
    procedure = procedure or load_procedure()
    plan, _ = load_scenario(SCENARIO_FOLDER / f"{name}.yaml", procedure)
    plan = plan.model_copy(update={"replications": 2} | SHORTENED.get(name, {}))
    if name == "england":
        plan = plan.model_copy(update={"replications": 1})
    results = run_replications(procedure, plan, replication_seeds(plan.seed, plan.replications))
    return json.loads(json.dumps(summarise(results)))


def main() -> None:
    procedure = load_procedure()
    data = {name: summary_of(name, procedure) for name in shipped_scenarios()}
    FIXTURE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
