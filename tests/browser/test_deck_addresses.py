"""Numbered addresses in real Chromium: with `slide_addresses: revealjs`, `#/2/1` opens the slide reveal.js opened
(a lecturer's links shared from a reveal-md deck); without it, `#/n` and `#/n/step` are talkbuild's as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, visible_fragments, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TALK = """---
title: Lecture
{extra}---

# Intro

text

---

## Chapter 1

. . .

a step

## Also chapter 1

more

- one <!-- .element: class="fragment" -->
- two <!-- .element: class="fragment" -->

---

# Part two

----

## Vertical child A

----

## Vertical child B

text
"""

NOTES_TALK = """---
title: Notes
slide_addresses: revealjs
notes_separator: "Note:"
---

## Four

four

---

## Five
Last paragraph of five

Note: say five
---
## Six

six
"""
"""The trial's reveal-md talk: a `Note:` line right above `---`, which CommonMark would make a heading."""


@pytest.fixture
def site(tmp_path: Path, static_server: Any) -> str:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/lec.md").write_text(TALK.format(extra="slide_addresses: revealjs\n"), encoding="utf-8")
    (root / "talks/plain.md").write_text(TALK.format(extra=""), encoding="utf-8")
    (root / "talks/notes.md").write_text(NOTES_TALK, encoding="utf-8")
    build(load_config(root))
    return str(static_server(root / "_site"))


def _open(page: Any, url: str) -> str:
    page.goto(url)
    wait_ready(page)
    return current(page)


@pytest.mark.parametrize(("address", "slide"), [
    ("#/2/1", "vertical-child-a"), ("#/2/2", "vertical-child-b"), ("#/2", "part-two"), ("#/0", "intro"),
    ("#/1", "chapter-1"), ("#/", "intro"),  # reveal.js's #/ is the author's first slide: the "back to contents" links
])
def test_reveal_js_addresses_open_the_slide_reveal_js_opened(page: Any, site: str, address: str, slide: str) -> None:
    assert _open(page, site + "lec/slides/" + address) == slide
    expect(page.locator("#tb-toast")).to_be_hidden()
    assert page.evaluate("location.hash") == "#" + slide  # the address bar then names the slide by its id
    assert page.outside_requests == []


def test_a_reveal_js_address_past_the_end_is_said_not_clamped(page: Any, site: str) -> None:
    assert _open(page, site + "lec/slides/#/2/3") == "title"
    expect(page.locator("#tb-toast")).to_have_text("No slide 2/3 in this deck (read as reveal.js reads #/h/v).")


def test_a_typed_number_is_still_the_counter_s(page: Any, site: str) -> None:
    _open(page, site + "lec/slides/")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    assert current(page) == "chapter-1"  # the third slide as the counter shows it, not reveal.js's #/3


@pytest.mark.parametrize(("address", "slide", "steps"), [
    ("#/2", "intro", 0), ("#/3/1", "chapter-1", 1), ("#/6", "vertical-child-a", 0), ("#/1", "title", 0),
    ("#/", "title", 0),
])
def test_without_it_numbers_count_from_1_then_a_step(page: Any, site: str, address: str, slide: str,
                                                     steps: int) -> None:
    assert _open(page, site + "plain/slides/" + address) == slide
    assert visible_fragments(page) == steps
    expect(page.locator("#tb-toast")).to_be_hidden()


@pytest.mark.parametrize(("address", "slide", "steps"), [
    ("#/1/0/0", "chapter-1", 1),  # reveal.js's fragment index 0: the first fragment shown
    ("#/1/0/1", "also-chapter-1", 1),  # reveal.js counted over the whole reveal-md slide, which talkbuild cut in two
    ("#/1/0/2", "also-chapter-1", 2), ("#/1/0/9", "also-chapter-1", 2), ("#/2/1/0/", "vertical-child-a", 0),
])
def test_reveal_js_fragment_addresses_open_the_slide_with_its_fragments_shown(page: Any, site: str, address: str,
                                                                                slide: str, steps: int) -> None:
    assert _open(page, site + "lec/slides/" + address) == slide
    assert visible_fragments(page) == steps
    expect(page.locator("#tb-toast")).to_be_hidden()
    assert page.evaluate("location.hash") == "#" + slide + (f"/{steps}" if steps else "")


def test_a_notes_line_right_above_a_separator_is_notes_and_the_next_address_opens_the_next_slide(page: Any,
                                                                                                 site: str) -> None:
    assert _open(page, site + "notes/slides/#/2") == "six"
    assert _open(page, site + "notes/slides/#/1") == "five"
    expect(page.locator("#five .tb-slide-title")).to_have_text("Five")
    assert "say five" not in page.locator("#five").inner_text()  # notes: not shown to the audience
    expect(page.locator("#five aside.notes")).to_have_text("say five")
    expect(page.locator("#tb-toast")).to_be_hidden()
