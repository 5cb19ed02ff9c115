"""A talk saved decomposed (NFD, as macOS may save it) in real Chromium: its links open the slides they name, and
an address typed decomposed opens the slide too. Before, a click showed the toast "No slide 'übersicht'"."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from decks import CURRENT, current, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TALK = unicodedata.normalize("NFD", "---\ntitle: Übung\n---\n\n## Übersicht\n\nErster Teil.\n\n## Größe\n\n"
                                    "Siehe [oben](#übersicht) und <a href=\"#übersicht\">roh</a>.\n")
ÜBERSICHT = unicodedata.normalize("NFC", "übersicht")


@pytest.fixture
def deck(page: Any, tmp_path: Path, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/nfd.md").write_text(TALK, encoding="utf-8")
    page.deck_url = static_server(build(load_config(root)).out_dir) + "nfd/slides/"
    yield page
    assert page.outside_requests == [], "the deck must not reach beyond 127.0.0.1"


@pytest.mark.parametrize("link", ["oben", "roh"])
def test_a_link_in_a_decomposed_talk_opens_its_slide(deck: Any, link: str) -> None:
    deck.goto(deck.deck_url + "#größe")
    wait_ready(deck)
    assert current(deck) == "größe"
    deck.locator("section.slide a", has_text=link).click()
    expect(deck.locator(CURRENT)).to_have_id(ÜBERSICHT)
    expect(deck.locator(CURRENT)).to_contain_text("Erster Teil.")
    expect(deck.locator("#tb-toast")).not_to_contain_text("No slide")


@pytest.mark.parametrize("address", ["#u%CC%88bersicht", "#u\u0308bersicht", "#%C3%BCbersicht"])
def test_an_address_typed_decomposed_or_composed_opens_the_slide(deck: Any, address: str) -> None:
    deck.goto(deck.deck_url + "#größe")
    wait_ready(deck)
    deck.goto(deck.deck_url + address)
    expect(deck.locator(CURRENT)).to_have_id(ÜBERSICHT)
    expect(deck.locator(CURRENT)).to_contain_text("Erster Teil.")
    expect(deck.locator("#tb-toast")).not_to_contain_text("No slide")
