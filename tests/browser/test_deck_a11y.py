"""Findings of a WCAG 2.2 AA audit of the deck and the presenter window, each as a behaviour in real Chromium."""

from __future__ import annotations

import base64
import datetime
import re
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

    def on_dialog(dialog: Any) -> None:
        prompts.append(dialog.message)
        if answers:
            dialog.accept(answers.pop())
        else:
            dialog.dismiss()

    deck.on("dialog", on_dialog)
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


# ---- the presenter window: WCAG 2.5.3 Label in Name, and axe-core ------------------------------------------------


def serious_violations(page: Any, axe_source: str, *also: str) -> list[str]:
    """axe-core's serious and critical findings; `also` turns on rules axe leaves off by default (experimental)."""
    page.add_script_tag(content=axe_source)
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in also}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_the_presenter_s_notes_size_buttons_are_named_by_what_they_show(page: Any, demo_site: Path,
                                                                         static_server: Any) -> None:
    """A speech-input user says what they see ("click A plus"): the name starts with the visible text."""
    page.goto(static_server(demo_site) + "demo/slides/?presenter#opening")
    wait_ready(page)
    for action, shown in (("notes-smaller", "A\u2212"), ("notes-larger", "A+")):
        button = page.locator(f"[data-action={action}]")
        assert button.inner_text() == shown
        expect(button).to_have_accessible_name(re.compile("^" + re.escape(shown) + " [a-z]"))
    font = "parseFloat(getComputedStyle(document.getElementById('tb-p-notes')).fontSize)"
    before = page.evaluate(font)
    page.get_by_role("button", name="A+").click()
    assert page.evaluate(font) > before
    page.get_by_role("button", name="A\u2212").click()
    assert page.evaluate(font) == pytest.approx(before, abs=0.5)


def test_the_presenter_window_passes_axe(page: Any, demo_site: Path, static_server: Any, axe_source: str) -> None:
    """Alone (not connected yet), following a deck, on a slide without notes during a blackout, overview, help."""
    base = static_server(demo_site) + "demo/slides/"
    page.goto(base + "?presenter#build-steps/1")
    wait_ready(page)
    page.wait_for_function("document.getElementById('tb-p-conn').textContent.startsWith('Not connected')")
    assert serious_violations(page, axe_source, "label-content-name-mismatch") == []
    deck = page.context.new_page()
    deck.goto(base + "#build-steps/1")
    wait_ready(deck)
    page.wait_for_function("document.getElementById('tb-p-conn').textContent === ''")
    assert serious_violations(page, axe_source, "label-content-name-mismatch") == []
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # "Pauses", which has no notes
    expect(page.locator(".tb-p-none")).to_have_text("No notes for this slide.")
    page.keyboard.press("b")
    expect(page.locator("#tb-p-black")).not_to_be_empty()
    deck.wait_for_function(BLACK)
    # The presenter's controls are part of its panel: they do not fade once the mouse rests (half faded, they fail
    # the contrast minimum).
    page.wait_for_function("document.documentElement.classList.contains('tb-idle')")
    page.wait_for_timeout(400)  # the fade's transition (0.3 s) would be over
    assert page.evaluate("getComputedStyle(document.getElementById('tb-controls')).opacity") == "1"
    assert serious_violations(page, axe_source, "label-content-name-mismatch") == []
    page.keyboard.press("o")
    assert serious_violations(page, axe_source, "label-content-name-mismatch") == []
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.locator("#tb-help")).to_be_visible()
    assert serious_violations(page, axe_source, "label-content-name-mismatch") == []


# ---- WCAG 4.1.3 Status Messages: the live region ----------------------------------------------------------------

HIDDEN_TEXT_READ = """(() => {
  const status = document.getElementById('tb-status').textContent.replace(/\\s+/g, ' ');
  return [...document.querySelectorAll('#tb-stage > section.tb-current .fragment:not(.tb-visible)')]
    .map(f => f.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40)).filter(t => t && status.includes(t));
})()"""
"""The text of steps not showing that the live region still says (it must say none)."""


