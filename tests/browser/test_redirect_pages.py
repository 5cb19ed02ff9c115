"""In real Chromium: an old address of a moved talk (front matter `aliases:`) opens the talk at its new place,
and a shared slide address (`#<slide-id>`, `#/3`) still opens that slide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready

pytestmark = pytest.mark.browser

TALK = """---
title: Moved
aliases: [speaker-55/talk]
---

## Opening

first

## Details {#details}

the slide a shared link points at

## End

last
"""


@pytest.fixture
def site(page: Any, tmp_path: Path, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks/track-a/speaker-55").mkdir(parents=True)
    (root / "talks/track-a/speaker-55/talk.md").write_text(TALK, encoding="utf-8")
    build(load_config(root))
    page.site_url = static_server(root / "_site")
    page.out = root / "_site"
    yield page
    assert page.outside_requests == [], "the pages must not reach beyond 127.0.0.1"


@pytest.mark.parametrize("fragment", ["#details", "#/3"])
def test_an_old_deck_address_with_a_slide_opens_that_slide_in_the_new_deck(site: Any, fragment: str) -> None:
    site.goto(site.site_url + "speaker-55/talk/slides/" + fragment)
    # the deck may show `#/3` as the slide's id once open
    site.wait_for_url(lambda url: "/track-a/speaker-55/talk/slides/index.html#" in url)
    wait_ready(site)
    assert current(site) == "details"


def test_an_old_handout_address_opens_the_new_handout_at_its_section(site: Any) -> None:
    site.goto(site.site_url + "speaker-55/talk/#details")
    site.wait_for_url("**/track-a/speaker-55/talk/index.html#details")
    assert site.evaluate("document.getElementById('details') !== null")


def test_the_redirect_works_from_file_urls_too(site: Any) -> None:
    site.goto((site.out / "speaker-55/talk/slides/index.html").as_uri() + "#details")
    site.wait_for_url("**/track-a/speaker-55/talk/slides/index.html#details")
    wait_ready(site)
    assert current(site) == "details"
