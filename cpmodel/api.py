"""A small Python API for notebooks: each function takes paths or names, and returns plain data
(dicts and lists, the same shapes as the commands' --json), so a notebook never depends on the
tool's internal classes.

    from cpmodel import api
    procedure = api.load()                       # the bundled procedure (or a path)
    api.check(procedure)["findings"][0]["message"]
    api.simulate("small-unitary", replications=3)["deadlines"]["visits"]["met_share"]
    api.audit("events.csv", standards="example-authority")["totals"]
    api.pathway("late-first-core-group")["breaches"]
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from cpmodel.model import Procedure, load_procedure


def load(path: str | Path | None = None) -> Procedure:
    """The validated procedure (the bundled one when no path is given)."""
    return load_procedure(path)


def _procedure(procedure) -> Procedure:
    return procedure if isinstance(procedure, Procedure) else load_procedure(procedure)


def check(procedure=None) -> dict:
    """What `cpmodel check --json` prints: every finding, with witness, citations, acknowledgement."""
    from cpmodel.proofs.report import run_checks

    return run_checks(_procedure(procedure)).to_json()


def simulate(scenario: str | Path | None = None, procedure=None, replications: int | None = None,
             seed: int | None = None) -> dict:
    """The simulation summary (deadlines met with 95% intervals, hours, utilisation, caseload)."""
    from cpmodel.sim.runner import replication_seeds, run_replications
    from cpmodel.sim.scenario import load_scenario
    from cpmodel.sim.stats import summarise

    loaded = _procedure(procedure)
    plan, _ = load_scenario(scenario, loaded)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    plan = plan.model_copy(update=updates) if updates else plan
    results = run_replications(loaded, plan, replication_seeds(plan.seed, plan.replications))
    return summarise(results)


def audit(events: str | Path, procedure=None, standards: str | Path | None = None,
          until: dt.date | None = None) -> dict:
    """What `cpmodel audit --json` prints for an event log."""
    from cpmodel.model.audit import audit_log
    from cpmodel.model.standards import load_standards

    loaded = _procedure(procedure)
    checked = load_standards(standards, loaded) if standards is not None else None
    return audit_log(Path(events), loaded, until, checked).to_json()


def pathway(name: str | Path, procedure=None, standards: str | Path | None = None) -> dict:
    """A training pathway walked step by step, as `cpmodel pathway NAME --json`."""
    from cpmodel.model.pathways import load_pathway, walk_pathway
    from cpmodel.model.standards import load_standards

    loaded = _procedure(procedure)
    pathway_file, steps = load_pathway(str(name), loaded)
    checked = load_standards(standards, loaded) if standards is not None else None
    walker, end = walk_pathway(loaded, pathway_file, steps, checked)
    return {"name": pathway_file.name, "steps": [r.to_json() for r in walker.reports],
            "breaches": [b.to_json() for r in walker.reports for b in r.breaches] + [b.to_json() for b in end],
            "advice_not_followed": [b.to_json() for r in walker.reports for b in r.advice]
            + [b.to_json() for b in walker.end_advice]}
