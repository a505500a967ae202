"""The handout: one self-contained HTML file for someone who never ran a command. The check in
plain words, the book's summary, the state graph (SVG, zooms), every pathway as the terminal
tells it, the simulation with its assumptions and sources, and the staffing answer when given.
Laid out by `templates/report.html.j2`; images inlined; no scripts, no network."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from cpmodel.html_templates import data_uri, render
from cpmodel.render_findings import witness_text
from cpmodel.words import interval_text, measured_months, not_simulated, percent
from cpmodel.model.errors import InputError
from cpmodel.model.sources import heading_of


def _svg(content: bytes) -> str:
    return data_uri(content, "image/svg+xml")


def _cites(refs) -> list[dict]:
    return [{"ref": r, "heading": heading_of(r) or ""} for r in refs]


def check_context(report) -> dict:
    findings = []
    order = {"error": 0, "warning": 1, "info": 2}
    # what fails first, then known defects, then notes for information
    for finding in sorted(report.findings, key=lambda f: (f.severity == "info", f.acknowledged, order.get(f.severity, 3), f.id)):
        status = "acknowledged known defect" if finding.acknowledged else ("fails the check" if finding.fails else "")
        findings.append({"severity": finding.severity, "kind": finding.kind.replace("_", " "), "message": finding.message,
                         "id": finding.id, "status": status,
                         "reason": " ".join(finding.acknowledgement["reason"].split()) if finding.acknowledged else "",
                         "witness": witness_text(finding.witness) if finding.witness else "",
                         "cites": _cites(finding.citations)})
    counts = report.counts()
    verdict = ("The procedure is not consistent: the checker found errors nobody has acknowledged."
               if report.failed() else "The procedure is consistent: no unacknowledged errors.")
    open_errors = sum(1 for f in report.findings if f.severity == "error" and not f.acknowledged)
    open_warnings = sum(1 for f in report.findings if f.severity == "warning" and not f.acknowledged)
    words = (f"In all, {counts['error']} errors, {counts['warning']} warnings and {counts['info']} notes for "
             f"information; {counts['acknowledged']} of the errors and warnings are known defects of the source "
             "documents, acknowledged in the procedure file with a reason, which leaves "
             f"{open_errors} unacknowledged error{'' if open_errors == 1 else 's'} and "
             f"{open_warnings} unacknowledged warning{'' if open_warnings == 1 else 's'}.")
    return {"consistent": not report.failed(), "verdict": verdict, "counts": words, "findings": findings}


def pathway_context(procedure, walked) -> list[dict]:
    from cpmodel.render_pathway import narrate, timeline_png

    out = []
    for name, pathway, walker, end, windows in walked:
        reports = walker.reports
        breaches = sum(len(r.breaches) for r in reports) + len(end)
        out.append({"name": name, "title": pathway.name, "description": " ".join(pathway.description.split()),
                    "timeline": _svg(timeline_png(pathway, reports, end, windows, "svg")),
                    "lines": narrate(procedure, pathway, reports, end, windows, getattr(walker, "end_advice", [])),
                    "breaches": breaches,
                    "expected": len(pathway.expect_breaches)})
    return out


def read_run(folder: Path) -> tuple[dict, dict, list[dict]]:
    """A finished `simulate` run folder: its summary, manifest and weekly workload."""
    summary_file = Path(folder) / "summary.json"
    if not Path(folder).is_dir():
        raise InputError(str(folder), None, "--run", "no such folder; give a folder written by `cpmodel simulate`")
    if not summary_file.exists():
        raise InputError(str(folder), None, "--run", "not a simulation run folder (no summary.json); "
                         "give a folder written by `cpmodel simulate`")
    summary = _json_of(summary_file, "cpmodel simulate")
    manifest_file = Path(folder) / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else {}
    workload_file = Path(folder) / "workload_weekly.csv"
    rows = list(csv.DictReader(workload_file.open(encoding="utf-8"))) if workload_file.exists() else []
    return summary, manifest, rows


def simulation_context(summary: dict, workload: list[dict], scenario_file: Path | None, run_folder,
                       manifest: dict | None = None) -> dict:
    try:
        return _simulation_context(summary, workload, scenario_file, run_folder, manifest or {})
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        where = Path(run_folder) / "summary.json" if run_folder else "the simulation's summary"
        raise InputError(str(where), None, "", f"is not what cpmodel simulate writes (its {error} is missing or "
                         "of the wrong kind); run cpmodel simulate again") from None


def _scenario_changed(scenario_file: Path, manifest: dict) -> bool:
    """The scenario file is not the one the run read (its SHA-256 is not the manifest's)."""
    import hashlib
    recorded = manifest.get("scenario_sha256")
    return bool(recorded) and hashlib.sha256(Path(scenario_file).read_bytes()).hexdigest() != recorded


def _simulation_context(summary: dict, workload: list[dict], scenario_file: Path | None, run_folder,
                        manifest: dict) -> dict:
    from cpmodel.scenario_assumptions import figures_as_run, scenario_figures
    from cpmodel.simulation_report import POOL_NAMES, deadline_rows, plot_compliance, plot_lateness, plot_workload

    rows = [{"name": r["name"], "kind": r["kind"], "due": f"{r['due']:,.0f}", "met": percent(r["met"]),
             "interval": interval_text(r["interval"]), "late": percent(r["late_share"]),
             "late_count": f"{r['late_due']:,.0f}", "p90": "n/a" if r["p90"] is None else f"{r['p90']:.0f}",
             "longest": "n/a" if r["max"] is None else f"{r['max']:.0f}"} for r in deadline_rows(summary)]
    work = [{"role": POOL_NAMES.get(pool, pool), "hours": f"{hours['mean']:.0f}",
             "hours_interval": interval_text(hours, 0, 1, ""),
             "utilisation": percent(summary["utilisation"][pool]["mean"], 0),
             "utilisation_interval": interval_text(summary["utilisation"][pool], 0)}
            for pool, hours in summary["hours_per_week"].items()]
    caseload = summary["caseload_per_worker"]
    lengths = [{"length": name, "simulated": percent(v["simulated"]["mean"]),
                "interval": interval_text(v["simulated"]), "published": percent(v["published_d7_2025"])}
               for name, v in sorted(summary["plan_durations"].items(), key=lambda item: _band_order(item[0]))]
    plots = [("Late deadlines as a share of those due", plot_lateness(summary, "svg")),
             ("Deadlines met on time", plot_compliance(summary, "svg"))]
    if workload:
        plots.append(("Weekly hours by role", plot_workload(workload, summary.get("scenario", ""), "svg")))
    figures, figures_note = [], ""
    if scenario_file and Path(scenario_file).exists():
        figures = figures_as_run(scenario_figures(scenario_file), summary)
        if _scenario_changed(scenario_file, manifest):
            figures_note = ("This file has changed since the run was made (it is not the file the run read): "
                            "the figures below are the file's as it is now, not necessarily the run's.")
    return {"scenario": summary["scenario"], "replications": summary["replications"], "seed": summary["seed"],
            "horizon_years": summary["horizon_years"], "warm_up_months": summary["warm_up_months"],
            "measured_months": f"{measured_months(summary):g}",
            "rows": rows, "work": work, "lengths": lengths,
            "caseload": (f"Each social worker holds {caseload['mean']['mean']:.1f} children on plans on average "
                         f"({caseload['max']['mean']:.0f} at most); {summary['open_households']['mean']:.0f} households "
                         f"are open on average, and {summary['backlog_overdue_tasks']['mean']:.1f} overdue tasks "
                         "are waiting at any time."),
            "not_simulated": [{"kind": k.replace("_", " "), "why": v} for k, v in not_simulated(summary).items()],
            "plots": [{"title": title, "uri": _svg(svg)} for title, svg in plots],
            "figures": figures, "assumptions": sum(1 for f in figures if f.assumption),
            "figures_changed": sum(1 for f in figures if f.changed), "figures_note": figures_note,
            "scenario_file": str(scenario_file) if scenario_file else "", "run_folder": str(run_folder or "")}


def read_staffing(folder: Path) -> dict:
    answer_file = Path(folder) / "staffing.json"
    if not Path(folder).is_dir():
        raise InputError(str(folder), None, "--staff", "no such folder; give a folder written by `cpmodel staff`")
    if not answer_file.exists():
        raise InputError(str(folder), None, "--staff", "not a staffing run folder (no staffing.json); "
                         "give a folder written by `cpmodel staff`")
    answer = _json_of(answer_file, "cpmodel staff")
    try:
        return _staffing_context(folder, answer)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise InputError(str(answer_file), None, "", f"is not what cpmodel staff writes (its {error} is missing "
                         "or of the wrong kind); run cpmodel staff again") from None


def _json_of(path: Path, writer: str) -> dict:
    """A run's JSON file as a mapping, or a located error (damaged, or not written by cpmodel)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(str(path), None, "", f"cannot be read as JSON ({error}); run {writer} again") from None
    if not isinstance(data, dict):
        raise InputError(str(path), None, "", f"is not what {writer} writes (not a mapping); run {writer} again")
    return data


def _staffing_context(folder: Path, answer: dict) -> dict:
    role = answer["role"].replace("_", " ")
    targets = ", ".join(f"{k.replace('_', ' ')} {100 * v:.0f}%" for k, v in answer["targets"].items())
    if answer.get("level") is not None:
        headline = (f"{answer['level']} {role}s are the fewest that meet every target ({targets}) with 95% "
                    "confidence, in the range searched.")
    else:
        headline = (f"No level in {answer['range'][0]}-{answer['range'][1]} {role}s meets every target ({targets}); "
                    f"the best seen was {answer.get('best_level_seen')}.")
    levels = []
    for level in answer.get("levels", []):
        shares = {k: v for k, v in level["compliance"].items() if k in answer["targets"]}
        levels.append({"level": level["level"], "replications": level.get("replications", ""),
                       "shares": "; ".join(f"{k.replace('_', ' ')} {percent(v['mean'])} ({interval_text(v)})"
                                           for k, v in shares.items()),
                       "chosen": level["level"] == answer.get("level")})
    picture = None
    for name, mime in (("staffing.svg", "image/svg+xml"), ("staffing.png", "image/png")):
        if (Path(folder) / name).exists():
            picture = data_uri((Path(folder) / name).read_bytes(), mime)
            break
    request_file = Path(folder) / "request.json"
    try:
        request = json.loads(request_file.read_text(encoding="utf-8")) if request_file.exists() else {}
    except (OSError, UnicodeDecodeError, ValueError):
        request = {}
    from cpmodel.scenario_assumptions import settings_text
    settings = answer.get("settings") or {}
    return {"headline": headline, "levels": levels, "picture": picture, "folder": str(folder),
            "overtime": answer.get("overtime", ""), "scenario": answer.get("scenario", ""),
            "settings": settings, "settings_text": settings_text(settings),
            "scenario_sha256": request.get("scenario_sha256") if isinstance(request, dict) else None,
            "mismatch": ""}


def staffing_mismatch(staffing: dict, simulation: dict, scenario_sha256: str | None, settings: dict) -> str:
    """Why the staffing answer may not be about the scenario the simulation shows ("" if it is):
    another scenario file, another version of it, or other --set changes."""
    theirs = staffing.get("scenario_sha256")
    if staffing.get("scenario") and staffing["scenario"] != simulation.get("scenario"):
        return (f"The staffing answer is for another scenario ({staffing['scenario']}) than the simulation "
                f"above ({simulation.get('scenario')}): do not read one against the other.")
    if theirs and scenario_sha256 and theirs != scenario_sha256:
        return ("The staffing answer was found on another version of the scenario file than the simulation "
                "above: the two may not agree.")
    if (staffing.get("settings") or {}) != (settings or {}):
        from cpmodel.scenario_assumptions import settings_text
        mine = settings_text(settings or {}) or "none"
        return (f"The staffing answer was found with other command-line changes ({staffing['settings_text'] or 'none'}) "
                f"than the simulation above ({mine}): the two may not agree.")
    return ""


def build_report(procedure, check_report, book, graphs: dict[str, bytes], pathways: list[dict],
                 simulation: dict | None, staffing: dict | None) -> str:
    from cpmodel.book import summary_sentences

    headline = []
    if simulation and simulation["rows"]:
        worst = simulation["rows"][0]
        headline.append(f"In the simulation of {simulation['scenario']}, the deadline least often met is "
                        f"{worst['name']}: {worst['met']} on time, {worst['late']} of those due late.")
    if staffing:
        headline.append(staffing["headline"] + (f" {staffing['mismatch']}" if staffing.get("mismatch") else ""))
    return render("report.html.j2", procedure=procedure, made=dt.datetime.now().strftime("%d %B %Y %H:%M"),
                  check=check_context(check_report), book_summary=summary_sentences(book), headline=headline,
                  graphs={k: _svg(v) for k, v in graphs.items()}, pathways=pathways, simulation=simulation,
                  staffing=staffing)


def _band_order(band: str) -> int:
    """D7's bands shortest first (summary.json may hold them in any order; an unknown band last)."""
    from cpmodel.sim.stats import BANDS
    return BANDS.index(band) if band in BANDS else len(BANDS)
