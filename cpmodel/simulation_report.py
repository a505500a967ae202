"""A simulation run folder: CSV tables, a JSON summary, PNG plots and a manifest."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import platform
import sys
from importlib import metadata
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.atomic import write_files  # noqa: E402
from cpmodel.figure_bytes import figure_bytes

PACKAGES = ("cpmodel", "simpy", "numpy", "scipy", "holidays", "z3-solver", "networkx", "pydantic", "matplotlib")
POOL_NAMES = {"social_workers": "Social workers", "team_managers": "Team managers",
              "conference_chairs": "Conference chairs / IROs"}


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def manifest(scenario, scenario_hash: str, procedure, seeds: list[int], command: list[str]) -> dict:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    procedure_hash = hashlib.sha256(Path(procedure.file).read_bytes()).hexdigest() \
        if Path(procedure.file).exists() else None
    return {"scenario": scenario.name, "scenario_sha256": scenario_hash, "procedure": procedure.file,
            "procedure_sha256": procedure_hash, "procedure_version": procedure.spec.version,
            "seed": scenario.seed, "replication_seeds": seeds, "replications": len(seeds),
            "python": sys.version.split()[0], "platform": platform.platform(), "packages": versions,
            "command": command}


def write_run(folder: Path, summary: dict, results, manifest_data: dict, scenario_bytes: bytes | None = None) -> list[Path]:
    """The run folder's files; with scenario_bytes, a copy of the scenario file as the run read it
    (scenario.yaml), so a report made later shows the figures the run used even if the file changes."""
    files = {
        "summary.json": json.dumps(summary, indent=2, sort_keys=True) + "\n",
        "manifest.json": json.dumps(manifest_data, indent=2) + "\n",
        "compliance.csv": _csv([{"deadline_kind": kind, "due_per_replication": round(d["due_per_replication"], 1),
                                 "met_share_mean": round(d["met_share"]["mean"], 4),
                                 "met_share_low_95": round(d["met_share"]["low"], 4),
                                 "met_share_high_95": round(d["met_share"]["high"], 4),
                                 "late_share_of_due": round(1 - d["met_share"]["mean"], 4),
                                 "lateness_p50_working_days": d["lateness_working_days"]["p50"],
                                 "lateness_p90_working_days": d["lateness_working_days"]["p90"],
                                 "lateness_p95_working_days": d["lateness_working_days"]["p95"],
                                 "lateness_max_working_days": d["lateness_working_days"]["max"]}
                                for kind, d in summary["deadlines"].items() if d["met_share"]["replications"]]),
        "replications.csv": _csv([{"replication": i + 1, "seed": r.seed, "deadline_kind": kind, "due": len(v),
                                   "met": int(np.sum(np.asarray(v) == 0))}
                                  for i, r in enumerate(results) for kind, v in sorted(r.lateness.items())]),
        "workload_weekly.csv": _csv(workload_rows(results)),
        "caseload_weekly.csv": _csv([{"week": week + 1,
                                      "caseload_mean": round(float(np.mean([r.caseload_mean_by_week[week] for r in results])), 2),
                                      "caseload_max": round(float(np.mean([r.caseload_max_by_week[week] for r in results])), 2),
                                      "open_households": round(float(np.mean([r.open_households_by_week[week] for r in results])), 1),
                                      "backlog_overdue_tasks": round(float(np.mean([r.backlog_by_week[week] for r in results])), 1)}
                                     for week in range(min(len(r.caseload_mean_by_week) for r in results))]),
        "plan_durations.csv": _csv([{"duration": name, "simulated_share": round(v["simulated"]["mean"], 4),
                                     "low_95": round(v["simulated"]["low"], 4), "high_95": round(v["simulated"]["high"], 4),
                                     "published_share_d7_2025": v["published_d7_2025"]}
                                    for name, v in summary["plan_durations"].items()]),
        "compliance.png": plot_compliance(summary),
        "workload.png": plot_workload(workload_rows(results), summary.get("scenario", "")),
        "lateness.png": plot_lateness(summary),
    }
    if scenario_bytes is not None:
        files["scenario.yaml"] = scenario_bytes
    return write_files(folder, files)


def _image(figure, image_format: str = "png") -> bytes:
    """PNG for files and slides; SVG where the picture must zoom (the report)."""
    return figure_bytes(figure, image_format, dpi=120)



def plot_compliance(summary: dict, image_format: str = "png") -> bytes:
    items = [(k, d["met_share"]) for k, d in summary["deadlines"].items() if d["met_share"]["replications"]]
    items.sort(key=lambda item: item[1]["mean"])
    figure, axes = plt.subplots(figsize=(10, 0.45 * len(items) + 1.5))
    names = [k.replace("_", " ") for k, _ in items]
    means = np.array([v["mean"] for _, v in items]) * 100
    errors = np.array([[v["mean"] - v["low"], v["high"] - v["mean"]] for _, v in items]).T * 100
    colours = ["#c0392b" if m < 90 else "#e6a23c" if m < 95 else "#2e8b57" for m in means]
    axes.barh(names, means, xerr=errors, color=colours, capsize=3)
    axes.axvline(95, color="#555555", linestyle="--", linewidth=1)
    axes.set_xlim(0, 100)
    axes.set_xlabel("deadlines met on time (%), mean and 95% confidence interval over replications")
    axes.set_title(f"{summary.get('scenario', 'Simulation')}: deadlines met on time, by kind")
    for y, value in enumerate(means):
        axes.text(1.5, y, f"{value:.1f}%", va="center", fontsize=9, color="white", fontweight="bold")
    axes.text(95.5, len(items) - 0.4, "95%", fontsize=8, color="#555555")
    return _image(figure, image_format)


def workload_rows(results) -> list[dict]:
    """Hours worked and available per role and week, mean over replications (workload_weekly.csv)."""
    return [{"week": week + 1, "role": pool,
             "hours_mean": round(float(np.mean([r.hours_by_week[pool][week] for r in results])), 2),
             "hours_available_mean": round(float(np.mean([r.available_by_week[pool][week] for r in results])), 2)}
            for pool in sorted(results[0].hours_by_week)
            for week in range(min(len(r.hours_by_week[pool]) for r in results))]


def plot_workload(rows: list[dict], scenario: str = "", image_format: str = "png") -> bytes:
    """From workload_weekly.csv's rows, so a report can redraw a finished run without re-simulating."""
    figure, axes = plt.subplots(figsize=(10, 4.5))
    for pool in sorted({row["role"] for row in rows}):
        mine = [row for row in rows if row["role"] == pool]
        weeks = [int(row["week"]) for row in mine]
        line, = axes.plot(weeks, [float(row["hours_mean"]) for row in mine], label=f"{POOL_NAMES.get(pool, pool)}: worked")
        axes.plot(weeks, [float(row["hours_available_mean"]) for row in mine], linestyle=":", color=line.get_color(),
                  label=f"{POOL_NAMES.get(pool, pool)}: available")
    axes.set_xlabel("week after warm-up")
    axes.set_ylabel("hours per week (mean over replications)")
    axes.set_title(f"{scenario + ': ' if scenario else ''}weekly hours worked and available, by role")
    axes.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    return _image(figure, image_format)


