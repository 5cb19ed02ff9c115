"""A project's theme in the browser: its stylesheet wins on every page, and a deck.html missing optional
controls still works."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready

from talkbuild.build import build
from talkbuild.config import load_config
from talkbuild.themes import builtin_themes_dir

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "themes.md"
TALK = "---\ntitle: Themed\n---\n\nFirst\n-----\n\nOne.\n\nSecond\n------\n\nTwo.\n\nThird\n-----\n\nThree.\n"
DECK = (builtin_themes_dir() / "default" / "templates" / "deck.html").read_text()


def docs_theme_css() -> str:
    """The example `static/theme.css` of docs/themes.md, exactly as the docs print it."""
    text = DOCS.read_text()
    blocks = re.findall(r"```css\n(.*?)```", text, re.DOTALL)
    (example,) = [b for b in blocks if "--tb-slide-bg" in b]
    return example


def computed(page: Any, selector: str, prop: str) -> str:
    return str(page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).getPropertyValue('{prop}')")).strip()


def test_the_docs_theme_css_restyles_deck_handout_and_index(make_project: Any, page: Any, static_server: Any) -> None:
    root = make_project({"talkbuild.yml": "theme: mytheme\n", "themes/mytheme/static/theme.css": docs_theme_css(),
                         "talks/a.md": TALK})
    base = static_server(build(load_config(root)).out_dir)
    page.goto(base + "a/slides/")
    wait_ready(page)
    assert computed(page, "body.tb-deck", "--tb-slide-bg") == "#ffffff"  # deck.css sets #fdfcf9 for .tb-deck
    assert computed(page, "body.tb-deck", "--tb-text-size") == "2.6cqw"
    assert computed(page, "#tb-stage > section.tb-current", "background-color") == "rgb(255, 255, 255)"
    for url in ("a/", ""):
        page.goto(base + url)
        assert computed(page, "html", "--tb-accent") == "#b91c1c"
        assert computed(page, "html", "--tb-prose-font") == "Georgia, serif"
    assert page.outside_requests == []


def test_a_deck_html_without_help_counter_progress_or_presenter_still_navigates(make_project: Any, page: Any,
                                                                                  static_server: Any) -> None:
    deck = DECK
    for hook in (r'<span class="tb-counter" id="tb-counter"[^>]*>[^<]*</span>\n', r'<dialog id="tb-help".*?</dialog>\n',
                 r'<div class="tb-progress".*?</div></div>\n', r'<section id="tb-presenter".*?\n</div>\n</section>\n',
                 r'<span class="tb-section-name" id="tb-section"[^>]*></span>\n', r'<p id="tb-toast"[^\n]*\n'):
        deck, count = re.subn(hook, "", deck, count=1, flags=re.DOTALL)
        assert count == 1, hook
    assert 'id="tb-help"' not in deck and 'id="tb-counter"' not in deck and 'id="tb-p-notes"' not in deck
    root = make_project({"themes/bare/templates/deck.html": deck, "talkbuild.yml": "theme: bare\n", "talks/a.md": TALK})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(static_server(build(load_config(root)).out_dir) + "a/slides/#second")
    wait_ready(page)
    assert current(page) == "second"
    for key, expected in (("ArrowRight", "third"), ("ArrowLeft", "second"), ("Home", "title"), ("?", "title"),
                          ("End", "third"), ("s", "third")):
        page.keyboard.press(key)
        assert current(page) == expected, key
    page.keyboard.press("o")
    page.keyboard.press("Escape")
    assert errors == []


def test_a_link_to_a_slide_opens_it_even_when_a_theme_element_has_its_id(make_project: Any, page: Any,
                                                                           static_server: Any) -> None:
    base = (builtin_themes_dir() / "default" / "templates" / "base.html").read_text()
    body = '<body class="{% block body_class %}{% endblock %}">\n'
    root = make_project({"themes/my/templates/base.html": base.replace(body, body + '<img id="second" src="data:," alt="">\n'),
                         "talkbuild.yml": "theme: my\n", "talks/a.md": TALK})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(static_server(build(load_config(root)).out_dir) + "a/slides/#second")
    wait_ready(page)
    assert current(page) == "second"
    page.keyboard.press("ArrowRight")
    assert current(page) == "third"
    assert errors == []


@pytest.mark.parametrize("how", ["http", "file"])
def test_a_deck_html_that_loads_only_deck_js_still_works(make_project: Any, page: Any, static_server: Any,
                                                         how: str) -> None:
    # A theme's deck.html written before the viewer was split into parts names deck.js alone: deck.js loads the
    # parts from beside it, and the deck keeps its styling (tb-js) through the load event, which waits for them.
    old = re.sub(r'\{#[^#]*#\}\n?|<script src="\{\{ static \}\}deck-[a-z]+\.js"></script>\n', "", DECK)
    assert ".js" not in old.replace("deck.js", "") and '<script src="{{ static }}deck.js"></script>' in old
    root = make_project({"themes/old/templates/deck.html": old, "talkbuild.yml": "theme: old\n", "talks/a.md": TALK})
    out = build(load_config(root)).out_dir
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.goto((static_server(out) + "a/slides/" if how == "http" else (out / "a/slides/index.html").as_uri()) + "#second")
    wait_ready(page)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.classList.contains('tb-js')")
    assert current(page) == "second"
    page.keyboard.press("ArrowRight")
    assert current(page) == "third"
    page.keyboard.press("o")
    assert page.evaluate("document.activeElement.matches('#third > .tb-pick')")  # the overview, at this slide
    assert problems == []
