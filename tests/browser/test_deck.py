"""The deck viewer in real headless Chromium: keys, URLs, steps, overview, presenter, print, accessibility."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_SLIDES, SHOWN_STEPS, current, pdf_pages, visible_fragments, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
N = len(DEMO_SLIDES)


@pytest.fixture
def deck(page: Any, demo_site: Path, static_server: Any) -> Any:
    base = static_server(demo_site)
    page.deck_url = base + "demo/slides/"
    page.goto(page.deck_url)
    wait_ready(page)
    yield page
    assert page.outside_requests == [], "the deck must not reach beyond 127.0.0.1"


def hash_of(page: Any) -> str:
    return str(page.evaluate("location.hash"))


def test_keyboard_navigation_changes_the_visible_slide_and_the_url(deck: Any) -> None:
    assert current(deck) == "title"
    expect(deck.locator("#title")).to_be_visible()
    expect(deck.locator("#opening")).to_be_hidden()
    deck.keyboard.press("ArrowRight")
    assert current(deck) == "opening" and hash_of(deck) == "#opening"
    expect(deck.locator("#opening")).to_be_visible()
    expect(deck.locator("#title")).to_be_hidden()
    assert deck.locator("#tb-counter").inner_text() == f"2 / {N}"
    assert deck.locator("#tb-section").inner_text() == "Opening"
    deck.keyboard.press("PageDown")
    assert current(deck) == "build-steps"
    deck.keyboard.press("PageUp")
    assert current(deck) == "opening"
    deck.keyboard.press("Space")
    assert current(deck) == "build-steps"
    deck.keyboard.press("Shift+Space")
    assert current(deck) == "opening"
    deck.keyboard.press("End")
    assert current(deck) == "the-end" and hash_of(deck) == "#the-end"
    deck.keyboard.press("Home")
    assert current(deck) == "title"
    deck.keyboard.press("ArrowLeft")  # at the start: stays
    assert current(deck) == "title"


def test_inactive_slides_are_inert_and_hidden_and_changes_are_announced(deck: Any) -> None:
    deck.keyboard.press("ArrowRight")
    states = deck.evaluate("""[...document.querySelectorAll('#tb-stage > section')].map(
        s => [s.id, s.inert, s.getAttribute('aria-hidden')])""")
    assert states[1] == ["opening", False, None]
    assert all(inert and hidden == "true" for sid, inert, hidden in states if sid != "opening")
    assert deck.locator("#tb-status").inner_text() == f"Slide 2 of {N}: Opening"
    assert deck.locator("#tb-status").get_attribute("aria-live") == "polite"
    assert deck.locator("[role=application]").count() == 0
    assert deck.locator("html").get_attribute("lang") == "en-GB"
    assert deck.locator("#slide-5 h3").text_content() == "Slide 5"  # untitled: a visually hidden heading
    assert deck.evaluate("document.querySelectorAll('#tb-stage > section:not([aria-labelledby])').length") == 0


def test_deep_links_open_the_right_slide_and_reload_keeps_it(deck: Any) -> None:
    deck.goto(deck.deck_url + "#/4")
    wait_ready(deck)
    assert current(deck) == "pauses"
    deck.goto(deck.deck_url + "#the-end")
    assert current(deck) == "the-end"
    deck.goto(deck.deck_url + "#build-steps/2")
    assert current(deck) == "build-steps" and visible_fragments(deck) == 2
    deck.reload()
    wait_ready(deck)
    assert current(deck) == "build-steps" and visible_fragments(deck) == 2
    deck.goto(deck.deck_url + "#/3/1")
    assert current(deck) == "build-steps" and visible_fragments(deck) == 1


def test_a_reload_whose_slide_id_is_gone_stays_at_the_same_slide_number(page: Any, demo_site: Path,
                                                                      static_server: Any, tmp_path: Path) -> None:
    # `talkbuild serve` reloads after each save; editing the heading of the slide on screen changes its id.
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    base = static_server(site)
    page.goto(base + "demo/slides/#pauses")
    wait_ready(page)
    deck_html = site / "demo/slides/index.html"
    deck_html.write_text(deck_html.read_text(encoding="utf-8").replace('id="pauses"', 'id="pauses-renamed"'),
                         encoding="utf-8")
    page.reload()
    wait_ready(page)
    assert current(page) == "pauses-renamed" and hash_of(page) == "#pauses-renamed"
    page.goto(base + "index.html")
    page.goto(base + "demo/slides/#no-such-slide")  # followed, not reloaded: an unknown id opens the first slide
    wait_ready(page)
    assert current(page) == "title"


def test_back_and_forward_move_between_slides(deck: Any) -> None:
    for _ in range(3):
        deck.keyboard.press("ArrowRight")
    assert current(deck) == "build-steps" and visible_fragments(deck) == 1
    deck.go_back()
    assert current(deck) == "opening"
    deck.go_back()
    assert current(deck) == "title"
    deck.go_forward()
    assert current(deck) == "opening"


def test_fragments_step_one_at_a_time_and_the_url_carries_the_step(deck: Any) -> None:
    deck.goto(deck.deck_url + "#build-steps")
    assert visible_fragments(deck) == 0
    expect(deck.locator("#build-steps li").first).to_be_hidden()
    for step in (1, 2, 3):
        deck.keyboard.press("ArrowRight")
        assert current(deck) == "build-steps" and visible_fragments(deck) == step
        assert hash_of(deck) == f"#build-steps/{step}"
    expect(deck.locator("#build-steps li").nth(2)).to_be_visible()
    deck.keyboard.press("ArrowRight")
    assert current(deck) == "pauses" and visible_fragments(deck) == 0
    expect(deck.locator("#pauses .fragment")).to_be_hidden()
    deck.keyboard.press("ArrowRight")  # the pandoc pause
    expect(deck.locator("#pauses .fragment")).to_be_visible()
    deck.keyboard.press("ArrowLeft")
    deck.keyboard.press("ArrowLeft")  # back onto the list slide: it arrives fully built
    assert current(deck) == "build-steps" and visible_fragments(deck) == 3


def test_overview_shows_every_slide_and_jumps_by_click_or_keyboard(deck: Any) -> None:
    deck.keyboard.press("o")
    assert deck.evaluate("document.documentElement.classList.contains('tb-overview')")
    assert all(deck.locator(f"#{sid}").is_visible() for sid in DEMO_SLIDES)
    deck.locator("#pauses .tb-pick").click()
    assert current(deck) == "pauses" and hash_of(deck) == "#pauses"
    expect(deck.locator("#opening")).to_be_hidden()
    deck.keyboard.press("Escape")
    assert deck.evaluate("document.activeElement.getAttribute('aria-label')") == "Slide 4: Pauses"
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("Enter")
    assert current(deck) == "slide-5"
    assert not deck.evaluate("document.documentElement.classList.contains('tb-overview')")


def test_overview_arrows_move_by_row_and_thumbnails_show_every_step(page: Any, tmp_path: Path,
                                                                  static_server: Any) -> None:
    talk = "---\ntitle: Grid\n---\n\n" + "".join(f"## S{i} {{#s{i}}}\n\nFirst\n\n. . .\n\nLater\n\n" for i in range(12))
    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/g.md").write_text(talk, encoding="utf-8")
    from talkbuild.build import build
    from talkbuild.config import load_config

    page.goto(static_server(build(load_config(root)).out_dir) + "g/slides/")
    wait_ready(page)
    page.keyboard.press("o")
    cols = page.evaluate("""(() => { const tops = Array.from(document.querySelectorAll('#tb-stage > section.slide'))
        .map(s => Math.round(s.getBoundingClientRect().top)); return tops.filter(t => t === tops[0]).length; })()""")
    assert 1 < cols < 13
    focused = "document.activeElement.closest('section.slide').id"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == f"s{cols}", "one row down: the slide below, not the last"
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused) == "s0"
    # Steps fade in over 0.2 s (deck.css): on a loaded machine the first frames of that fade still read opacity 0.
    hidden = """Array.from(document.querySelectorAll('.slide .fragment'))
        .filter(f => getComputedStyle(f).visibility !== 'visible' || getComputedStyle(f).opacity === '0').length"""
    page.wait_for_function(f"() => ({hidden}) === 0", timeout=5000)
    assert page.evaluate(hidden) == 0, "a thumbnail shows every step"


def test_without_its_script_the_deck_shows_every_slide(page: Any, demo_site: Path, static_server: Any) -> None:
    page.route("**/deck.js", lambda route: route.abort())
    page.goto(static_server(demo_site) + "demo/slides/")
    page.wait_for_load_state("load")
    assert not page.evaluate("document.documentElement.classList.contains('tb-js')")
    assert all(page.locator(f"#{sid}").is_visible() for sid in DEMO_SLIDES)
    # The parts loaded before deck.js only define themselves: without deck.js (or beside a theme's own whole copy
    # of an older one) they add nothing to the page and listen to nothing.
    assert page.evaluate("Object.keys(window.talkbuildDeck.parts).length") == 9  # deck.js lists them (print: notes pages)
    assert page.evaluate("document.querySelectorAll('.tb-pick, .tb-current').length") == 0


def test_a_deck_asks_for_nothing_it_does_not_have(page: Any, demo_site: Path, static_server: Any) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.goto(static_server(demo_site) + "demo/slides/")
    wait_ready(page)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # a browser may ask for /favicon.ico after the load (base.html names none: data:)
    assert failed == [], "every file the deck asks for exists, and nothing logs an error"


def test_help_overlay_opens_with_question_mark_and_closes_with_escape(deck: Any) -> None:
    deck.keyboard.press("?")
    expect(deck.locator("#tb-help")).to_be_visible()
    deck.keyboard.press("ArrowRight")  # keys do not move the deck while the dialog is open
    assert current(deck) == "title"
    deck.keyboard.press("Escape")
    expect(deck.locator("#tb-help")).to_be_hidden()


def test_controls_work_by_mouse_and_keyboard(deck: Any) -> None:
    deck.locator("[data-action=next]").click()
    assert current(deck) == "opening"
    deck.locator("[data-action=prev]").focus()
    deck.keyboard.press("Enter")
    assert current(deck) == "title"


def open_presenter(deck: Any) -> Any:
    with deck.expect_popup() as info:
        deck.keyboard.press("s")
    presenter = info.value
    wait_ready(presenter)
    presenter.wait_for_function("document.getElementById('tb-p-conn').textContent === ''")
    return presenter


def test_presenter_window_follows_the_deck_and_the_deck_follows_it(deck: Any) -> None:
    deck.goto(deck.deck_url + "#opening")
    presenter = open_presenter(deck)
    assert current(presenter) == "opening"
    assert "Welcome everyone." in presenter.locator("#tb-p-notes").inner_text()
    assert presenter.locator("#tb-p-next-label").text_content().startswith("Next slide")
    assert presenter.locator("#tb-p-pace").inner_text()  # duration: 10 -> pacing shown
    deck.keyboard.press("ArrowRight")
    presenter.wait_for_function("document.querySelector('#tb-stage > section.tb-current').id === 'build-steps'")
    assert "Say first" in presenter.locator("#tb-p-notes").inner_text()
    assert presenter.locator("#tb-p-next-label").text_content() == "Next step (1 of 3)"
    entries = deck.evaluate("history.length")
    presenter.keyboard.press("ArrowRight")
    deck.wait_for_function(SHOWN_STEPS + " === 1")
    presenter.keyboard.press("ArrowRight")
    deck.wait_for_function(SHOWN_STEPS + " === 2")
    assert deck.evaluate("history.length") == entries, "steps driven from the presenter make no history entries"
    presenter.keyboard.press("End")
    deck.wait_for_function("location.hash === '#the-end'")
    assert current(deck) == "the-end"
    assert presenter.outside_requests == [] if hasattr(presenter, "outside_requests") else True


def test_deck_and_presenter_work_from_file_urls(page: Any, demo_site: Path) -> None:
    url = (demo_site / "demo" / "slides" / "index.html").as_uri()
    page.goto(url + "#/2")
    wait_ready(page)
    assert current(page) == "opening"
    page.keyboard.press("ArrowRight")
    assert current(page) == "build-steps" and page.evaluate("location.hash") == "#build-steps"
    presenter = open_presenter(page)
    page.keyboard.press("ArrowRight")
    presenter.wait_for_function(SHOWN_STEPS + " === 1")
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function(SHOWN_STEPS + " === 2")


def test_presenter_opened_on_its_own_says_it_is_not_connected(page: Any, demo_site: Path) -> None:
    url = (demo_site / "demo" / "slides" / "index.html").as_uri()
    page.goto(url + "?presenter#opening")
    page.wait_for_function("document.getElementById('tb-p-conn').textContent !== ''", timeout=5000)
    # From disk too: Chromium's BroadcastChannel works there, so opening the slides is enough (test_deck_media.py).
    text = page.locator("#tb-p-conn").inner_text()
    assert "Open the slides" in text and "Press S" not in text


def test_print_gives_one_page_per_slide_with_every_step_shown(deck: Any) -> None:
    deck.emulate_media(media="print")
    expect(deck.locator("#build-steps li").nth(2)).to_be_visible()
    expect(deck.locator("#pauses .fragment")).to_be_visible()
    expect(deck.locator("#tb-controls")).to_be_hidden()
    data = deck.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(data) == N


def test_reduced_motion_turns_transitions_off(page: Any, demo_site: Path, static_server: Any) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(static_server(demo_site) + "demo/slides/")
    durations = page.evaluate("getComputedStyle(document.querySelector('#opening')).transitionDuration")
    assert set(durations.replace(" ", "").split(",")) == {"0s"}


def test_tall_images_and_long_code_lines_stay_on_the_slide_and_readable(page: Any, tmp_path: Path, static_server: Any) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/tall.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="820" height="785">'
                                         '<rect width="820" height="785" fill="#369"/></svg>')
    long_line = "srun --ntasks=4 " + " ".join(f"--option-{i}=value" for i in range(9))
    (root / "talks/t.md").write_text("---\ntitle: T\n---\n\n## Screenshot\n\n![A tall screenshot](tall.svg)\n\n"
                                     "A caption under it.\n\n## Job script\n\n```bash\n" + long_line + "\necho done\n```\n")
    build(load_config(root))
    page.goto(static_server(root / "_site") + "t/slides/index.html#screenshot")
    wait_ready(page)
    stage = page.locator("#tb-stage").bounding_box()
    caption = page.locator("#screenshot p", has_text="A caption under it").bounding_box()
    assert caption["y"] + caption["height"] <= stage["y"] + stage["height"], "the text under a tall image is on the slide"
    page.keyboard.press("ArrowRight")
    expect(page.locator("#job-script")).to_be_visible()
    fit = page.evaluate("parseFloat(getComputedStyle(document.getElementById('job-script')).getPropertyValue('--tb-fit') || '1')")
    assert fit >= 0.8, "one long line does not shrink the whole slide to unreadable size"
    code = page.locator("#job-script pre").bounding_box()
    assert code["x"] + code["width"] <= stage["x"] + stage["width"]
    assert page.evaluate("(() => { const p = document.querySelector('#job-script pre'); return p.scrollWidth <= p.clientWidth + 1; })()")


def test_raw_html_that_closes_or_leaves_open_tags_keeps_every_slide_in_the_deck(page: Any, tmp_path: Path,
                                                                                static_server: Any) -> None:
    # A `</section>` left over from a reveal.js talk closed talkbuild's slide, and with it the deck's stage:
    # every slide after it fell out of the deck (26 of 52 in one talk of the corpus). A comment never closed hid
    # the rest of the page, the deck's script included.
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/raw.md").write_text(
        "---\ntitle: Raw\n---\n\n## One {#one}\n\n<div style=\"float:left\">\nLeft\n</div>\n</section>\n\n"
        "## Two {#two}\n\n<div class=\"wrapper\">\n\nNever closed.\n\n## Three {#three}\n\nLast.\n\n<!-- to do\n", encoding="utf-8")
    build(load_config(root))
    page.goto(static_server(root / "_site") + "raw/slides/#three")
    wait_ready(page)
    ids = page.evaluate("Array.from(document.querySelectorAll('#tb-stage > section.slide')).map(s => s.id)")
    assert ids == ["title", "one", "two", "three"]
    assert page.evaluate("document.querySelectorAll('section.slide').length") == 4
    expect(page.locator("#three")).to_be_visible()
