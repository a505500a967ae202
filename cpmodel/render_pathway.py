"""A pathway narrated for a training room, and its timeline drawn for a slide."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape

from cpmodel.model.sources import heading_of
from cpmodel.figure_bytes import figure_bytes


def _pyplot():
    """matplotlib only when drawing: narrating a pathway starts instantly."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    return plt, mdates


def _cite(citations) -> str:
    return "; ".join(f"{c} \u201c{heading_of(c)}\u201d" if heading_of(c) else c for c in citations)


@dataclass
class Line:
    """One line of a narrated pathway: what kind of line (for colour) and its words."""
    kind: str       # step, routine, note, explanation, cite, forbidden, permitted, required, deadline, renewed, met, breach, summary
    text: str
    indent: bool = True


def _day(date) -> str:
    return f"{date:%a %d %b %Y}"


@functools.cache
def _calendar():
    """One working calendar for every line and picture (it builds each year's holidays once)."""
    from cpmodel.model.calendar import WorkingCalendar
    return WorkingCalendar()


def _closed(due: dt.date) -> str:
    """A period counted in calendar time can end on a weekend or a bank holiday: say so, and name
    the last working day before it, when the meeting can in practice be held at the latest."""
    calendar = _calendar()
    if calendar.is_working_day(due):
        return ""
    why = calendar.holiday_name(due) or ("a Saturday" if due.weekday() == 5 else "a Sunday")
    last = due - dt.timedelta(days=1)
    while not calendar.is_working_day(last):
        last -= dt.timedelta(days=1)
    return f" ({why}: the last working day before it is {_day(last)})"


_STRENGTH_WORD = {"must": "required", "should": "expected (should)", "consider": "to consider", "may": "may"}
_DEADLINE_WORD = {"should": "expected", "consider": "to consider", "may": "possible"}