def test_going_back_a_step_says_where_the_slide_is_and_never_keeps_a_hidden_step_s_text(deck: Any) -> None:
    deck.goto(deck.deck_url + "#pauses")
    deck.keyboard.press("ArrowRight")
    assert deck.evaluate(STATUS).startswith("After the pause")
    deck.keyboard.press("ArrowLeft")
    assert visible_fragments(deck) == 0 and deck.evaluate(HIDDEN_TEXT_READ) == []
    assert deck.evaluate(STATUS) == f"Back to the start of slide 4 of {N}: Pauses"
    deck.goto(deck.deck_url + "#build-steps")
    for key, status in (("ArrowRight", "first point"), ("ArrowRight", "second point"), ("ArrowRight", "third point"),
                        ("ArrowLeft", "Back to step 2 of 3"), ("ArrowUp", "Back to step 1 of 3"),
                        ("ArrowRight", "second point"), ("PageUp", "Back to step 1 of 3"),
                        ("Shift+Space", f"Back to the start of slide 3 of {N}: Build steps")):
        deck.keyboard.press(key)
        assert deck.evaluate(STATUS).strip() == status, key
        assert deck.evaluate(HIDDEN_TEXT_READ) == [], key
    deck.evaluate("location.hash = 'build-steps/3'")  # an address that shows fewer steps than before says so too
    deck.wait_for_function(f"{STATUS}.trim() === 'third point'")
    deck.evaluate("location.hash = 'build-steps/1'")
    deck.wait_for_function(f"{STATUS} === 'Back to step 1 of 3'")


def test_a_typed_slide_number_is_announced_as_it_grows_and_when_it_is_dropped(page: Any, demo_site: Path,
                                                                            static_server: Any) -> None:
    page.clock.install(time=datetime.datetime(2024, 3, 1, 9, 0))  # the number's 4-second pause, without waiting
    page.goto(static_server(demo_site) + "demo/slides/#opening")
    wait_ready(page)
    for key, status in (("3", "Go to slide 3"), ("1", "Go to slide 31"), ("Backspace", "Go to slide 3"),
                        ("Enter", f"Slide 3 of {N}: Build steps"), ("5", "Go to slide 5"),
                        ("Escape", "Slide number cleared"), ("3", "Go to slide 3"),
                        ("Enter", f"Slide 3 of {N}: Build steps")):  # the slide showing: said again
        page.keyboard.press(key)
        assert page.evaluate(STATUS).strip() == status, key
    assert current(page) == "build-steps" and not page.evaluate(OVERVIEW)
    page.keyboard.press("6")
    page.clock.fast_forward(4100)
    assert page.evaluate(STATUS).strip() == "Slide number cleared"
    assert page.locator("#tb-counter").inner_text() == f"3 / {N}"
    for key in ("9", "9", "Enter"):  # no slide 99: a notice, and the region no longer says "Go to slide 99"
        page.keyboard.press(key)
    assert page.evaluate(STATUS).strip() == f"Slide 3 of {N}: Build steps"
    assert "99" in page.locator("#tb-toast").inner_text()


# ---- the overview: the slide showing and the keyboard's focus look different ------------------------------------

BAND_COLOURS = """async png => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const data = g.getImageData(0, 0, c.width, c.height).data, counts = {};
  for (let i = 0; i < data.length; i += 4) { const k = data[i] + ',' + data[i + 1] + ',' + data[i + 2]; counts[k] = (counts[k] || 0) + 1; }
  return counts;
}"""


def band(page: Any, sid: str) -> dict[tuple[int, ...], int]:
    """The colours in the 14-pixel band above a thumbnail's top edge (where its rings are), with their pixel counts."""
    r = page.evaluate(f"JSON.parse(JSON.stringify(document.getElementById('{sid}').getBoundingClientRect()))")
    png = page.screenshot(clip={"x": r["x"] + r["width"] / 4, "y": r["y"] - 14, "width": r["width"] / 2, "height": 14})
    counts = page.evaluate(BAND_COLOURS, base64.b64encode(png).decode())
    return {tuple(int(v) for v in k.split(",")): n for k, n in counts.items()}


def rings(page: Any, sid: str, background: set[tuple[int, ...]]) -> set[tuple[int, ...]]:
    """The colours drawn above a thumbnail, beyond the background (at least a few pixels of each)."""
    return {c for c, n in band(page, sid).items() if n >= 6 and all(far(c, b) for b in background)}


def far(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True))) > 60.0 ** 2


