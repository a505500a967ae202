"""The `cpmodel` command. Exit codes: 0 fine, 1 the check found errors or a target was missed,
2 bad input or usage (a message naming file, line and field; never a traceback)."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from model.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Formal model and simulation of the procedure for Child Protection Plans in England.")
console = Console()
errors = Console(stderr=True)

ProcedureOption = typer.Option(None, "--procedure", "-p", help="Procedure YAML (default: the bundled model).")


def user_errors(command):
    """Turn InputError into a one-line message and exit code 2."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None
    return wrapper


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


@app.command()
@user_errors
def graph(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
          out: Path = typer.Option(Path("graph"), "--out", help="Folder for the drawings (a new one if it has files).")):
    """Draw the procedure's state graph: PNG, DOT, GraphML and Mermaid."""
    from cpmodel.atomic import new_run_folder
    from cpmodel.draw_graph import write_all
    from model import load_procedure
    from model.graph import dead_ends, unreachable_states

    loaded = load_procedure(procedure)
    folder = new_run_folder(out, "graph")
    for path in write_all(loaded, folder):
        console.print(f"wrote {path}")
    for state in unreachable_states(loaded):
        errors.print(f"warning: state {state!r} cannot be reached from the start")
    for state in dead_ends(loaded):
        errors.print(f"warning: state {state!r} is a dead end")


@app.command()
@user_errors
def export(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
           as_json: bool = typer.Option(True, "--json/--summary", help="Print the normalized model as JSON.")):
    """Print the normalized model (the stable JSON contract in the README)."""
    from model import load_procedure
    from model.export import export_model

    data = export_model(load_procedure(procedure))
    if as_json:
        print_json(data)
    else:
        for key in ("states", "transitions", "rules", "deadlines", "roles", "facts"):
            console.print(f"{key}: {len(data[key])}")


@app.command()
@user_errors
def check(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
          as_json: bool = typer.Option(False, "--json", help="Print findings as JSON (schema in README)."),
          strict: bool = typer.Option(False, "--strict", help="Unacknowledged warnings fail too."),
          timeout_ms: int = typer.Option(10_000, "--timeout-ms", min=1, help="Z3 time limit per query.")):
    """Prove the procedure consistent, or show where it is not. Exit 1 when errors are found."""
    from cpmodel.render_findings import print_report
    from model import load_procedure
    from proofs import run_checks

    report = run_checks(load_procedure(procedure), timeout_ms)
    if as_json:
        print_json(report.to_json())
    else:
        print_report(console, report, strict)
    raise typer.Exit(1 if report.failed(strict) else 0)


@app.command()
@user_errors
def diff(old: Path = typer.Argument(..., help="The procedure before the revision."),
         new: Path = typer.Argument(..., help="The revised procedure."),
         as_json: bool = typer.Option(False, "--json", help="Print the differences as JSON.")):
    """What a revision changes: findings added and removed; rules, transitions, deadlines changed."""
    from cpmodel.render_findings import print_diff
    from model import load_procedure
    from proofs import run_checks
    from proofs.diff import diff_procedures

    before, after = load_procedure(old), load_procedure(new)
    result = diff_procedures(before, after, run_checks(before), run_checks(after))
    if as_json:
        print_json(result.to_json())
    else:
        print_diff(console, result)


@app.command()
@user_errors
def simulate(scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (default: scenarios/county.yaml)."),
             procedure: Optional[Path] = ProcedureOption,
             replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1, help="Override the scenario."),
             seed: Optional[int] = typer.Option(None, "--seed", min=0, help="Override the scenario's seed."),
             out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default: a new one under runs/)."),
             as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON.")):
    """Simulate workload and deadline pressure for a caseload; write a run folder."""
    from rich.progress import Progress

    from cpmodel.atomic import new_run_folder
    from cpmodel.simulation_report import manifest, write_run
    from model import load_procedure
    from sim.runner import replication_seeds, run_replications
    from sim.scenario import load_scenario
    from sim.stats import summarise

    loaded = load_procedure(procedure)
    plan, digest = load_scenario(scenario, loaded)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    plan = plan.model_copy(update=updates)
    seeds = replication_seeds(plan.seed, plan.replications)
    with Progress(console=errors, transient=True, disable=as_json) as progress:
        bar = progress.add_task(f"{plan.name}: replications", total=len(seeds))
        results = run_replications(loaded, plan, seeds, progress=lambda _r: progress.advance(bar))
    summary = {"scenario": plan.name, "seed": plan.seed, "replications": len(seeds),
               "horizon_years": plan.horizon_years, "warm_up_months": plan.warm_up_months} | summarise(results)
    folder = new_run_folder(out, "simulate")
    write_run(folder, summary, results, manifest(plan, digest, loaded, seeds, sys.argv))
    if as_json:
        print_json(summary | {"run_folder": str(folder)})
        return
    from cpmodel.render_simulation import print_summary
    print_summary(console, summary, folder)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
