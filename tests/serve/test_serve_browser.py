"""Live reload in real headless Chromium: the right pages reload, on the same slide; errors show and go away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from serve_support import (
    NOT_RELOADED,
    POSITION,
    Live,
    assert_on_slide_3_step_1,
    open_on_slide_3,
    seen_generation,
    talk,
    wait_until,
)

from talkbuild.serve.livereload import OVERLAY_ID

pytestmark = pytest.mark.browser

LiveFactory = Callable[..., Live]


def test_editing_a_talk_reloads_its_open_deck_on_the_same_slide(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    open_on_slide_3(page, site, "a")
    assert page.get_by_text("third").is_visible()

    site.write("talks/a.md", talk("Alpha", "third, edited while presenting"))

    page.wait_for_function("() => window.__tbMark === undefined", timeout=15000)  # reloaded, no key pressed
    page.get_by_text("third, edited while presenting").wait_for(state="visible")
    assert_on_slide_3_step_1(page)
    assert not page.get_by_text("first slide").is_visible()
    assert page.outside_requests == []


def test_editing_another_talk_does_not_reload_the_open_deck(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    open_on_slide_3(page, site, "a")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    site.write("talks/b.md", talk("Beta", "only beta changed"))
    site.wait_for_page("/b/slides/", "only beta changed")
    seen_generation(page, site)

    assert page.evaluate(NOT_RELOADED)
    assert navigations == []


def test_a_broken_talk_shows_path_and_line_on_every_page_until_fixed(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    open_on_slide_3(page, site, "a")
    index = page.context.new_page()
    index.goto(site.url)

    site.write("talks/a.md", "---\ntitle: Alpha\nduration: soon\n---\n\n## One\n\nfirst slide\n")

    overlay = page.locator(f"#{OVERLAY_ID}")
    overlay.wait_for(state="visible")
    assert "talks/a.md:3" in overlay.inner_text()
    assert page.evaluate(NOT_RELOADED)  # the last good deck stays, still on slide 3
    index.locator(f"#{OVERLAY_ID}").wait_for(state="visible")
    assert "talks/a.md:3" in index.locator(f"#{OVERLAY_ID}").inner_text()
    fresh = page.context.new_page()  # a page opened while broken shows it straight away
    fresh.goto(site.url + "b/")
    assert "talks/a.md:3" in fresh.locator(f"#{OVERLAY_ID}").inner_text()

    site.write("talks/a.md", talk("Alpha", "third, fixed"))

    page.get_by_text("third, fixed").wait_for(state="visible")
    page.locator(f"#{OVERLAY_ID}").wait_for(state="detached")
    assert_on_slide_3_step_1(page)
    index.locator(f"#{OVERLAY_ID}").wait_for(state="detached")
    fresh.locator(f"#{OVERLAY_ID}").wait_for(state="detached")


def test_the_errors_can_be_hidden_while_presenting_until_they_change(live: LiveFactory, page: Any) -> None:
    """A speaker presenting from `serve` hides the box that covered the projected slide; the deck's keys work."""
    site = live({"talks/a.md": talk("Alpha")})
    open_on_slide_3(page, site, "a")
    site.write("talks/a.md", "---\ntitle: Alpha\nduration: soon\n---\n")
    overlay = page.locator(f"#{OVERLAY_ID}")
    overlay.wait_for(state="visible")
    overlay.get_by_role("button", name="Hide the build errors").click()
    assert overlay.get_attribute("data-hidden") == "" and overlay.get_attribute("role") is None
    assert overlay.inner_text().startswith("1 build error") and "talks/a.md:3" not in overlay.inner_text()
    assert overlay.bounding_box()["height"] < 60  # type: ignore[index]
    page.keyboard.press("PageUp")  # the clicker still drives the deck: back from slide 3, step 1
    page.wait_for_function(f"() => ({POSITION})()[0] === 3 && ({POSITION})()[1] === 0")
    page.reload()  # the same errors stay hidden in this tab
    overlay.wait_for(state="visible")
    assert overlay.get_attribute("data-hidden") == ""
    site.write("talks/a.md", "---\ntitle: Alpha\nduration: later\n---\n")  # a new error opens the box again
    page.wait_for_function(f"() => !document.getElementById('{OVERLAY_ID}').hasAttribute('data-hidden')")
    assert "later" in overlay.inner_text()
    overlay.get_by_role("button", name="Hide the build errors").click()
    overlay.get_by_role("button", name="Show the build errors").click()
    assert "talks/a.md:3" in overlay.inner_text()


