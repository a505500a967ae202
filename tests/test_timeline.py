"""Pathway timelines agree with the breaches they report: every occurrence of a recurring deadline
is drawn, labels never overlap, the axis fits the case; the narration says each permission once."""
import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from typer.testing import CliRunner

from cpmodel.cli import app
from cpmodel.render_pathway import narrate, timeline_figure, walk_pathway
from cpmodel.model import load_procedure
from cpmodel.model.pathways import load_pathway, pathway_names
from cpmodel.model.pathways import walk_pathway as model_walk_pathway

PROCEDURE = load_procedure(None)
ROOT = Path(__file__).resolve().parents[1]


def walked(name, standards=None):
    pathway, steps = load_pathway(name, PROCEDURE)
    walker, end, windows = walk_pathway(PROCEDURE, pathway, steps, standards)
    return pathway, steps, (walker.reports, end, windows)


@pytest.mark.parametrize("name", pathway_names())
def test_walking_for_the_timeline_gives_the_same_steps_and_breaches_as_the_walker(name):
    pathway, steps, (reports, end, _) = walked(name)
    walker, expected_end = model_walk_pathway(PROCEDURE, pathway, steps)
    assert [r.to_json() for r in reports] == [r.to_json() for r in walker.reports]
    assert [b.to_json() for b in end] == [b.to_json() for b in expected_end]


def test_every_visit_is_a_new_occurrence_of_the_recurring_deadline():
    from cpmodel.model.standards import load_standards
    standards = load_standards(ROOT / "standards" / "example-authority.yaml", PROCEDURE)
    _, steps, (reports, _, windows) = walked("plan-reviewed-and-discontinued", standards)
    visits = [w for w in windows if w.deadline == "visits"]
    visit_days = [r.date for r in reports if r.event == "visit"]
    assert len(visits) == len(visit_days) + 1          # the first from the plan, one more after each visit
    assert [w.set_on for w in visits[1:]] == visit_days
    assert all(w.outcome == "met" for w in visits[:-1])


def test_a_late_deadline_is_marked_late_on_the_timeline():
    _, _, (reports, _, windows) = walked("late-first-core-group")
    late = {w.deadline for w in windows if w.outcome == "late"}
    breached = {b.item for r in reports for b in r.breaches if b.kind == "deadline_late"}
    advised = {b.item for r in reports for b in r.advice if b.kind == "deadline_late"}   # 'should': not a breach
    assert breached == {"first_core_group"} and advised == {"core_group_notes"}
    assert late == breached | advised


@pytest.mark.parametrize("name", pathway_names())
def test_no_two_labels_on_a_timeline_intersect(name):
    pathway, _, (reports, end, windows) = walked(name)
    figure, labels = timeline_figure(pathway, reports, end, windows)
    renderer = figure.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels]
    plt.close(figure)
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), f"{labels[i].get_text()!r} overlaps {labels[j].get_text()!r}"


@pytest.mark.parametrize("name", pathway_names())
def test_the_axis_fits_the_case_not_a_distant_due_date(name):
    pathway, _, (reports, end, windows) = walked(name)
    figure, _ = timeline_figure(pathway, reports, end, windows)
    import matplotlib.dates as mdates
    low, high = (mdates.num2date(x).date() for x in figure.axes[0].get_xlim())
    plt.close(figure)
    first, last = reports[0].date, max(r.date for r in reports)
    span = max((last - first).days, 14)
    assert low <= first and high >= last
    assert (high - low).days <= span * 1.2 + 8


@pytest.mark.parametrize("name", pathway_names())
def test_a_rule_is_announced_when_it_starts_to_apply_not_at_every_step(name):
    pathway, _, (reports, end, windows) = walked(name)
    lines = [line.text for line in narrate(PROCEDURE, pathway, reports, end, windows)]
    for key in ("permitted", "forbidden", "obliged"):
        starts, before = 0, set()
        for report in reports:
            now = {e["rule"] for e in getattr(report, key)}
            starts += len(now - before)
            before = now
        said = sum(1 for text in lines if text.startswith("now ") and (
            (key == "permitted" and text.startswith("now permitted:"))
            or (key == "forbidden" and text.startswith("now forbidden:"))
            or (key == "obliged" and not text.startswith(("now permitted:", "now forbidden:")))))
        assert said == starts, (key, said, starts)


def test_pathway_png_and_svg(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["pathway", "late-first-core-group", "--png", str(tmp_path / "t.png")]).exit_code == 0
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    assert runner.invoke(app, ["pathway", "late-first-core-group", "--png", str(tmp_path / "t.svg")]).exit_code == 0
    assert b"<svg" in (tmp_path / "t.svg").read_bytes()


@pytest.mark.parametrize("name", pathway_names())
def test_the_labels_stay_inside_the_plot_below_the_title(name):
    # With the example authority's visits, six stacked labels rose over the subtitle.
    from cpmodel.model.standards import load_standards
    standards = load_standards(Path(__file__).resolve().parents[1] / "standards" / "example-authority.yaml", PROCEDURE)
    pathway, _, (reports, end, windows) = walked(name, standards)
    figure, labels = timeline_figure(pathway, reports, end, windows)
    renderer = figure.canvas.get_renderer()
    top = figure.axes[0].get_window_extent(renderer).y1
    above = [label.get_text() for label in labels if label.get_window_extent(renderer).y1 > top + 0.5]
    plt.close(figure)
    assert above == []
