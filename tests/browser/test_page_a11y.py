"""Findings of a WCAG 2.2 AA audit of the handout and the index, each as a behaviour in real Chromium."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from decks import wait_ready

pytestmark = pytest.mark.browser

MEDIA_TALK = """\
---
title: Media
---

## Sound {#sound}

Listen:

<audio src="tone.wav" controls></audio>

## Pictures that move {#moving}

<video src="clip.webm" controls width="640" height="360"></video>

<iframe src="about:blank" title="A demo" width="640" height="360"></iframe>

<embed src="about:blank" type="text/html" width="640" height="360">

<object data="about:blank" type="text/html" width="640" height="360"></object>

<canvas width="640" height="360" aria-label="A drawing"></canvas>
"""

WIDER = """[...document.querySelectorAll('audio, video, iframe, embed, object, canvas')]
  .filter(el => { const r = el.getBoundingClientRect(), box = el.closest(arguments[0] || 'body').getBoundingClientRect();
                  return r.right > box.right + 0.5 || r.left < box.left - 0.5; })
  .map(el => el.tagName.toLowerCase())"""


def build_site(root: Path, talk: str) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    (root / "talks").mkdir(parents=True)
    (root / "talks/t.md").write_text(talk, encoding="utf-8")
    (root / "talks/tone.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00"
                                          b"\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
    (root / "talks/clip.webm").write_bytes(b"")
    return build(load_config(root)).out_dir


def outside(page: Any, container: str) -> list[str]:
    """The media elements that reach out of their `container` (the closest ancestor matching it), left or right."""
    return list(page.evaluate(f"(sel => {WIDER.replace('arguments[0]', 'sel')})", container))


@pytest.mark.parametrize("width", [320, 390])
def test_audio_video_and_embedded_pages_reflow_at_320_css_pixels(width: int, page: Any, tmp_path: Path,
                                                                 static_server: Any) -> None:
    """WCAG 1.4.10 Reflow: a laptop at 400 % zoom is 320 CSS pixels wide; nothing may make the page scroll sideways."""
    base = static_server(build_site(tmp_path / "p", MEDIA_TALK))
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(base + "t/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the handout scrolls sideways"
    assert page.locator(".tb-slide-content canvas").count() == 1
    assert outside(page, ".tb-slide-content") == []
    for slide in ("sound", "moving"):
        page.goto(base + f"t/slides/#{slide}")
        wait_ready(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, slide
        assert outside(page, "section.slide") == [], f"{slide}: out of the slide"


LIVE_CHANGES = """(() => {
  window.heard = [];
  const live = [...document.querySelectorAll('[aria-live]:not([aria-live=off]), [role=status], [role=alert]')];
  const seen = new Map(live.map(el => [el, el.textContent]));
  new MutationObserver(() => live.forEach(el => {
    if (el.textContent !== seen.get(el)) { seen.set(el, el.textContent); if (el.textContent.trim()) heard.push(el.textContent); }
  })).observe(document.body, {subtree: true, childList: true, characterData: true});
  return live.length;
})()"""
"""Records in `window.heard` each new text of the page's live regions: what a screen reader announces."""


def test_the_index_search_announces_its_count_once_typing_pauses(page: Any, demo_site: Path, static_server: Any) -> None:
    """WCAG 4.1.3: 21 keys make one announcement, not 22; the count on screen still follows every key."""
    page.clock.install(time=datetime.datetime(2024, 3, 1, 9, 0))
    page.goto(static_server(demo_site))
    page.clock.pause_at(datetime.datetime(2024, 3, 1, 9, 5))  # from here no timer fires unless the test says so
    assert page.evaluate(LIVE_CHANGES) >= 1
    search = page.get_by_label("Search talks")
    search.press_sequentially("ada lovelace grace ho")  # 21 characters, no pause between them
    assert page.locator("#tb-search-count").inner_text() == "1 of 2 talks", "the visible count is up to date"
    page.wait_for_function("window.talkbuildSearch !== undefined")  # the slides' search index, loaded on first use
    assert page.evaluate("heard") == [], "nothing is announced while typing goes on"
    page.clock.run_for(400)
    assert page.evaluate("heard") == []
    page.clock.run_for(200)  # half a second after the last key
    heard = page.evaluate("heard")
    assert [text.strip() for text in heard] == [page.locator("#tb-search-count").inner_text()]
    search.press("d")
    search.press("Backspace")  # the same count again: after a pause it is read again
    page.clock.run_for(600)
    assert len(page.evaluate("heard")) == 2
