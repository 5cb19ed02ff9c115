"""Accessibility findings of `check` at the line and column they are written: a link without a name (axe's
link-name), a missing captions or descriptions track (named as one, not as an image), media that play sound by
themselves with nothing to stop them (WCAG 1.4.2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talkbuild.check import check_project
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]

HEAD = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n"  # the body starts on line 9
PNG = b"\x89PNG\r\n\x1a\n"


def findings(root: Path, *codes: str) -> list[tuple[int | None, int | None, str, str, str]]:
    result = check_project(load_config(root))
    return [(d.location.line, d.location.column, d.code, d.message, d.hint or "") for d in result.diagnostics
            if not codes or d.code in codes]


def test_a_link_without_a_name_is_an_empty_link_where_it_is_written(make_project: ProjectFactory) -> None:
    talk = HEAD + ("[](https://example.org/x)\n\n"                                  # 9: no text at all
                   'Find me <a href="#" class="fa fa-twitter"></a> there\n\n'        # 11: an icon font, nothing to read
                   "[![](logo.png)](https://example.org/)\n\n"                       # 13: its image has no alt text
                   '<a href="https://example.org/y"><span aria-hidden="true">🐦</span></a>\n\n'  # 15: hidden text
                   "[![Logo of the lab](logo.png)](https://example.org/)\n\n"        # named by the image's alt text
                   '<a href="https://example.org/z" aria-label="Twitter"><i class="fa"></i></a>\n\n'
                   '<a href="https://example.org/t" title="Mastodon"><i class="fa"></i></a>\n\n'
                   '<a href="https://example.org/s"><svg role="img"><title>GitHub</title></svg></a>\n\n'
                   "[**bold**](https://example.org/b) and [`code`](https://example.org/c) and [a][ref]\n\n"
                   "Footnote[^1].\n\n[^1]: A note.\n\n[ref]: https://example.org/r\n")
    root = make_project({"talks/t.md": talk, "talks/logo.png": PNG})
    empty = [(line, column, message) for line, column, _, message, _ in findings(root, "empty-link")]
    assert empty == [(9, 4, "link has no text: a screen reader can only read out its address, or nothing"),
                     (11, 18, "link has no text: a screen reader can only read out its address, or nothing"),
                     (13, 17, "link has no text: a screen reader can only read out its address, or nothing"),
                     (15, 10, "link has no text: a screen reader can only read out its address, or nothing")]
    hint = findings(root, "empty-link")[0][4]
    assert "[what it leads to](url)" in hint and "aria-label" in hint and "alt text" in hint
    assert [f[:3] for f in findings(root, "missing-alt")] == [(13, 6, "missing-alt")]  # the image's own warning too


def test_an_empty_link_is_found_again_when_the_page_scans_come_from_the_cache(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": HEAD + "[](https://example.org/x)\n"})
    assert [f[2] for f in findings(root, "empty-link")] == ["empty-link"]
    assert (root / ".talkbuild" / "cache" / "check-pages.pickle").exists()
    assert [f[2] for f in findings(root, "empty-link")] == ["empty-link"]


@pytest.mark.parametrize(("track", "what"), [
    ('<track kind="descriptions" src="missing-desc.vtt">', "the descriptions track"),
    ('<track kind="captions" srclang="en" src="missing-desc.vtt">', "the captions track"),
    ('<track src="missing-desc.vtt">', "the subtitles track"),  # HTML's default kind
])
def test_a_missing_track_is_named_as_a_track_not_an_image(make_project: ProjectFactory, track: str, what: str) -> None:
    talk = HEAD + f'<video controls src="clip.mp4">\n{track}\n</video>\n'
    root = make_project({"talks/t.md": talk, "talks/clip.mp4": b"\0\0\0\x18ftypmp42"})
    assert findings(root, "missing-track", "missing-image") == [
        (10, track.index("src=") + 6, "missing-track",
         f"{what} 'missing-desc.vtt' does not exist (looked for missing-desc.vtt in the site)",
         f"check the path, or add the WebVTT file: without it the video has no {what.split()[1]}")]
    assert check_project(load_config(root)).diagnostics[0].is_error


def test_a_missing_image_is_still_a_missing_image(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": HEAD + '![a chart](chart.png)\n\n<video src="gone.mp4" controls></video>\n'})
    assert [f[2] for f in findings(root, "missing-track", "missing-image")] == ["missing-image", "missing-image"]


def test_media_that_play_sound_by_themselves_without_controls_are_warned_of(make_project: ProjectFactory) -> None:
    talk = HEAD + ('<audio autoplay loop src="loop.mp3"></audio>\n\n'              # 9
                   '<video autoplay muted loop src="clip.mp4"></video>\n\n'       # no sound: fine
                   '<audio autoplay controls src="loop.mp3"></audio>\n\n'         # can be paused: fine
                   "<div>\n<p>x</p>\n  <video src=\"clip.mp4\"\n    autoplay></video>\n</div>\n\n"  # the <video> on 17
                   'Ding <audio autoplay src="loop.mp3"></audio> and `<audio autoplay>` in code\n\n'  # 21
                   '<video src="clip.mp4" controls></video>\n')
    root = make_project({"talks/t.md": talk, "talks/loop.mp3": b"ID3", "talks/clip.mp4": b"\0\0\0\x18ftypmp42"})
    found = findings(root, "autoplay-no-controls")
    assert [(line, column) for line, column, *_ in found] == [(9, 1), (17, 3), (21, 6)]
    assert found[0][3] == ("<audio autoplay> plays sound as its slide is shown, with no controls: it cannot be paused "
                           "or muted but by leaving the slide")
    assert found[0][4] == "add controls to the <audio>"
    assert found[1][4] == "add controls to the <video> (or muted, if the video needs no sound)"
