"""The index's full-text search in real Chromium: a word written only on a slide finds that slide, by HTTP and
from disk (file://), whatever marks its words are written with; without JavaScript the index is as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CAFE = """---
title: Café & Crème
date: 2024-05-01
---

## Première diapositive

Le mot zanzibar est ici, loin du titre, après une longue phrase qui remplit la ligne et encore un peu plus
de texte pour que le passage trouvé soit au milieu.

::: notes
Les notes parlent de quokka et de `<b>balises</b>`.
:::

## Second

nothing to see but an ocelot

---

The platypus lives on an untitled slide.
"""

TALKS = {
    "cafe.md": CAFE,
    "w1/ar.md": "---\ntitle: مُقَدِّمَةٌ\ndate: 2023-01-01\n---\n\n## الخَوارِزْمِيّات\n\nنصٌّ عن الخَوارِزْمِيّات والبرمجة.\n\n## Two\n\nocelot\n",
    "many.md": "---\ntitle: Many\ndate: 2022-01-01\n---\n\n" + "".join(f"## Part {n}\n\ncommon word {n}\n\n" for n in range(60)),
    "kanji.md": "---\ntitle: Kanji\ndate: 2021-01-01\ntags: [cats]\n---\n\n## 入門\n\n猫が好きです。\n\n## Cat\n\nocelot\n",
}


def _site(tmp_path: Path) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    for rel, text in TALKS.items():
        (root / "talks" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "talks" / rel).write_text(text, encoding="utf-8")
    return build(load_config(root)).out_dir


@pytest.fixture
def index(page: Any, tmp_path: Path, static_server: Any) -> Any:
    out = _site(tmp_path)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(static_server(out))
    page.search_requests = requests
    yield page
    assert page.outside_requests == []


def search(page: Any, query: str) -> None:
    page.get_by_label("Search talks").fill(query)


def hits(page: Any) -> list[tuple[str, str]]:
    """(talk title, slide title) of each slide found."""
    return list(zip(page.locator(".tb-slide-hit-talk").all_inner_texts(),
                    page.locator(".tb-slide-hit-title").all_inner_texts(), strict=True))


def test_a_word_only_on_a_slide_finds_that_slide_with_a_working_link(index: Any) -> None:
    assert not [u for u in index.search_requests if "search-index.js" in u], "loaded on first use, not before"
    search(index, "zanzibar")
    expect(index.locator("#tb-slide-results")).to_be_visible()
    assert hits(index) == [("Café & Crème", "Première diapositive")]
    assert index.locator(".tb-talk:not([hidden])").count() == 0, "no talk's title or description has the word"
    expect(index.locator("#tb-search-count")).to_have_text("0 of 4 talks, 1 slide")
    expect(index.locator("#tb-slide-count")).to_have_text("(1)")
    snippet = index.locator(".tb-slide-hit-text").first
    assert snippet.locator("mark").all_inner_texts() == ["zanzibar"]
    assert snippet.inner_text().startswith("Le mot zanzibar est ici") and snippet.inner_text().endswith(" …")
    assert len([u for u in index.search_requests if u.endswith("_talkbuild/search-index.js")]) == 1
    index.locator(".tb-slide-hit-link").first.click()
    index.wait_for_url("**/cafe/index.html#premi%C3%A8re-diapositive")
    assert index.evaluate("document.querySelector(':target').id") == "première-diapositive"


def test_the_deck_link_opens_the_slide_in_the_deck(index: Any) -> None:
    search(index, "platypus")
    deck = index.locator(".tb-slide-hit-deck")
    expect(deck).to_have_count(1)
    assert deck.inner_text().startswith("Slide 4")  # the untitled slide is named by its number
    assert hits(index) == [("Café & Crème", "Slide 4")]
    deck.click()
    wait_ready(index)
    assert current(index) == "slide-4"


def test_every_word_must_be_on_the_slide_body_or_notes(index: Any) -> None:
    search(index, "zanzibar quokka")  # one in the body, one in the notes
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    search(index, "quokka")
    text = index.locator(".tb-slide-hit-text").inner_text()  # around the word, far into the text
    assert text.startswith("… ") and "quokka" in text and "zanzibar" not in text
    search(index, "zanzibar platypus")  # on two different slides
    expect(index.locator("#tb-slide-results")).to_be_hidden()
    assert index.locator("#tb-search-count").inner_text() == "0 of 4 talks"


def test_snippets_are_text_never_markup(index: Any) -> None:
    search(index, "balises")
    snippet = index.locator(".tb-slide-hit-text")
    expect(snippet).to_contain_text("<b>balises</b>")
    assert snippet.locator("b").count() == 0 and snippet.locator("mark").all_inner_texts() == ["balises"]


@pytest.mark.parametrize(("query", "title", "marked"), [
    ("premiere diapositive", "Première diapositive", []),         # accents dropped, both words in the title
    ("PREMIÈRE", "Première diapositive", []),
    ("apres", "Première diapositive", ["après"]),                  # the text keeps its accent in the mark
    ("الخوارزميات", "الخَوارِزْمِيّات", ["الخَوارِزْمِيّات"]),        # Arabic without harakat finds them with them
    ("猫", "入門", ["猫"]),                                          # one CJK character is enough
])
def test_marks_case_and_script_do_not_matter(index: Any, query: str, title: str, marked: list[str]) -> None:
    search(index, query)
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert index.locator(".tb-slide-hit-title").inner_text() == title
    assert index.locator(".tb-slide-hit-text mark").all_inner_texts() == marked


def test_slides_come_in_the_order_the_index_lists_their_talks(index: Any) -> None:
    search(index, "ocelot")  # the search index has them by folder: cafe, kanji, w1/ar
    expect(index.locator(".tb-slide-hit")).to_have_count(3)
    assert [talk for talk, _ in hits(index)] == ["Café & Crème", "مُقَدِّمَةٌ", "Kanji"]  # newest first, as listed
    search(index, "tag:cats ocelot")  # what a tag button writes, and a word: the slides of the talks tagged so
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    assert hits(index) == [("Kanji", "Cat")]


def test_one_latin_letter_does_not_search_the_slides(index: Any) -> None:
    search(index, "z")
    expect(index.locator("#tb-search-count")).to_have_text("0 of 4 talks")
    assert index.locator("#tb-slide-results").is_hidden()
    assert not [u for u in index.search_requests if "search-index.js" in u]


def test_at_most_fifty_slides_in_index_order_with_a_note(index: Any) -> None:
    search(index, "common")
    expect(index.locator(".tb-slide-hit")).to_have_count(50)
    assert index.locator(".tb-slide-hit-title").all_inner_texts()[:3] == ["Part 0", "Part 1", "Part 2"]
    expect(index.locator("#tb-slide-note")).to_have_text("The first 50 of 60 slides: add words to narrow the search.")
    # Before: "60 slides" and "Go to the 60 slides found", while 50 were listed.
    expect(index.locator("#tb-search-count")).to_have_text("0 of 4 talks, the first 50 of 60 slides")
    expect(index.locator(".tb-slide-jump")).to_have_text("Go to the first 50 of 60 slides found")


def test_the_keyboard_reaches_the_slides_found_from_the_search_box(index: Any) -> None:
    search(index, "quokka")
    expect(index.locator(".tb-slide-hit")).to_have_count(1)
    index.get_by_label("Search talks").focus()
    index.keyboard.press("Tab")
    assert index.evaluate("document.activeElement.textContent") == "Go to the slide found"
    index.keyboard.press("Enter")
    assert index.evaluate("document.activeElement.id") == "tb-slide-results"
    index.keyboard.press("Tab")
    assert index.evaluate("document.activeElement.className") == "tb-slide-hit-link"
    index.keyboard.press("Enter")
    index.wait_for_url("**/cafe/index.html#premi%C3%A8re-diapositive")


def test_a_query_in_the_address_searches_the_slides_on_arrival(index: Any) -> None:
    index.goto(index.url + "?q=quokka")
    expect(index.locator(".tb-slide-hit")).to_have_count(1)


def test_it_works_from_disk(page: Any, tmp_path: Path) -> None:
    out = _site(tmp_path)
    page.goto((out / "index.html").as_uri())
    search(page, "الخوارزميات")
    expect(page.locator(".tb-slide-hit")).to_have_count(1)
    page.locator(".tb-slide-hit-link").click()
    page.wait_for_url("file://**/w1/ar/index.html#*")
    assert page.evaluate("document.querySelector(':target').id") == "الخوارزميات"  # the slide's id
    assert page.outside_requests == []


def test_without_javascript_the_index_is_as_before(browser: Any, tmp_path: Path, static_server: Any) -> None:
    out = _site(tmp_path)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(static_server(out))
        assert page.locator(".tb-talk:visible").count() == 4
        assert page.locator("#tb-search-form").is_hidden() and page.locator("#tb-slide-results").is_hidden()
        assert not [u for u in requests if "search-index.js" in u]
    finally:
        context.close()


def test_the_slides_found_pass_axe(index: Any, axe_source: str) -> None:
    from test_pages import serious_violations

    search(index, "common")
    expect(index.locator(".tb-slide-hit")).to_have_count(50)
    assert serious_violations(index, axe_source) == []
