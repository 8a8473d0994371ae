"""Open the report in headless Chromium: it must draw something and log no page errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian package 'chromium'; scripts/setup.sh)",
)
# With --enable-logging=stderr, every console message and uncaught exception is logged
# as "...:CONSOLE:<line>] "<message>", source: <url>"; the report has no script, so any
# console output at all is an error.
_PAGE_ERROR = re.compile(r":CONSOLE[:(]|Uncaught|Failed to load resource|net::ERR_")


def _open(page: Path, shot: Path, profile: Path, height: int = 3000) -> str:
    assert CHROMIUM is not None
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            f"--window-size=1280,{height}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.is_file(), f"no screenshot; chromium said:\n{proc.stderr[-2000:]}"
    return proc.stderr


def page_errors(log: str) -> list[str]:
    """The lines of a Chromium log that report a page error."""
    return [line for line in log.splitlines() if _PAGE_ERROR.search(line)]


def _ink(shot: Path) -> tuple[float, float]:
    """Grey-level standard deviation and share of non-white pixels of a screenshot."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(shot).convert("L"), dtype=float)
    return float(grey.std()), float((grey < 240).mean())


@needs_chromium
def test_error_detection_sees_a_broken_page(tmp_path: Path) -> None:
    # The detector itself must work, or the real test below would pass vacuously.
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><script>throw new Error('boom');</script></body></html>",
        encoding="utf-8",
    )
    log = _open(page, tmp_path / "bad.png", tmp_path / "profile", height=400)
    assert any("boom" in line for line in page_errors(log))
    _, ink = _ink(tmp_path / "bad.png")
    assert ink < 0.01  # an empty page is blank


@needs_chromium
def test_report_renders_without_errors_and_is_not_blank(
    written_report: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "report.png"
    log = _open(written_report, shot, tmp_path / "profile")
    assert page_errors(log) == []
    std, ink = _ink(shot)
    assert std > 20 and ink > 0.05, (std, ink)
