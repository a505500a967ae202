"""A simulation summary as a table a manager reads: a plain sentence first, ids second."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from cpmodel.simulation_report import POOL_NAMES, deadline_rows
from cpmodel.words import interval_text, measured_months, not_simulated, percent


def _days(value) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _print_table(console: Console, table: Table) -> None:
    """A table whole: written to a file or a pipe (no terminal to fit), Rich's 80 columns would cut
    off the last column and the title; a terminal gets the table fitted to its width."""
    if console.is_terminal:
        console.print(table)
    else:
        Console(file=console.file, width=max(console.width, 132), highlight=False, emoji=False).print(table)


def print_summary(console: Console, summary: dict, folder) -> None:
    replications = summary["replications"]
    years, warm_up = summary["horizon_years"], summary["warm_up_months"]
    measured = measured_months(summary)
    console.print(f"[bold]{summary['scenario']}[/]: {replications} replication{'s' if replications != 1 else ''} of "
                  f"{years:g} years simulated, measured over the last {measured:g} months after "
                  f"{warm_up:g} months' warm-up (seed {summary['seed']})")
    rows = deadline_rows(summary)
    worst = rows[0] if rows else None
    if worst:
        console.print(f"Least often met: {worst['name']}, {percent(worst['met'])} on time "
                      f"({worst['late_due']:.0f} late of {worst['due']:.0f} due a replication).")
    table = Table(title="Deadlines met on time (mean over replications, 95% confidence interval in brackets)")
    table.add_column("deadline kind", overflow="fold", min_width=18)
    for column in ("due per replication", "met on time", "late (share of due)",
                   "90th percentile delay (working days)", "longest delay (working days)"):
        table.add_column(column, justify="right", overflow="fold")
    for row in rows:
        table.add_row(row["name"], f"{row['due']:.0f}", f"{percent(row['met'])} ({interval_text(row['interval'])})",
                      percent(row["late_share"]), _days(row["p90"]), _days(row["max"]))
    _print_table(console, table)
    work = Table(title="Workload: hours worked a week, and utilisation (share of available hours worked)")
    for column in ("role", "hours a week", "utilisation"):
        work.add_column(column, justify="left" if column == "role" else "right", overflow="fold")
    for pool, hours in summary["hours_per_week"].items():
        use = summary["utilisation"][pool]
        work.add_row(POOL_NAMES.get(pool, pool), f"{hours['mean']:.0f} ({interval_text(hours, 0, 1, '')})",
                     f"{percent(use['mean'], 0)} ({interval_text(use, 0)})")
    _print_table(console, work)
    caseload = summary["caseload_per_worker"]
    console.print(f"Caseload per social worker: {caseload['mean']['mean']:.1f} children on average, "
                  f"{caseload['max']['mean']:.0f} at most; {summary['open_households']['mean']:.0f} households open "
                  f"on average; {summary['backlog_overdue_tasks']['mean']:.1f} overdue tasks waiting at any time.")
    skipped = not_simulated(summary)
    if skipped:
        console.print("[dim]Not simulated (nobody in the scenario does this work, or the simulation does not draw it): "
                      + "; ".join(f"{k.replace('_', ' ')} ({v})" for k, v in skipped.items()) + "[/]")
    console.print(f"Run folder: {folder}")
