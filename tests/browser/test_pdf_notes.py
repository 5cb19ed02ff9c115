"""Notes pages (`talkbuild pdf --notes`, the deck's ?print-notes) and a deck's shape in its PDF, in real headless
Chromium: one portrait page per slide, the slide on top and its notes below, long notes running on to the next page,
a slide without notes still on its page; a 4:3 deck's PDF pages are 4:3."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from decks import pdf_pages, wait_ready
from support import chromium, playwright_api

pytestmark = pytest.mark.browser

LONG = "\n\n".join(f"Paragraph {i} of notes a nervous speaker wrote out in full, every word of it." for i in range(60))
TALK = ("---\ntitle: Notes\n{front}---\n\n## With notes {{#with}}\n\n- a point\n\n::: notes\nSay **hello**.\n:::\n\n"
        "## Without notes {{#without}}\n\nNothing to say.\n\n## Long notes {{#long}}\n\nText.\n\n::: notes\n" + LONG + "\n:::\n")
A4 = "0 0 594.95996 841.91998"
LETTER = "0 0 612 792"


def sizes(data: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]


def pdf(root: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    # A process of its own: Playwright's sync API cannot start inside the session browser's event loop.
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "t", "-o", str(out), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_pdf_notes_gives_each_slide_a_portrait_page_and_long_notes_run_on(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    playwright_api()
    root = make_project({"talks/t.md": TALK.format(front="")})
    run = pdf(root, tmp_path / "n.pdf", "--notes")
    assert run.returncode == 0, run.stderr
    data = (tmp_path / "n.pdf").read_bytes()
    pages = pdf_pages(data)
    # title, with, without (a page though it has no notes), long (two pages or more: its notes are not cut)
    assert pages >= 5 and f"({pages} pages)" in run.stdout, run.stdout
    assert set(sizes(data)) == {A4}
    run = pdf(root, tmp_path / "l.pdf", "--notes", "--paper", "letter")
    assert run.returncode == 0, run.stderr
    assert set(sizes((tmp_path / "l.pdf").read_bytes())) == {LETTER}
    run = pdf(root, tmp_path / "x.pdf", "--paper", "letter")  # slides print on pages of their own shape
    assert run.returncode == 2 and "add --notes" in run.stderr and not (tmp_path / "x.pdf").exists()


def test_pdf_of_a_4_3_deck_has_4_3_pages(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    root = make_project({"talks/t.md": TALK.format(front="ratio: 4:3\n")})
    run = pdf(root, tmp_path / "s.pdf")
    assert run.returncode == 0, run.stderr
    data = (tmp_path / "s.pdf").read_bytes()
    assert pdf_pages(data) == 4 and set(sizes(data)) == {"0 0 720 540"}


NOTES_LAYOUT = """() => Array.from(document.querySelectorAll('#tb-stage > section.slide')).map(s => {
  const page = s.nextElementSibling, r = s.getBoundingClientRect(), n = page.getBoundingClientRect();
  return {id: s.id, head: page.querySelector('.tb-notes-head').textContent, notes: page.textContent,
          below: n.top >= r.bottom - 1, width: Math.round(r.width), height: Math.round(r.height)};
})"""


@pytest.mark.parametrize("query", ["?print-notes", "?print-pdf&showNotes=true"])
def test_the_deck_printed_from_the_browser_with_print_notes_gives_notes_pages(page: Any, make_project: Any,
                                                                              static_server: Any, query: str) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = make_project({"talks/t.md": TALK.format(front="ratio: 4:3\n")})
    base = static_server(build(load_config(root)).out_dir) + "t/slides/"
    page.goto(base + query)
    wait_ready(page)
    page.emulate_media(media="print")
    rows = page.evaluate(NOTES_LAYOUT)
    assert [r["id"] for r in rows] == ["title", "with", "without", "long"]
    assert [r["head"] for r in rows] == ["1 / 4Notes", "2 / 4With notes", "3 / 4Without notes", "4 / 4Long notes"]
    assert all(r["below"] for r in rows) and "Say hello." in rows[1]["notes"] and "Paragraph 59" in rows[3]["notes"]
    assert all(round(r["width"] / r["height"], 2) == 1.33 for r in rows)  # the slide keeps its shape on the page
    assert page.locator("#with aside.notes").count() == 1  # the presenter's notes are still there
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(data) >= 5 and set(sizes(data)) == {A4}
    # the notes pages on screen: nothing changes until printed
    page.emulate_media(media="screen")
    assert page.locator(".tb-notes-page").first.is_hidden()
    page.goto(base)
    wait_ready(page)
    assert page.locator(".tb-notes-page").count() == 0
    page.emulate_media(media="print")
    assert pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True)) == 4


def test_a_short_talks_notes_pages_have_the_slide_across_the_page(page: Any, make_project: Any,
                                                                  static_server: Any) -> None:
    """A re-trial's text-only talk printed its slide as a 45 mm strip: the stage shrank to its content's width."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = make_project({"talks/t.md": "---\ntitle: Short\n---\n\n## Slide\n\nText\n\n::: notes\nNote.\n:::\n"})
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(static_server(build(load_config(root)).out_dir) + "t/slides/?print-notes")
    wait_ready(page)
    page.emulate_media(media="print")
    widest = page.evaluate("Math.min(innerWidth, 125 / 25.4 * 96 * 16 / 9)")  # the page's width, or 125 mm tall
    for width in page.evaluate("[...document.querySelectorAll('#tb-stage > .slide')].map(s => s.getBoundingClientRect().width)"):
        assert width > 0.95 * widest
    note = page.locator(".tb-notes-page").nth(1).bounding_box()
    assert note is not None and note["width"] > 0.95 * widest


def test_a_picture_in_the_notes_fits_under_its_slide(page: Any, make_project: Any, static_server: Any) -> None:
    """A re-trial's 800x600 picture in the notes pushed all of that slide's notes to the next page."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"/>'
    root = make_project({"talks/t.md": "---\ntitle: P\n---\n\n## Slide\n\nText\n\n::: notes\nNotes with a picture: "
                         "![red](big.svg)\n:::\n", "talks/big.svg": svg})
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(static_server(build(load_config(root)).out_dir) + "t/slides/?print-notes")
    wait_ready(page)
    page.emulate_media(media="print")
    height = page.evaluate("document.querySelector('.tb-notes-page img').getBoundingClientRect().height")
    assert 0 < height <= 80 / 25.4 * 96 + 1  # 80 mm: the room under a slide of at most 125 mm on A4
