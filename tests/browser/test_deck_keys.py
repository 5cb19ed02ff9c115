"""The deck's keys as a reveal.js speaker expects them: blackout, jump to a slide, bad addresses, announcements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_SLIDES, current, visible_fragments, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
N = len(DEMO_SLIDES)
STATUS = "document.getElementById('tb-status').textContent"
BLACK = "document.documentElement.classList.contains('tb-blackout')"


def test_b_or_dot_blacks_out_the_screen_and_any_key_or_a_click_brings_the_slide_back(deck: Any) -> None:
    deck.keyboard.press("b")
    assert deck.evaluate(BLACK)
    cover = deck.evaluate("(() => { const e = document.elementFromPoint(640, 360); const s = getComputedStyle(e);"
                          " return [e.className, s.position, s.backgroundColor]; })()")
    assert cover == ["tb-black", "fixed", "rgb(0, 0, 0)"], "nothing shows through"
    assert "blacked out" in deck.evaluate(STATUS)
    deck.keyboard.press("ArrowRight")  # brings the slide back, and only that
    assert not deck.evaluate(BLACK) and current(deck) == "opening"
    assert deck.evaluate(STATUS) == f"Slide 2 of {N}: Opening"
    deck.keyboard.press(".")
    assert deck.evaluate(BLACK)
    deck.mouse.click(1200, 690)  # where the Next button is: the click only lifts the blackout
    assert not deck.evaluate(BLACK) and current(deck) == "opening"
    deck.keyboard.press("b")
    deck.keyboard.press("b")
    assert not deck.evaluate(BLACK)


def test_a_number_and_enter_jump_to_that_slide_and_g_asks_for_one(deck: Any) -> None:
    deck.keyboard.press("4")
    assert deck.locator("#tb-counter").inner_text() == "Go to 4"
    deck.keyboard.press("Enter")
    assert current(deck) == "pauses" and deck.evaluate("location.hash") == "#pauses"
    assert deck.locator("#tb-counter").inner_text() == f"4 / {N}"
    deck.keyboard.press("9")
    deck.keyboard.press("9")
    deck.keyboard.press("Enter")
    expect(deck.locator("#tb-toast")).to_have_text(f"No slide 99: this deck has {N} slides.")
    assert current(deck) == "pauses"
    deck.keyboard.press("2")
    deck.keyboard.press("Escape")  # forgets the number, and does not open the overview
    assert deck.locator("#tb-counter").inner_text() == f"4 / {N}"
    assert not deck.evaluate("document.documentElement.classList.contains('tb-overview')")
    deck.keyboard.press("1")
    deck.keyboard.press("ArrowRight")  # another key forgets the number and does its own thing
    assert current(deck) == "pauses" and visible_fragments(deck) == 1
    deck.keyboard.press("o")
    deck.keyboard.press("2")
    deck.keyboard.press("Enter")  # from the overview too: it closes on that slide
    assert current(deck) == "opening"
    assert not deck.evaluate("document.documentElement.classList.contains('tb-overview')")
    deck.once("dialog", lambda dialog: dialog.accept("the-end"))
    deck.keyboard.press("g")
    assert current(deck) == "the-end"
    deck.once("dialog", lambda dialog: dialog.accept("3"))
    deck.keyboard.press("g")
    assert current(deck) == "build-steps"


def test_an_address_that_names_no_slide_says_so_and_is_put_right(page: Any, demo_site: Path, static_server: Any) -> None:
    url = static_server(demo_site) + "demo/slides/"
    page.goto(url + "#nope")
    wait_ready(page)
    assert current(page) == "title" and page.evaluate("location.hash") == "#title"
    expect(page.locator("#tb-toast")).to_have_text("No slide 'nope' in this deck.")
    page.goto(url + "#opening")
    page.evaluate("location.hash = 'gone'")
    expect(page.locator("#tb-toast")).to_have_text("No slide 'gone' in this deck.")
    page.wait_for_function("location.hash === '#opening'")
    assert current(page) == "opening", "an open deck stays where it is"
    page.evaluate("location.hash = 'build-steps/5'")  # three steps
    page.wait_for_function("location.hash === '#build-steps/3'")
    assert current(page) == "build-steps" and visible_fragments(page) == 3
    page.evaluate("location.hash = '/99'")
    expect(page.locator("#tb-toast")).to_have_text(f"No slide 99: this deck has {N} slides.")
    page.wait_for_function("location.hash === '#the-end'")


def test_reveal_js_addresses_open_the_slide_they_name(page: Any, demo_site: Path, static_server: Any) -> None:
    """Links shared from reveal.js decks name slides `#/id` and `#/id/step`, sometimes with a trailing slash."""
    url = static_server(demo_site) + "demo/slides/"
    page.goto(url + "#/build-steps/2")
    wait_ready(page)
    assert current(page) == "build-steps" and visible_fragments(page) == 2
    page.wait_for_function("location.hash === '#build-steps/2'")  # put into the deck's own form
    for address, slide in (("/opening", "opening"), ("/the-end/", "the-end"), ("/4/", "pauses")):
        page.evaluate(f"location.hash = {address!r}")
        page.wait_for_function(f"location.hash === '#{slide}'")
        assert current(page) == slide
    assert page.locator("#tb-toast").count() == 0 or page.locator("#tb-toast").inner_text() == ""


def test_leaving_the_overview_gives_focus_to_the_slide_and_says_which_slide_shows(deck: Any) -> None:
    deck.locator("[data-action=overview]").focus()
    deck.keyboard.press("Enter")
    assert deck.evaluate(STATUS).startswith(f"Overview of {N} slides")
    deck.keyboard.press("Escape")
    assert deck.evaluate("document.activeElement.id") == "opening"
    assert deck.evaluate(STATUS) == f"Slide 2 of {N}: Opening"
    deck.evaluate("document.activeElement.blur()")
    deck.keyboard.press("o")
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("Enter")
    assert current(deck) == "build-steps"
    assert deck.evaluate("document.activeElement.id") == "build-steps", "focus is on the slide, not lost on the page"
    assert deck.evaluate(STATUS) == f"Slide 3 of {N}: Build steps"
    deck.keyboard.press("ArrowRight")  # the keys still drive the deck
    assert visible_fragments(deck) == 1


def test_a_revealed_step_is_announced(deck: Any) -> None:
    deck.goto(deck.deck_url + "#build-steps")
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate(STATUS) == "first point"
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate(STATUS) == "second point"
    deck.goto(deck.deck_url + "#pauses")
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate(STATUS).startswith("After the pause, with math:")
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate(STATUS).startswith(f"Slide 5 of {N}")
