"""`talkbuild pdf` in real headless Chromium: one page per slide, written from local files only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO_SLIDES, DEMO_TALK, pdf_pages

from support import chromium
from talkbuild.cli import main

pytestmark = pytest.mark.browser


def test_pdf_command_writes_one_page_per_slide(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    pytest.importorskip("playwright")
    root = make_project({"talks/demo.md": DEMO_TALK})
    out = tmp_path / "deck.pdf"
    result = CliRunner().invoke(main, ["pdf", "-C", str(root), "talks/demo.md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"({len(DEMO_SLIDES)} pages)" in result.output
    assert pdf_pages(out.read_bytes()) == len(DEMO_SLIDES)
