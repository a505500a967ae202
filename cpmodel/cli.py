"""The `cpmodel` command. Exit codes: 0 fine, 1 the check found errors or a target was missed,
2 bad input or usage (a message naming file, line and field; never a traceback), 3 an internal
error (a bug: one line of apology, the traceback saved to a file)."""
from __future__ import annotations

import functools
import hashlib
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from cpmodel.model.errors import InputError, InputErrors

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Formal model and simulation of the procedure for Child Protection Plans in England.")
# User data (state names, case ids, file names) is printed as it is: no markup, no emoji codes
# (":100:" in "file:100:" is an emoji code), no highlighting.
console = Console(highlight=False, emoji=False)    # also: Rich's highlighter is quadratic in a long word
errors = Console(stderr=True, highlight=False, emoji=False)
INTERNAL_ERROR = 3

ProcedureOption = typer.Option(None, "--procedure", "-p", help="Procedure YAML (default: the bundled model).")


def print_error(text: str) -> None:
    """One line per problem, printed as plain text (never read as Rich markup)."""
    from rich.text import Text
    for line in str(text).splitlines() or [""]:
        errors.print(Text("error: ", style="bold red") + Text(line), soft_wrap=True)


def user_errors(command):
    """Bad input -> its located lines and exit 2; a bug -> an apology, a saved traceback, exit 3.

    A crash must never exit 1, the code that means "the check found something"."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (InputError, InputErrors) as error:
            print_error(str(error))
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt as error:   # Ctrl-C, or SIGTERM (cli.main): what the run made is already removed
            print_error(f"stopped ({error or 'SIGINT'}); nothing of this run was kept")
            raise typer.Exit(128 + getattr(error, "signal", 2)) from None
        except Exception as error:  # noqa: BLE001 - the one place a bug is turned into exit 3
            if _is_user_fault(error):
                print_error(_user_fault_message(error))
                raise typer.Exit(2) from None
            saved = save_traceback(error)
            print_error(f"internal error in cpmodel ({type(error).__name__}); this is a bug, not a fault "
                        f"in your input; details saved to {saved}")
            raise typer.Exit(INTERNAL_ERROR) from None
    return wrapper


def _is_user_fault(error: Exception) -> bool:
    """Failures of the user's disk, not of cpmodel: a full disk, a folder we may not write to."""
    import errno
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS,
                                                          errno.EDQUOT, errno.ENAMETOOLONG, errno.EPERM)


def _user_fault_message(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}cannot write here ({error.strerror}); choose another place with --out"


def save_traceback(error: BaseException) -> str:
    """Write the traceback to a new file in the temporary folder and return its path."""
    import tempfile
    import traceback
    try:
        handle, path = tempfile.mkstemp(prefix="cpmodel-crash-", suffix=".txt")
        with open(handle, "w", encoding="utf-8") as stream:
            stream.write("cpmodel " + " ".join(sys.argv[1:]) + "\n\n")
            stream.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return "(nowhere: the temporary folder is not writable)"


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


@app.command()
@user_errors
def graph(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
          out: Optional[Path] = typer.Option(None, "--out", help="A new (or empty) folder for the drawings "
                                             "(default: a new folder under graph/)."),
          view: Optional[str] = typer.Option(None, "--view", help="A slide of at most about 15 states: main, a section (impl#8) or a state id.")):
    """Draw the procedure's state graph: PNG and SVG, DOT, GraphML and Mermaid; or one slide with --view."""
    from cpmodel.atomic import run_folder
    from cpmodel.draw_graph import graphviz_available, write_all, write_view
    from cpmodel.model import load_procedure
    from cpmodel.model.graph import dead_ends, unreachable_states

    loaded = load_procedure(procedure)
    chosen = None
    if view is not None:
        from cpmodel.graph_views import choose_view
        chosen = choose_view(loaded, view)
    with run_folder(out, "graph", default_base="graph") as folder:
        written = write_view(loaded, chosen, folder) if chosen else write_all(loaded, folder)
    for path in written:
        console.print(f"wrote {path}")
    if not graphviz_available():
        errors.print("note: Graphviz is not installed, so the built-in layout was used; "
                     "install Graphviz for a clearer one (README: Pictures)")
    for state in unreachable_states(loaded):
        errors.print(f"warning: state {state!r} cannot be reached from the start")
    for state in dead_ends(loaded):
        errors.print(f"warning: state {state!r} is a dead end")


@app.command()
@user_errors
def export(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
           as_json: bool = typer.Option(True, "--json/--summary", help="Print the normalized model as JSON.")):
    """Print the normalized model (the stable JSON contract in the README)."""
    from cpmodel.model import load_procedure
    from cpmodel.model.export import export_model

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
    from cpmodel.startup import loading_modules
    with loading_modules():
        from cpmodel.render_findings import print_report
        from cpmodel.model import load_procedure
        from cpmodel.proofs import run_checks

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
    """What a revision changes: findings added, changed and gone; what it means (conditions, routes,
    timescales, with examples); rules, transitions, deadlines changed.
    Exit 1 when the revision adds an unacknowledged error (a change of meaning alone exits 0)."""
    from cpmodel.startup import loading_modules
    with loading_modules():
        from cpmodel.render_findings import print_diff
        from cpmodel.model import load_procedure
        from cpmodel.proofs import run_checks
        from cpmodel.proofs.diff import diff_procedures

    before, after = load_procedure(old), load_procedure(new)
    result = diff_procedures(before, after, run_checks(before), run_checks(after))
    if as_json:
        print_json(result.to_json())
    else:
        print_diff(console, result)
    raise typer.Exit(1 if result.adds_errors else 0)


