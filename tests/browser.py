"""Headless Chromium for tests: the DOM a page builds, its console messages, a screenshot, a PDF."""
from __future__ import annotations

import shutil
import subprocess

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is needed: .ci/run installs Debian's chromium package"
    return found


def run(page, profile, *arguments) -> subprocess.CompletedProcess:
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *arguments, page.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom_and_console(page, profile) -> tuple[str, list[str]]:
    done = run(page, profile, "--dump-dom")
    return done.stdout, [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def screenshot(page, profile, path, width=1280, height=720):
    run(page, profile, f"--screenshot={path}", f"--window-size={width},{height}")
    return path


def print_to_pdf(page, profile, path):
    run(page, profile, f"--print-to-pdf={path}", "--no-pdf-header-footer")
    return path


def not_blank(png_path) -> bool:
    """A screenshot with real content: many distinct colours, not one flat page."""
    from PIL import Image
    with Image.open(png_path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    return len(colours) > 50
