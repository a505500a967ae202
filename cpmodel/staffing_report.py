"""The staffing answer as a table, a CSV and a plot a manager can take to a meeting."""
from __future__ import annotations

import csv
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def staffing_csv(levels: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["level", "deadline_kind", "met_share_mean", "low_95", "high_95", "replications",
                     "utilisation_mean"])
    for level in levels:
        for kind, share in sorted(level["compliance"].items()):
            writer.writerow([level["level"], kind, round(share["mean"], 4), round(share["low"], 4),
                             round(share["high"], 4), share["replications"], round(level["utilisation"]["mean"], 4)])
    return buffer.getvalue()


def staffing_plot(levels: list[dict], targets: dict[str, float], chosen: int | None, role: str) -> bytes:
    figure, axes = plt.subplots(figsize=(10, 5.5))
    kinds = sorted({k for level in levels for k in level["compliance"]})
    xs = [level["level"] for level in levels]
    colours = plt.get_cmap("tab20")
    lowest = min(level["compliance"][k]["low"] for level in levels for k in level["compliance"])
    for number, kind in enumerate(kinds):
        points = [(level["level"], level["compliance"][kind]) for level in levels if kind in level["compliance"]]
        x = [p[0] for p in points]
        line, = axes.plot(x, [100 * p[1]["mean"] for p in points], marker="o", markersize=3, color=colours(number % 20),
                          linewidth=2.5 if kind in targets else 1, label=kind.replace("_", " ") + (" (target)" if kind in targets else ""))
        axes.fill_between(x, [100 * p[1]["low"] for p in points], [100 * p[1]["high"] for p in points],
                          color=line.get_color(), alpha=0.15)
        if kind in targets:
            axes.axhline(100 * targets[kind], color=line.get_color(), linestyle="--", linewidth=1)
    if chosen is not None:
        axes.axvline(chosen, color="black", linewidth=1.5)
        axes.text(chosen, max(0, 100 * lowest - 4), f" chosen: {chosen}", fontsize=10, va="bottom")
    axes.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    axes.set_ylim(max(0, 100 * lowest - 5), 100.5)
    axes.set_xlabel(f"number of {role.replace('_', ' ')}s")
    axes.set_ylabel("deadlines met on time (%), 95% confidence band")
    axes.set_title("Compliance against staffing (targets dashed)")
    axes.legend(fontsize=7, ncol=1, loc="upper left", bbox_to_anchor=(1.01, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", dpi=120)
    plt.close(figure)
    return buffer.getvalue()
