"""The staffing search's progress bar: how far through, and about how long to go.

A bisection does not know in advance how many replications it will need (an uncertain level
gets more), so the bar starts from an estimate (the bisection's steps and the survey levels,
each with its first batch) and grows when the search needs more; the time left is rich's
estimate from the rate so far."""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


def estimated_replications(ranges: dict[str, tuple[int, int]], replications: int, survey: int,
                           survey_replications: int | None = None) -> int:
    """First batches at the levels a bisection visits in each pool's range, plus the survey levels'."""
    from cpmodel.sim.staffing import survey_count
    per_survey_level = replications if survey_replications is None else survey_count(survey_replications, replications)
    total = 0
    for low, high in ranges.values():
        steps = math.ceil(math.log2(high - low + 1)) + 1 if high > low else 1
        total += steps * replications + min(survey, max(high - low - 1, 0)) * per_survey_level
    return max(total, 1)


@contextmanager
def staffing_progress(console: Console, estimate: int, disable: bool) -> Iterator[Callable[[str], None]]:
    """Yields the callback the search calls after each finished replication (with what it ran)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("replications (estimate)"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=disable) as progress:
        bar = progress.add_task("searching", total=estimate)

        def advance(message: str) -> None:
            task = progress.tasks[0]
            if task.completed + 1 >= (task.total or 0):          # the search needed more than estimated
                progress.update(bar, total=task.completed + 2)
            progress.update(bar, advance=1, description=escape(message.split(":")[0]))
        yield advance
