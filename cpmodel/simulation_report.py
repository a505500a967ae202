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


def write_run(folder: Path, summary: dict, results, manifest_data: dict) -> list[Path]:
    files = {
        "summary.json": json.dumps(summary, indent=2, sort_keys=True) + "\n",
        "manifest.json": json.dumps(manifest_data, indent=2) + "\n",
        "compliance.csv": _csv([{"deadline_kind": kind, "due_per_replication": round(d["due_per_replication"], 1),
                                 "met_share_mean": round(d["met_share"]["mean"], 4),
                                 "met_share_low_95": round(d["met_share"]["low"], 4),
                                 "met_share_high_95": round(d["met_share"]["high"], 4),
                                 "lateness_p50_wd": d["lateness_working_days"]["p50"],
                                 "lateness_p90_wd": d["lateness_working_days"]["p90"],
                                 "lateness_p95_wd": d["lateness_working_days"]["p95"],
                                 "lateness_max_wd": d["lateness_working_days"]["max"]}
                                for kind, d in summary["deadlines"].items() if d["met_share"]["replications"]]),
        "replications.csv": _csv([{"replication": i + 1, "seed": r.seed, "deadline_kind": kind, "due": len(v),
                                   "met": int(np.sum(np.asarray(v) == 0))}
                                  for i, r in enumerate(results) for kind, v in sorted(r.lateness.items())]),
        "workload_weekly.csv": _csv([{"week": week + 1, "role": pool,
                                      "hours_mean": round(float(np.mean([r.hours_by_week[pool][week] for r in results])), 2),
                                      "hours_available_mean": round(float(np.mean([r.available_by_week[pool][week] for r in results])), 2)}
                                     for pool in sorted(results[0].hours_by_week)
                                     for week in range(min(len(r.hours_by_week[pool]) for r in results))]),
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
        "workload.png": plot_workload(results),
        "lateness.png": plot_lateness(results),
    }
    return write_files(folder, files)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", dpi=120)
    plt.close(figure)
    return buffer.getvalue()


def plot_compliance(summary: dict) -> bytes:
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
    axes.set_title("Compliance by deadline kind")
    for y, value in enumerate(means):
        axes.text(1.5, y, f"{value:.1f}%", va="center", fontsize=9, color="white", fontweight="bold")
    axes.text(95.5, len(items) - 0.4, "95%", fontsize=8, color="#555555")
    return _png(figure)


def plot_workload(results) -> bytes:
    figure, axes = plt.subplots(figsize=(10, 4.5))
    for pool in sorted(results[0].hours_by_week):
        weeks = min(len(r.hours_by_week[pool]) for r in results)
        series = np.mean([r.hours_by_week[pool][:weeks] for r in results], axis=0)
        available = np.mean([r.available_by_week[pool][:weeks] for r in results], axis=0)
        line, = axes.plot(range(1, weeks + 1), series, label=f"{POOL_NAMES.get(pool, pool)}: worked")
        axes.plot(range(1, weeks + 1), available, linestyle=":", color=line.get_color(), label=f"{POOL_NAMES.get(pool, pool)}: available")
    axes.set_xlabel("week after warm-up")
    axes.set_ylabel("hours per week (mean over replications)")
    axes.set_title("Weekly workload by role")
    axes.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    return _png(figure)


def plot_lateness(results) -> bytes:
    late = np.concatenate([np.asarray(v, dtype=float) for r in results for v in r.lateness.values()])
    late = late[late > 0]
    figure, axes = plt.subplots(figsize=(8, 4))
    if late.size:
        axes.hist(late, bins=np.arange(1, min(late.max(), 60) + 2) - 0.5, color="#c0392b")
    axes.set_xlabel("working days late (late deadlines only, all kinds)")
    axes.set_ylabel("number of deadlines")
    axes.set_title(f"Lateness: {late.size} late deadlines over {len(results)} replications")
    return _png(figure)
