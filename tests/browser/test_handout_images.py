"""A handout's pictures on a phone and on paper, in real headless Chromium: the far ones wait until the reader
nears them, every one keeps its place before it arrives, and a printed handout has them all."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from images import png

from talkbuild.imagesize import image_size

pytestmark = pytest.mark.browser

PICTURES = 8
PHONE = {"width": 390, "height": 844}
TEXT = "\n\n".join(f"Paragraph {i} " + "words " * 60 for i in range(40))
"""Each part's text: far longer than Chromium's lazy-loading distance (1250 to 2500 px) on a phone."""


def build_site(root: Path) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    (root / "talks").mkdir(parents=True)
    (root / "talks/t.md").write_text("---\ntitle: Pictures\n---\n\n" + "".join(
        f"## Part {k}\n\n{TEXT}\n\n![Picture {k}](p{k}.png)\n\n" for k in range(PICTURES)), encoding="utf-8")
    for k in range(PICTURES):  # each its own colour: a PDF holds one copy of identical pictures
        (root / f"talks/p{k}.png").write_bytes(png(400 + k, 300, (k * 30, 255 - k * 30, 100)))
    return build(load_config(root)).out_dir


@pytest.fixture
def phone(browser: Any, tmp_path: Path, static_server: Any) -> Any:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.pictures = []
    page.on("request", lambda r: page.pictures.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith(".png") else None)
    page.goto(static_server(build_site(tmp_path / "p")) + "t/")
    page.wait_for_load_state("load")
    yield page
    context.close()


def test_a_phone_loads_the_far_pictures_of_a_handout_only_as_the_reader_nears_them(phone: Any) -> None:
    assert phone.pictures == ["p0.png", "p1.png"]
    phone.locator("img[alt='Picture 7']").scroll_into_view_if_needed()
    phone.wait_for_function("document.querySelector(\"img[alt='Picture 7']\").naturalWidth > 0")
    assert "p7.png" in phone.pictures


def test_every_picture_of_a_handout_keeps_its_place_before_it_arrives(phone: Any) -> None:
    boxes = phone.evaluate("Array.from(document.images, i => [i.complete && i.naturalWidth > 0, "
                           "i.getBoundingClientRect().width, i.getBoundingClientRect().height])")
    assert [loaded for loaded, _w, _h in boxes] == [True, True] + [False] * (PICTURES - 2)
    column = phone.evaluate("document.querySelector('.tb-slide-content').clientWidth")
    assert column < 400, "the phone's column is narrower than the pictures"
    # Within the column, in the picture's own proportions (max-width: 100%; height: auto), loaded or not.
    for k, (_loaded, width, height) in enumerate(boxes):
        assert width <= column and height == pytest.approx(width * 300 / (400 + k), abs=1), k
    before = phone.evaluate("document.querySelector(\"img[alt='Picture 7']\").getBoundingClientRect().height")
    phone.locator("img[alt='Picture 7']").scroll_into_view_if_needed()
    phone.wait_for_function("document.querySelector(\"img[alt='Picture 7']\").naturalWidth > 0")
    after = phone.evaluate("document.querySelector(\"img[alt='Picture 7']\").getBoundingClientRect().height")
    assert after == pytest.approx(before, abs=0.5)


def test_a_printed_handout_has_every_picture_even_those_not_yet_loaded(phone: Any) -> None:
    assert phone.pictures == ["p0.png", "p1.png"]
    data = phone.pdf()
    assert len(re.findall(rb"/Subtype\s*/Image", data)) == PICTURES
    assert sorted(phone.pictures) == [f"p{k}.png" for k in range(PICTURES)]


@pytest.mark.parametrize("kind", ["image/png", "image/jpeg", "image/webp"])
def test_the_size_read_from_a_file_is_the_size_chromium_shows(page: Any, tmp_path: Path, kind: str) -> None:
    """Pictures encoded by Chromium itself (libpng, libjpeg-turbo, libwebp), read back by imagesize."""
    page.goto("about:blank")
    for quality in (0.5, 1.0):  # libwebp encodes lossless at 1.0
        url = page.evaluate("([kind, q]) => { const c = document.createElement('canvas'); c.width = 37; c.height = 23;"
                            "const g = c.getContext('2d'); g.fillStyle = '#c83'; g.fillRect(0, 0, 20, 10);"
                            "return c.toDataURL(kind, q); }", [kind, quality])
        assert url.startswith(f"data:{kind};base64,")
        path = tmp_path / f"picture-{quality}"
        path.write_bytes(base64.b64decode(url.split(",", 1)[1]))
        assert image_size(path) == (37, 23)
