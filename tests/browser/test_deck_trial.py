"""The deck against what a re-verification trial broke: bad %-escapes, embeds' shapes, a theme's older deck.css,
blackout over everything and across a reload, focus after the overview and the help, the typed number."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_SLIDES, DEMO_TALK, current, visible_fragments, wait_ready
from playwright.sync_api import expect
from test_media_fit import box, build_site

pytestmark = pytest.mark.browser
N = len(DEMO_SLIDES)
REPO = Path(__file__).resolve().parents[2]
STATUS = "document.getElementById('tb-status').textContent"
COVER = "(() => { const e = document.elementFromPoint(640, 360); return !!e && getComputedStyle(e).backgroundColor === 'rgb(0, 0, 0)' && getComputedStyle(e).position === 'fixed'; })()"


@pytest.mark.parametrize("bad", ["%", "%E0%A4%A", "logo%"])
def test_a_bad_percent_escape_in_the_address_is_a_notice_not_a_dead_deck(page: Any, demo_site: Path,
                                                                         static_server: Any, bad: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = static_server(demo_site) + "demo/slides/"
    page.goto(url + "#" + bad)
    wait_ready(page)
    assert current(page) == "title"
    expect(page.locator("#tb-toast")).to_contain_text("in this deck")
    page.keyboard.press("ArrowRight")
    assert current(page) == "opening"
    page.evaluate(f"location.hash = {bad!r}")  # an open deck stays where it is
    page.wait_for_function("location.hash === '#opening'")
    assert current(page) == "opening" and errors == []


EMBEDS = ("---\ntitle: Embeds\n---\n\n## Percent\n\n"
          '<iframe width="100%" height="300" title="A" srcdoc="a"></iframe>\n\n'
          "## Shaped\n\n"
          '<iframe style="width:100%; aspect-ratio:16/9" title="B" srcdoc="b"></iframe>\n')


def test_an_iframe_with_a_percentage_width_keeps_its_height_attribute(page: Any, tmp_path: Path,
                                                                      static_server: Any) -> None:
    base = static_server(build_site(tmp_path / "p", EMBEDS))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(base + "t/")
    assert box(page, "#percent iframe")["height"] == pytest.approx(300, abs=5)  # with its border
    page.goto(base + "t/slides/#percent")
    wait_ready(page)
    frame = box(page, "#percent iframe")
    assert frame["height"] > 200, "not the 150 pixels of height: auto"


@pytest.mark.parametrize("width,height", [(1280, 720), (390, 844)])
def test_an_iframe_shaped_by_css_keeps_its_shape_on_a_slide(page: Any, tmp_path: Path, static_server: Any,
                                                            width: int, height: int) -> None:
    base = static_server(build_site(tmp_path / "p", EMBEDS))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base + "t/slides/#shaped")
    wait_ready(page)
    frame, stage = box(page, "#shaped iframe"), box(page, "#tb-stage")
    assert frame["width"] / frame["height"] == pytest.approx(16 / 9, rel=0.03)
    assert stage["left"] <= frame["left"] and frame["right"] <= stage["right"]
    assert frame["bottom"] <= stage["bottom"]


def test_a_theme_with_its_older_deck_css_blacks_out_visibly(page: Any, tmp_path: Path, static_server: Any) -> None:
    old = subprocess.run(["git", "show", "3a86a88:themes/default/static/deck.css"], cwd=REPO, capture_output=True,
                         text=True)
    if old.returncode:  # a checkout without that history: the rules that matter, as they were
        css = "@media screen { .tb-deck { background: #0e121b; } }\n"
    else:
        css = old.stdout
    assert "tb-blackout" not in css
    root = tmp_path / "p"
    (root / "themes/old/static").mkdir(parents=True)
    (root / "themes/old/static/deck.css").write_text(css, encoding="utf-8")
    (root / "talkbuild.yml").parent.mkdir(parents=True, exist_ok=True)
    (root / "talkbuild.yml").write_text("theme: old\n", encoding="utf-8")
    base = static_server(build_site(root, DEMO_TALK))
    page.goto(base + "t/slides/#opening")
    wait_ready(page)
    page.keyboard.press("b")
    assert page.evaluate(COVER), "the screen is black"
    page.keyboard.press("ArrowRight")  # brings the slide back, and only that
    assert not page.evaluate(COVER) and current(page) == "opening"
    page.keyboard.press("ArrowRight")
    assert current(page) == "build-steps" or visible_fragments(page) == 1


def test_the_blackout_covers_the_toast_and_closes_the_help(deck: Any) -> None:
    deck.evaluate("location.hash = 'nope'")
    expect(deck.locator("#tb-toast")).to_be_visible()
    deck.keyboard.press("b")
    top = deck.evaluate("(() => { const r = document.getElementById('tb-toast').getBoundingClientRect();"
                        " return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === document.getElementById('tb-toast'); })()")
    assert not top, "the toast is under the black"
    deck.keyboard.press("x")
    deck.keyboard.press("?")
    assert deck.evaluate("document.getElementById('tb-help').open")
    presenter = deck.context.new_page()
    presenter.goto(deck.deck_url + "?presenter")
    presenter.wait_for_function("document.getElementById('tb-p-conn').textContent === ''", timeout=5000)
    presenter.keyboard.press("b")
    deck.wait_for_function(COVER)
    assert not deck.evaluate("document.getElementById('tb-help').open"), "nothing shows over the black"
    deck.keyboard.press("x")
    assert not deck.evaluate(COVER), "a key brings the slide back"


def test_an_audience_window_reloaded_during_a_blackout_is_black_again(deck: Any) -> None:
    presenter = deck.context.new_page()
    presenter.goto(deck.deck_url + "?presenter")
    presenter.wait_for_function("document.getElementById('tb-p-conn').textContent === ''", timeout=5000)
    presenter.keyboard.press("b")
    deck.wait_for_function(COVER)
    deck.reload()
    wait_ready(deck)
    deck.wait_for_function(COVER, timeout=5000)
    assert "audience sees a black screen" in presenter.locator("#tb-p-black").inner_text()
    presenter.keyboard.press("b")
    deck.wait_for_function(f"!{COVER}")


def test_space_after_closing_the_overview_or_the_help_goes_on(deck: Any) -> None:
    deck.locator("[data-action=overview]").focus()
    deck.keyboard.press("Enter")
    deck.keyboard.press("Escape")
    assert deck.evaluate(STATUS) == f"Slide 2 of {N}: Opening"
    assert deck.evaluate("document.activeElement.id") == "opening", "focus on the slide showing"
    deck.keyboard.press("Space")
    assert not deck.evaluate("document.documentElement.classList.contains('tb-overview')")
    assert current(deck) == "build-steps"
    deck.locator("[data-action=help]").click()
    assert deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("Escape")
    assert not deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("Enter")
    assert not deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("Space")
    assert visible_fragments(deck) == 1


def test_the_typed_number_shows_while_idle_and_is_forgotten_after_a_pause(deck: Any) -> None:
    deck.evaluate("document.documentElement.classList.add('tb-idle')")
    deck.keyboard.press("4")
    assert deck.locator("#tb-counter").inner_text() == "Go to 4"
    # The controls fade in (a CSS transition): read mid-way on a loaded machine, their opacity is still rising.
    deck.wait_for_function("parseFloat(getComputedStyle(document.getElementById('tb-controls')).opacity) > 0.9",
                           timeout=3000)
    deck.wait_for_function("document.getElementById('tb-counter').textContent !== 'Go to 4'", timeout=6000)
    deck.keyboard.press("Enter")
    assert current(deck) == "opening", "an old number does not make a later Enter jump"


def test_g_says_so_for_any_address_past_the_end(deck: Any) -> None:
    for answer in ("#/99", "/0", "99"):
        deck.evaluate("document.getElementById('tb-toast').hidden = true")
        deck.once("dialog", lambda dialog, a=answer: dialog.accept(a))
        deck.keyboard.press("g")
        expect(deck.locator("#tb-toast")).to_be_visible()
        assert current(deck) == "opening", answer


def test_the_help_lists_the_arrow_keys_and_no_s_in_the_presenter(deck: Any) -> None:
    help_text = deck.locator("#tb-help").inner_text()
    assert "↓" in help_text and "↑" in help_text and "Backspace" in help_text
    presenter = deck.context.new_page()
    presenter.goto(deck.deck_url + "?presenter")
    wait_ready(presenter)
    presenter.keyboard.press("?")
    rows = presenter.locator("#tb-help tr").filter(has_text="Presenter view")
    assert rows.count() == 1 and not rows.first.is_visible()


def test_a_step_revealed_again_is_announced_again(deck: Any) -> None:
    deck.goto(deck.deck_url + "#build-steps")
    deck.keyboard.press("ArrowRight")
    first = deck.evaluate(STATUS)
    assert first.strip() == "first point"
    deck.keyboard.press("ArrowLeft")
    between = deck.evaluate(STATUS)  # says the step went away (test_deck_a11y.py)
    deck.keyboard.press("ArrowRight")
    again = deck.evaluate(STATUS)
    assert again.strip() == "first point" and again != between, "the live region's text changed: it is read"


def test_a_formula_wider_than_the_page_is_shrunk_to_fit_it_in_the_printed_handout(page: Any, tmp_path: Path,
                                                                                   static_server: Any) -> None:
    wide = " + ".join(f"x_{{{i}}}^{{2}}" for i in range(60))
    base = static_server(build_site(tmp_path / "p", f"---\ntitle: Maths\n---\n\n## Sum\n\n$$\n{wide}\n$$\n"))
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(base + "t/")
    page.wait_for_function("document.querySelector('math').style.getPropertyValue('--tb-math-w') !== ''")
    page.emulate_media(media="print")
    fits = page.evaluate("""(() => { const m = document.querySelector('math[display="block"]');
        const r = document.createRange(); r.selectNodeContents(m);
        const box = m.closest('.tb-slide-content').getBoundingClientRect();
        return [r.getBoundingClientRect().left >= box.left - 1, r.getBoundingClientRect().right <= box.right + 1]; })()""")
    assert fits == [True, True], "the whole formula is on the page"


def test_a_presenter_opened_by_hand_over_http_says_to_open_the_slides(page: Any, demo_site: Path,
                                                                      static_server: Any) -> None:
    page.goto(static_server(demo_site) + "demo/slides/?presenter")
    wait_ready(page)
    page.wait_for_function("document.getElementById('tb-p-conn').textContent.startsWith('Not connected')")
    text = page.locator("#tb-p-conn").inner_text()
    assert "Open the slides" in text and "Press S" not in text


def test_b_while_the_help_is_open_closes_it_and_blacks_out(deck: Any) -> None:
    deck.keyboard.press("?")
    assert deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("b")
    deck.wait_for_function(COVER, timeout=5000)
    assert not deck.evaluate("document.getElementById('tb-help').open")
    deck.keyboard.press("x")
    assert not deck.evaluate(COVER), "a key brings the slide back"
