"""Right-to-left talks in Chromium: an Arabic deck runs from the right (keys as in reveal.js's `rtl: true`), its
code and numbers still read left to right, talkbuild's English words are marked English; a German handout reflows
at 320 px; deck and index stay legible in forced colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready

from talkbuild.build import build
from talkbuild.config import load_config

pytestmark = pytest.mark.browser

ARABIC = """\
---
title: مقدمة في البرمجة
lang: ar
date: 2024-05-18
---

# الأساسيات

## المتغيرات

> الاقتباس يبدأ من اليمين

نص عربي مع `print(x)` في السطر.

```python
x = 1
print(x)
```

## الحلقات

نص

## الخاتمة

نص
"""
"""Five slides: the title, a section, three slides (one with a quotation and code)."""

GERMAN = """\
---
title: Verkehrsplanung
lang: de
---

## Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft

Die Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft ist lang.

| Begriff | Bedeutung |
|---|---|
| Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz | ein Gesetz |

```
a_very_long_line_of_code = "that keeps its own sideways scroll, as a scroll region of its own, never the page's"
```
"""


def site(make_project: Any, files: dict[str, str]) -> Path:
    return build(load_config(make_project(files))).out_dir


def char_left(page: Any, selector: str, text: str) -> float:
    """The left edge on screen of the first occurrence of `text` inside the element."""
    return float(page.evaluate("""([selector, text]) => {
        const el = document.querySelector(selector);
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(text);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + text.length);
            return range.getBoundingClientRect().left;
        }
        throw new Error(text + " not in " + selector);
    }""", [selector, text]))


def box(page: Any, selector: str) -> dict[str, float]:
    return dict(page.evaluate(f"JSON.parse(JSON.stringify(document.querySelector('{selector}').getBoundingClientRect()))"))


def style(page: Any, selector: str, prop: str) -> str:
    return str(page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).getPropertyValue('{prop}')"))


@pytest.fixture
def arabic(make_project: Any, static_server: Any) -> str:
    """The base URL of a site with the Arabic talk (its lecturer's site is in English)."""
    return str(static_server(site(make_project, {"talkbuild.yml": "title: Lectures\nlang: en\n", "talks/ar.md": ARABIC})))


def test_an_rtl_deck_goes_on_with_the_left_arrow_as_reveal_js_does(page: Any, arabic: str) -> None:
    page.goto(arabic + "ar/slides/")
    wait_ready(page)
    assert page.evaluate("[document.documentElement.dir, getComputedStyle(document.body).direction]") == ["rtl", "rtl"]
    page.keyboard.press("ArrowLeft")
    assert page.locator("#tb-counter").inner_text() == "2 / 5"
    page.keyboard.press("ArrowLeft")
    assert current(page) == "المتغيرات"
    page.keyboard.press("ArrowRight")
    assert page.locator("#tb-counter").inner_text() == "2 / 5"
    page.keyboard.press("ArrowDown")  # up and down are not mirrored
    page.keyboard.press("PageDown")
    assert page.locator("#tb-counter").inner_text() == "4 / 5"
    # the help says so
    assert page.locator("#tb-help tr").first.locator("kbd").first.inner_text() == "←"
    assert page.locator("[data-action=next]").get_attribute("title") == "Next (Left arrow or Space)"
    assert page.outside_requests == []


def test_an_rtl_deck_mirrors_its_controls_but_not_its_counter_or_code(page: Any, arabic: str) -> None:
    page.goto(arabic + "ar/slides/#المتغيرات")
    wait_ready(page)
    # "3 / 5", not "5 / 3": the counter is left to right in its own box
    assert page.locator("#tb-counter").inner_text() == "3 / 5"
    assert char_left(page, "#tb-counter", "3") < char_left(page, "#tb-counter", "5")
    # Previous is on the right of Next, and its chevron points right (mirrored)
    prev, next_ = box(page, "[data-action=prev]"), box(page, "[data-action=next]")
    assert prev["left"] > next_["left"]
    for action in ("prev", "next"):
        assert style(page, f"[data-action={action}] .tb-icon", "transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    # the controls sit at the bottom left, mirrored from the bottom right
    assert box(page, "#tb-controls")["left"] < 40
    # the progress bar fills from the right: 2 of 4 steps on
    bar = box(page, "#tb-progress")
    width = page.evaluate("innerWidth")
    assert abs(bar["right"] - width) < 1 and abs(bar["width"] - width / 2) < 2
    # code reads left to right, from the left edge of its box; the quotation's rule is on the right
    slide = "#tb-stage > section.tb-current"
    assert style(page, f"{slide} pre", "direction") == "ltr"
    assert char_left(page, f"{slide} pre", "x") - box(page, f"{slide} pre")["left"] < 40
    assert style(page, f"{slide} p code", "direction") == "ltr"
    assert char_left(page, f"{slide} p code", "print") < char_left(page, f"{slide} p code", "(x)")
    assert style(page, f"{slide} blockquote", "border-right-width") != "0px"
    assert style(page, f"{slide} blockquote", "border-left-width") == "0px"


def test_the_announcement_says_its_english_words_in_english_and_the_title_in_the_talks_language(
        page: Any, arabic: str) -> None:
    page.goto(arabic + "ar/slides/")
    wait_ready(page)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    parts = page.evaluate("Array.from(document.querySelectorAll('#tb-status > span'),"
                          " s => [s.lang, s.dir, s.textContent])")
    assert parts == [["en", "ltr", "Slide 3 of 5: "], ["ar", "rtl", "المتغيرات"]]
    # the overview and a blackout announce the same way
    page.keyboard.press("b")
    assert page.evaluate("document.querySelector('#tb-status > span').lang") == "en"
    page.keyboard.press("b")
    assert page.evaluate("document.querySelector('#tb-status > span:last-child').textContent") == "المتغيرات"


def test_in_an_rtl_overview_the_left_arrow_goes_on_to_the_next_slide(page: Any, arabic: str) -> None:
    page.goto(arabic + "ar/slides/#المتغيرات")
    wait_ready(page)
    page.keyboard.press("o")
    focused = "document.activeElement.getAttribute('data-n')"
    assert page.evaluate(focused) == "3"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(focused) == "4"
    # ... which is where it is on screen: the grid runs from the right
    thumbs = page.evaluate("Array.from(document.querySelectorAll('#tb-stage > section.slide'), s => s.getBoundingClientRect().left)")
    assert thumbs[0] > thumbs[1]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == "2"


def test_an_rtl_handout_keeps_counts_and_dates_in_order(page: Any, arabic: str) -> None:
    page.goto(arabic + "ar/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    # "5 slides", not "slides 5"
    assert char_left(page, ".tb-actions .tb-quiet", "5") < char_left(page, ".tb-actions .tb-quiet", "slides")
    assert page.locator(".tb-actions .tb-quiet").get_attribute("lang") == "en"
    assert char_left(page, ".tb-date", "2024") < char_left(page, ".tb-date", "18")
    # the quotation's rule and the table of contents' indent are on the right, the code reads from the left
    assert style(page, "blockquote", "border-right-width") == "4px"
    assert style(page, "pre", "direction") == "ltr" and style(page, "pre", "text-align") == "left"
    assert box(page, ".tb-to-slide")["left"] < box(page, ".tb-part-head h3")["left"]
    assert page.outside_requests == []


@pytest.mark.parametrize("width", [320, 480, 640])
def test_a_german_handout_with_long_compounds_reflows_at_narrow_widths(make_project: Any, page: Any, static_server: Any,
                                                                      width: int) -> None:
    base = static_server(site(make_project, {"talks/de.md": GERMAN}))
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(base + "de/")
    # WCAG 1.4.10: no sideways scrolling of the page ...
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    heading = box(page, ".tb-part-head h2")
    assert heading["right"] <= width and heading["left"] >= 0
    assert box(page, ".tb-to-slide")["right"] <= width
    # ... while wide code keeps its own scroll region
    assert page.evaluate("(() => { const p = document.querySelector('pre'); return p.scrollWidth > p.clientWidth; })()")
    assert style(page, ".tb-slide-content p", "hyphens") == "auto"


def test_forced_colours_keep_the_progress_bar_and_the_slides_pill_visible(make_project: Any, page: Any,
                                                                         static_server: Any) -> None:
    base = static_server(site(make_project, {"talks/ar.md": ARABIC}))
    page.emulate_media(forced_colors="active")
    page.goto(base + "ar/slides/#المتغيرات")
    wait_ready(page)
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    bar = style(page, "#tb-progress", "background-color")
    assert bar not in (style(page, ".tb-progress", "background-color"), style(page, "body", "background-color"))
    assert bar != "rgba(0, 0, 0, 0)"
    page.goto(base)
    pill = ".tb-views .tb-button"
    assert style(page, pill, "border-top-style") == "solid" and style(page, pill, "border-top-width") == "1px"
    assert style(page, pill, "border-top-color") != style(page, "body", "background-color")


def test_the_presenters_english_words_amid_arabic_notes_are_marked_english(page: Any, arabic: str) -> None:
    """A re-trial saw ".No notes for this slide" in a Hebrew presenter: the full stop on the wrong side."""
    page.goto(arabic + "ar/slides/?presenter#%D8%A7%D9%84%D9%85%D8%AA%D8%BA%D9%8A%D8%B1%D8%A7%D8%AA")
    wait_ready(page)
    none = page.locator(".tb-p-none").first
    none.wait_for(state="attached")
    assert none.inner_text() == "No notes for this slide."
    assert [none.get_attribute("lang"), none.get_attribute("dir")] == ["en", "ltr"]
    assert page.evaluate("getComputedStyle(document.querySelector('.tb-p-none')).direction") == "ltr"
