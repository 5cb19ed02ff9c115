"""Warnings in the served page (a small badge, not the error overlay): the page's own warnings, in real headless
Chromium; a fix takes them away on the next rebuild without moving the deck; `build` output never has them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from serve_support import POSITION, Live, assert_on_slide_3_step_1, open_on_slide_3, seen_generation, talk

from talkbuild.serve.badge import BADGE_ID
from talkbuild.serve.livereload import CONFIG_ID, OVERLAY_ID

LiveFactory = Callable[..., Live]

UNKNOWN_THEME = "talks/a.md:3: warning[theme]: no theme named 'nosuch'"
MISSING_IMAGE = "talks/a.md:10: warning[missing-file]: 'missing.png' does not exist"
UNUSED_EXCLUDE = "talkbuild.yml:2: warning[exclude-unused]: the exclude pattern 'drafts/' matches no Markdown file"


def warned(title: str = "Alpha", third: str = "third") -> str:
    """`talk()` with an unknown theme (line 3) and a missing image (line 10) on its first content slide."""
    return (talk(title, third).replace(f"title: {title}\n", f"title: {title}\ntheme: nosuch\n")
            .replace("first slide\n", "first slide\n\n![a chart](missing.png)\n"))


def on_slide(page: Any, number: int, step: int | None = None) -> None:
    """Wait until the deck shows slide `number` (and `step`): a key press is handled after press() returns."""
    want = f"p[0] === {number}" + (f" && p[1] === {step}" if step is not None else "")
    page.wait_for_function(f"() => {{ const p = ({POSITION})(); return {want}; }}", timeout=5000)


def badge(page: Any) -> Any:
    return page.locator(f"#{BADGE_ID}")


def toggle(page: Any) -> Any:
    return page.locator(f"#{BADGE_ID} > button")


def panel(page: Any) -> Any:
    return page.locator(f"#{BADGE_ID}-panel")


def config_of(html: str) -> dict[str, Any]:
    """The settings `serve` injects into a page (what its script starts from)."""
    match = re.search(rf'<script type="application/json" id="{CONFIG_ID}">(.*?)</script>', html)
    assert match, "no live-reload settings in the page"
    return dict(json.loads(match.group(1)))


# --- which warnings each page gets (over HTTP) ----------------------------------------------------------------


def test_each_page_gets_its_talks_warnings_and_the_index_the_site_wide_ones(live: LiveFactory) -> None:
    site = live({"talkbuild.yml": "exclude:\n  - drafts/\n", "talks/a.md": warned(),
                 "talks/b.md": talk("Beta")})
    pages = {path: config_of(site.get(path)[1])["warnings"] for path in ("/a/slides/", "/a/", "/b/slides/", "/b/", "/")}
    assert len(pages["/a/slides/"]) == 2
    assert pages["/a/slides/"][0].startswith(UNKNOWN_THEME) and pages["/a/slides/"][1].startswith(MISSING_IMAGE)
    assert pages["/a/"] == pages["/a/slides/"]
    assert pages["/b/slides/"] == pages["/b/"] == []
    assert len(pages["/"]) == 1 and pages["/"][0].startswith(UNUSED_EXCLUDE)
    assert pages["/"][0].endswith(")"), "the hint is shown, as in the terminal"
    status = site.status()["warnings"]
    assert isinstance(status, list) and sorted(status) == sorted(pages["/a/slides/"] + pages["/"])


def test_a_themes_warning_shows_on_the_pages_in_that_theme_and_on_the_index(live: LiveFactory) -> None:
    import talkbuild

    base = (Path(talkbuild.__file__).parent / "_themes/default/templates/base.html").read_text()
    body = '<body class="{% block body_class %}{% endblock %}">\n'
    assert body in base
    site = live({"themes/alt/templates/base.html": base.replace(body, body + '<img src="{{ static }}logo.svg" alt="">\n'),
                 "talks/a.md": talk("Alpha").replace("title: Alpha\n", "title: Alpha\ntheme: alt\n"),
                 "talks/b.md": talk("Beta")})
    pages = {path: config_of(site.get(path)[1])["warnings"] for path in ("/a/slides/", "/a/", "/b/slides/", "/")}
    assert len(pages["/a/slides/"]) == 1 and pages["/a/slides/"][0].startswith("themes/alt/templates/base.html:")
    assert "warning[missing-static]" in pages["/a/slides/"][0]
    assert pages["/a/"] == pages["/"] == pages["/a/slides/"]
    assert pages["/b/slides/"] == [], "talk b is shown in the site's theme, not in alt"


def test_a_built_site_carries_no_badge_nor_live_reload(make_project: Callable[..., Path]) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = make_project({"talkbuild.yml": "exclude:\n  - drafts/\n", "talks/a.md": warned()})
    result = build(load_config(root))
    assert {d.code for d in result.diagnostics} >= {"theme", "missing-file", "exclude-unused"}
    built = [p for p in result.out_dir.rglob("*") if p.is_file()]
    assert any(p.name == "index.html" for p in built)
    for path in built:
        data = path.read_bytes()
        for marker in (BADGE_ID.encode(), CONFIG_ID.encode(), OVERLAY_ID.encode(), b"__talkbuild__", b"__tbLive"):
            assert marker not in data, f"{path.relative_to(root)} has {marker!r}"


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_talk_with_warnings_shows_them_in_its_deck_and_handout_until_fixed(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": warned(), "talks/b.md": talk("Beta")})
    open_on_slide_3(page, site, "a")

    toggle(page).wait_for(state="visible")
    assert toggle(page).inner_text() == "\u26a0 2 warnings"
    assert not panel(page).is_visible(), "the list stays closed until asked for: it must not cover the slides"
    assert page.locator(f"#{OVERLAY_ID}").count() == 0, "warnings are not errors"
    handout = page.context.new_page()
    handout.goto(site.url + "a/")
    toggle(handout).click()
    panel(handout).wait_for(state="visible")
    lines = panel(handout).locator("li").all_inner_texts()
    assert len(lines) == 2 and lines[0].startswith(UNKNOWN_THEME) and lines[1].startswith(MISSING_IMAGE)
    assert "(check the spelling" in lines[1], "the hint is shown"
    other = page.context.new_page()
    other.goto(site.url + "b/slides/")
    other.wait_for_function("() => window.__tbLive !== undefined")
    assert badge(other).count() == 0

    site.write("talks/a.md", warned().replace("theme: nosuch\n", ""))  # one fixed, one left

    page.wait_for_function(f"() => document.querySelector('#{BADGE_ID} > button')?.textContent === '\u26a0 1 warning'")
    assert_on_slide_3_step_1(page)
    handout.wait_for_function(f"() => document.querySelectorAll('#{BADGE_ID}-panel li').length === 1")

    site.write("talks/a.md", talk("Alpha", "third, all fixed"))

    page.get_by_text("third, all fixed").wait_for(state="visible")
    badge(page).wait_for(state="detached")
    assert_on_slide_3_step_1(page)
    badge(handout).wait_for(state="detached")


@pytest.mark.browser
def test_the_badge_leaves_the_deck_its_keys_and_escape_closes_it(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": warned()})
    open_on_slide_3(page, site, "a")

    toggle(page).click()  # with the mouse: the list opens, and the focus does not stay on the button
    panel(page).wait_for(state="visible")
    assert toggle(page).get_attribute("aria-expanded") == "true"
    page.keyboard.press("Space")
    on_slide(page, 4)  # Space turns the slide, it does not press the badge
    assert panel(page).is_visible()
    page.keyboard.press("ArrowLeft")
    on_slide(page, 3, 1)

    page.keyboard.press("Escape")
    panel(page).wait_for(state="hidden")
    assert toggle(page).get_attribute("aria-expanded") == "false"
    assert not page.evaluate("document.documentElement.classList.contains('tb-overview')"), \
        "the Escape that closed the list did not also open the deck's overview"

    toggle(page).focus()  # from the keyboard: Enter opens it, arrows still move the deck
    page.keyboard.press("Enter")
    panel(page).wait_for(state="visible")
    page.keyboard.press("ArrowRight")
    on_slide(page, 4)  # Enter pressed the badge and did nothing in the deck: the arrow goes on from slide 3
    page.keyboard.press("Escape")
    panel(page).wait_for(state="hidden")
    assert page.evaluate(f"document.activeElement === document.querySelector('#{BADGE_ID} > button')")
    page.keyboard.press("Escape")  # on the closed badge: the focus goes back to the page
    assert page.evaluate(f"!document.getElementById('{BADGE_ID}').contains(document.activeElement)")
    page.keyboard.press("ArrowLeft")
    on_slide(page, 3, 1)
    assert not page.evaluate("document.documentElement.classList.contains('tb-overview')")


@pytest.mark.browser
def test_a_hidden_badge_stays_hidden_until_the_warnings_change(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": warned()})
    open_on_slide_3(page, site, "a")
    toggle(page).click()
    page.get_by_role("button", name="Hide until they change").click()
    badge(page).wait_for(state="detached")
    page.reload()
    page.wait_for_function("() => window.__tbLive !== undefined")
    seen_generation(page, site)
    assert badge(page).count() == 0

    site.write("talks/a.md", warned().replace("theme: nosuch\n", ""))

    toggle(page).wait_for(state="visible")
    assert toggle(page).inner_text() == "\u26a0 1 warning"


@pytest.mark.browser
def test_a_clean_site_shows_no_badge(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    for path in ("a/slides/", "a/", ""):
        page.goto(site.url + path)
        page.wait_for_function("() => window.__tbLive !== undefined")
        seen_generation(page, site)
        assert page.locator(f"#{BADGE_ID}").count() == 0, path
        assert page.evaluate("window.__tbLive.warnings.length") == 0


COVERED = f"""() => {{
  const badge = document.getElementById('{BADGE_ID}');
  const hit = [];
  for (const el of document.querySelectorAll('.tb-controls button, .tb-controls [aria-live], .tb-p-bar p')) {{
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    if (badge && badge.contains(top)) hit.push(el.getAttribute('aria-label') || el.textContent.trim());
  }}
  return hit;
}}"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height", "query"), [(1200, 760, "?presenter"), (1920, 1080, "?presenter"),
                                                        (375, 667, ""), (1280, 720, "")])