def test_a_restored_talk_removes_the_overlay_without_a_reload(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    open_on_slide_3(page, site, "a")
    good = (site.root / "talks" / "a.md").read_text()
    site.write("talks/a.md", "---\ntitle: Alpha\nduration: soon\n---\n")
    page.locator(f"#{OVERLAY_ID}").wait_for(state="visible")
    site.write("talks/a.md", good)  # e.g. undo: the output is what the page already shows
    page.locator(f"#{OVERLAY_ID}").wait_for(state="detached")
    assert page.evaluate(NOT_RELOADED)


def test_a_not_found_page_turns_into_the_new_talk(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    response = page.goto(site.url + "c/slides/")
    assert response.status == 404
    site.write("talks/c.md", talk("Gamma", "the new talk"))
    page.wait_for_function("() => document.title.includes('Gamma')", timeout=15000)


def test_a_theme_change_reloads_open_pages(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "themes/default/static/.keep": ""})
    open_on_slide_3(page, site, "a")
    css = site.url + "_talkbuild/deck.css"
    original = page.request.get(css).text()
    site.write("themes/default/static/deck.css", original + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
    page.wait_for_function("() => window.__tbMark === undefined", timeout=15000)
    page.wait_for_function("() => document.body && getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'")
    assert_on_slide_3_step_1(page)


SET_VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_tab_lets_go_of_its_stream_and_catches_up_when_shown(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    open_on_slide_3(page, site, "a")
    page.evaluate(SET_VISIBILITY, "hidden")
    site.write("talks/a.md", talk("Alpha", "edited while the tab was hidden"))
    site.wait_for_page("/a/slides/", "edited while the tab was hidden")
    assert page.evaluate(NOT_RELOADED)
    page.evaluate(SET_VISIBILITY, "visible")
    page.get_by_text("edited while the tab was hidden").wait_for(state="visible")
    assert_on_slide_3_step_1(page)


def test_a_site_theme_change_does_not_reload_a_deck_in_another_theme(live: LiveFactory, page: Any) -> None:
    site = live({"talkbuild.yml": "theme: site\n", "themes/site/static/theme.css": "body { }\n",
                 "themes/alt/static/theme.css": "body { }\n",
                 "talks/a.md": talk("Alpha").replace("title: Alpha", "title: Alpha\ntheme: alt"),
                 "talks/b.md": talk("Beta")})
    open_on_slide_3(page, site, "a")
    other = page.context.new_page()
    other.goto(site.url + "b/slides/")
    other.wait_for_selector("html[data-tb-ready]", state="attached")
    other.evaluate("window.__tbMark = 'still here'")

    site.write("themes/site/static/theme.css", "body { outline: 3px solid rgb(1, 2, 3); }\n")
    other.wait_for_function("() => window.__tbMark === undefined", timeout=15000)  # the site theme's deck reloads
    other.wait_for_function("() => document.body && getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'")
    other.wait_for_function("() => window.__tbLive !== undefined")
    seen_generation(page, site)
    assert page.evaluate(NOT_RELOADED)  # the deck in theme alt uses none of the site theme's files

    other.evaluate("window.__tbMark = 'still here'")
    site.write("themes/site/static/unused.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    wait_until(lambda: site.get("_talkbuild/unused.svg")[0] == 200, "the new theme file to be served")
    seen_generation(page, site)
    seen_generation(other, site)
    assert page.evaluate(NOT_RELOADED) and other.evaluate(NOT_RELOADED)  # a file no page uses reloads none


def test_the_error_box_never_hides_the_keyboard_focus_and_comes_first_in_the_tab_order(live: LiveFactory,
                                                                                        page: Any) -> None:
    """WCAG 2.4.11: the handout's skip link and first links sit where the box is; a Tab there moves the box away."""
    site = live({"talks/a.md": talk("Alpha"), "talks/bad.md": "---\ntitle: Bad\nduration: soon\n---\n"})
    page.goto(site.url + "a/")
    box = page.locator(f"#{OVERLAY_ID}")
    box.wait_for(state="visible")
    assert page.evaluate(f"document.body.firstElementChild.id === '{OVERLAY_ID}'")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.getElementById('{OVERLAY_ID}').contains(document.activeElement)"), \
        "the box's own button is the first stop"
    covered = ("(() => { const b = document.getElementById('" + OVERLAY_ID + "').getBoundingClientRect();"
               " const r = document.activeElement.getBoundingClientRect();"
               " return r.top >= b.top && r.bottom <= b.bottom && r.left >= b.left && r.right <= b.right; })()")
    for _ in range(4):  # the skip link, then the page's first links: each visible, the box out of their way
        page.keyboard.press("Tab")
        assert not page.evaluate(f"document.getElementById('{OVERLAY_ID}').contains(document.activeElement)")
        assert not page.evaluate(covered), page.evaluate("document.activeElement.outerHTML")
    assert "talks/bad.md:3" in box.inner_text(), "the errors are still shown"


def test_an_open_index_searches_the_slides_as_they_are_saved_without_reloading(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha", "third about kumquats")})
    page.goto(site.url)
    page.evaluate("window.__tbMark = 1")  # gone if the page reloads
    search = page.locator("#tb-search")
    search.fill("kumquats")
    page.locator("#tb-slide-results li").first.wait_for(state="visible")
    search.fill("persimmons")
    page.wait_for_function("document.querySelectorAll('#tb-slide-results li').length === 0")
    site.write("talks/a.md", talk("Alpha", "third about persimmons"))  # the index's own HTML stays the same
    page.locator("#tb-slide-results li").first.wait_for(state="visible", timeout=15000)
    assert "persimmons" in page.locator("#tb-slide-results").inner_text()
    assert page.evaluate("window.__tbMark") == 1, "found without a reload"
    search.fill("kumquats")
    page.wait_for_function("document.querySelectorAll('#tb-slide-results li').length === 0")
