"""Percent-encoded hrefs to talks whose paths have spaces and accents lead to them, over HTTP and from file://."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from talkbuild.build import build
from talkbuild.config import load_config

pytestmark = pytest.mark.browser

TALK = "---\ntitle: {title}\ndate: {date}\nauthor: Ann\n---\n\n## S\n\n{body}\n"


@pytest.fixture
def site(make_project) -> Path:
    root = make_project({
        "talks/42 answers.md": TALK.format(title="Answers", date="2020-03-03", body="[Déjà](<more/Déjà Vu.md>)"),
        "talks/more/Déjà Vu.md": TALK.format(title="Déjà Vu", date="2020-03-04", body="[back](<../42 answers.md>)"),
    })
    build(load_config(root))
    return root / "_site"


@pytest.mark.parametrize("how", ["http", "file"])
def test_index_and_cross_talk_links_open_talks_with_spaces_and_accents(page: Any, site: Path, static_server: Any,
                                                                      how: str) -> None:
    page.goto(static_server(site) if how == "http" else (site / "index.html").as_uri())
    page.get_by_role("link", name=re.compile(r"^Handout\W*Déjà Vu$")).click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("Déjà Vu")
    page.get_by_role("link", name="back").click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("Answers")
    page.get_by_role("link", name="Déjà", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/more/D%C3%A9j%C3%A0%20Vu/index.html")
    assert page.outside_requests == []
