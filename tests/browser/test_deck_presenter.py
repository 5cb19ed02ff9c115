"""The presenter window with its deck in real headless Chromium: either opened first, reloads, blackout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import CURRENT, current, wait_ready

pytestmark = pytest.mark.browser
CONNECTED = "document.getElementById('tb-p-conn').textContent === ''"


def on_slide(sid: str) -> str:
    return f"document.querySelector('{CURRENT}').id === '{sid}'"


def test_a_deck_opened_after_its_presenter_brings_the_presenter_to_its_slide(page: Any, demo_site: Path,
                                                                             static_server: Any) -> None:
    base = static_server(demo_site) + "demo/slides/"
    page.goto(base + "?presenter#/3")
    wait_ready(page)
    page.wait_for_function("document.getElementById('tb-p-conn').textContent.startsWith('Not connected')")
    deck = page.context.new_page()
    deck.goto(base + "#/6")
    wait_ready(deck)
    page.wait_for_function(on_slide("details"), timeout=5000)
    page.wait_for_function(CONNECTED)
    deck.keyboard.press("ArrowRight")
    page.wait_for_function(on_slide("the-end"))
    page.keyboard.press("Home")
    deck.wait_for_function(on_slide("title"))
    page.keyboard.press("ArrowRight")
    deck.wait_for_function(on_slide("opening"))
    second = page.context.new_page()  # once they are together, a deck opened later joins them, moving nobody
    second.goto(base + "#the-end")
    second.wait_for_function(on_slide("opening"), timeout=5000)
    assert current(page) == "opening" and current(deck) == "opening"


def test_a_presenter_opened_after_its_deck_follows_the_deck(page: Any, demo_site: Path, static_server: Any) -> None:
    base = static_server(demo_site) + "demo/slides/"
    page.goto(base + "#pauses")
    wait_ready(page)
    presenter = page.context.new_page()
    presenter.goto(base + "?presenter")
    presenter.wait_for_function(on_slide("pauses"), timeout=5000)
    presenter.wait_for_function(CONNECTED)


def test_the_presenter_keeps_its_timer_its_pause_and_its_notes_size_over_a_reload(page: Any, demo_site: Path,
                                                                                 static_server: Any) -> None:
    page.goto(static_server(demo_site) + "demo/slides/?presenter#opening")
    wait_ready(page)
    font = "getComputedStyle(document.getElementById('tb-p-notes')).fontSize"
    before = page.evaluate(font)
    page.get_by_role("button", name="Larger notes text").click()
    page.get_by_role("button", name="Larger notes text").click()
    larger = page.evaluate(font)
    assert float(larger[:-2]) > float(before[:-2])
    page.wait_for_function("document.getElementById('tb-p-elapsed').textContent !== '0:00'")
    page.locator("#tb-p-pause").click()
    elapsed = page.locator("#tb-p-elapsed").inner_text()
    page.reload()
    wait_ready(page)
    assert page.evaluate(font) == larger
    assert page.locator("#tb-p-pause").inner_text() == "Resume"
    page.wait_for_timeout(1100)  # a running timer would have moved on by now
    assert page.locator("#tb-p-elapsed").inner_text() == elapsed
    page.get_by_role("button", name="Reset").click()
    assert page.locator("#tb-p-elapsed").inner_text() == "0:00"
    page.reload()
    wait_ready(page)
    assert page.locator("#tb-p-elapsed").inner_text() == "0:00", "Reset is what starts the timer again"
    page.locator("#tb-p-pause").click()
    assert page.locator("#tb-p-pause").inner_text() == "Pause"


def blacked_out_from_the_presenter(page: Any, url: str, before: str = "") -> Any:
    """The deck at `url` (after running `before` in it), its presenter window opened with S and connected, and B
    pressed there: the audience's window is black. Returns the presenter's page."""
    page.goto(url)
    wait_ready(page)
    if before:
        page.evaluate(before)
    with page.expect_popup() as info:
        page.keyboard.press("s")
    presenter = info.value
    wait_ready(presenter)
    presenter.wait_for_function(CONNECTED)
    presenter.keyboard.press("b")
    page.wait_for_function("document.documentElement.classList.contains('tb-blackout')")
    return presenter


def test_blackout_from_the_presenter_blacks_out_the_audience_and_tells_the_presenter(page: Any, demo_site: Path,
                                                                                      static_server: Any) -> None:
    presenter = blacked_out_from_the_presenter(page, static_server(demo_site) + "demo/slides/#opening")
    assert not presenter.evaluate("document.documentElement.classList.contains('tb-blackout')"), "the presenter still sees"
    assert presenter.evaluate("document.documentElement.classList.contains('tb-audience-black')")
    assert "black screen" in presenter.locator("#tb-p-black").inner_text()
    page.keyboard.press("Space")  # any key in the audience's window brings the slide back there
    presenter.wait_for_function("document.getElementById('tb-p-black').textContent === ''")
    assert current(page) == "opening"
    page.keyboard.press(".")
    presenter.wait_for_function("document.documentElement.classList.contains('tb-audience-black')")
    presenter.keyboard.press("b")
    page.wait_for_function("!document.documentElement.classList.contains('tb-blackout')")


def test_a_late_copy_of_an_old_message_does_not_undo_a_newer_one(page: Any, demo_site: Path,
                                                                 static_server: Any) -> None:
    # Messages go by BroadcastChannel and by postMessage, so each arrives twice in no fixed order between the two.
    # Here the presenter's "black out" arrives again after the audience ended the blackout (as a slow copy would):
    # the audience must stay on its slide, and the presenter must keep hearing of blackouts.
    presenter = blacked_out_from_the_presenter(page, static_server(demo_site) + "demo/slides/#opening",
                                               "window.heard = []; window.addEventListener('message', e => window.heard.push(e.data))")
    page.keyboard.press("Space")
    presenter.wait_for_function("document.getElementById('tb-p-black').textContent === ''")
    old = page.evaluate("window.heard.find(m => m.type === 'blackout' && m.on)")
    assert old, "the presenter's blackout came by postMessage too"
    presenter.evaluate("m => window.opener.postMessage(m, '*')", old)
    page.wait_for_timeout(200)  # a late copy acted on would black the audience out within a frame or two
    assert not page.evaluate("document.documentElement.classList.contains('tb-blackout')"), "an old message undid a new one"
    page.keyboard.press(".")
    presenter.wait_for_function("document.documentElement.classList.contains('tb-audience-black')")