@app.command()
@user_errors
def simulate(scenario: Optional[str] = typer.Argument(None, help="A scenario name (county, small-unitary, ...) or a YAML file (default: county)."),
             procedure: Optional[Path] = ProcedureOption,
             replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1, max=10_000, help="Override the scenario."),
             seed: Optional[int] = typer.Option(None, "--seed", min=0, help="Override the scenario's seed."),
             out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default: a new one under runs/)."),
             events: Optional[Path] = typer.Option(None, "--events", help="Also write every simulated case history to this new CSV (the audit's contract)."),
             settings: list[str] = typer.Option([], "--set", help="PATH=VALUE: change one scenario figure "
                                                "(repeatable; validated like the file)."),
             versus: Optional[Path] = typer.Option(None, "--versus", help="A revised procedure: run both on the same "
                                                   "seeds and compare (paired differences with 95% CIs)."),
             xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the tables to this Excel file (new file)."),
             as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON.")):
    """Simulate workload and deadline pressure for a caseload; write a run folder."""
    from cpmodel.scenario_names import scenario_path
    scenario = scenario_path(scenario)
    _check_new_file(xlsx)
    from rich.progress import Progress

    from cpmodel.atomic import discard_or_mark, new_run_folder
    from cpmodel.simulation_report import manifest, write_run
    from cpmodel.model import load_procedure
    from cpmodel.sim.runner import replication_seeds, run_replications
    from cpmodel.sim.scenario import load_scenario
    from cpmodel.sim.stats import summarise

    loaded = load_procedure(procedure)
    plan, digest = load_scenario(scenario, loaded)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    plan = plan.model_copy(update=updates)
    from cpmodel.sim.overrides import apply_settings
    plan, changed = apply_settings(plan, settings, loaded)
    if versus is not None:
        if plan.replications < 2:
            raise InputError("--replications", None, str(plan.replications), "--versus pairs the two procedures "
                             "seed by seed: a 95% interval needs at least 2 replications")
        _simulate_versus(loaded, load_procedure(versus), plan, digest, out, as_json, xlsx)
        return
    seeds = replication_seeds(plan.seed, plan.replications)
    if events is not None and events.exists():
        raise InputError(str(events), None, "--events", "already exists; choose a new file name (nothing is overwritten)")
    existed = out is not None and out.is_dir()
    folder = new_run_folder(out, "simulate")          # claimed before the work: a clash is exit 2 now
    try:
        with Progress(console=errors, transient=True, disable=as_json) as progress:
            bar = progress.add_task(f"{escape(plan.name)}: replications", total=len(seeds))
            results = run_replications(loaded, plan, seeds, progress=lambda _r: progress.advance(bar),
                                       record_history=events is not None)
        summary = {"scenario": plan.name, "seed": plan.seed, "replications": len(seeds),
                   "horizon_years": plan.horizon_years, "warm_up_months": plan.warm_up_months} | summarise(results)
        if changed:
            summary["settings"] = changed
        from cpmodel.sim.scenario import BUNDLED_SCENARIO
        source = Path(scenario or BUNDLED_SCENARIO)
        read = source.read_bytes()
        write_run(folder, summary, results, manifest(plan, digest, loaded, seeds, sys.argv)
                  | {"scenario_file": str(source.resolve())},
                  read if hashlib.sha256(read).hexdigest() == digest else None)   # (not if edited meanwhile)
        from cpmodel.compare_report import write_measures
        write_measures(folder, results)
    except BaseException as error:
        discard_or_mark(folder, existed, error)
        raise
    if xlsx:
        from cpmodel.office import write_workbook
        from cpmodel.simulation_report import simulation_sheets
        write_workbook(xlsx, simulation_sheets(summary))
    if events is not None:
        from cpmodel.atomic import write_text
        from cpmodel.sim.event_log import event_log_csv
        write_text(events, event_log_csv(results, plan.calendar.start_date))
        for result in results:
            result.history = None
        errors.print(f"wrote {events} (audit it with: cpmodel audit {events})")
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
            from cpmodel.model.loader import suggestion
            raise InputError("--target", None, text, f"unknown deadline kind {kind!r}{suggestion(kind, known)}; "
                             f"kinds simulated here: {', '.join(sorted(known))}")
        if not 0 < share <= 1:
            raise InputError("--target", None, text, f"a target is a share in (0, 1], not {share:g}")
        if kind in targets and targets[kind] != share:
            raise InputError("--target", None, text, f"{kind} is given two targets ({targets[kind]:g} and {share:g}); "
                             "give one")
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
    from cpmodel.sim.scenario import MOST_STAFF
    if high_level > MOST_STAFF:
        raise InputError("--range", None, text, f"at most {MOST_STAFF:,} staff in a pool (a scenario allows no more; "
                         "England has about 33,000 social workers)")
    return low_level, high_level


SetOption = typer.Option([], "--set", help="PATH=VALUE: change one scenario figure, e.g. "
                         "case_flow.no_access_per_visit=0.1 (repeatable; validated like the file).")


def _open_run(resume: Optional[Path], out: Optional[Path], kind: str, request: dict) -> Path:
    """A new run folder with its request saved, or the folder of a killed run with the same request."""
    from cpmodel.atomic import new_run_folder, write_text

    text = json.dumps(request, sort_keys=True, default=str)
    if resume is not None:
        return _resumable(resume, json.loads(text), {"staff": "staffing"}.get(kind, kind))
    folder = new_run_folder(out, kind)
    write_text(folder / "request.json", text)
    return folder