def plot_lateness(summary: dict, image_format: str = "png") -> bytes:
    """Lateness as a share of what was due, by deadline kind: a count of late deadlines means
    nothing without the number that were due."""
    rows = list(reversed(deadline_rows(summary)))
    figure, axes = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.8))
    names = [row["name"] for row in rows]
    shares = np.array([row["late_share"] for row in rows]) * 100
    axes.barh(names, shares, color=["#c0392b" if s > 10 else "#e6a23c" if s > 5 else "#7f8c8d" for s in shares])
    top = max(10.0, float(shares.max()) * 1.35 if len(shares) else 10.0)
    axes.set_xlim(0, min(100.0, top) if top < 100 else 100)
    for y, row in enumerate(rows):
        axes.text(row["late_share"] * 100 + top * 0.01, y,
                  f"{100 * row['late_share']:.1f}%: {row['late_due']:,.0f} of {row['due']:,.0f} due",
                  va="center", fontsize=8.5)
    axes.set_xlabel("share of deadlines due that were late (%), mean over replications")
    axes.set_title(f"{summary.get('scenario', 'Simulation')}: late deadlines as a share of those due, by kind\n"
                   f"({summary.get('replications', '?')} replications; counts are per replication)")
    return _image(figure, image_format)


def deadline_rows(summary: dict) -> list[dict]:
    """Each simulated deadline kind in words, worst first: due, met, late as a share of due."""
    rows = []
    for kind, data in summary["deadlines"].items():
        share = data["met_share"]
        if not share.get("replications"):
            continue
        late = data["lateness_working_days"]
        rows.append({"kind": kind, "name": kind.replace("_", " "), "due": data["due_per_replication"],
                     "met": share["mean"], "interval": share, "late_share": 1 - share["mean"],
                     "late_due": (1 - share["mean"]) * data["due_per_replication"],
                     "p50": late.get("p50"), "p90": late.get("p90"), "max": late.get("max")})
    rows.sort(key=lambda row: (row["met"], row["kind"]))
    return rows