def test_the_badge_never_covers_a_control_of_the_deck_or_the_presenter(live: LiveFactory, page: Any, width: int,
                                                                        height: int, query: str) -> None:
    # The trial: in the presenter window (its controls are bottom-left) and on a phone held upright, the badge
    # took the clicks meant for "Previous" and the slide counter.
    site = live({"talks/a.md": warned()})
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site.url + f"a/slides/{query}#/3")
    page.wait_for_selector("html[data-tb-ready]", state="attached")
    toggle(page).wait_for(state="visible")
    assert page.evaluate("document.querySelectorAll('.tb-controls button').length") > 0
    assert page.evaluate(COVERED) == []


@pytest.mark.browser
def test_a_long_list_scrolls_from_the_keyboard_while_the_deck_stays(live: LiveFactory, page: Any) -> None:
    keys = "".join(f"key{n}: x\n" for n in range(60))
    site = live({"talks/a.md": talk("Alpha").replace("title: Alpha\n", "title: Alpha\n" + keys)})
    open_on_slide_3(page, site, "a")
    toggle(page).click()
    panel(page).wait_for(state="visible")
    assert page.evaluate(f"(() => {{ const p = document.getElementById('{BADGE_ID}-panel'); "
                         "return p.scrollHeight > p.clientHeight + 100; })()")
    panel(page).focus()
    for key in ("PageDown", "ArrowDown", "End"):
        page.keyboard.press(key)
    page.wait_for_function(f"() => document.getElementById('{BADGE_ID}-panel').scrollTop > 100")
    assert_on_slide_3_step_1(page)


