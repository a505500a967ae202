"""Reading simulation run folders for comparison, and the comparison as a table, plot and sentences."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.atomic import write_text  # noqa: E402
from cpmodel.model.errors import InputError  # noqa: E402
from cpmodel.figure_bytes import figure_bytes

MEASURES = "measures.json"
HEADERS = ["outcome", "deadline kind or role", "before (mean)", "after (mean)", "difference (mean)",
           "difference 95% CI low", "difference 95% CI high", "paired replications", "clear difference"]


def write_measures(folder: Path, results) -> None:
    """Per-replication measures, so that `cpmodel compare` can pair this run with another by seed."""
    from cpmodel.sim.measures import measure
    write_text(folder / MEASURES, json.dumps([measure(r) for r in results], sort_keys=True) + "\n")


def read_run(folder: Path) -> tuple[dict, list[dict]]:
    """A simulate run folder's manifest and per-replication measures, or a located error."""
    if not folder.is_dir():
        raise InputError(str(folder), None, "", "not a folder (give a run folder written by cpmodel simulate)")
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise InputError(str(folder), None, "manifest.json", "missing or unreadable: not a simulate run folder") from None
    try:
        measures = json.loads((folder / MEASURES).read_text())
    except (OSError, ValueError):
        raise InputError(str(folder), None, MEASURES, "missing or unreadable (the run was made before runs kept "
                         "per-replication measures); run cpmodel simulate again") from None
    problem = _measures_problem(measures)
    if problem:
        raise InputError(str(folder / MEASURES), None, "", f"is not what cpmodel simulate writes ({problem}); "
                         "run cpmodel simulate again")
    if not isinstance(manifest, dict):
        raise InputError(str(folder / "manifest.json"), None, "", "is not what cpmodel simulate writes (not a mapping)")
    return manifest, measures


def _measures_problem(measures) -> str | None:
    """What is wrong with a measures.json, in words; None when it has the shape `measure` writes."""
    if not isinstance(measures, list) or not measures:
        return "a list of replications was expected"
    for number, entry in enumerate(measures, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("seed"), int):
            return f"replication {number} has no whole-number seed"
        for name in ("deadlines", "hours_per_week"):
            if not isinstance(entry.get(name), dict):
                return f"replication {number} has no {name}"
        for kind, counts in entry["deadlines"].items():
            due, met = (counts.get("due"), counts.get("met")) if isinstance(counts, dict) else (None, None)
            if not (isinstance(due, int) and isinstance(met, int) and 0 <= met <= due):
                return f"replication {number}, {kind}: 'due' and 'met' must be whole numbers with 0 <= met <= due"
        if not all(isinstance(hours, (int, float)) and not isinstance(hours, bool) and hours >= 0
                   for hours in entry["hours_per_week"].values()):
            return f"replication {number}: hours_per_week must be numbers of hours"
    return None


def _scale(row: dict) -> float:
    return 100.0 if row["outcome"] == "deadline" else 1.0


def comparison_rows(comparison: dict) -> list[list]:
    rows = []
    for row in comparison["rows"]:
        scale, d = _scale(row), row["difference"]
        unit = "share met (%)" if row["outcome"] == "deadline" else "hours a week"
        rows.append([unit, row["name"], round(scale * row["before"]["mean"], 3), round(scale * row["after"]["mean"], 3),
                     round(scale * d["mean"], 3), round(scale * d["low"], 3), round(scale * d["high"], 3),
                     d["replications"], "yes" if row["clear"] else "no"])
    return rows


def comparison_csv(comparison: dict) -> str:
    from cpmodel.office import csv_text
    return csv_text(HEADERS, comparison_rows(comparison))


def comparison_plot(comparison: dict, title: str) -> bytes:
    """Left: change in share met per deadline kind (points); right: change in hours a week per role."""
    deadlines = sorted((r for r in comparison["rows"] if r["outcome"] == "deadline"),
                       key=lambda r: r["difference"]["mean"])
    hours = [r for r in comparison["rows"] if r["outcome"] == "hours"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 0.38 * max(len(deadlines), 4) + 2),
                                         gridspec_kw={"width_ratios": [3, 2]})
    for axes, rows, scale, label in ((left, deadlines, 100.0, "change in deadlines met on time, percentage points"),
                                     (right, hours, 1.0, "change in hours worked a week")):
        for y, row in enumerate(rows):
            d = row["difference"]
            if not row["clear"]:
                colour = "#9a9a9a"
            elif scale == 1.0:
                colour = "#3b6fb6"                     # hours: a change, neither good nor bad in itself
            else:
                colour = "#2e8b57" if d["mean"] > 0 else "#c0392b"
            axes.barh(y, scale * d["mean"], color=colour)
            axes.errorbar(scale * d["mean"], y, xerr=[[scale * (d["mean"] - d["low"])], [scale * (d["high"] - d["mean"])]],
                          color="#333333", capsize=3, linewidth=0.9)
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([r["name"].replace("_", " ") for r in rows], fontsize=9)
        axes.axvline(0, color="black", linewidth=0.8)
        axes.set_xlabel(label)
        axes.grid(axis="x", alpha=0.3)
    left.set_title("deadlines (grey: not clearly different)")
    right.set_title("workload by role (grey: not clearly different)")
    figure.suptitle(title, fontsize=12)
    figure.tight_layout()
    return figure_bytes(figure, dpi=110)


def simulation_sheets(summary: dict) -> dict[str, tuple[list[str], list[list]]]:
    """A simulate run's main tables for Excel: deadlines met and workload by role."""
    deadlines = [[kind, round(d["due_per_replication"], 1), round(100 * d["met_share"]["mean"], 2),
                  round(100 * d["met_share"]["low"], 2), round(100 * d["met_share"]["high"], 2),
                  d["lateness_working_days"]["p90"], d["lateness_working_days"]["max"]]
                 for kind, d in summary["deadlines"].items() if d["met_share"]["replications"]]
    workload = [[pool, round(h["mean"], 1), round(h["low"], 1), round(h["high"], 1),
                 round(100 * summary["utilisation"][pool]["mean"], 1)] for pool, h in summary["hours_per_week"].items()]
    return {"Deadlines met": (["deadline kind", "due per replication", "met on time (%)", "95% CI low (%)",
                               "95% CI high (%)", "90th percentile lateness (working days)",
                               "largest lateness (working days)"], deadlines),
            "Workload": (["staff pool", "hours worked a week", "95% CI low (hours)", "95% CI high (hours)",
                          "utilisation (%)"], workload)}
