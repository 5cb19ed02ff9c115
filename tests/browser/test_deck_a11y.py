"""Findings of a WCAG 2.2 AA audit of the deck and the presenter window, each as a behaviour in real Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_SLIDES, current, visible_fragments, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
N = len(DEMO_SLIDES)
STATUS = "document.getElementById('tb-status').textContent"
OVERVIEW = "document.documentElement.classList.contains('tb-overview')"
BLACK = "document.documentElement.classList.contains('tb-blackout')"


# ---- WCAG 2.1.4 Character Key Shortcuts ----------------------------------------------------------------------


def test_single_key_shortcuts_can_be_turned_off_in_the_help_for_every_deck_of_the_site(deck: Any) -> None:
    prompts: list[str] = []
    answers: list[str] = []  # what the next prompt is answered with; none: it is dismissed
    deck.on("dialog", lambda dialog: (prompts.append(dialog.message),
                                      dialog.accept(answers.pop()) if answers else dialog.dismiss()))
    deck.keyboard.press("?")
    switch = deck.get_by_role("checkbox", name="Single-key shortcuts")
    expect(switch).to_be_checked()
    switch.press("Space")  # a real checkbox: the keyboard turns it off
    expect(switch).not_to_be_checked()
    deck.keyboard.press("Escape")  # closes the help
    expect(deck.locator("#tb-help")).not_to_be_visible()

    for key in ("o", "O", "b", ".", "g", "?", "3", "Enter", "s"):
        deck.keyboard.press(key)
    assert not deck.evaluate(OVERVIEW) and not deck.evaluate(BLACK)
    assert not deck.evaluate("document.getElementById('tb-help').open")
    assert prompts == [] and len(deck.context.pages) == 1, "no prompt, no presenter window"
    assert current(deck) == "opening" and deck.locator("#tb-counter").inner_text() == f"2 / {N}"

    deck.keyboard.press("ArrowRight")  # keys that type no character still work
    deck.keyboard.press("PageDown")
    assert current(deck) == "build-steps" and visible_fragments(deck) == 1
    deck.keyboard.press("Space")
    deck.keyboard.press("Shift+Space")
    deck.keyboard.press("PageUp")
    assert current(deck) == "build-steps" and visible_fragments(deck) == 0
    deck.keyboard.press("End")
    assert current(deck) == "the-end"
    deck.keyboard.press("Home")
    assert current(deck) == "title"
    deck.keyboard.press("Escape")  # the overview, as before
    assert deck.evaluate(OVERVIEW)
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("Enter")
    assert current(deck) == "opening" and not deck.evaluate(OVERVIEW)

    # Every function is still there without those keys: the help's buttons black out and go to a slide.
    deck.get_by_role("button", name="Keyboard shortcuts").click()
    deck.get_by_role("button", name="Black screen").click()
    assert deck.evaluate(BLACK) and not deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("x")  # a character key does nothing at all now, not even end the blackout
    assert deck.evaluate(BLACK)
    deck.keyboard.press("ArrowRight")  # any other key does, and only that
    assert not deck.evaluate(BLACK) and current(deck) == "opening"
    deck.get_by_role("button", name="Keyboard shortcuts").click()
    answers.append("4")
    deck.get_by_role("button", name="Go to slide").click()
    assert len(prompts) == 1
    assert current(deck) == "pauses" and not deck.evaluate("document.getElementById('tb-help').open")

    # The choice is the site's: another deck of it (and a reload) starts with the keys off.
    assert deck.evaluate("localStorage.getItem('talkbuild-single-keys')") == "off"
    other = deck.context.new_page()
    other.goto(deck.deck_url.replace("demo/", "older/"))
    wait_ready(other)
    other.keyboard.press("o")
    assert not other.evaluate(OVERVIEW)
    other.get_by_role("button", name="Keyboard shortcuts").click()
    expect(other.get_by_role("checkbox", name="Single-key shortcuts")).not_to_be_checked()
    other.get_by_label("Single-key shortcuts").check()  # on again, here: the first deck follows at once
    deck.wait_for_function("document.getElementById('tb-single-keys').checked")
    deck.bring_to_front()
    deck.keyboard.press("o")
    assert deck.evaluate(OVERVIEW)
    other.close()