@pytest.mark.browser
def test_hiding_holds_for_the_talks_other_page_and_when_only_line_numbers_move(live: LiveFactory, page: Any) -> None:
    site = live({"talks/a.md": warned()})
    open_on_slide_3(page, site, "a")
    toggle(page).click()
    page.get_by_role("button", name="Hide until they change").click()
    badge(page).wait_for(state="detached")
    page.goto(site.url + "a/")  # the handout, in the same tab: the same warnings
    page.wait_for_function("() => window.__tbLive !== undefined")
    seen_generation(page, site)
    assert badge(page).count() == 0
    site.write("talks/a.md", warned().replace("## One\n", "## Zero\n\nadded above\n\n## One\n"))
    seen_generation(page, site)
    page.wait_for_function("() => window.__tbLive && window.__tbLive.warnings.length === 2")
    assert badge(page).count() == 0, "the same warnings, only further down"


def test_the_badges_list_comes_after_its_button_in_the_tab_order(live: LiveFactory, page: Any) -> None:
    # A disclosure: Tab from the button that opened the list goes into the list (it went to <body> before).
    site = live({"talks/a.md": warned()})
    page.goto(site.url + "a/")
    toggle(page).wait_for(state="visible")
    toggle(page).focus()
    page.keyboard.press("Enter")
    panel(page).wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.getElementById('{BADGE_ID}-panel').contains(document.activeElement)")
    top_of_panel = panel(page).bounding_box()["y"]  # type: ignore[index]
    assert top_of_panel < toggle(page).bounding_box()["y"], "the list still opens above its button"  # type: ignore[index]
