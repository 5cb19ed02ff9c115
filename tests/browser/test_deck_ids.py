"""Slide ids in real Chromium: a link opens the slide whose id the author wrote; the theme keeps its own ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TALK = """---
title: Ids
---

## Plan

first plan

## Plan

second plan

## X {#plan-2}

the slide written as plan-2

## Help {#tb-help}

a slide that asked for the help dialog's id
"""


@pytest.fixture
def deck(page: Any, tmp_path: Path, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/ids.md").write_text(TALK, encoding="utf-8")
    build(load_config(root))
    page.deck_url = static_server(root / "_site") + "ids/slides/"
    yield page
    assert page.outside_requests == [], "the deck must not reach beyond 127.0.0.1"


def test_a_link_to_a_written_id_opens_that_slide(deck: Any) -> None:
    deck.goto(deck.deck_url + "#plan-2")
    wait_ready(deck)
    assert current(deck) == "plan-2"
    expect(deck.locator("#plan-2")).to_contain_text("the slide written as plan-2")


def test_question_mark_opens_the_help_even_when_a_slide_asked_for_its_id(deck: Any) -> None:
    # With two elements called tb-help the deck's script found the slide, not the dialog, and '?' did nothing.
    deck.goto(deck.deck_url + "#help")
    wait_ready(deck)
    assert current(deck) == "help"
    deck.keyboard.press("?")
    expect(deck.locator("dialog#tb-help")).to_be_visible()
