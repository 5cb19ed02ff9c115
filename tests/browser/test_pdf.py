"""`talkbuild pdf` in real headless Chromium: one page per slide, written from local files only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from decks import DEMO_SLIDES, DEMO_TALK, pdf_pages
from support import chromium

pytestmark = pytest.mark.browser


def test_pdf_command_writes_one_page_per_slide(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    pytest.importorskip("playwright")
    root = make_project({"talks/demo.md": DEMO_TALK})
    out = tmp_path / "deck.pdf"
    # A process of its own: Playwright's sync API cannot start inside the session browser's event loop.
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "talks/demo.md", "-o", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"({len(DEMO_SLIDES)} pages)" in run.stdout
    assert pdf_pages(out.read_bytes()) == len(DEMO_SLIDES)
