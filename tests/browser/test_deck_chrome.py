"""The deck's own panels as a lecturer saw them: the presenter's pacing line without a duration, the overview of a
long deck with its controls, the help on a short window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import wait_ready

pytestmark = pytest.mark.browser

SLIDES = 20
"""Four rows of thumbnails at 1280x720: the last one reaches the bottom of the window, where the controls are."""


@pytest.fixture(scope="module")
def long_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A talk of SLIDES slides and no `duration:`."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path_factory.mktemp("long")
    (root / "talks").mkdir()
    (root / "talks/t.md").write_text("---\ntitle: Long\n---\n\n" + "".join(
        f"## Slide {n}\n\nText of slide {n}.\n\n" for n in range(2, SLIDES + 1)), encoding="utf-8")
    return build(load_config(root)).out_dir


def test_the_presenter_without_a_duration_shows_the_key_as_code_not_backticks(page: Any, long_deck: Path,
                                                                              static_server: Any) -> None:
    page.goto(static_server(long_deck) + "t/slides/?presenter#/2")
    wait_ready(page)
    pace = page.locator("#tb-p-pace")
    pace.locator("code").wait_for()
    assert pace.inner_text() == "No duration set (add duration: minutes to the front matter)"
    assert pace.locator("code").inner_text() == "duration:"


def test_no_thumbnail_of_the_overview_is_under_the_controls(page: Any, long_deck: Path, static_server: Any) -> None:
    page.goto(static_server(long_deck) + "t/slides/#/1")
    wait_ready(page)
    page.keyboard.press("o")
    page.wait_for_function("document.documentElement.classList.contains('tb-overview')")
    covered = """() => {
      const bar = document.querySelector('.tb-controls').getBoundingClientRect();
      const stage = document.getElementById('tb-stage').getBoundingClientRect();
      return Array.from(document.querySelectorAll('#tb-stage > section.slide'), (s, i) => {
        const r = s.getBoundingClientRect();
        // What shows of the thumbnail: the part inside the scrolling grid.
        const top = Math.max(r.top, stage.top), bottom = Math.min(r.bottom, stage.bottom);
        const under = top < bottom && top < bar.bottom && bottom > bar.top && r.left < bar.right && r.right > bar.left;
        return under ? i + 1 : 0;
      }).filter(Boolean);
    }"""
    assert page.evaluate(covered) == []
    assert page.evaluate("getComputedStyle(document.querySelector('.tb-controls')).visibility") == "visible"
    last = page.locator("#tb-stage > section.slide").nth(SLIDES - 1)
    page.keyboard.press("End")
    assert page.evaluate(covered) == [], "scrolled to its end, the last row stays clear of them too"
    assert last.locator(".tb-pick").evaluate("b => b === document.activeElement")


def test_the_help_opens_at_its_top_with_focus_inside_it(browser: Any, long_deck: Path, static_server: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 576})
    page = context.new_page()
    try:
        page.goto(static_server(long_deck) + "t/slides/#/2")
        wait_ready(page)
        page.keyboard.press("?")
        dialog = page.locator("#tb-help")
        dialog.wait_for(state="visible")
        assert dialog.evaluate("d => d.scrollHeight > d.clientHeight"), "the help is taller than this window"
        assert dialog.evaluate("d => d.scrollTop") == 0
        title = page.get_by_role("heading", name="Keyboard shortcuts")
        box, top = title.bounding_box(), dialog.bounding_box()
        assert box is not None and top is not None and box["y"] >= top["y"]
        assert page.evaluate("document.getElementById('tb-help').contains(document.activeElement)")
        page.keyboard.press("Tab")  # on to the dialog's controls, in order
        assert page.evaluate("document.activeElement.id") == "tb-single-keys"
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
    finally:
        context.close()