@pytest.mark.parametrize("forced", [False, True], ids=["normal", "forced-colors"])
def test_in_the_overview_the_focus_never_looks_like_the_mark_of_the_slide_showing(forced: bool, deck: Any) -> None:
    if forced:
        deck.emulate_media(forced_colors="active")
    deck.keyboard.press("o")
    assert deck.evaluate("document.activeElement.closest('section').id") == "opening"
    assert deck.locator("#opening .tb-pick").get_attribute("aria-current") == "true"
    assert deck.locator("#build-steps .tb-pick").get_attribute("aria-current") is None
    deck.keyboard.press("ArrowRight")  # focus on the next slide's thumbnail; slide 2 still showing
    assert deck.evaluate("document.activeElement.closest('section').id") == "build-steps"
    background = set(band(deck, "pauses"))  # a thumbnail neither showing nor focused: nothing drawn above it
    showing, focused = rings(deck, "opening", background), rings(deck, "build-steps", background)
    assert showing, "the slide showing is marked"
    assert focused, "the focus is visible"
    assert all(far(a, b) for a in showing for b in focused), f"same colours: showing {showing}, focused {focused}"
    deck.keyboard.press("ArrowLeft")  # focus on the slide showing: both marks, told apart
    both = rings(deck, "opening", background)
    assert any(not far(c, s) for c in both for s in showing) and any(not far(c, f) for c in both for f in focused)


def test_printing_from_the_browser_puts_every_slide_in_the_accessibility_tree_and_back_after(deck: Any) -> None:
    # Chromium tags a saved PDF from the accessibility tree, where on screen only the current slide is.
    exposed = "[...document.querySelectorAll('#tb-stage > section.slide')].filter(s => !s.inert && !s.hasAttribute('aria-hidden')).length"
    total = deck.evaluate("document.querySelectorAll('#tb-stage > section.slide').length")
    assert total > 2 and deck.evaluate(exposed) == 1
    deck.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert deck.evaluate(exposed) == total
    deck.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert deck.evaluate(exposed) == 1
    assert deck.evaluate("document.querySelector('#tb-stage > section.slide.tb-current').inert") is False


def test_with_single_keys_off_the_presenter_is_told_the_way_back_from_black_and_the_button_says_its_state(
        page: Any, demo_site: Path, static_server: Any) -> None:
    # The note said "Press B" while B was switched off: the help's Black screen button is the way back.
    page.goto(static_server(demo_site) + "demo/slides/?presenter#opening")
    wait_ready(page)
    page.evaluate("localStorage.setItem('talkbuild-single-keys', 'off')")
    page.reload()
    wait_ready(page)
    button = page.locator("[data-action=blackout]")
    assert button.get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name="Keyboard shortcuts").click()
    button.click()
    note = page.locator("#tb-p-black").inner_text()
    assert "Press B" not in note and "Black screen under Keyboard shortcuts" in note
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("b")
    assert "Black screen under" in page.locator("#tb-p-black").inner_text(), "B is off: still black"
    button.click()
    assert page.locator("#tb-p-black").inner_text() == "" and button.get_attribute("aria-pressed") == "false"
    page.evaluate("localStorage.removeItem('talkbuild-single-keys')")


def test_the_presenter_window_has_a_main_heading_and_everything_in_landmarks(page: Any, demo_site: Path,
                                                                              static_server: Any, axe_source: str) -> None:
    # axe's best practices (no WCAG failure, but screen-reader users navigate by heading and landmark).
    page.goto(static_server(demo_site) + "demo/slides/?presenter#opening")
    wait_ready(page)
    page.add_script_tag(content=axe_source)
    options = {"runOnly": {"type": "rule", "values": ["page-has-heading-one", "region", "landmark-unique"]}}
    result = page.evaluate("options => axe.run(document, options)", options)
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
    heading = page.get_by_role("heading", level=1)
    assert heading.count() == 1 and heading.inner_text().startswith("Presenter view:")
    deck = page.context.new_page()  # in the audience's window the presenter's heading is not there
    deck.goto(static_server(demo_site) + "demo/slides/#opening")
    wait_ready(deck)
    assert not [h for h in deck.get_by_role("heading", level=1).all_inner_texts() if h.startswith("Presenter view")]


def test_in_forced_colours_every_thumbnail_of_the_overview_has_an_edge(deck: Any) -> None:
    # Forced colours drop backgrounds and shadows: without an outline the thumbnails ran into each other.
    deck.emulate_media(forced_colors="active")
    deck.keyboard.press("o")
    style = "getComputedStyle(document.getElementById('pauses')).outlineStyle"
    assert deck.evaluate(style) == "solid"
    deck.emulate_media(forced_colors="none")
    assert deck.evaluate(style) == "none"
