"""`cpmodel report` writes the handout: one self-contained HTML file that renders in headless
Chromium, with the check in words, the book's summary, SVG graphs, every pathway as the terminal
tells it, the simulation with its assumptions and sources, and a staffing answer when given."""
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser import dom_and_console, not_blank, screenshot
from cpmodel.cli import app
from cpmodel.model.pathways import pathway_names

ROOT = Path(__file__).resolve().parents[1]
FAST = ROOT / "tests" / "data" / "fast-unitary.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = runner.invoke(app, ["report", "--scenario", str(FAST), "-n", "2", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A finished simulation run and a finished staffing run, as a manager would have them."""
    base = tmp_path_factory.mktemp("runs")
    simulated = runner.invoke(app, ["simulate", str(FAST), "-n", "2", "--out", str(base / "sim"), "--json"])
    assert simulated.exit_code == 0, simulated.output
    staffed = runner.invoke(app, ["staff", str(FAST), "--target", "visits=0.9", "--range", "4:16", "-n", "3",
                                  "--max-replications", "4", "--survey", "0", "--out", str(base / "staff"), "--json"])
    assert staffed.exit_code in (0, 1), staffed.output
    return base / "sim", base / "staff", json.loads(simulated.output), json.loads(staffed.output)


def test_report_is_self_contained(report):
    html = report.read_text()
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)          # nothing fetched from a network
    assert html.count('src="data:image/svg+xml;base64,') >= 2 + len(pathway_names()) + 3   # graphs, timelines, plots
    for section in ("summary", "graph", "findings", "pathways", "simulation"):
        assert f'id="{section}"' in html


def test_report_tells_every_pathway_as_the_terminal_does(report):
    html = report.read_text()
    for name in pathway_names():
        assert f'id="pathway-{name}"' in html
    assert "skipping 2026-12-25 Christmas Day" in html                  # holidays named
    assert "next visit due by" in html                                 # recurring duties
    assert "now required:" in html and "now forbidden:" in html         # duties and prohibitions
    assert html.count("now permitted: Name a first line manager") <= len(pathway_names())   # said once per pathway


def test_report_shows_assumptions_caseload_plan_lengths_and_what_is_not_simulated(report):
    html = report.read_text()
    assert "The scenario&#39;s figures and where they come from" in html or "figures and where they come from" in html
    assert "ASSUMPTION" in html and "DfE CSWW 2025" in html
    assert "Plan lengths against DfE table D7 (2025)" in html and "43.5%" in html
    assert "Not simulated" in html and "receiving authority" in html
    assert "children on plans on average" in html


def test_report_reuses_a_run_folder_and_adds_a_staffing_answer(runs, tmp_path):
    sim, staff, simulated, staffed = runs
    path = tmp_path / "handout.html"
    result = runner.invoke(app, ["report", "--run", str(sim), "--staff", str(staff), "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert "simulating" not in result.output
    html = path.read_text()
    worst = min(simulated["deadlines"].items(), key=lambda item: (item[1]["met_share"]["mean"], item[0]))
    assert f"{100 * worst[1]['met_share']['mean']:.1f}%" in html        # the run's own numbers
    assert 'id="staffing"' in html
    if staffed["level"] is not None:
        assert f"{staffed['level']} social workers are the fewest that meet every target" in html
    assert 'src="data:image/png;base64,' in html                        # the staffing plot


def test_report_refuses_a_folder_that_is_not_a_run(tmp_path):
    (tmp_path / "empty").mkdir()
    for option in ("--run", "--staff"):
        result = runner.invoke(app, ["report", option, str(tmp_path / "empty"), "--out", str(tmp_path / "r.html")])
        assert result.exit_code == 2 and option in result.output
        assert not (tmp_path / "r.html").exists()


def test_the_console_check_sees_errors_on_a_broken_page(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>missingFunction();</script></body></html>")
    _, console = dom_and_console(page, tmp_path / "profile")
    assert any("missingFunction" in line for line in console)


def test_report_renders_in_headless_chromium_with_no_console_errors(report, tmp_path):
    dom, console = dom_and_console(report, tmp_path / "profile")
    assert console == []
    for heading in ("In brief", "The procedure", "Consistency check", "Training pathways", "Simulation"):
        assert heading in dom
    assert "The procedure is consistent" in dom
    assert "plo_plan_ends_only_at_review" in dom                     # the PLO pathway's breach is shown
    assert not_blank(screenshot(report, tmp_path / "profile", tmp_path / "report.png", 1280, 2000))


def test_report_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "report.html"
    existing.write_text("mine")
    result = runner.invoke(app, ["report", "--no-simulation", "--out", str(existing)])
    assert result.exit_code == 2 and existing.read_text() == "mine"


def test_report_lists_plan_lengths_shortest_first_and_says_what_was_measured(runs, tmp_path):
    simulated, _, summary, _ = runs
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--scenario", str(FAST), "--run", str(simulated), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    table = html[html.index("Plan lengths against DfE table D7"):]
    positions = [table.index(f"<td>{band}</td>") for band in ("3 months or less", "over 3 to 6 months",
                                                              "over 6 months to under 1 year", "1 to under 2 years",
                                                              "2 years or more")]
    assert positions == sorted(positions)
    measured = summary["horizon_years"] * 12 - summary["warm_up_months"]
    assert f"measured over the last {measured:g} months after {summary['warm_up_months']} months" in html
