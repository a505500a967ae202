"""A simulation summary as a table a manager reads."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _pct(interval: dict) -> str:
    return f"{100 * interval['mean']:.1f}%"


def _ci(interval: dict) -> str:
    return f"{100 * interval['low']:.1f}-{100 * interval['high']:.1f}"


def print_summary(console: Console, summary: dict, folder) -> None:
    console.print(f"[bold]{escape(summary['scenario'])}[/]: {summary['replications']} replications, "
                  f"{summary['horizon_years']} years after {summary['warm_up_months']} months' warm-up, seed {summary['seed']}")
    table = Table(title="Deadlines met on time (mean, 95% CI over replications)")
    table.add_column("deadline kind", overflow="fold", min_width=22)
    for column in ("due/run", "met", "95% CI", "p90 late", "max late"):
        table.add_column(column, justify="right", no_wrap=True)
    rows = sorted(summary["deadlines"].items(), key=lambda item: item[1]["met_share"]["mean"]
                  if item[1]["met_share"]["replications"] else 2)
    for kind, data in rows:
        if not data["met_share"]["replications"]:
            continue
        late = data["lateness_working_days"]
        table.add_row(kind, f"{data['due_per_replication']:.0f}", _pct(data["met_share"]), _ci(data["met_share"]),
                      f"{late['p90']:.0f} wd", f"{late['max']:.0f} wd")
    console.print(table)
    work = Table(title="Workload")
    for column in ("role", "hours a week", "utilisation"):
        work.add_column(column, justify="left" if column == "role" else "right")
    for pool, hours in summary["hours_per_week"].items():
        work.add_row(pool, f"{hours['mean']:.0f} ({hours['low']:.0f}-{hours['high']:.0f})",
                     f"{_pct(summary['utilisation'][pool])} ({_ci(summary['utilisation'][pool])})")
    console.print(work)
    caseload = summary["caseload_per_worker"]
    console.print(f"caseload per social worker (children): mean {caseload['mean']['mean']:.1f}, "
                  f"largest {caseload['max']['mean']:.0f}; open households {summary['open_households']['mean']:.0f}; "
                  f"overdue tasks at any time {summary['backlog_overdue_tasks']['mean']:.1f}")
    if summary["not_simulated"]:
        console.print("[dim]not simulated: " + "; ".join(f"{k} ({v})" for k, v in summary["not_simulated"].items()) + "[/]")
    console.print(f"run folder: {folder}")
