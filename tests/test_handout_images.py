"""A handout's pictures: their sizes read from their files, lazy loading after the first two; the deck's untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from images import gif_header, jpeg_header, png, webp_header

from talkbuild.build import build
from talkbuild.config import load_config
from talkbuild.imagesize import image_size

SIZES = [
    ("png", png(40, 30), (40, 30)),
    ("gif", gif_header(300, 200), (300, 200)),
    ("webp lossy", webp_header(1024, 768, "VP8 "), (1024, 768)),
    ("webp lossless", webp_header(16383, 2, "VP8L"), (16383, 2)),
    ("webp extended", webp_header(5000, 70000 // 7, "VP8X"), (5000, 10000)),
    ("jpeg", jpeg_header(4032, 3024), (4032, 3024)),
    ("jpeg upright", jpeg_header(4032, 3024, orientation=1), (4032, 3024)),
    ("jpeg turned (Intel EXIF)", jpeg_header(4032, 3024, orientation=6), (3024, 4032)),
    ("jpeg turned (Motorola EXIF)", jpeg_header(4032, 3024, orientation=8, exif_order=">"), (3024, 4032)),
    ("jpeg with 200 KB before its frame", jpeg_header(640, 480, padding=200_000), (640, 480)),
]


@pytest.mark.parametrize(("data", "size"), [(d, s) for _n, d, s in SIZES], ids=[n for n, _d, _s in SIZES])
def test_the_size_of_a_picture_is_read_from_its_header(tmp_path: Path, data: bytes, size: tuple[int, int]) -> None:
    path = tmp_path / "picture"
    path.write_bytes(data)
    assert image_size(path) == size


NOT_READ = [
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
    ("text", b"not a picture"),
    ("empty", b""),
    ("png cut short", png(40, 30)[:20]),
    ("jpeg without a frame", b"\xff\xd8\xff\xd9"),
    ("jpeg cut short", jpeg_header(640, 480)[:30]),
    ("png of width 0", png(40, 30)[:16] + b"\0\0\0\0" + png(40, 30)[20:]),
    ("webp lossless cut short", b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0"),  # was an IndexError: the build crashed
    ("webp extended cut short", webp_header(640, 480, "VP8X")[:26]),
]


@pytest.mark.parametrize("data", [d for _n, d in NOT_READ], ids=[n for n, _d in NOT_READ])
def test_a_file_that_is_not_a_readable_picture_has_no_size(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file"
    path.write_bytes(data)
    assert image_size(path) is None
    assert image_size(tmp_path / "missing.png") is None


TALK = """---
title: Pictures
---

## First

![First](a.png)

<img src="b%20c.png" alt="Second, raw HTML">

## Later

![Third](a.png)

<img src="a.png" alt="Sized by its author" width="20">
<img src="a.png" alt="Lazy by its author" loading="eager">
<!-- <img src="a.png" alt="commented out"> -->

![Vector](d.svg) ![Elsewhere](https://example.org/e.png)
"""


def imgs(page: Path) -> list[str]:
    return re.findall(r"<img\b[^>]*>", re.sub(r"<!--.*?-->", "", page.read_text(encoding="utf-8"), flags=re.DOTALL))


@pytest.fixture
def site(make_project) -> Path:  # type: ignore[no-untyped-def]
    root = make_project({"talks/t.md": TALK, "talks/a.png": png(40, 30), "talks/b c.png": png(20, 10),
                         "talks/d.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'})
    build(load_config(root))
    return root / "_site"


def test_handout_pictures_say_their_size_and_all_but_the_first_two_load_lazily(site: Path) -> None:
    assert imgs(site / "t/index.html") == [
        '<img src="../a.png" alt="First" width="40" height="30" />',
        '<img src="../b%20c.png" alt="Second, raw HTML" width="20" height="10">',
        '<img src="../a.png" alt="Third" width="40" height="30" loading="lazy" decoding="async" />',
        '<img src="../a.png" alt="Sized by its author" width="20" loading="lazy" decoding="async">',
        '<img src="../a.png" alt="Lazy by its author" loading="eager" width="40" height="30" decoding="async">',
        '<img src="../d.svg" alt="Vector" loading="lazy" decoding="async" />',
        '<img src="https://example.org/e.png" alt="Elsewhere" loading="lazy" decoding="async" />',
    ]
    assert '<!-- <img src="../a.png" alt="commented out"> -->' in (site / "t/index.html").read_text()


def test_the_decks_pictures_are_left_as_rendered(site: Path) -> None:
    deck = imgs(site / "t/slides/index.html")
    assert len(deck) == 7
    assert not [tag for tag in deck if "loading=" in tag.replace('loading="eager"', "") or "decoding=" in tag
                or "height=" in tag]


def test_a_marp_picture_sized_by_its_keywords_keeps_that_size_alone(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/t.md": "---\ntitle: T\nmarp: true\n---\n\n## S\n\n![w:200 Chart](a.png)\n",
                         "talks/a.png": png(40, 30)})
    build(load_config(root))
    assert imgs(root / "_site/t/index.html") == ['<img src="../a.png" alt="Chart" style="width: 200px" />']


def test_a_picture_of_another_size_is_written_into_the_handout_at_the_next_build(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## S\n\n![Chart](a.png)\n", "talks/a.png": png(40, 30)})
    build(load_config(root))
    first = (root / "_site/t/index.html").read_bytes()
    build(load_config(root))
    assert (root / "_site/t/index.html").read_bytes() == first, "the same input gives the same page"
    (root / "talks/a.png").write_bytes(png(64, 48))
    result = build(load_config(root))
    assert result.rebuilt == 1
    assert imgs(root / "_site/t/index.html") == ['<img src="../a.png" alt="Chart" width="64" height="48" />']


def test_a_missing_picture_is_left_without_a_size(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## S\n\n![Gone](gone.png)\n"})
    build(load_config(root))
    assert imgs(root / "_site/t/index.html") == ['<img src="../gone.png" alt="Gone" />']
