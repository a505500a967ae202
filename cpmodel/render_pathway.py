"""A pathway narrated for a training room, and its timeline drawn for a slide."""
from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from model.sources import heading_of, sections


def _cite(citations) -> str:
    return "; ".join(f"{c} \u201c{heading_of(c)}\u201d" if heading_of(c) else c for c in citations)


_STRENGTH_WORD = {"must": "required", "should": "expected (should)", "consider": "to consider", "may": "may"}


def print_pathway(console: Console, procedure, pathway, reports, end, end_advice=()) -> None:
    console.print(f"[bold]{escape(pathway.name)}[/]\n{escape(pathway.description)}\n")
    previous_obliged: set[str] = set()
    for report in reports:
        state = procedure.states[report.state_after].name
        console.print(f"[bold]{report.date:%a %d %b %Y}[/]  {report.event.replace('_', ' ')}  ->  [cyan]{escape(state)}[/]")
        if report.note:
            console.print(f"    {escape(report.note)}")
        if report.explanation:
            console.print(f"    [dim]{escape(report.explanation)}[/]")
        if report.citations:
            console.print(f"    [dim]per {escape(_cite(report.citations))}[/]")
        for entry in report.forbidden:
            console.print(f"    [magenta]forbidden now:[/] {escape(entry['description'])} ({entry['rule']}, {entry['citation']})")
        for entry in report.permitted:
            console.print(f"    [green]permitted now:[/] {escape(entry['description'])} ({entry['rule']}, {entry['citation']})")
        obliged = {e["rule"] for e in report.obliged}
        for entry in report.obliged:
            if entry["rule"] not in previous_obliged:
                word = _STRENGTH_WORD.get(entry.get("strength"), "required")
                console.print(f"    [blue]now {word}:[/] {escape(entry['description'])} ({entry['role'] or 'nobody named'}; {entry['citation']})")
        previous_obliged = obliged
        for deadline in report.deadlines_set:
            holidays = f" (skipping {', '.join(deadline['holidays_in_window'])})" if deadline["holidays_in_window"] else ""
            kind = {"should": "expected", "consider": "to consider", "may": "possible"}.get(deadline.get("strength"), "deadline")
            standard = f"; local standard: {deadline['standard_source']}" if deadline.get("standard_source") else ""
            console.print(f"    [yellow]{kind}:[/] {deadline['event'].replace('_', ' ')} by {deadline['due']} "
                          f"({deadline['period']}; {deadline['deadline']}, {deadline['citation']}{escape(standard)}){escape(holidays)}")
        for met in report.deadlines_met:
            console.print(f"    [green]met:[/] {met}")
        for breach in report.breaches:
            label = "BREACH of a local standard" if breach.basis == "local_standard" else "BREACH"
            console.print(f"    [bold red]{label}[/] {breach.kind}: {escape(breach.message)} ({', '.join(breach.citations)})")
        for advice in report.advice:
            console.print(f"    [yellow]advice not followed[/] {advice.kind}: {escape(advice.message)} ({', '.join(advice.citations)})")
    for breach in end:
        label = "BREACH of a local standard at the end" if breach.basis == "local_standard" else "BREACH at the end"
        console.print(f"[bold red]{label}[/] {breach.kind}: {escape(breach.message)}")
    for advice in end_advice:
        console.print(f"[yellow]advice not followed at the end[/] {advice.kind}: {escape(advice.message)}")
    total = sum(len(r.breaches) for r in reports) + len(end)
    advised = sum(len(r.advice) for r in reports) + len(end_advice)
    console.print(f"\n{len(reports)} steps; {total} breach(es); {advised} piece(s) of advice not followed.")


def timeline_png(pathway, reports, end) -> bytes:
    import matplotlib   # only when drawing: narrating a pathway starts instantly

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = sorted({d["deadline"] for r in reports for d in r.deadlines_set})
    figure, axes = plt.subplots(figsize=(13, 1.2 + 0.45 * (len(rows) + 1)))
    y_events = len(rows)
    for report in reports:
        axes.plot(report.date, y_events, "o", color="#2c3e50", markersize=5)
    shown, per_day = set(), {}
    for report in reports:
        if report.event not in shown and report.event != "visit":
            stack = per_day.get(report.date, 0)
            per_day[report.date] = stack + 1
            axes.annotate(report.event.replace("_", " "), (report.date, y_events), xytext=(0, 8 + 11 * stack),
                          textcoords="offset points", rotation=25, fontsize=7)
            shown.add(report.event)
    for report in reports:
        for deadline in report.deadlines_set:
            row = rows.index(deadline["deadline"])
            due = __import__("datetime").date.fromisoformat(deadline["due"])
            axes.plot([report.date, due], [row, row], color="#f0a500", linewidth=4, alpha=0.6, solid_capstyle="butt")
            axes.plot(due, row, "|", color="#b07000", markersize=10)
    for breach in [b for r in reports for b in r.breaches] + list(end):
        row = rows.index(breach.item) if breach.item in rows else y_events
        axes.plot(breach.date, row, "X", color="#c0392b", markersize=11)
    import datetime as dt
    from model.calendar import WorkingCalendar
    calendar, first, last = WorkingCalendar(), reports[0].date, max(r.date for r in reports)
    last = max([last] + [dt.date.fromisoformat(d["due"]) for r in reports for d in r.deadlines_set])
    day = first
    while day <= last:   # bank holidays shaded, so a trainer sees why a working-day deadline moved
        if calendar.holiday_name(day):
            axes.axvspan(day, day + dt.timedelta(days=1), color="#bbbbbb", alpha=0.5, linewidth=0)
        day += dt.timedelta(days=1)
    axes.set_yticks(range(len(rows) + 1), [r.replace("_", " ") for r in rows] + ["events"], fontsize=8)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    axes.set_title(f"{pathway.name}\ndeadlines (bars end on the due date), breaches (red X), bank holidays (grey)",
                   fontsize=10, pad=55)
    axes.grid(axis="x", alpha=0.3)
    figure.autofmt_xdate()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", dpi=120)
    plt.close(figure)
    return buffer.getvalue()
