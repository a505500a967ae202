"""A sensitivity run as a tornado plot, a table (CSV, Excel) and sentences."""
from __future__ import annotations


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cpmodel.sim.sensitivity import swing  # noqa: E402
from cpmodel.figure_bytes import figure_bytes

HEADERS = ["parameter", "base value", "low value", "high value", "outcome",
           "effect of low (mean)", "effect of low (95% low)", "effect of low (95% high)",
           "effect of high (mean)", "effect of high (95% low)", "effect of high (95% high)", "replications"]


def _scale(outcome: str) -> float:
    """Shares met are shown in percentage points, hours as they are."""
    return 100.0 if outcome.endswith(" met") else 1.0


def _value(value):
    return value if isinstance(value, (int, float, str)) else str(value)


def sensitivity_rows(result: dict) -> list[list]:
    rows = []
    for entry in result["parameters"]:
        for outcome, effect in entry["effects"].items():
            scale = _scale(outcome)
            low, high = effect["low"], effect["high"]
            unit = " (points)" if scale == 100 else ""
            rows.append([entry["parameter"], _value(entry["base"]), _value(entry["low"]), _value(entry["high"]),
                         outcome + unit] + [round(scale * side[key], 3) if side["replications"] else None
                                            for side in (low, high) for key in ("mean", "low", "high")]
                        + [low["replications"]])
    return rows


def sensitivity_csv(result: dict) -> str:
    from cpmodel.office import csv_text
    return csv_text(HEADERS, sensitivity_rows(result))


def tornado_plot(result: dict, outcomes: list[str], title: str, top: int = 15) -> bytes:
    """One panel per outcome: each parameter's low (blue) and high (orange) effect with its 95% CI,
    largest swing at the top."""
    shown = min(top, len(result["parameters"]))
    columns = 1 if len(outcomes) == 1 else 2
    rows = -(-len(outcomes) // columns)
    figure, panels = plt.subplots(rows, columns, figsize=(8 * columns, rows * (0.45 * shown + 1.6)), squeeze=False)
    for axes in panels.flat[len(outcomes):]:
        axes.set_visible(False)
    for axes, outcome in zip(panels.flat, outcomes):
        scale = _scale(outcome)
        ranked = sorted(result["parameters"], key=lambda entry: swing(entry, outcome), reverse=True)[:top][::-1]
        for row, entry in enumerate(ranked):
            for side, colour, offset in (("low", "#3b6fb6", -0.18), ("high", "#e07b39", 0.18)):
                effect = entry["effects"].get(outcome, {}).get(side)
                if not effect or not effect["replications"]:
                    continue
                mean = scale * effect["mean"]
                axes.barh(row + offset, mean, height=0.34, color=colour,
                          label=f"parameter {side}" if row == len(ranked) - 1 else None)
                axes.errorbar(mean, row + offset, xerr=[[scale * (effect["mean"] - effect["low"])],
                                                       [scale * (effect["high"] - effect["mean"])]],
                              color="#333333", capsize=2, linewidth=0.8)
        axes.set_yticks(range(len(ranked)))
        axes.set_yticklabels([f"{e['parameter'].replace('_', ' ')}  ({_range(e)})" for e in ranked], fontsize=8)
        axes.axvline(0, color="black", linewidth=0.8)
        base = result["base"].get(outcome)
        base_text = (f"{scale * base['mean']:.1f}{'%' if scale == 100 else ''}" if base else "n/a")
        axes.set_title(f"{outcome.replace('_', ' ')} (base {base_text})", fontsize=11)
        axes.set_xlabel("change from base, percentage points" if scale == 100 else "change from base, hours a week")
        axes.grid(axis="x", alpha=0.3)
        axes.legend(fontsize=8, loc="lower right")
    figure.suptitle(title, fontsize=12)
    figure.tight_layout()
    return figure_bytes(figure, dpi=110)


def _range(entry: dict) -> str:
    if isinstance(entry["base"], dict):
        return "leaned to first / last categories"
    return f"{_short(entry['low'])} / {_short(entry['high'])}"


def _short(value) -> str:
    if isinstance(value, dict):
        return "a leaned distribution"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def sentences(result: dict, outcomes: list[str], count: int = 5) -> list[str]:
    """'task hours.visit: 3.6 instead of 3.0 moves visits met by -4.1 points (CI -4.9 to -3.3)'."""
    lines = []
    for outcome in outcomes:
        scale = _scale(outcome)
        unit = " points" if scale == 100 else " hours a week"
        ranked = sorted(result["parameters"], key=lambda entry: swing(entry, outcome), reverse=True)[:count]
        for entry in ranked:
            parts = []
            for side in ("low", "high"):
                effect = entry["effects"][outcome][side]
                if effect["replications"]:
                    parts.append(f"{_short(entry[side])} moves it {scale * effect['mean']:+.1f}{unit} "
                                 f"(CI {scale * effect['low']:+.1f} to {scale * effect['high']:+.1f})")
            lines.append(f"{outcome}: {entry['parameter']} (base {_short(entry['base'])}): " + "; ".join(parts))
    return lines
