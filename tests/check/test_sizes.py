"""`large-file`: a picture a page shows, or a video, sound or download it links, that is too large for a phone,
at the place it is written; the limits are `check.large_image_mb` and `check.large_file_mb`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from images import jpeg_header, png

from talkbuild.check import check_project
from talkbuild.config import load_config
from talkbuild.errors import ConfigError

ProjectFactory = Callable[..., Path]

TALK = """---
title: T
author: A
date: 2024-01-01
---

## S

![Map of the site](huge.png)

<img src="photo.jpg" alt="The team">

<video src="talk.mp4" controls></video>

[The map at full size](huge.png), [the slides as PDF](slides.pdf), ![Logo](small.png)
"""
PICTURE_HINT = ("resize it to the size it is shown at (1920 px across is plenty for a slide) and compress it: a photo "
                "as JPEG or WebP (quality 80), a screenshot or diagram as PNG (oxipng, pngquant) or SVG")


def large(root: Path, rel: str, head: bytes, size: int) -> None:
    """A file of `size` bytes that starts with `head` (sparse: no disk is used for the rest)."""
    with (root / rel).open("wb") as f:
        f.write(head)
        f.truncate(size)


@pytest.fixture
def project(make_project: ProjectFactory) -> Path:
    root = make_project({"talks/t.md": TALK, "talks/small.png": png(10, 10)})
    large(root, "talks/huge.png", png(6000, 4000)[:64], 20_000_000)
    large(root, "talks/photo.jpg", jpeg_header(4032, 3024, orientation=6), 15_000_000)
    large(root, "talks/talk.mp4", b"\0\0\0\x18ftypmp42", 150_000_000)
    large(root, "talks/slides.pdf", b"%PDF-1.7\n", 60_000_000)
    return root


def findings(root: Path) -> list[tuple[int | None, int | None, str, str]]:
    result = check_project(load_config(root), use_cache=False)
    return [(d.location.line, d.location.column, d.message, d.hint or "") for d in result.diagnostics
            if d.code == "large-file"]


def test_a_picture_or_video_too_large_for_a_phone_is_reported_where_it_is_written(project: Path) -> None:
    assert findings(project) == [
        (9, 20, "'huge.png' is 20.0 MB (6000 × 4000 px), over check.large_image_mb (5 MB): every reader downloads "
                "all of it, on a phone too", PICTURE_HINT),
        (11, 11, "'photo.jpg' is 15.0 MB (3024 × 4032 px), over check.large_image_mb (5 MB): every reader downloads "
                 "all of it, on a phone too", PICTURE_HINT),
        (13, 13, "'talk.mp4' is 150.0 MB, over check.large_file_mb (100 MB): slow to load on a phone",
         "compress it (a video as H.264 MP4 at 1080p or less, a sound as MP3 or Opus, a PDF with its pictures "
         "downsampled), or link it where large files are kept (a video site, a release, a data repository)"),
    ]  # a link to the map at full size, or to a 60 MB PDF, is the reader's choice: under 100 MB it is fine


def test_the_limits_are_set_in_talkbuild_yml_and_0_turns_one_off(project: Path) -> None:
    (project / "talkbuild.yml").write_text("check:\n  large_image_mb: 16\n  large_file_mb: 0\n", encoding="utf-8")
    assert [(line, message.split(",")[0]) for line, _c, message, _h in findings(project)] == [
        (9, "'huge.png' is 20.0 MB (6000 × 4000 px)")]
    (project / "talkbuild.yml").write_text("check:\n  large_image_mb: 0\n  large_file_mb: 50\n", encoding="utf-8")
    assert [(line, message.split(",")[0]) for line, _c, message, _h in findings(project)] == [
        (13, "'talk.mp4' is 150.0 MB"), (15, "'slides.pdf' is 60.0 MB")]


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "'check.large_image_mb' must be at least 0 (MB), not -1"),
    ("5 MB", "'check.large_image_mb' must be a number (MB), not '5 MB'"),
])
def test_a_limit_that_is_not_a_size_is_an_error_at_its_line(make_project: ProjectFactory, value: str,
                                                            message: str) -> None:
    root = make_project({"talkbuild.yml": f"title: X\ncheck:\n  large_image_mb: {value}\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert str(caught.value.location) == "talkbuild.yml:3"
    assert caught.value.message == message