def narrate(procedure, pathway, reports, end, windows=(), end_advice=()) -> list[Line]:
    """The pathway as a trainer reads it: each step in words, then only what changed: a
    permission or prohibition is said when it starts to apply, not repeated at every step."""
    lines = [Line("title", pathway.name, False), Line("description", " ".join(pathway.description.split()), False)]
    renewed = {}
    for window in windows:
        renewed.setdefault(window.step, []).append(window)
    before = {"forbidden": set(), "permitted": set(), "obliged": set()}
    explained: set[str] = set()     # each explanation is given once, where it first applies
    for number, report in enumerate(reports):
        state = procedure.states[report.state_after].name
        step = Line("step", f"{_day(report.date)}  {report.event.replace('_', ' ')}  ->  {state}", False)
        body: list[Line] = []
        news = False          # anything a trainer has not already been told
        if report.note and report.note not in explained:   # a repeated step's note is given once
            body.append(Line("note", report.note))
            explained.add(report.note)
            news = True
        if report.explanation and report.explanation not in explained:
            body.append(Line("explanation", report.explanation))
            explained.add(report.explanation)
            news = True
        if report.citations:
            body.append(Line("cite", f"per {_cite(report.citations)}"))
        for key, kind, words in (("forbidden", "forbidden", "now forbidden"), ("permitted", "permitted", "now permitted"),
                                 ("obliged", "required", "now required")):
            entries = getattr(report, key)
            now = {e["rule"] for e in entries}
            for entry in entries:
                if entry["rule"] not in before[key]:
                    said = words if key != "obliged" else f"now {_STRENGTH_WORD.get(entry.get('strength'), 'required')}"
                    who = (f"{(entry.get('role') or 'nobody named').replace('_', ' ')}; " if key == "obliged" else "")
                    body.append(Line(kind, f"{said}: {entry['description']} ({who}{entry['rule']}, {entry['citation']})"))
                    news = True
            ended = before[key] - now
            if ended:
                body.append(Line("cite", f"no longer {words.split()[1]}: " + ", ".join(sorted(r.replace('_', ' ') for r in ended))))
                news = True
            before[key] = now
        set_ids = set()
        for deadline in report.deadlines_set:
            set_ids.add(deadline["deadline"])
            holidays = f"; skipping {', '.join(deadline['holidays_in_window'])}" if deadline["holidays_in_window"] else ""
            due = dt.date.fromisoformat(deadline["due"])
            word = _DEADLINE_WORD.get(deadline.get("strength"), "deadline")
            standard = f"; local standard: {deadline['standard_source']}" if deadline.get("standard_source") else ""
            body.append(Line("deadline", f"{word}: {deadline['event'].replace('_', ' ')} by {_day(due)}{_closed(due)} "
                                         f"({deadline['period']}{holidays}) ({deadline['deadline']}, {deadline['citation']}{standard})"))
            news = True
        met = [m.replace('_', ' ') for m in report.deadlines_met]
        for name in met:
            body.append(Line("met", f"met on time: {name}"))
        next_due = []
        for window in renewed.get(number, []):
            if window.deadline not in set_ids:
                deadline = procedure.deadlines.get(window.deadline)
                event = deadline.event.split("#")[0].replace("_", " ") if deadline else window.deadline
                next_due.append(f"next {event} due by {_day(window.due)}")
                body.append(Line("renewed", f"next {event} due by {_day(window.due)}{_closed(window.due)} ({window.deadline}, recurring)"))
        for breach in report.breaches:
            label = "BREACH of a local standard" if getattr(breach, "basis", "") == "local_standard" else "BREACH"
            body.append(Line("breach", f"{label}, {breach.kind.replace('_', ' ')}: {breach.message} ({', '.join(breach.citations)})"))
            news = True
        for advice in getattr(report, "advice", []):
            body.append(Line("advice", f"advice not followed (the documents say should), {advice.kind.replace('_', ' ')}: "
                                       f"{advice.message} ({', '.join(advice.citations)})"))
            news = True
        if not news and report.state_before == report.state_after:   # a routine step: one line
            step.kind = "routine"
            step.text += "; " + "; ".join(([f"met on time: {', '.join(met)}"] if met else []) + next_due)
            step.text = step.text.rstrip("; ")
            lines.append(step)
        else:
            lines.extend([step] + body)
    for breach in end:
        label = "BREACH of a local standard at the end" if getattr(breach, "basis", "") == "local_standard" else "BREACH at the end"
        lines.append(Line("breach", f"{label}, {breach.kind.replace('_', ' ')}: {breach.message}", False))
    for advice in end_advice:
        lines.append(Line("advice", f"advice not followed at the end, {advice.kind.replace('_', ' ')}: {advice.message}", False))
    total = sum(len(r.breaches) for r in reports) + len(end)
    advised = sum(len(getattr(r, "advice", [])) for r in reports) + len(end_advice)
    lines.append(Line("summary", f"{len(reports)} steps; {total} breach{'es' if total != 1 else ''}; "
                                 f"{advised} piece{'s' if advised != 1 else ''} of advice not followed.", False))
    return lines


TERMINAL_STYLES = {"title": "bold", "step": "bold", "routine": "", "explanation": "dim", "cite": "dim", "forbidden": "magenta",
                   "permitted": "green", "required": "blue", "deadline": "yellow", "renewed": "yellow",
                   "met": "green", "breach": "bold red", "advice": "yellow"}


def print_pathway(console: Console, procedure, pathway, reports, end, windows=(), end_advice=()) -> None:
    for line in narrate(procedure, pathway, reports, end, windows, end_advice):
        style = TERMINAL_STYLES.get(line.kind)
        text = escape(line.text)
        console.print(("    " if line.indent else "") + (f"[{style}]{text}[/]" if style else text), highlight=False)


# -- the timeline ---------------------------------------------------------------------------------

