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
    """What a revision changes: findings added, changed and gone; rules, transitions, deadlines changed.
    Exit 1 when the revision adds an unacknowledged error."""
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
    raise typer.Exit(1 if result.adds_errors else 0)


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


def _parse_targets(texts: list[str], known: set[str]) -> dict[str, float]:
    targets = {}
    for text in texts:
        kind, _, value = text.partition("=")
        try:
            share = float(value)
        except ValueError:
            raise InputError("--target", None, text, "write a target as KIND=SHARE, e.g. visits=0.95") from None
        if kind not in known:
            from model.loader import suggestion
            raise InputError("--target", None, text, f"unknown deadline kind {kind!r}{suggestion(kind, known)}; "
                             f"kinds simulated here: {', '.join(sorted(known))}")
        if not 0 < share <= 1:
            raise InputError("--target", None, text, f"a target is a share in (0, 1], not {share:g}")
        targets[kind] = share
    if not targets:
        raise InputError("--target", None, "", "give at least one target, e.g. --target visits=0.95")
    return targets


def _parse_range(text: Optional[str], current: int) -> tuple[int, int]:
    if text is None:
        return max(1, current // 2), max(current * 2, current + 1)
    low, sep, high = text.partition(":")
    try:
        low_level, high_level = int(low), int(high)
    except ValueError:
        raise InputError("--range", None, text, "write the range as LOW:HIGH, e.g. 20:80") from None
    if not sep or low_level < 1 or high_level <= low_level:
        raise InputError("--range", None, text, "the range must be LOW:HIGH with 1 <= LOW < HIGH")
    return low_level, high_level


@app.command()
@user_errors
def staff(scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (default: scenarios/county.yaml)."),
          target: list[str] = typer.Option([], "--target", help="KIND=SHARE, e.g. visits=0.95 (repeatable)."),
          role: str = typer.Option("social_worker", "--role", help="social_worker, conference_chair or team_manager."),
          level_range: Optional[str] = typer.Option(None, "--range", help="LOW:HIGH staffing levels to search."),
          replications: int = typer.Option(5, "--replications", "-n", min=2, help="Replications per level to start with."),
          max_replications: int = typer.Option(20, "--max-replications", min=2, help="Most replications at an uncertain level."),
          survey: int = typer.Option(4, "--survey", min=0, help="Extra levels spread over the range, for the plot."),
          workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
          procedure: Optional[Path] = ProcedureOption,
          out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default: a new one under runs/)."),
          resume: Optional[Path] = typer.Option(None, "--resume", help="Continue a killed run in this folder."),
          as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON.")):
    """Find the smallest staffing that meets every target with confidence (exit 1 if none in range)."""
    from cpmodel.atomic import new_run_folder, write_bytes, write_text
    from cpmodel.staffing_report import staffing_csv, staffing_plot
    from model import load_procedure
    from sim.duties import duty_rules
    from sim.scenario import BUNDLED_SCENARIO, load_scenario
    from sim.staffing import ROLE_POOLS, SavedReplications, StaffingSearch

    if role not in ROLE_POOLS:
        raise InputError("--role", None, role, f"unknown role; use one of {', '.join(sorted(ROLE_POOLS))}")
    loaded = load_procedure(procedure)
    plan, digest = load_scenario(scenario, loaded)
    pool = ROLE_POOLS[role]
    rules = duty_rules(loaded, plan)
    known = (set(rules.simulated) - rules.never_late) | {"seen_alone_alternate_visits"}   # a 'consider' is never late
    targets = _parse_targets(target, known)
    low, high = _parse_range(level_range, getattr(plan.staff, pool).count)
    request = {"scenario": str(scenario or BUNDLED_SCENARIO), "scenario_sha256": digest, "targets": targets,
               "role": role, "range": [low, high], "replications": replications,
               "max_replications": max_replications, "survey": survey, "seed": plan.seed}
    if resume is not None:
        saved_request = resume / "request.json"
        if not saved_request.exists():
            raise InputError(str(resume), None, "--resume", "not a staffing run folder (no request.json)")
        if json.loads(saved_request.read_text()) != request:
            raise InputError(str(saved_request), None, "--resume", "the run was started with other arguments "
                             "or another scenario; resume with the same ones")
        folder = resume
    else:
        folder = new_run_folder(out, "staff")
        write_text(folder / "request.json", json.dumps(request, sort_keys=True))
    executor, client = _executor(workers, scheduler)
    try:
        with console.status("searching", spinner="dots") as status:
            search = StaffingSearch(loaded, plan, pool, targets, low, high, replications, max_replications,
                                    SavedReplications(folder, write_text), executor,
                                    progress=lambda message: status.update(message) if not as_json else None)
            search.survey(survey)
            chosen = search.run()
    finally:
        if executor is not None:
            executor.shutdown(wait=True)
        if client is not None:
            client.close()
    levels = [search.levels[level].to_json(pool) for level in sorted(search.levels)]
    answer = {"role": role, "targets": targets, "range": [low, high], "level": chosen, "levels": levels}
    if chosen is not None:
        answer["at_level"] = search.levels[chosen].to_json(pool)
        answer["overtime"] = "not modelled: staff work their contracted hours and late work shows as lateness"
    else:
        best, lows = search.best_seen()
        answer["best_level_seen"] = best
        answer["lower_bounds_at_best"] = lows
    write_text(folder / "staffing.json", json.dumps(answer, indent=2, sort_keys=True) + "\n")
    write_text(folder / "staffing.csv", staffing_csv(levels))
    write_bytes(folder / "staffing.png", staffing_plot(levels, targets, chosen, role))
    if as_json:
        print_json(answer | {"run_folder": str(folder)})
    else:
        _print_staffing(answer, folder)
    raise typer.Exit(0 if chosen is not None else 1)


def _executor(workers: int, scheduler: Optional[str]):
    """One code path for local processes and a Dask cluster: a concurrent.futures executor."""
    if scheduler:
        from distributed import Client
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise InputError("--scheduler", None, scheduler, f"cannot reach the Dask scheduler ({error})") from None
        return client.get_executor(), client
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        return ProcessPoolExecutor(max_workers=workers), None
    return None, None


def _print_staffing(answer: dict, folder) -> None:
    role = answer["role"].replace("_", " ")
    if answer["level"] is None:
        console.print(f"[bold red]No level in {answer['range'][0]}-{answer['range'][1]} meets every target.[/] "
                      f"Best seen: {answer['best_level_seen']} {role}s, where the lower 95% bounds are "
                      + ", ".join(f"{k} {100 * v:.1f}% (target {100 * answer['targets'][k]:.0f}%)"
                                  for k, v in answer["lower_bounds_at_best"].items()))
    else:
        at = answer["at_level"]
        console.print(f"[bold green]{answer['level']} {role}s[/] meet every target with 95% confidence "
                      f"(utilisation {100 * at['utilisation']['mean']:.0f}%, {at['replications']} replications).")
        for kind, share in sorted(at["compliance"].items()):
            mark = " (target)" if kind in answer["targets"] else ""
            console.print(f"  {kind}: {100 * share['mean']:.1f}% ({100 * share['low']:.1f}-{100 * share['high']:.1f}){mark}")
    console.print(f"levels tried: {', '.join(str(level['level']) for level in answer['levels'])}; run folder: {folder}")


StandardsOption = typer.Option(
    None, "--standards", help="An authority's local standards file (e.g. standards/example-authority.yaml): "
                              "also check the periods the procedure leaves to the plan; breaches are labelled local standard.")


def _load_standards(path, procedure):
    if path is None:
        return None
    from model.standards import load_standards
    return load_standards(path, procedure)


@app.command()
@user_errors
def pathway(name: Optional[str] = typer.Argument(None, help="A pathway name (see --list) or a YAML file."),
            list_all: bool = typer.Option(False, "--list", help="List the bundled pathways."),
            procedure: Optional[Path] = ProcedureOption,
            png: Optional[Path] = typer.Option(None, "--png", help="Draw the case's timeline to this PNG file."),
            standards: Optional[Path] = StandardsOption,
            as_json: bool = typer.Option(False, "--json", help="Print the walk as JSON.")):
    """Walk a training pathway step by step: state, rule, citation, dates, and any breach."""
    from cpmodel.render_pathway import print_pathway, timeline_png
    from model import load_procedure
    from model.pathways import load_pathway, pathway_names, walk_pathway

    loaded = load_procedure(procedure)
    if list_all or name is None:
        for item in pathway_names():
            pathway_file, _ = load_pathway(item, loaded)
            console.print(f"{item:40} {pathway_file.name}")
        return
    pathway_file, steps = load_pathway(name, loaded)
    walker, end = walk_pathway(loaded, pathway_file, steps, _load_standards(standards, loaded))
    reports = walker.reports
    if png is not None:
        from cpmodel.atomic import write_bytes
        write_bytes(png, timeline_png(pathway_file, reports, end))
    if as_json:
        print_json({"schema_version": 2, "pathway": name, "name": pathway_file.name,
                    "description": pathway_file.description, "standards": str(standards) if standards else pathway_file.standards,
                    "steps": [r.to_json() for r in reports],
                    "open_at_end": [b.to_json() for b in end],
                    "breaches": [b.to_json() for r in reports for b in r.breaches] + [b.to_json() for b in end],
                    "advice_not_followed": [b.to_json() for r in reports for b in r.advice]
                    + [b.to_json() for b in walker.end_advice]})
    else:
        print_pathway(console, loaded, pathway_file, reports, end, walker.end_advice)


@app.command()
@user_errors
def audit(events: Path = typer.Argument(..., help="CSV event log: case_id, date, event, fact columns."),
          procedure: Optional[Path] = ProcedureOption,
          until: Optional[str] = typer.Option(None, "--until", help="Also flag deadlines open and overdue at this date (YYYY-MM-DD)."),
          standards: Optional[Path] = StandardsOption,
          as_json: bool = typer.Option(False, "--json", help="Print the breaches as JSON.")):
    """Check many case histories against the procedure; report each breach per case and in total."""
    import datetime as dt

    from model import load_procedure
    from model.audit import audit_log

    end = None
    if until:
        try:
            end = dt.date.fromisoformat(until)
        except ValueError:
            raise InputError("--until", None, until, "is not a real date (YYYY-MM-DD)") from None
    loaded = load_procedure(procedure)
    result = audit_log(events, loaded, end, _load_standards(standards, loaded))
    if as_json:
        print_json(result.to_json())
        return
    data = result.to_json()
    checked = f" against the procedure and {data['standards']}" if data["standards"] else " against the procedure"
    console.print(f"{data['cases']} cases, {data['events']} events checked{checked}: "
                  f"{data['cases_with_breaches']} cases with breaches, {data['cases_with_advice_not_followed']} "
                  "with advice (should) not followed")
    if data["local_standard_breaches"]:
        console.print(f"  of the breaches, {data['local_standard_breaches']} are of a local standard, not of the procedure")
    for kind, count in sorted(data["totals"].items(), key=lambda item: -item[1]):
        console.print(f"  {count:6}  {kind}")
    for case, found in list(data["breaches"].items())[:50]:
        console.print(f"[bold]{case}[/]")
        for breach in found:
            label = "local standard " if breach["basis"] == "local_standard" else ""
            console.print(f"  {breach['date']} [red]{label}{breach['kind']}[/] {breach['item']}: {breach['message']} "
                          f"({', '.join(breach['citations'])})", highlight=False)
    if len(data["breaches"]) > 50:
        console.print(f"... and {len(data['breaches']) - 50} more cases (use --json for all)")
    if data["advice_totals"]:
        console.print("advice not followed (the documents say 'should'; not breaches):")
        for kind, count in sorted(data["advice_totals"].items(), key=lambda item: -item[1]):
            console.print(f"  {count:6}  {kind}")


@app.command()
@user_errors
def report(procedure: Optional[Path] = ProcedureOption,
           scenario: Optional[Path] = typer.Option(None, "--scenario", "-s", help="Scenario to simulate (default: county)."),
           replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1, help="Override the scenario."),
           no_simulation: bool = typer.Option(False, "--no-simulation", help="Leave the simulation out."),
           out: Path = typer.Option(..., "--out", help="The HTML file to write (a new file; never overwritten).")):
    """Write one self-contained HTML report: graph, check, pathways and simulation."""
    from cpmodel.atomic import write_text
    from cpmodel.draw_graph import render_png
    from cpmodel.html_report import build_report
    from cpmodel.render_pathway import timeline_png
    from cpmodel.simulation_report import plot_compliance, plot_lateness, plot_workload
    from model import load_procedure
    from model.history import ProcedureIndex, walk_history
    from model.pathways import load_pathway, pathway_names
    from proofs import run_checks

    if out.exists():
        raise InputError(str(out), None, "--out", "already exists; choose a new file name (nothing is overwritten)")
    loaded = load_procedure(procedure)
    index = ProcedureIndex(loaded)
    walked = []
    for name in pathway_names():
        pathway_file, steps = load_pathway(name, loaded)
        reports, end = walk_history(loaded, steps, pathway_file.until, index=index, start=pathway_file.start,
                                    facts=pathway_file.facts)
        walked.append((name, pathway_file, reports, end, timeline_png(pathway_file, reports, end)))
    summary, plots = None, {}
    if not no_simulation:
        from sim.runner import replication_seeds, run_replications
        from sim.scenario import load_scenario
        from sim.stats import summarise
        plan, _ = load_scenario(scenario, loaded)
        if replications:
            plan = plan.model_copy(update={"replications": replications})
        with console.status("simulating"):
            results = run_replications(loaded, plan, replication_seeds(plan.seed, plan.replications))
        summary = {"scenario": plan.name, "seed": plan.seed, "replications": plan.replications,
                   "horizon_years": plan.horizon_years, "warm_up_months": plan.warm_up_months} | summarise(results)
        plots = {"compliance": plot_compliance(summary), "workload": plot_workload(results), "lateness": plot_lateness(results)}
    html = build_report(loaded, run_checks(loaded), render_png(loaded), walked, summary, plots)
    write_text(out, html)
    console.print(f"wrote {out} ({len(html) / 1e6:.1f} MB)")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
