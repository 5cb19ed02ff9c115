"""Findings of a WCAG 2.2 AA audit of the handout and the index, each as a behaviour in real Chromium."""

from __future__ import annotations

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
