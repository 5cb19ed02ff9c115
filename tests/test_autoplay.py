"""`autoplay` on a talk's audio and video is written `data-autoplay`: the deck plays them with their slide."""

from __future__ import annotations

import pytest

from talkbuild.autoplay import defer_autoplay


@pytest.mark.parametrize(("html", "expected"), [
    ('<video src="a.webm" autoplay muted loop></video>', '<video src="a.webm" data-autoplay muted loop></video>'),
    ('<p>x</p>\n<audio\n  controls AUTOPLAY="" title="no autoplay"></audio>',
     '<p>x</p>\n<audio\n  controls data-autoplay title="no autoplay"></audio>'),
    ("<video autoplay data-autoplay></video>", "<video data-autoplay></video>"),  # reveal.js talks write both
    ("<VIDEO autoplay/>", "<VIDEO data-autoplay/>"),
])
def test_autoplay_on_media_becomes_data_autoplay(html: str, expected: str) -> None:
    assert defer_autoplay(html) == expected


@pytest.mark.parametrize("html", [
    '<img src="a.png" autoplay>', "<p>autoplay is off</p>", '<video title="autoplay" controls></video>',
    "<pre>&lt;video autoplay&gt;</pre>", "",
])
def test_everything_else_is_kept_as_written(html: str) -> None:
    assert defer_autoplay(html) == html
