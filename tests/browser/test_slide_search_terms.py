"""How the index's slide search reads a query, in real Chromium: "quoted phrases", terms at a word's start (but
anywhere in text written without spaces), snippets never cut inside a character, and each hit told apart by
its talk's path, language and direction as the index shows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_slide_search import hits, search

pytestmark = pytest.mark.browser

DEPLOY = """---
title: Shipping with continuous deployment
date: 2024-05-01
---

## Pipelines

We practise continuous, deployment every day, and continuous integration too.

## Mothers

The other mothers say: def main.

## Elsewhere

Deployment is continuous here, but not as a phrase.
"""

TALKS = {
    "deploy.md": DEPLOY,
    "week1/lab.md": "---\ntitle: Lab\ndate: 2023-01-01\n---\n\n## Intro\n\nwombat one\n",
    "week2/lab.md": "---\ntitle: Lab\ndate: 2023-01-08\n---\n\n## Intro\n\nwombat two\n",
    "ar.md": "---\ntitle: مقدمة\nlang: ar\ndate: 2022-01-01\n---\n\n## الخوارزميات\n\nنص عن الخوارزميات.\n",
    "ja.md": ("---\ntitle: 日本語\nlang: ja\ndate: 2021-01-01\n---\n\n## 猫\n\n猫が好きです。ﾌﾟﾛｸﾞﾗﾐﾝｸﾞの話。日本語Python。\n\n"
              "## 絵文字\n\n" + "あ" + "😀" * 40 + "鳥" + "😀" * 100 + "\n\n## タイ\n\nภาษาไทย\n"),
}


@pytest.fixture
def index(page: Any, tmp_path: Path, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    for rel, text in TALKS.items():
        (root / "talks" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "talks" / rel).write_text(text, encoding="utf-8")
    page.goto(static_server(build(load_config(root)).out_dir))
    yield page
    assert page.outside_requests == []


def marked(page: Any) -> list[str]:
    return list(page.locator(".tb-slide-hit-text mark").all_inner_texts())


def test_a_quoted_phrase_is_one_term_of_consecutive_words(index: Any) -> None:
    # Before: the quotes were searched as characters, so a phrase in quotes found nothing at all.
    search(index, '"continuous deployment"')
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert hits(index) == [("Shipping with continuous deployment", "Pipelines")]
    assert marked(index) == ["continuous, deployment"]  # punctuation between the words does not break it
    assert index.locator(".tb-talk:not([hidden])").count() == 1, "the talk filter reads the phrase too"
    search(index, '"deployment continuous"')  # the words, but not in this order on any slide
    expect(index.locator("#tb-search-count")).to_have_text("0 of 5 talks")
    assert index.locator("#tb-slide-results").is_hidden()
    search(index, '"continuous deploy')  # a quote left open runs to the end of the query
    expect(index.locator(".tb-slide-hit")).to_have_count(1)


def test_a_quoted_phrase_in_the_address(index: Any) -> None:
    index.goto(index.url + "?q=%22continuous+deployment%22")
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert index.get_by_label("Search talks").input_value() == '"continuous deployment"'


def test_terms_match_at_the_start_of_a_word(index: Any) -> None:
    # Before: "the" was found (and marked) inside "other" and "mothers".
    search(index, "the")
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert marked(index) == ["The"]
    search(index, "ther")  # only inside words
    expect(index.locator("#tb-search-count")).to_have_text("0 of 5 talks")
    assert index.locator("#tb-slide-results").is_hidden()
    search(index, "deploy")  # a word's start is enough, as in MkDocs
    expect(index.locator(".tb-slide-hit")).to_have_count(2)
    search(index, "python")  # a Latin word right after Japanese text starts a word
    expect(index.locator(".tb-slide-hit")).to_have_count(1)


@pytest.mark.parametrize(("query", "title", "mark"), [
    ("好き", "猫", "好き"),         # Japanese has no spaces: anywhere in the text
    ("ไทย", "タイ", "ไทย"),          # Thai neither
])
def test_text_without_spaces_is_searched_anywhere(index: Any, query: str, title: str, mark: str) -> None:
    search(index, query)
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert index.locator(".tb-slide-hit-title").inner_text() == title
    assert marked(index) == [mark]


def test_single_latin_letters_do_not_search_the_slides(index: Any) -> None:
    # Before: "a b" made 2 characters together, and matched nearly every slide.
    search(index, "a b")
    expect(index.locator("#tb-search-count")).to_have_text("2 of 5 talks")  # the Labs, by title; no slide
    assert index.locator("#tb-slide-results").is_hidden()
    assert index.evaluate("typeof window.talkbuildSearch") == "undefined", "not even loaded"
    search(index, "wombat o")  # a longer term searches; the letter must still start a word
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert marked(index) == ["wombat", "o"]


def test_the_highlight_covers_half_width_sound_marks(index: Any) -> None:
    # Before: the mark stopped before the last ﾞ (U+FF9E), which plain() drops.
    search(index, "プログラミング")
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert marked(index) == ["ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ"]


def test_a_snippet_never_cuts_an_emoji_in_half(index: Any) -> None:
    search(index, "鳥")  # 50 characters before it and 160 in all fall inside surrogate pairs
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    lone = index.evaluate("""() => {
        const t = document.querySelector('.tb-slide-hit-text').textContent;
        return /[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/.test(t);
    }""")
    assert lone is False
    text = index.locator(".tb-slide-hit-text").inner_text()
    assert text.startswith("… 😀") and text.endswith("😀 …") and "\ufffd" not in text


def test_talks_of_one_title_are_told_apart_by_their_path(index: Any) -> None:
    # Before: both read "Lab › Intro", on screen and to a screen reader.
    search(index, "wombat")
    expect(index.locator(".tb-slide-hit")).to_have_count(2)
    shown = index.locator(".tb-talk h2 a").all_inner_texts()
    names = [talk for talk, _ in hits(index)]
    assert names == ["Lab (week2/lab)", "Lab (week1/lab)"] and set(names) <= set(shown)
    links = index.locator(".tb-slide-hit-link")
    expect(links.first).to_have_accessible_name("Lab (week2/lab) : Intro")


def test_hits_keep_their_talks_language_and_direction(index: Any) -> None:
    search(index, "الخوارزميات")
    hit = index.locator(".tb-slide-hit")
    expect(hit).to_have_count(1)
    assert (hit.get_attribute("lang"), hit.get_attribute("dir")) == ("ar", "rtl")
    deck = index.locator(".tb-slide-hit-deck")  # talkbuild's own words stay English, left to right
    assert (deck.get_attribute("lang"), deck.get_attribute("dir")) == ("en", "ltr")
    search(index, "wombat")  # a talk in the site's language carries nothing of its own
    expect(index.locator(".tb-slide-hit")).to_have_count(2)
    assert index.locator(".tb-slide-hit[lang]").count() == 0


def test_no_talk_matches_is_not_shown_above_slides_found(index: Any) -> None:
    search(index, "wombat")
    expect(index.locator(".tb-slide-hit")).to_have_count(2)
    expect(index.locator("#tb-search-count")).to_have_text("0 of 5 talks, 2 slides")
    assert index.locator("#tb-empty").is_hidden()
    search(index, "zzzz")
    expect(index.locator("#tb-empty")).to_be_visible()