def simulation_sheets(summary: dict) -> dict:
    """The run's tables for a spreadsheet: one sheet each, headers in words with units."""
    from cpmodel.words import interval_text

    deadlines = [[r["name"], round(r["due"], 1), round(100 * r["met"], 2),
                  round(100 * r["interval"]["low"], 2) if r["interval"]["replications"] > 1 else None,
                  round(100 * r["interval"]["high"], 2) if r["interval"]["replications"] > 1 else None,
                  round(100 * r["late_share"], 2), r["p50"], r["p90"], r["max"], r["kind"]] for r in deadline_rows(summary)]
    workload = [[POOL_NAMES.get(pool, pool), round(hours["mean"], 1), interval_text(hours, 1, 1, ""),
                 round(100 * summary["utilisation"][pool]["mean"], 1)] for pool, hours in summary["hours_per_week"].items()]
    durations = [[name, round(100 * v["simulated"]["mean"], 1), round(100 * v["published_d7_2025"], 1)]
                 for name, v in summary["plan_durations"].items()]
    caseload = summary["caseload_per_worker"]
    overview = [["Scenario", summary.get("scenario")], ["Replications", summary.get("replications")],
                ["Seed", summary.get("seed")], ["Years simulated after warm-up", summary.get("horizon_years")],
                ["Warm-up (months)", summary.get("warm_up_months")],
                ["Children per social worker, average", round(caseload["mean"]["mean"], 1)],
                ["Children per social worker, largest", round(caseload["max"]["mean"], 1)],
                ["Open households, average", round(summary["open_households"]["mean"], 1)],
                ["Overdue tasks waiting, average", round(summary["backlog_overdue_tasks"]["mean"], 1)]]
    from cpmodel.words import not_simulated as skipped_by
    not_simulated = [[kind.replace("_", " "), reason, kind] for kind, reason in skipped_by(summary).items()]
    return {
        "Summary": (["Item", "Value"], overview),
        "Deadlines": (["Deadline kind", "Due per replication (count)", "Met on time (%)",
                       "95% interval low (%)", "95% interval high (%)", "Late (% of due)",
                       "Median lateness (working days)", "90th percentile lateness (working days)",
                       "Longest lateness (working days)", "Deadline id"], deadlines),
        "Workload": (["Role", "Hours worked a week (mean)", "Hours a week, 95% interval", "Utilisation (%)"], workload),
        "Plan lengths": (["Plan length", "Simulated (% of plans ended)", "DfE table D7, 2025 (% of plans ended)"], durations),
        "Not simulated": (["Deadline kind", "Why not", "Deadline id"], not_simulated),
    }