@dataclass
class Window:
    """One occurrence of a deadline: set on a day, due on a day, and how it ended."""
    deadline: str
    set_on: dt.date
    due: dt.date
    closed_on: dt.date | None = None
    outcome: str = "open"          # met, late, missed, lapsed, open
    step: int = 0                  # the index of the step that set it


def walk_pathway(procedure, pathway, steps, standards=None, index=None):
    """Walk a pathway as `model.pathways.walk_pathway` does (the pathway's own standards unless
    given others), and also record every occurrence of every deadline (a recurring one is renewed
    each time it is met), which the step reports do not list. Returns (walker, end, windows)."""
    from cpmodel.model.history import CaseWalk, ProcedureIndex

    if standards is None and getattr(pathway, "standards", None):
        from cpmodel.model.standards import load_standards
        standards = load_standards(pathway.standards, procedure)
    checked = procedure.with_standards(standards) if hasattr(procedure, "with_standards") else procedure
    walker = CaseWalk(index if index is not None and standards is None else ProcedureIndex(checked), None, pathway.start)
    walker.known.update(pathway.facts or {})
    open_windows: dict[tuple, Window] = {}
    windows: list[Window] = []
    for number, step in enumerate(steps):
        report = walker.walk(step)
        current = {(p.deadline, p.set_on, p.due) for p in walker.pending}
        for key in list(open_windows):
            if key not in current:
                window = open_windows.pop(key)
                window.closed_on = step.date
                late = any(b.item == window.deadline and b.kind == "deadline_late"
                           for b in list(report.breaches) + list(getattr(report, "advice", [])))
                window.outcome = "late" if late else ("met" if window.deadline in report.deadlines_met
                                                      and step.date <= window.due else "lapsed")
        for pending in walker.pending:
            key = (pending.deadline, pending.set_on, pending.due)
            if key not in open_windows:
                open_windows[key] = Window(pending.deadline, pending.set_on, pending.due, step=number)
                windows.append(open_windows[key])
    last = pathway.until or (steps[-1].date if steps else dt.date.today())
    end = walker.finish(last)
    flagged = {b.item for b in list(end) + list(getattr(walker, "end_advice", []))}
    for window in open_windows.values():
        window.outcome = "missed" if window.due < last + dt.timedelta(days=1) and window.deadline in flagged else "open"
    return walker, end, windows


def _case_span(reports, windows) -> tuple[dt.date, dt.date]:
    """The axis: the case's own dates (steps, and deadlines met or missed within them); a
    deadline due long after the last step is clipped with its date written, not drawn to scale."""
    first = min(r.date for r in reports)
    last = max(r.date for r in reports)
    for window in windows:
        if window.closed_on:
            last = max(last, window.closed_on)
    span = max((last - first).days, 14)
    margin = dt.timedelta(days=max(2, round(span * 0.04)))
    return first - margin, last + margin


def _no_overlap(axes, texts, figure) -> None:
    """Move labels up, lane by lane, until no two label boxes intersect."""
    renderer = figure.canvas.get_renderer()
    placed = []
    for text in texts:
        for _ in range(40):
            box = text.get_window_extent(renderer).expanded(1.04, 1.12)
            if not any(box.overlaps(other) for other in placed):
                break
            x, y = text.get_position()
            text.set_position((x, y + 12))
        placed.append(text.get_window_extent(renderer).expanded(1.04, 1.12))