def _stopped(error, folder: Path) -> None:
    errors.print(f"stopped ({error}); finished replications are saved: continue with --resume {folder}",
                 highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(128 + getattr(error, "signal", 2))


@app.command()
@user_errors
def sensitivity(scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (default: scenarios/county.yaml)."),
                param: list[str] = typer.Option([], "--param", help="A parameter path to vary (repeatable; default: "
                                                "every figure the scenario marks ASSUMPTION)."),
                span: float = typer.Option(0.2, "--span", min=0.01, max=0.9, help="Low and high are the value x (1 -/+ span)."),
                replications: Optional[int] = typer.Option(None, "--replications", "-n", min=2, max=10_000, help="Replications per value (default: the scenario's)."),
                target: list[str] = typer.Option([], "--target", help="Deadline kinds to draw (default: the four most frequent)."),
                settings: list[str] = SetOption,
                workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes."),
                scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address."),
                procedure: Optional[Path] = ProcedureOption,
                out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default: a new one under runs/)."),
                resume: Optional[Path] = typer.Option(None, "--resume", help="Continue a killed run in this folder."),
                xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the table to this Excel file (new file)."),
                as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")):
    """Which assumptions the answer depends on: each set low and high, effects with 95% CIs, tornado plot."""
    from cpmodel.scenario_names import scenario_path
    scenario = scenario_path(scenario)
    from cpmodel.atomic import write_bytes, write_text
    from cpmodel.sensitivity_report import sensitivity_csv, sensitivity_rows, HEADERS, sentences, tornado_plot
    from cpmodel.workers import Stopped, replication_executor
    from cpmodel.model import load_procedure
    from cpmodel.sim.assumptions import assumption_paths
    from cpmodel.sim.measures import SavedMeasures, run_measured
    from cpmodel.sim.overrides import apply_settings, parse_path
    from cpmodel.sim.runner import replication_seeds
    from cpmodel.sim.scenario import BUNDLED_SCENARIO, load_scenario
    from cpmodel.sim.sensitivity import designs, effects, variation

    _check_new_file(xlsx)
    loaded = load_procedure(procedure)
    source = scenario or BUNDLED_SCENARIO
    plan, digest = load_scenario(source, loaded)
    plan, changed = apply_settings(plan, settings, loaded)
    paths = [parse_path(p) for p in param] if param else assumption_paths(source)
    if not paths:
        raise InputError(str(source), None, "--param", "the scenario marks no figure ASSUMPTION; name parameters with --param")
    variations, skipped = [], []
    for path in paths:
        try:
            found = variation(plan, path, span)
        except InputError as error:      # the path is checked as --set checks it; name the option used
            if error.file != "--set":
                raise
            raise InputError("--param" if param else str(source), None, error.field, error.message) from None
        if isinstance(found, str):
            if param:
                raise InputError("--param", None, ".".join(map(str, path)), f"cannot be varied: {found}")
            skipped.append({"parameter": ".".join(map(str, path)), "reason": found})
        else:
            variations.append(found)
    count = replications or plan.replications
    seeds = replication_seeds(plan.seed, count)
    request = {"scenario": str(source), "scenario_sha256": digest, "parameters": [v.name for v in variations],
               "span": span, "replications": count, "settings": changed, "seed": plan.seed,
               "procedure": str(procedure) if procedure else None}
    folder = _open_run(resume, out, "sensitivity", request)
    jobs = {label: (loaded, variant) for label, variant in designs(plan, variations).items()}
    try:
        with replication_executor(workers, scheduler) as executor, \
                console.status("sensitivity", spinner="dots") as status:
            runs = run_measured(jobs, seeds, SavedMeasures(folder, write_text), executor,
                                progress=lambda done, total: status.update(f"replications {done}/{total}"))
    except Stopped as error:
        _stopped(error, folder)
    result = {"schema_version": 1, "scenario": plan.name, "scenario_sha256": digest, "span": span,
              "replications": count, "seeds": seeds, "settings": changed} | effects(variations, runs)
    result["skipped"] = skipped
    frequent = sorted({k for m in runs["base"] for k in m["deadlines"]},
                      key=lambda k: -sum(m["deadlines"].get(k, {}).get("due", 0) for m in runs["base"]))
    for kind in target:
        if f"{kind} met" not in result["base"]:
            raise InputError("--target", None, kind, f"not a deadline kind due in this run; kinds: {', '.join(sorted(frequent))}")
    kinds = list(target) or frequent[:4]
    result["outcomes_plotted"] = [f"{kind} met" for kind in kinds]
    write_text(folder / "sensitivity.json", json.dumps(result, indent=2, sort_keys=True, default=str) + "\n")
    write_text(folder / "sensitivity.csv", sensitivity_csv(result))
    write_bytes(folder / "tornado.png", tornado_plot(result, result["outcomes_plotted"],
                                                     f"{plan.name}: one at a time, +/-{100 * span:.0f}%, "
                                                     f"{count} replications on common seeds"))
    if xlsx:
        from cpmodel.office import write_workbook
        write_workbook(xlsx, {"Sensitivity": (HEADERS, sensitivity_rows(result)),
                              "Not varied": (["parameter", "reason"], [[s["parameter"], s["reason"]] for s in skipped])})
    if as_json:
        print_json(result | {"run_folder": str(folder)})
        return
    console.print(f"{plan.name}: {len(variations)} parameters, each {100 * span:.0f}% low and high, "
                  f"{count} replications on the same seeds as the base", highlight=False, markup=False, soft_wrap=True)
    for line in sentences(result, result["outcomes_plotted"], count=3):
        console.print("  " + line, highlight=False, markup=False, soft_wrap=True)
    for item in skipped:
        console.print(f"  not varied: {item['parameter']} ({item['reason']})", highlight=False, markup=False, soft_wrap=True)
    console.print(f"run folder: {folder} (tornado.png, sensitivity.csv, sensitivity.json)", highlight=False, markup=False, soft_wrap=True)


def _check_new_file(path: Optional[Path]) -> None:
    """Refuse an --xlsx file that exists or is misnamed, before any work (nothing is overwritten)."""
    if path is not None:
        from cpmodel.office import check_new_file
        check_new_file(path, ".xlsx", "--xlsx")


def _parse_ranges(texts: list[str], pools: list[str], plan) -> dict[str, tuple[int, int]]:
    """--range LOW:HIGH (one role) or ROLE=LOW:HIGH (repeatable); default half to twice today's count."""
    from cpmodel.sim.staffing import ROLE_POOLS

    given: dict[str, str] = {}
    for text in texts:
        role, sep, span = text.rpartition("=")
        if not sep:
            if len(pools) > 1:
                raise InputError("--range", None, text, "with several roles write ROLE=LOW:HIGH, e.g. social_worker=20:80")
            pool = pools[0]
        elif ROLE_POOLS.get(role) in pools:
            pool = ROLE_POOLS[role]
        else:
            raise InputError("--range", None, text, f"{role!r} is not one of the roles searched")
        if pool in given and given[pool] != span:    # one would silently win over the other
            raise InputError("--range", None, text, f"two ranges for {pool.replace('_', ' ')} "
                             f"({given[pool]} and {span}): give one")
        given[pool] = span
    return {pool: _parse_range(given.get(pool), getattr(plan.staff, pool).count) for pool in pools}


def _sensitivity_for(folder: Path, explicit: Optional[Path], digest: str) -> Optional[dict]:
    """The sensitivity run to quote: the one named, else the newest for this scenario beside the run."""
    if explicit is not None:
        path = explicit / "sensitivity.json" if explicit.is_dir() else explicit
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            raise InputError(str(explicit), None, "--sensitivity", "not a sensitivity run folder "
                             "(no readable sensitivity.json)") from None
    found = []
    for candidate in folder.parent.glob("*/sensitivity.json"):
        try:
            data = json.loads(candidate.read_text())
        except (OSError, ValueError):
            continue
        if data.get("scenario_sha256") == digest:
            found.append((candidate.stat().st_mtime, data))
    return max(found, key=lambda item: item[0])[1] if found else None


@app.command()
@user_errors
def staff(scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (default: scenarios/county.yaml)."),
          target: list[str] = typer.Option([], "--target", help="KIND=SHARE, e.g. visits=0.95 (repeatable)."),
          role: list[str] = typer.Option([], "--role", help="social_worker, conference_chair or team_manager "
                                         "(repeatable; default social_worker)."),
          all_roles: bool = typer.Option(False, "--all-roles", help="Search every staffed pool at once."),
          level_range: list[str] = typer.Option([], "--range", help="LOW:HIGH, or ROLE=LOW:HIGH with several roles."),
          replications: int = typer.Option(5, "--replications", "-n", min=2, max=10_000, help="Replications per level to start with."),
          max_replications: int = typer.Option(20, "--max-replications", min=2, max=10_000, help="Most replications at an uncertain level."),
          survey: int = typer.Option(4, "--survey", min=0, help="Extra levels spread over the range, for the plot."),
          survey_replications: int = typer.Option(3, "--survey-replications", min=2,
                                                  help="Replications at each survey level (at most --replications)."),
          settings: list[str] = SetOption,
          workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
          procedure: Optional[Path] = ProcedureOption,
          out: Optional[Path] = typer.Option(None, "--out", help="Run folder (default: a new one under runs/)."),
          resume: Optional[Path] = typer.Option(None, "--resume", help="Continue a killed run in this folder."),
          sensitivity_run: Optional[Path] = typer.Option(None, "--sensitivity", help="A sensitivity run folder to quote "
                                                         "(default: the newest for this scenario beside the run folder)."),
          xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the tables to this Excel file (new file)."),
          as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON.")):
    """Find the smallest staffing that meets every target with confidence (exit 1 if none in range)."""
    from cpmodel.scenario_names import scenario_path
    scenario = scenario_path(scenario)
    from cpmodel.atomic import discard_or_mark, write_bytes, write_text
    from cpmodel.staffing_report import load_plotting_meanwhile, staffing_csv, staffing_plot, staffing_sheets
    from cpmodel.workers import Stopped, executor_slots, replication_executor
    from cpmodel.model import load_procedure
    from cpmodel.sim.duties import duty_rules
    from cpmodel.sim.overrides import apply_settings
    from cpmodel.sim.scenario import BUNDLED_SCENARIO, load_scenario
    from cpmodel.sim.staffing import (POOL_ROLE, POOLS, ROLE_POOLS, SURVEY_REPLICATIONS, Replications, SavedReplications, ceil_or_none,
                              other_pools_limit, search_pools, staffing_cost, survey_count)
    from cpmodel.sim.sensitivity import most_sensitive

    _check_scheduler(scheduler)
    for name in role:
        if name not in ROLE_POOLS:
            meant = f"did you mean {POOL_ROLE[name]}? " if name in POOL_ROLE else ""
            raise InputError("--role", None, name, f"unknown role; {meant}use one of {', '.join(sorted(ROLE_POOLS))}")
    _check_new_file(xlsx)
    loaded = load_procedure(procedure)
    plan, digest = load_scenario(scenario, loaded)
    plan, changed = apply_settings(plan, settings, loaded)
    staffed = [pool for pool in POOLS if getattr(plan.staff, pool).count > 0 and pool in plan.roles.values()]
    pools = staffed if all_roles else list(dict.fromkeys(ROLE_POOLS[name] for name in role or ["social_worker"]))
    rules = duty_rules(loaded, plan)
    known = (set(rules.simulated) - rules.never_late) | {"seen_alone_alternate_visits"}   # a 'consider' is never late
    targets = _parse_targets(target, known)
    if max_replications < replications:
        raise InputError("--max-replications", None, str(max_replications),
                         f"fewer than --replications ({replications}): a level starts with {replications}; "
                         f"give --max-replications {replications} or more")
    if survey and survey_replications > replications:
        errors.print(f"note: --survey-replications {survey_replications} is more than --replications "
                     f"{replications}; each survey level gets {survey_count(survey_replications, replications)} "
                     "(a survey level never has more than a race's first look)")
    ranges = _parse_ranges(level_range, pools, plan)
    first_role = POOL_ROLE[pools[0]] if all_roles or not role else role[0]
    request = {"scenario": str(scenario or BUNDLED_SCENARIO), "scenario_sha256": digest, "targets": targets,
               "roles": pools, "ranges": {p: list(r) for p, r in ranges.items()}, "replications": replications,
               "max_replications": max_replications, "survey": survey, "seed": plan.seed, "settings": changed}
    if survey_replications != SURVEY_REPLICATIONS:   # recorded when not the default: older run folders still resume
        request["survey_replications"] = survey_replications
    if resume is not None and out is not None:
        raise InputError("--out", None, "", "give either --out (a new run) or --resume (an old one), not both")
    existed = out is not None and out.is_dir()
    folder = _open_run(resume, out, "staff", request)
    current = {pool: getattr(plan.staff, pool).count for pool in POOLS}
    try:
        from cpmodel.staff_progress import estimated_replications, staffing_progress
        estimate = estimated_replications(ranges, replications, survey, survey_replications)
        with replication_executor(workers, scheduler) as executor, \
                staffing_progress(errors, estimate, disable=as_json) as advance:
            source = Replications(loaded, plan, SavedReplications(folder, write_text), executor, progress=advance,
                                  slots=executor_slots(executor, workers))
            if executor is not None:
                load_plotting_meanwhile()
            found = search_pools(source, pools, targets, ranges, replications, max_replications, survey,
                                 survey_replications=survey_replications)
            needed = found["needed"]
            unmet = sorted({kind for p in pools if needed[p] is None
                            for kind in found["searches"][p].levels[ranges[p][1]].failing(targets)})
            # A target whose interval at the top of the range still takes in the target is not
            # shown to be missed there: the range or the replications are too small to tell, and
            # another pool doubled proves nothing (with a few replications, noise can clear it).
            undecided = sorted(kind for kind in unmet if any(
                needed[p] is None and found["searches"][p].levels[ranges[p][1]].share(kind).high >= targets[kind]
                for p in pools))
            short = [kind for kind in unmet if kind not in undecided]
            others = other_pools_limit(source, {p: ranges[p][1] for p in pools}, short, targets, current,
                                       replications, max_replications) if short else {}
            usage = source.usage()    # the search's own time; running leftovers are ended, not waited for
            usage["levels"] = {POOL_ROLE[p]: found["searches"][p].spending() for p in pools}   # where they went
            usage["replications_at_levels_reported"] = sum(row["replications"] for rows in usage["levels"].values() for row in rows)
    except Stopped as error:
        _stopped(error, folder)
    except BaseException as error:
        if resume is None:       # replications already saved are kept for --resume, marked failed
            discard_or_mark(folder, existed, error, keep_on_failure=_has_replications)
        raise
    try:   # stopped while the answer is written: what is saved is resumable, and the user is told so
        searches = found["searches"]
        roles = {}
        for pool in pools:
            search = searches[pool]
            levels = [search.levels[level].to_json(pool) for level in sorted(search.levels)]
            entry = {"role": POOL_ROLE[pool], "range": list(ranges[pool]), "level": needed[pool], "levels": levels,
                     "others_held_at": search.fixed,
                     "analytic_estimate": search.analytic_estimate()}
            if needed[pool] is not None:
                entry["at_level"] = search.evaluate(needed[pool]).to_json(pool)   # evaluated here if a later round moved it
            else:
                entry["best_level_seen"], entry["lower_bounds_at_best"] = search.best_seen()
            roles[pool] = entry
        binding = {kind: found["binding"][kind] + others.get(kind, []) for kind in targets}
        main = roles[pools[0]]
        chosen_all = all(needed[p] is not None for p in pools) and found["combination_met"]
        answer = {"scenario": plan.name, "role": first_role, "targets": targets, "range": main["range"],
                  "level": main["level"], "levels": main["levels"], "roles": roles,
                  "binding": {kind: [POOL_ROLE[p] for p in pools_] for kind, pools_ in binding.items()},
                  "not_met_by_searched_roles": unmet, "undecided_at_top_of_range": undecided, "staff": staffing_cost(plan, current | needed), "settings": changed}
        for key in ("at_level", "best_level_seen", "lower_bounds_at_best"):
            if key in main:
                answer[key] = main[key]
        answer["analytic_estimate"] = ceil_or_none(main["analytic_estimate"])
        answer["confidence_intervals"] = searches[pools[0]].rule.describe()   # how the 95% stays true while racing
        answer["overtime"] = "not modelled: staff work their contracted hours and late work shows as lateness"
        quoted = _sensitivity_for(folder, sensitivity_run, digest)
        if quoted is not None:
            exclude = {f"staff.{pool}.count" for pool in pools}
            answer["most_sensitive_to"] = [{"parameter": e["parameter"], "base": e["base"], "low": e["low"],
                                            "high": e["high"], "swing_points": round(100 * e["swing"], 2)}
                                           for e in most_sensitive(quoted, list(targets), exclude)]
        write_text(folder / "staffing.json", json.dumps(answer, indent=2, sort_keys=True, default=str) + "\n")
        write_text(folder / "search.json", json.dumps(usage, indent=2, sort_keys=True) + "\n")   # how busy the workers were
        write_text(folder / "staffing.csv", staffing_csv(main["levels"]))
        for pool in pools:
            name = "staffing.png" if pool == pools[0] else f"staffing-{POOL_ROLE[pool]}.png"
            write_bytes(folder / name, staffing_plot(roles[pool]["levels"], targets, needed[pool], POOL_ROLE[pool],
                                                     plan.name, current[pool]))
        if xlsx:
            from cpmodel.office import write_workbook
            write_workbook(xlsx, staffing_sheets(answer))
    except Stopped as error:
        _stopped(error, folder)
    if as_json:
        print_json(answer | {"run_folder": str(folder)})
    else:
        _print_staffing(answer, folder)
    raise typer.Exit(0 if chosen_all else 1)


def _check_scheduler(address: Optional[str]) -> None:
    """A Dask address is tcp://HOST:PORT (or tls://, ws://...); refuse anything else before work."""
    import re
    if address is not None and not re.fullmatch(r"(tcp|tls|ws|wss|inproc|ucx)://[A-Za-z0-9_.\-\[\]:]+:\d{1,5}/?", address):
        raise InputError("--scheduler", None, "", f"{address[:60]!r} is not a scheduler address; "
                         "write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")


def _resumable(resume: Path, request: dict, kind: str = "staffing") -> Path:
    """A staffing run folder started with this very request, or exit 2 saying why not."""
    from cpmodel.model.errors import display_path
    saved_request = resume / "request.json"
    if not resume.is_dir():
        raise InputError(display_path(resume), None, "--resume", "no such run folder")
    if not saved_request.is_file():
        raise InputError(display_path(resume), None, "--resume", f"not a {kind} run folder (no request.json)")
    try:
        saved = json.loads(saved_request.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise InputError(display_path(saved_request), None, "--resume", "is damaged (not readable JSON); "
                         "start a new run with --out") from None
    if saved != request:
        differ = sorted(key for key in set(saved) | set(request) if saved.get(key) != request.get(key))
        what = ", ".join(f"{key} (the run has {json.dumps(saved.get(key))[:80]}, now {json.dumps(request.get(key))[:80]})"
                         for key in differ[:3])
        raise InputError(display_path(saved_request), None, "--resume", "the run was started with other arguments "
                         f"or another scenario ({what}); resume with the same ones")
    (resume / "FAILED.json").unlink(missing_ok=True)
    return resume


def _has_replications(folder: Path) -> bool:
    saved = folder / "replications"
    return saved.is_dir() and any(saved.iterdir())


def _print_staffing(answer: dict, folder) -> None:
    say = lambda text: console.print(text, highlight=False, markup=False, soft_wrap=True)
    for pool, entry in answer["roles"].items():
        role = entry["role"].replace("_", " ")
        held = ", ".join(f"{count} {p.replace('_', ' ')}" for p, count in entry["others_held_at"].items())
        if entry["level"] is None:
            say(f"No level in {entry['range'][0]}-{entry['range'][1]} meets every target. Best seen: "
                f"{entry['best_level_seen']} {role}s, where the lower 95% bounds are "
                + ", ".join(f"{k} {'(none fell due)' if v is None else f'{100 * v:.1f}%'} "
                            f"(target {100 * answer['targets'][k]:.0f}%)"
                            for k, v in entry["lower_bounds_at_best"].items()))
        else:
            at = entry["at_level"]
            say(f"{entry['level']} {role}s meet every target with 95% confidence"
                + (f" (with {held})" if held else "")
                + f" (utilisation {100 * at['utilisation']['mean']:.0f}%, {at['replications']} replications).")
            for kind, share in sorted(at["compliance"].items()):
                mark = " (target)" if kind in answer["targets"] else ""
                say(f"  {kind}: {100 * share['mean']:.1f}% ({100 * share['low']:.1f}-{100 * share['high']:.1f}){mark}")
        if entry.get("analytic_estimate"):
            say(f"  hours needed / hours one {role} has: {entry['analytic_estimate']:.1f} (no fewer can do the work)")
        tried = [str(level["level"]) for level in entry["levels"]]
        say(f"  {'level' if len(tried) == 1 else 'levels'} tried: {', '.join(tried)}")
    for kind, limiting in answer["binding"].items():
        if limiting:
            say(f"{kind}: limited by {' and '.join(r.replace('_', ' ') + 's' for r in limiting)}")
        elif kind in answer.get("undecided_at_top_of_range", ()):
            say(f"{kind}: not shown to be met at the top of the range, nor shown to be missed there (its 95% "
                f"interval takes in the target): widen --range, or allow more replications (--max-replications)")
        elif kind in answer["not_met_by_searched_roles"]:
            say(f"{kind}: not met by any level searched, and no other pool at twice today's staff meets it either")
        else:
            say(f"{kind}: met at the bottom of the range searched; no role searched limits it")
    for pool, row in answer["staff"].items():
        if row["needed"] is None and pool not in answer["roles"]:
            continue
        if row["needed"] is None:   # a searched pool no level of which met every target
            low, high = answer["roles"][pool]["range"]
            say(f"{pool.replace('_', ' ')}: {row['current']} now ({row['current_fte']:g} FTE) -> "
                f"not found in {low}-{high} (see above)")
            continue
        cost = ""
        if "cost_per_fte" in row and row.get("needed_cost") is not None:
            cost = f"; cost {row['current_cost']:,.0f} -> {row['needed_cost']:,.0f} a year"
        say(f"{pool.replace('_', ' ')}: {row['current']} now ({row['current_fte']:g} FTE) -> {row['needed']} "
            f"({row['needed_fte']:g} FTE){cost}")
    if "most_sensitive_to" in answer:
        say("This answer is most sensitive to: " + "; ".join(
            f"{e['parameter']} (base {'a distribution' if isinstance(e['base'], dict) else e['base']}: "
            f"moves a target by up to {e['swing_points']:.1f} points)"
            for e in answer["most_sensitive_to"]))
    say(f"run folder: {folder}")


def _report_comparison(before_label: str, after_label: str, comparison: dict, folder: Path, title: str,
                       xlsx: Optional[Path], as_json: bool, extra: dict) -> None:
    """Write comparison.json/.csv/.png (and the Excel copy) and print the table and the headline."""
    from rich.table import Table

    from cpmodel.atomic import write_bytes, write_text
    from cpmodel.compare_report import HEADERS, comparison_csv, comparison_plot, comparison_rows
    from cpmodel.sim.compare import summary_sentence

    headline = summary_sentence(after_label, comparison)
    result = {"schema_version": 1, "before": before_label, "after": after_label, "headline": headline} | extra | comparison
    write_text(folder / "comparison.json", json.dumps(result, indent=2, sort_keys=True, default=str) + "\n")
    write_text(folder / "comparison.csv", comparison_csv(comparison))
    write_bytes(folder / "comparison.png", comparison_plot(comparison, title))
    if xlsx:
        from cpmodel.office import write_workbook
        write_workbook(xlsx, {"Comparison": (HEADERS, comparison_rows(comparison))})
    if as_json:
        print_json(result | {"run_folder": str(folder)})
        return
    table = Table(title=f"{after_label} against {before_label} ({comparison['paired_replications']} paired replications)")
    for column in ("", "before", "after", "difference (95% CI)"):
        table.add_column(column, justify="left" if not column else "right")
    for row in comparison["rows"]:
        scale = 100 if row["outcome"] == "deadline" else 1
        unit = "%" if scale == 100 else " h/wk"
        table.add_row(row["name"] + (" met" if scale == 100 else " hours"), f"{scale * row['before']['mean']:.1f}{unit}",
                      f"{scale * row['after']['mean']:.1f}{unit}",
                      f"{scale * row['difference']['mean']:+.1f} ({scale * row['difference']['low']:+.1f} to "
                      f"{scale * row['difference']['high']:+.1f})" + ("" if row["clear"] else " ~"))
    console.print(table)
    console.print("~ not clearly different from no change", highlight=False, markup=False, soft_wrap=True)
    console.print(headline, highlight=False, markup=False, soft_wrap=True)
    console.print(f"run folder: {folder}", highlight=False, markup=False, soft_wrap=True)


def _simulate_versus(before, after, plan, digest: str, out: Optional[Path], as_json: bool, xlsx: Optional[Path]) -> None:
    """`simulate SCENARIO --procedure OLD --versus NEW`: both procedures on the same seeds, both run
    folders kept (before/, after/), and their comparison."""
    from cpmodel.atomic import new_run_folder
    from cpmodel.compare_report import write_measures
    from cpmodel.simulation_report import manifest, write_run
    from cpmodel.sim.compare import compare_runs
    from cpmodel.sim.measures import measure
    from cpmodel.sim.runner import replication_seeds, run_replications
    from cpmodel.sim.stats import summarise

    seeds = replication_seeds(plan.seed, plan.replications)
    folder = new_run_folder(out, "versus")
    measured = {}
    with console.status("simulating both procedures", spinner="dots") as status:
        for label, procedure in (("before", before), ("after", after)):
            status.update(f"simulating {label}: {procedure.file}")
            results = run_replications(procedure, plan, seeds)
            summary = {"scenario": plan.name, "seed": plan.seed, "replications": len(seeds),
                       "horizon_years": plan.horizon_years, "warm_up_months": plan.warm_up_months} | summarise(results)
            write_run(folder / label, summary, results, manifest(plan, digest, procedure, seeds, sys.argv))
            write_measures(folder / label, results)
            measured[label] = [measure(r) for r in results]
    comparison = compare_runs(measured["before"], measured["after"])
    names = {label: Path(str(p.file)).name for label, p in (("before", before), ("after", after))}
    _report_comparison(names["before"], names["after"], comparison, folder,
                       f"{plan.name}: {names['after']} against {names['before']}, same seeds", xlsx, as_json,
                       {"scenario": plan.name, "scenario_sha256": digest})


@app.command()
@user_errors
def compare(run_a: Path = typer.Argument(..., help="The first simulate run folder (before)."),
            run_b: Path = typer.Argument(..., help="The second simulate run folder (after)."),
            out: Optional[Path] = typer.Option(None, "--out", help="Folder for the comparison (default: a new one under runs/)."),
            xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the table to this Excel file (new file)."),
            as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON.")):
    """Two simulate runs of the same scenario, paired by seed: what changed, with 95% CIs."""
    from cpmodel.atomic import new_run_folder
    from cpmodel.compare_report import read_run
    from cpmodel.sim.compare import compare_runs

    _check_new_file(xlsx)
    (manifest_a, before), (manifest_b, after) = read_run(run_a), read_run(run_b)
    if manifest_a.get("scenario_sha256") != manifest_b.get("scenario_sha256"):
        raise InputError(str(run_b), None, "manifest.json", f"was run on another scenario ({manifest_b.get('scenario')!r}) "
                         f"than {run_a} ({manifest_a.get('scenario')!r}); compare runs of the same scenario file")
    common = {m["seed"] for m in before} & {m["seed"] for m in after}
    if len(common) < 2:
        raise InputError(str(run_b), None, "manifest.json", f"shares {len(common)} replication seeds with {run_a}; "
                         "paired differences need at least 2 (run both with the same seed)")
    comparison = compare_runs(before, after)
    folder = new_run_folder(out, "compare")
    title = f"{manifest_a.get('scenario')}: {run_b.name} against {run_a.name}, paired by seed"
    _report_comparison(str(run_a), str(run_b), comparison, folder, title, xlsx, as_json,
                       {"scenario": manifest_a.get("scenario"), "scenario_sha256": manifest_a.get("scenario_sha256"),
                        "procedures": [manifest_a.get("procedure"), manifest_b.get("procedure")]})


@app.command()
@user_errors
def calibrate(events: Optional[Path] = typer.Argument(None, help="CSV event log (the audit contract; optional "
                                                    "household_id column)."),
              base: Optional[Path] = typer.Option(None, "--base", help="Scenario whose other figures are kept (default: county)."),
              out: Path = typer.Option(..., "--out", help="The calibrated scenario to write (a new file)."),
              d7: bool = typer.Option(False, "--d7", help="Fit the review outcomes to England's plan lengths (DfE D7 "
                                      "2025) by simulation, after any estimates from EVENTS."),
              replications: int = typer.Option(4, "--replications", "-n", min=1, max=10_000, help="Replications per step of the --d7 fit."),
              workers: int = typer.Option(1, "--workers", min=1, help="Local worker processes for the --d7 fit."),
              procedure: Optional[Path] = ProcedureOption,
              as_json: bool = typer.Option(False, "--json", help="Print the estimates as JSON.")):
    """Estimate scenario figures from the authority's own event log, each with a 95% CI and its source."""
    import datetime as dt

    from cpmodel.atomic import write_text
    from cpmodel.calibration_report import calibrated_yaml
    from cpmodel.model import load_procedure
    from cpmodel.model.errors import display_path
    from cpmodel.sim.calibrate import estimate, read_log
    from cpmodel.sim.overrides import with_values
    from cpmodel.sim.scenario import BUNDLED_SCENARIO, load_scenario

    if out.exists():
        raise InputError(str(out), None, "--out", "already exists; choose a new file name (nothing is overwritten)")
    if not out.parent.exists():
        raise InputError(str(out), None, "--out", f"folder {out.parent} does not exist")
    if events is None and not d7:
        raise InputError("calibrate", None, "EVENTS", "give an event log, or --d7 to fit plan lengths to England's")
    loaded = load_procedure(procedure)
    source = base or BUNDLED_SCENARIO
    plan, _ = load_scenario(source, loaded)
    found, too_small, rows, extras, header = [], [], 0, {}, ""
    if events is not None:
        units, has_household, rows, span = read_log(events, loaded)
        found, too_small, extras = estimate(units, has_household, span, len(plan.case_flow.end_at_review),
                                            sorted(plan.demand.children_per_household))
        header = (f"# Calibrated from {display_path(events)} ({rows} events, {span[0]} to {span[1]}) on "
                  f"{dt.date.today().isoformat()} by cpmodel calibrate.\n")
    changes = {tuple(str(p) for p in e.path): e.value for e in found}
    try:
        plan = with_values(plan, changes)
    except InputError as error:
        raise InputError(display_path(events), None, error.field, f"the estimate cannot be used: {error.message}") from None
    if d7 and plan.horizon_years - plan.warm_up_months / 12 < 3:
        raise InputError(display_path(source), None, "horizon_years", "--d7 needs at least 3 simulated years after the "
                         "warm-up (plans last up to 2 years and more); use a longer horizon, e.g. --base scenarios/county.yaml")
    if d7:
        from cpmodel.workers import replication_executor
        from cpmodel.sim.calibrate import Estimate
        from cpmodel.sim.plan_lengths import fit_review_outcomes
        from cpmodel.sim.stats import D7_2025
        with replication_executor(workers, None) as executor, console.status("fitting plan lengths to D7"):
            chances, forward, bands, history = fit_review_outcomes(loaded, plan, D7_2025, replications,
                                                                   executor=executor)
        found = [e for e in found if not e.name.startswith(("case_flow.end_at_review",
                                                             "case_flow.review_brought_forward_per_month"))]
        fitted = "fitted by simulation to DfE D7 2025 plan lengths (no interval: a fit, not an estimate)"
        found.append(Estimate(("case_flow", "end_at_review"), chances, chances, chances, replications, fitted))
        found.append(Estimate(("case_flow", "review_brought_forward_per_month"), forward, forward, forward,
                              replications, "ASSUMPTION " + fitted))
        extras["d7_fit"] = {"bands": {b: {"simulated": round(v, 4), "published": D7_2025[b],
                                          "points_off": round(100 * (v - D7_2025[b]), 1)} for b, v in bands.items()},
                            "steps": history}
        header += (f"# Review outcomes fitted to DfE D7 2025 plan lengths on {dt.date.today().isoformat()} "
                   "by cpmodel calibrate --d7.\n")
    header += f"# Every other figure is from {display_path(source)}.\n"
    write_text(out, calibrated_yaml(source, found, Path(events).name if events else "DfE D7 2025", header))
    load_scenario(out, loaded)                       # what was written must load as a scenario
    result = {"schema_version": 1, "events": display_path(events) if events else None, "rows": rows,
              "base": display_path(source), "out": str(out), "estimates": [e.to_json() for e in found],
              "kept_from_base": too_small} | extras
    if as_json:
        print_json(result)
        return
    say = lambda text: console.print(text, highlight=False, markup=False, soft_wrap=True)
    if events is not None:
        say(f"{display_path(events)}: {rows} events, {extras['log']['units']} {extras['log']['unit']}s, "
            f"{span[0]} to {span[1]}")
    for e in found:
        if isinstance(e.value, list) or e.basis.startswith("set to"):
            say(f"  {e.name}: {e.value} ({e.basis})")
        elif isinstance(e.value, dict):
            say(f"  {e.name}: " + ", ".join(f"{k}: {v:.3f}" for k, v in e.value.items()) + f" (n={e.n})")
        else:
            say(f"  {e.name}: {e.value:.4g} (95% CI {e.low:.4g}-{e.high:.4g}, n={e.n})")
    for name in too_small:
        errors.print(f"warning: {name}: the log is too small to estimate it; kept from {display_path(source)}",
                     highlight=False, markup=False, soft_wrap=True)
    for band, row in extras.get("d7_fit", {}).get("bands", {}).items():
        say(f"  plans ending {band}: {100 * row['simulated']:.1f}% simulated, {100 * row['published']:.1f}% "
            f"published ({row['points_off']:+.1f} points)")
    season = extras.get("seasonality", {})
    if season.get("tested"):
        say(f"  plan starts {'are' if season['seasonal'] else 'are not clearly'} seasonal (chi-square p = "
            f"{season['p_value']:.3f}); {season['note']}")
    say(f"wrote {out}")


StandardsOption = typer.Option(
    None, "--standards", help="An authority's local standards file (e.g. standards/example-authority.yaml): "
                              "also check the periods the procedure leaves to the plan; breaches are labelled local standard.")


def _load_standards(path, procedure):
    if path is None:
        return None
    from cpmodel.model.standards import load_standards
    return load_standards(path, procedure)


@app.command()
@user_errors
def pathway(name: Optional[str] = typer.Argument(None, help="A pathway name (see --list) or a YAML file."),
            list_all: bool = typer.Option(False, "--list", help="List the bundled pathways."),
            procedure: Optional[Path] = ProcedureOption,
            png: Optional[Path] = typer.Option(None, "--png", help="Draw the case's timeline to this PNG file (a new file)."),
            force: bool = typer.Option(False, "--force", help="Replace the --png file if it exists."),
            standards: Optional[Path] = StandardsOption,
            as_json: bool = typer.Option(False, "--json", help="Print the walk as JSON.")):
    """Walk a training pathway step by step: state, rule, citation, dates, and any breach."""
    from cpmodel.atomic import check_new_file
    from cpmodel.render_pathway import print_pathway, timeline_png, walk_pathway
    from cpmodel.model import load_procedure
    from cpmodel.model.pathways import load_pathway, pathway_names

    check_new_file(png, force, "--png")
    if png is not None and png.suffix.lower() not in (".png", ".svg"):
        # the picture would be a PNG whatever the name said: a .jpg that no viewer opens as one
        raise InputError(str(png), None, "--png", "the timeline is drawn as .png or .svg; name the file so")
    loaded = load_procedure(procedure)
    if list_all or name is None:
        for item in pathway_names():
            pathway_file, _ = load_pathway(item, loaded)
            console.print(f"{item:40} {pathway_file.name}")
        return
    pathway_file, steps = load_pathway(name, loaded)
    walker, end, windows = walk_pathway(loaded, pathway_file, steps, _load_standards(standards, loaded))
    reports = walker.reports
    if png is not None:
        from cpmodel.atomic import write_bytes
        write_bytes(png, timeline_png(pathway_file, reports, end, windows, "svg" if png.suffix.lower() == ".svg" else "png"),
                    replace=force)
    if as_json:
        print_json({"schema_version": 2, "pathway": name, "name": pathway_file.name,
                    "description": pathway_file.description, "standards": str(standards) if standards else pathway_file.standards,
                    "steps": [r.to_json() for r in reports],
                    "open_at_end": [b.to_json() for b in end],
                    "breaches": [b.to_json() for r in reports for b in r.breaches] + [b.to_json() for b in end],
                    "advice_not_followed": [b.to_json() for r in reports for b in r.advice]
                    + [b.to_json() for b in walker.end_advice]})
    else:
        print_pathway(console, loaded, pathway_file, reports, end, windows, walker.end_advice)


@app.command()
@user_errors
def audit(events: Path = typer.Argument(..., help="CSV event log: case_id, date, event, fact columns."),
          procedure: Optional[Path] = ProcedureOption,
          until: Optional[str] = typer.Option(None, "--until", help="Also flag deadlines open and overdue at this date (YYYY-MM-DD)."),
          standards: Optional[Path] = StandardsOption,
          xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write breaches per case and a summary to this Excel file (a new .xlsx)."),
          as_json: bool = typer.Option(False, "--json", help="Print the breaches as JSON.")):
    """Check many case histories against the procedure; report each breach per case and in total."""
    import datetime as dt

    from cpmodel.model import load_procedure
    from cpmodel.model.audit import audit_log

    end = None
    if until:
        from cpmodel.model.calendar import check_input_date, date_from_text
        try:
            end = date_from_text(until)
        except ValueError as error:
            raise InputError("--until", None, "", str(error)) from None
        try:
            check_input_date(end)
        except ValueError as error:
            raise InputError("--until", None, "", str(error)) from None
    _check_new_file(xlsx)
    loaded = load_procedure(procedure)
    result = audit_log(events, loaded, end, _load_standards(standards, loaded))
    data = result.to_json()
    if xlsx is not None:
        from cpmodel.audit_report import audit_sheets
        from cpmodel.office import write_workbook
        write_workbook(xlsx, audit_sheets(data, loaded))
    if as_json:
        print_json(data)
    else:
        from cpmodel.audit_report import print_audit
        print_audit(console, data, loaded)
    raise typer.Exit(1 if data["cases_with_breaches"] else 0)     # 1: breaches found, as check's findings


@app.command()
@user_errors
def report(procedure: Optional[Path] = ProcedureOption,
           scenario: Optional[str] = typer.Option(None, "--scenario", "-s", help="Scenario to simulate: a name or a file (default: county)."),
           replications: Optional[int] = typer.Option(None, "--replications", "-n", min=1, max=10_000, help="Override the scenario."),
           run: Optional[Path] = typer.Option(None, "--run", help="Use this finished `simulate` run folder instead of simulating again."),
           staff_run: Optional[Path] = typer.Option(None, "--staff", help="Include the answer of this `staff` run folder."),
           no_simulation: bool = typer.Option(False, "--no-simulation", help="Leave the simulation out."),
           out: Path = typer.Option(..., "--out", help="The HTML file to write (a new file)."),
           force: bool = typer.Option(False, "--force", help="Replace the --out file if it exists.")):
    """Write the handout: one self-contained HTML file with the check, the book's summary, the
    graph, every pathway, the simulation with its assumptions, and the staffing answer."""
    from cpmodel.atomic import write_text
    from cpmodel.book import build_book
    from cpmodel.draw_graph import render_full, render_view
    from cpmodel.graph_views import choose_view
    from cpmodel.html_report import (build_report, pathway_context, read_run, read_staffing,
                                     simulation_context)
    from cpmodel.render_pathway import walk_pathway
    from cpmodel.scenario_names import scenario_path
    from cpmodel.model import load_procedure
    from cpmodel.model.history import ProcedureIndex
    from cpmodel.model.pathways import load_pathway, pathway_names
    from cpmodel.proofs import run_checks

    from cpmodel.atomic import check_new_file
    check_new_file(out, force, "--out", (".html", ".htm"))
    staffing = read_staffing(staff_run) if staff_run is not None else None
    scenario_file = scenario_path(scenario)
    loaded = load_procedure(procedure)
    index = ProcedureIndex(loaded)
    walked = []
    for name in pathway_names():
        pathway_file, steps = load_pathway(name, loaded)
        walked.append((name, pathway_file, *walk_pathway(loaded, pathway_file, steps, index=index)))
    simulation, simulated_sha, simulated_settings = None, None, {}
    if run is not None:
        summary, manifest_data, workload = read_run(run)
        saved = manifest_data.get("scenario_file")
        kept = Path(run) / "scenario.yaml"        # the copy the run kept: the figures it used
        simulation = simulation_context(summary, workload, scenario_file or (kept if kept.is_file() else None)
                                        or (Path(saved) if saved else None), run, manifest_data)
        simulated_sha, simulated_settings = manifest_data.get("scenario_sha256"), summary.get("settings") or {}
    elif not no_simulation:
        from cpmodel.sim.runner import replication_seeds, run_replications
        from cpmodel.sim.scenario import BUNDLED_SCENARIO, load_scenario
        from cpmodel.sim.stats import summarise
        from cpmodel.simulation_report import workload_rows
        plan, simulated_sha = load_scenario(scenario_file, loaded)
        if replications:
            plan = plan.model_copy(update={"replications": replications})
        with console.status("simulating"):
            results = run_replications(loaded, plan, replication_seeds(plan.seed, plan.replications))
        summary = {"scenario": plan.name, "seed": plan.seed, "replications": plan.replications,
                   "horizon_years": plan.horizon_years, "warm_up_months": plan.warm_up_months} | summarise(results)
        simulation = simulation_context(summary, workload_rows(results), scenario_file or BUNDLED_SCENARIO, None)
    if staffing is not None and simulation is not None:
        from cpmodel.html_report import staffing_mismatch
        staffing["mismatch"] = staffing_mismatch(staffing, simulation, simulated_sha, simulated_settings)
    check_report = run_checks(loaded)
    graphs = {"main": render_view(loaded, choose_view(loaded, "main"), "svg"), "full": render_full(loaded, "svg")}
    html = build_report(loaded, check_report, build_book(loaded, check_report), graphs,
                        pathway_context(loaded, walked), simulation, staffing)
    write_text(out, html, replace=force)
    console.print(f"wrote {out} ({len(html) / 1e6:.1f} MB)")


@app.command()
@user_errors
def book(procedure: Optional[Path] = typer.Argument(None, help="Procedure YAML (default: bundled)."),
         out: Optional[Path] = typer.Option(None, "--out", help="The file to write (default: procedure-book.html or .docx; never overwritten)."),
         book_format: Optional[str] = typer.Option(None, "--format", help="html (default) or docx (Word); taken from --out's ending if not given."),
         no_check: bool = typer.Option(False, "--no-check", help="Leave the checker's findings out (faster).")):
    """Write the procedure as a book: each paragraph of the documents, then what the model makes of it in words."""
    from cpmodel.atomic import write_bytes, write_text
    from cpmodel.book import book_html, build_book
    from cpmodel.model import load_procedure

    chosen = (book_format or (out.suffix.lstrip(".").lower() if out is not None and out.suffix else "html")).lower()
    if chosen not in ("html", "docx"):
        raise InputError("--format", None, chosen, "use html or docx")
    out = out or Path(f"procedure-book.{chosen}")
    if out.suffix.lower() != f".{chosen}":
        raise InputError(str(out), None, "--out", f"a {chosen} book's file name ends in .{chosen}")
    if out.exists():
        raise InputError(str(out), None, "--out", "already exists; choose a new file name (nothing is overwritten)")
    loaded = load_procedure(procedure)
    report = None
    if not no_check:
        from cpmodel.proofs import run_checks
        report = run_checks(loaded)
    contents = build_book(loaded, report)
    if chosen == "docx":
        from cpmodel.book_docx import book_docx
        write_bytes(out, book_docx(contents))
    else:
        write_text(out, book_html(contents))
    console.print(f"wrote {out}: {len(contents.documents)} documents, "
                  f"{sum(len(s.paragraphs) for d in contents.documents for s in d.sections)} paragraphs", highlight=False)


@app.command()
@user_errors
def schema(kind: str = typer.Argument(..., help="procedure, scenario or pathway."),
           out: Path = typer.Option(Path("schemas"), "--out", help="Folder for the schema file (created if missing).")):
    """Write a JSON Schema for a file you edit, so an editor can complete and check it as you type."""
    from cpmodel.atomic import write_text
    from cpmodel.json_schema import KINDS, schema_text

    if kind not in KINDS:
        from cpmodel.model.loader import suggestion
        raise InputError("KIND", None, kind, f"unknown kind{suggestion(kind, KINDS)}; use one of {', '.join(KINDS)}")
    if out.exists() and not out.is_dir():
        raise InputError(str(out), None, "--out", "exists and is not a folder")
    path = out / f"{kind}.schema.json"
    if path.exists():
        raise InputError(str(path), None, "--out", "already exists; choose another folder (nothing is overwritten)")
    write_text(path, schema_text(kind))
    console.print(f"wrote {path}: add the line `# yaml-language-server: $schema={path}` at the top of a {kind} file "
                  "for completion and checking in your editor", highlight=False, soft_wrap=True)


def main() -> None:
    import signal

    from cpmodel.startup import in_own_process
    from cpmodel.workers import stop_on_signal
    in_own_process()
    # SIGTERM (a scheduler's kill, `timeout`) is handled like Ctrl-C, so every command removes the
    # run folder it claimed instead of leaving half of it behind
    signal.signal(signal.SIGTERM, stop_on_signal)
    app()


if __name__ == "__main__":
    main()
