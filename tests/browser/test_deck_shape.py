"""A deck's shape (`ratio: 4:3`) and its numbered slides (`slide_numbers: true`) in real headless Chromium: a 4:3
deck fills a 1024x768 projector, its text fits, its thumbnails, presenter preview, no-JS view and printed pages
take its shape; the slide number is never under the controls, in any window, left to right or right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import pdf_pages, wait_ready

from talkbuild.build import build
from talkbuild.config import load_config

pytestmark = pytest.mark.browser

LIST = "".join(f"- point {i}, with a few words more than a slide should have\n" for i in range(14))
TALK = ("---\ntitle: Shapes\n{front}---\n\n## Short {{#short}}\n\nOne line.\n\n## Many points {{#many}}\n\n" + LIST
        + "\n## Prose {{#prose}}\n\n" + "A sentence that goes on, as speakers' sentences do. " * 30 + "\n")

RECT = "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def site(root: Path, front: str, config: str = "") -> Path:
    (root / "talks").mkdir(parents=True)
    (root / "talks/t.md").write_text(TALK.format(front=front), encoding="utf-8")
    (root / "talkbuild.yml").write_text(config or "title: S\n", encoding="utf-8")
    return build(load_config(root)).out_dir


def rect(page: Any, selector: str) -> list[float]:
    return [round(v) for v in page.evaluate(RECT, selector)]


def shape(page: Any, selector: str) -> float:
    left, top, right, bottom = page.evaluate(RECT, selector)
    return round(float(right - left) / float(bottom - top), 2)


def test_a_4_3_deck_fills_a_1024x768_projector_and_its_text_fits(page: Any, tmp_path: Path, static_server: Any) -> None:
    base = static_server(site(tmp_path / "p", "ratio: 4:3\n")) + "t/slides/"
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(base + "#many")
    wait_ready(page)
    assert rect(page, "#tb-stage") == [0, 0, 1024, 768]  # no black bands
    fitted = page.evaluate("""() => Array.from(document.querySelectorAll('#tb-stage > section.slide')).map(s => {
        const b = s.querySelector('.tb-slide-body');
        return [s.id, s.style.getPropertyValue('--tb-fit') || '1.000', b.scrollHeight <= b.clientHeight + 1,
                b.scrollWidth <= b.clientWidth + 1]; })""")
    assert all(tall and wide for _, _, tall, wide in fitted), fitted
    fits = {ident: float(fit) for ident, fit, _, _ in fitted}
    assert fits["short"] == 1 and fits["many"] < 1, fits  # fitted to the 4:3 shape, shrunk only where needed
    # the overview's thumbnails and the presenter's preview take the shape too
    page.keyboard.press("o")
    page.wait_for_selector("html.tb-overview")
    assert shape(page, "#short") == 1.33
    page.goto(base + "?presenter#short")
    wait_ready(page)
    assert shape(page, "#tb-p-next") == 1.33 and shape(page, "#tb-stage") == 1.33


def test_a_16_9_deck_on_the_same_projector_has_bands(page: Any, tmp_path: Path, static_server: Any) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(static_server(site(tmp_path / "p", "")) + "t/slides/")
    wait_ready(page)
    assert rect(page, "#tb-stage") == [0, 96, 1024, 672]


def test_the_shape_holds_without_javascript_and_in_print(browser: Any, tmp_path: Path, static_server: Any) -> None:
    base = static_server(site(tmp_path / "p", "ratio: 16:10\n", "ratio: 4:3\n")) + "t/slides/"  # the talk's wins
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(base)
        assert shape(page, "#short") == 1.6
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(base)
        wait_ready(page)
        data = page.pdf(prefer_css_page_size=True, print_background=True)
        assert pdf_pages(data) == 4
        import re

        sizes = {m.decode() for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
        assert sizes == {"0 0 864 540"}, sizes  # 16:10 at 540 pt tall (720 CSS px)
    finally:
        context.close()


WINDOWS = [(1280, 720), (1920, 1080), (1024, 768), (375, 667), (667, 375)]


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
@pytest.mark.parametrize("ratio", ["16:9", "4:3"])
def test_the_slide_number_is_never_under_the_controls(page: Any, tmp_path: Path, static_server: Any,
                                                     direction: str, ratio: str) -> None:
    base = static_server(site(tmp_path / "p", f"ratio: {ratio}\nslide_numbers: true\ndir: {direction}\n")) + "t/slides/"
    for width, height in WINDOWS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + "#many")
        wait_ready(page)
        page.mouse.move(width / 2, height / 2)
        page.mouse.move(width / 2 + 3, height / 2 + 3)  # the controls show while the mouse moves
        page.wait_for_function("getComputedStyle(document.getElementById('tb-controls')).opacity === '1'")
        number, controls, slide = rect(page, "#many .tb-slide-number"), rect(page, "#tb-controls"), rect(page, "#many")
        where = f"{width}x{height} {direction} {ratio}: number {number}, controls {controls}"
        assert number[2] > number[0] and page.locator("#many .tb-slide-number").inner_text() == "3", where
        assert slide[0] <= number[0] and number[2] <= slide[2] and slide[1] <= number[1] and number[3] <= slide[3], where
        apart = (number[2] <= controls[0] or controls[2] <= number[0] or number[3] <= controls[1]
                 or controls[3] <= number[1])
        assert apart, where
        # on its side of the slide: the inline end (right, or left right to left), as Marp draws it
        assert (number[0] > (slide[0] + slide[2]) / 2) == (direction == "ltr"), where


def test_the_title_slide_has_no_number_and_print_keeps_the_others(page: Any, tmp_path: Path,
                                                                  static_server: Any) -> None:
    page.goto(static_server(site(tmp_path / "p", "", "slide_numbers: true\n")) + "t/slides/")
    wait_ready(page)
    assert page.locator("#tb-stage .tb-slide-number").all_text_contents() == ["2", "3", "4"]
    page.emulate_media(media="print")
    number, slide = rect(page, "#prose .tb-slide-number"), rect(page, "#prose")
    assert slide[3] - 40 < number[3] < slide[3] and number[2] > slide[2] - 80, (number, slide)  # its printed corner
