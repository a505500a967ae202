"""The staffing answer as a table, a CSV, Excel sheets and a plot a manager can take to a meeting."""
from __future__ import annotations

import csv
import io
import threading

from cpmodel.figure_bytes import figure_bytes

POOL_WORDS = {"social_workers": "social workers", "conference_chairs": "conference chairs / IROs",
              "team_managers": "team managers"}


def load_plotting_meanwhile() -> threading.Thread:
    """Import matplotlib (and scipy, for the intervals reported) in a background thread while
    replications run in worker processes, so the plot is drawn as soon as the answer is known: the
    import is about 0.35 s the command would otherwise spend alone at the end, with every worker
    done. (With one worker the replications run in this process and the import would only take
    turns with them: it is not started then.)"""
    def load() -> None:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
        import scipy.special      # noqa: F401  the intervals of the levels reported

    thread = threading.Thread(target=load, name="load matplotlib", daemon=True)
    thread.start()
    return thread


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


def staffing_sheets(answer: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The workbook: current against needed staff, what limits each target, and every level tried."""
    staff_rows = []
    for pool, row in answer["staff"].items():
        staff_rows.append([POOL_WORDS.get(pool, pool), row["current"], row["needed"], row["current_fte"],
                           row["needed_fte"], row.get("cost_per_fte"), row.get("current_cost"), row.get("needed_cost")])
    binding_rows = [[kind, f"{100 * answer['targets'][kind]:.0f}",
                     ", ".join(limiting) or ("undecided at the top of the range: widen it or allow more replications"
                                             if kind in answer.get("undecided_at_top_of_range", ())
                                             else "not met by any level searched" if kind in answer["not_met_by_searched_roles"]
                                             else "none of the roles searched")]
                    for kind, limiting in answer["binding"].items()]
    level_rows = []
    for pool, entry in answer["roles"].items():
        for level in entry["levels"]:
            for kind, share in sorted(level["compliance"].items()):
                level_rows.append([POOL_WORDS.get(pool, pool), level["level"], kind, round(100 * share["mean"], 2),
                                   round(100 * share["low"], 2), round(100 * share["high"], 2), share["replications"],
                                   round(100 * level["utilisation"]["mean"], 1)])
    return {
        "Staff needed": (["staff pool", "current staff (people)", "needed staff (people)", "current FTE",
                          "needed FTE", "cost per FTE (a year)", "current cost (a year)", "needed cost (a year)"],
                         staff_rows),
        "What limits each target": (["deadline kind", "target (% met)", "limited by"], binding_rows),
        "Levels tried": (["staff pool", "staff (people)", "deadline kind", "met on time (%)", "95% CI low (%)",
                          "95% CI high (%)", "replications", "utilisation (%)"], level_rows),
    }


def staffing_plot(levels: list[dict], targets: dict[str, float], chosen: int | None, role: str,
                  scenario: str = "", current: int | None = None) -> bytes:
    """Target kinds bold in colour with their target line; every other kind thin grey; today's and
    the chosen staffing marked; the scenario in the title. (matplotlib is imported here, when the
    answer is drawn, not when the command starts: the search's first replications start sooner.)"""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 5.5))
    kinds = sorted({k for level in levels for k in level["compliance"]})
    xs = [level["level"] for level in levels]
    colours = plt.get_cmap("tab10")
    shown = [level["compliance"][k]["low"] for level in levels for k in level["compliance"] if k in targets]
    lowest = min(shown or [level["compliance"][k]["low"] for level in levels for k in level["compliance"]] or [0.5])
    lowest = min(lowest, min(targets.values(), default=1))
    for number, kind in enumerate([k for k in kinds if k not in targets] + [k for k in kinds if k in targets]):
        points = [(level["level"], level["compliance"][kind]) for level in levels if kind in level["compliance"]]
        x = [p[0] for p in points]
        if kind in targets:
            colour = colours(sorted(targets).index(kind) % 10)
            axes.plot(x, [100 * p[1]["mean"] for p in points], marker="o", markersize=4, color=colour, linewidth=2.8,
                      label=f"{kind.replace('_', ' ')} (target {100 * targets[kind]:.0f}%)", zorder=3)
            axes.fill_between(x, [100 * p[1]["low"] for p in points], [100 * p[1]["high"] for p in points],
                              color=colour, alpha=0.18, zorder=2)
            axes.axhline(100 * targets[kind], color=colour, linestyle="--", linewidth=1.2, zorder=2)
        else:
            axes.plot(x, [100 * p[1]["mean"] for p in points], color="#9a9a9a", linewidth=0.9, alpha=0.8,
                      label="other deadline kinds" if number == 0 else None, zorder=1)
    bottom = max(0, 100 * lowest - 8)
    if current is not None and xs and min(xs) - 1 <= current <= max(xs) + 1:
        axes.axvline(current, color="#555555", linestyle=":", linewidth=1.5)
        side = "center" if chosen is None else "right" if current < chosen else "left" if current > chosen else "center"
        axes.text(current, 1.01, f"today: {current}", fontsize=10, color="#555555", va="bottom", ha=side,
                  transform=axes.get_xaxis_transform())
    if chosen is not None:
        axes.axvline(chosen, color="black", linewidth=1.5)
        axes.text(chosen, 1.055 if chosen == current else 1.01, f"needed: {chosen}", fontsize=10, va="bottom",
                  ha="center" if current is None or chosen == current else "left" if chosen > current else "right",
                  fontweight="bold", transform=axes.get_xaxis_transform())
    if chosen is None and xs:   # say so on the picture, not only in the terminal
        axes.text(0.5, 0.03, f"none of the levels tried ({min(xs)} to {max(xs)}) is shown to meet every target",
                  transform=axes.transAxes, ha="center", va="bottom", fontsize=11, fontweight="bold",
                  color="#b00020", bbox={"facecolor": "white", "edgecolor": "#b00020", "alpha": 0.9})
    if xs:
        axes.set_xlim(min(xs + [current or min(xs)]) - 0.5, max(xs + [current or max(xs)]) + 0.5)
    axes.set_ylim(bottom, 100.5)
    from matplotlib.ticker import MaxNLocator
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))   # people come whole: no 7.5 social workers
    axes.set_xlabel(f"number of {role.replace('_', ' ')}s")
    axes.set_ylabel("deadlines met on time (%), 95% confidence band")
    axes.set_title(f"{scenario}: deadlines met against {role.replace('_', ' ')}s" if scenario
                   else f"Deadlines met against {role.replace('_', ' ')}s", pad=26)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="lower right")
    return figure_bytes(figure, dpi=120)