def timeline_figure(pathway, reports, end, windows):
    """The figure and its label texts (the tests check that no two labels intersect)."""
    plt, mdates = _pyplot()
    rows = list(dict.fromkeys(w.deadline for w in windows))
    low, high = _case_span(reports, windows)
    figure, axes = plt.subplots(figsize=(13, 2.4 + 0.42 * (len(rows) + 1)))
    y_events = len(rows)
    for report in reports:
        axes.plot(report.date, y_events, "o", color="#2c3e50", markersize=5, zorder=3)
    outcome_style = {"met": ("#2e8b57", "o"), "late": ("#c0392b", "X"), "missed": ("#c0392b", "X"),
                     "lapsed": ("#7f8c8d", "s"), "open": ("#b07000", ">")}
    overflow = []
    for window in windows:
        row = rows.index(window.deadline)
        met_early = window.outcome in ("met", "lapsed") and window.closed_on is not None
        right = min(window.closed_on if met_early else window.due, high)
        axes.plot([window.set_on, right], [row, row], color="#f0a500", linewidth=6, alpha=0.55,
                  solid_capstyle="butt", zorder=1)
        if window.due <= high:   # the due date; faint once the deadline was met before it
            axes.plot(window.due, row, "|", color="#d9b36a" if met_early else "#b07000", markersize=14,
                      markeredgewidth=2, zorder=2)
        elif not met_early:
            overflow.append(axes.annotate(f"due {window.due:%d %b %Y} \u2192", (high, row), xytext=(-4, 6),
                                          textcoords="offset points", ha="right", va="bottom", fontsize=8,
                                          color="#7a5200"))
        if window.closed_on and window.outcome in ("met", "late", "lapsed"):
            colour, marker = outcome_style[window.outcome]
            axes.plot(window.closed_on, row, marker, color=colour, markersize=8 if marker != "X" else 11, zorder=4)
    for breach in [b for r in reports for b in r.breaches] + list(end):
        if breach.item in rows and breach.kind == "deadline_missed":
            axes.plot(breach.date if breach.date <= high else high, rows.index(breach.item), "X",
                      color="#c0392b", markersize=11, zorder=4)
        elif breach.item not in rows:
            axes.plot(min(breach.date, high), y_events, "X", color="#c0392b", markersize=11, zorder=4)
    labels, seen = [], set()
    for report in reports:
        if report.event in ("visit",) or (report.event, report.date) in seen:
            continue
        seen.add((report.event, report.date))
        labels.append(axes.annotate(report.event.replace("_", " "), (report.date, y_events), xytext=(0, 9),
                                    textcoords="offset points", ha="center", va="bottom", fontsize=8.5,
                                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#cccccc", "lw": 0.5}))
    calendar = _calendar()
    day = low
    while day <= high:   # bank holidays shaded, so a trainer sees why a working-day deadline moved
        if calendar.holiday_name(day):
            axes.axvspan(day, day + dt.timedelta(days=1), color="#bbbbbb", alpha=0.5, linewidth=0)
        day += dt.timedelta(days=1)
    axes.set_xlim(low, high)
    axes.set_ylim(-0.7, y_events + 1.6)
    axes.set_yticks(range(len(rows) + 1), [r.replace("_", " ") for r in rows] + ["events"], fontsize=9)
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=5, maxticks=12))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    axes.set_title(f"{pathway.name}\nEach bar is one deadline, from when it was set to its due date (|); "
                   "met: green dot, late or missed: red X,\nlapsed: grey square; bank holidays shaded grey",
                   fontsize=10, loc="left")
    axes.grid(axis="x", alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    _no_overlap(axes, labels + overflow, figure)
    renderer = figure.canvas.get_renderer()
    for _ in range(8):   # labels pushed above the plot (over the title): make room, until they fit
        top = max([t.get_window_extent(renderer).y1 for t in labels] + [0])
        frame = axes.get_window_extent(renderer)
        if top <= frame.y1 - 2:
            break
        low_y, high_y = axes.get_ylim()
        # Raising the top squeezes the rows: the labels' anchors come down by only part of it.
        axes.set_ylim(low_y, high_y + (top - frame.y1 + 4) * (high_y - low_y) / frame.height * 1.6)
    return figure, labels + overflow


def timeline_png(pathway, reports, end, windows, image_format: str = "png") -> bytes:
    figure, _ = timeline_figure(pathway, reports, end, windows)
    return figure_bytes(figure, image_format, dpi=120)
