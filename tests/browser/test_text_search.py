"""The index search in real Chromium finds a talk whatever marks, width or case its words are written with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TALKS = {
    "arabic": "مُقَدِّمَةٌ فِي الخَوارِزْمِيّات",      # with harakat
    "hebrew": "מָבוֹא לְתִכְנוּת",                      # with niqqud
    "japanese": "プログラミング入門",
    "halfwidth": "ﾃｽﾄの書き方",                     # half-width katakana
    "german": "Weiße Nächte",
    "french": "Révision",
    "greek": "Λόγος",
}


@pytest.fixture
def index(page: Any, tmp_path: Path, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    for name, title in TALKS.items():
        (root / "talks" / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n\n## S\n", encoding="utf-8")
    page.goto(static_server(build(load_config(root)).out_dir))
    yield page
    assert page.outside_requests == []


@pytest.mark.parametrize(("query", "found"), [
    ("مقدمة", "مُقَدِّمَةٌ فِي الخَوارِزْمِيّات"),      # Arabic without harakat finds the title with them
    ("الخوارزميات", "مُقَدِّمَةٌ فِي الخَوارِزْمِيّات"),
    ("مُقَدِّمَةٌ", "مُقَدِّمَةٌ فِي الخَوارِزْمِيّات"),    # and with them, as written
    ("מבוא", "מָבוֹא לְתִכְנוּת"),                      # Hebrew without niqqud
    ("ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ", "プログラミング入門"),           # half-width katakana finds the full-width title
    ("テスト", "ﾃｽﾄの書き方"),                       # and the other way round
    ("weiss", "Weiße Nächte"),                       # ß as ss
    ("WEISSE NACHTE", "Weiße Nächte"),
    ("revision", "Révision"),
    ("λογοσ", "Λόγος"),                              # final sigma as sigma
])
def test_search_ignores_marks_width_and_case_in_every_script(index: Any, query: str, found: str) -> None:
    # Before: only Latin accents (U+0300-U+036F) were dropped, so none of the non-Latin queries found anything
    # and "weiss" did not find "Weiße".
    index.get_by_label("Search talks").fill(query)
    assert index.locator(".tb-talk:not([hidden]) h2 a").all_inner_texts() == [found]
    assert index.locator("#tb-search-count").inner_text() == f"1 of {len(TALKS)} talks"
