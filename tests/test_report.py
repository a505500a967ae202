"""`cpmodel report` writes one self-contained HTML file that renders in headless Chromium."""
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from cpmodel.cli import app

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", "--scenario", "tests/data/fast-unitary.yaml", "-n", "2",
                                      "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_report_is_self_contained(report):
    html = report.read_text()
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)          # nothing fetched from a network
    assert html.count('src="data:image/png;base64,') >= 10          # graph, pathway timelines, plots
    for section in ("graph", "findings", "pathways", "simulation"):
        assert f'id="{section}"' in html


def render(page, profile):
    """The DOM Chromium builds for a page, and every console message it logged."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed: .ci/run installs Debian's chromium package"
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_the_console_check_sees_errors_on_a_broken_page(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>missingFunction();</script></body></html>")
    _, console = render(page, tmp_path / "profile")
    assert any("missingFunction" in line for line in console)


def test_report_renders_in_headless_chromium_with_no_console_errors(report, tmp_path):
    dom, console = render(report, tmp_path / "profile")
    assert console == []
    for heading in ("The procedure", "Consistency check", "Training pathways", "Simulation"):
        assert heading in dom
    assert "The procedure is consistent" in dom
    assert "plo_plan_ends_only_at_review" in dom                     # the PLO pathway's breach is shown


def test_report_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "report.html"
    existing.write_text("mine")
    result = CliRunner().invoke(app, ["report", "--no-simulation", "--out", str(existing)])
    assert result.exit_code == 2 and existing.read_text() == "mine"
