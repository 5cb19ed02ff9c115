"""`talkbuild pdf` writes tagged PDFs (PDF/UA's first need, EN 301 549 10.x): a structure tree holding every slide,
the talk's language, and bookmarks from the headings, for the slides and for the notes pages alike."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import chromium, playwright_api

pytestmark = pytest.mark.browser

TALK = ("---\ntitle: Vortrag\nlang: de\n---\n\n## Erste Folie {#one}\n\nText.\n\n::: notes\nSag hallo.\n:::\n\n"
        "## Zweite Folie {#two}\n\n### Einzelheit\n\nMehr.\n\n## Dritte Folie {#three}\n\nEnde.\n")


def pdf(root: Path, out: Path, *options: str) -> bytes:
    # A process of its own: Playwright's sync API cannot start inside the session browser's event loop.
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "t", "-o", str(out), *options]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "cannot tag" not in run.stderr
    return out.read_bytes()


def catalog(data: bytes) -> bytes:
    found = re.search(rb"<<\s*/Type\s*/Catalog\b.*?>>\s*endobj", data, re.S)
    assert found, "no document catalog"
    return found.group(0)


def bookmarks(data: bytes) -> list[str]:
    # Chromium writes ASCII titles as literal strings; the PDF's own /Title (in /Info) is "<title> (slides)".
    titles = [m.decode() for m in re.findall(rb"/Title\s*\(((?:[^()\\]|\\.)*)\)", data)]
    return [t for t in titles if "slides\\)" not in t]


@pytest.mark.parametrize("options", [(), ("--notes",)], ids=["slides", "notes-pages"])
def test_pdf_is_tagged_in_the_talks_language_with_every_slide_in_its_structure(
        make_project, tmp_path: Path, options: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    chromium()
    playwright_api()
    root = make_project({"talks/t.md": TALK})
    data = pdf(root, tmp_path / "t.pdf", *options)
    root_dict = catalog(data)
    assert b"/StructTreeRoot" in root_dict and re.search(rb"/Marked\s+true", root_dict)
    assert re.search(rb"/Lang\s*\(de\)", root_dict), root_dict
    assert b"/Outlines" in root_dict
    # Every slide, not only the one the deck showed when it was printed (the others are aria-hidden on screen).
    assert sorted(bookmarks(data)) == sorted(["Vortrag", "Erste Folie", "Zweite Folie", "Einzelheit", "Dritte Folie"])
    headings = re.findall(rb"/S\s*/(H[1-6])\b", data)
    assert len(headings) == 5, headings


def test_pdf_options_ask_for_tags_and_bookmarks_and_say_when_playwright_cannot() -> None:
    from talkbuild.pdf import pdf_options

    def new(path: str | None = None, tagged: bool | None = None, outline: bool | None = None) -> bytes:
        return b""

    def old(path: str | None = None, print_background: bool | None = None) -> bytes:
        return b""

    assert pdf_options(new) == ({"tagged": True, "outline": True}, False)
    assert pdf_options(old) == ({}, True)
    api = playwright_api()
    assert pdf_options(api.Page.pdf) == ({"tagged": True, "outline": True}, False)  # the installed one tags
