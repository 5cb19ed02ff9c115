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


@pytest.mark.parametrize("public_url", ["https://events.example.org/rse-wörkshop/2026", None])
def test_the_404_page_opened_from_disk_is_styled_and_leads_to_the_index(page: Any, make_project: Any,
                                                                        public_url: str | None) -> None:
    """Its URLs start from the site's root on a host (`/rse-w%C3%B6rkshop/2026/`); from file:// they would lead to
    the disk's root."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    yml = "title: S\n" + (f"publish:\n  public_url: {public_url}\n" if public_url else "")
    root = make_project({"talkbuild.yml": yml, "talks/a.md": "---\ntitle: A\n---\n\n## S\n\nx\n"})
    build(load_config(root))
    page.goto((root / "_site/404.html").as_uri())
    page.wait_for_load_state("load")
    # talkbuild.css makes "All talks" a button (inline-block), where it would be an inline link without it
    assert page.evaluate("getComputedStyle(document.querySelector('.tb-button')).display") == "inline-block"
    page.click("text=All talks")
    page.wait_for_url((root / "_site/index.html").as_uri())
    assert page.locator("a", has_text="A").count() >= 1
    assert page.outside_requests == []
