"""Code, pictures, embedded pages and the controls on phones and on paper, in real headless Chromium."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_TALK, pdf_pages, wait_ready

pytestmark = pytest.mark.browser
LONG_LINE = "srun --ntasks=4 " + " ".join(f"--option-{i}=value" for i in range(12))


def build_site(root: Path, talk: str, files: dict[str, bytes] | None = None) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    (root / "talks").mkdir(parents=True)
    (root / "talks/t.md").write_text(talk, encoding="utf-8")
    for name, data in (files or {}).items():
        (root / "talks" / name).write_bytes(data)
    return build(load_config(root)).out_dir


def png(width: int, height: int) -> bytes:
    """A plain PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x88\x44\x22" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def box(page: Any, selector: str) -> dict[str, float]:
    return dict(page.evaluate(f"JSON.parse(JSON.stringify(document.querySelector({selector!r}).getBoundingClientRect()))"))


def test_a_code_block_that_scrolls_sideways_takes_keyboard_focus_and_has_a_name(page: Any, tmp_path: Path,
                                                                              static_server: Any) -> None:
    site = build_site(tmp_path / "p", f"---\ntitle: T\n---\n\n## Job script\n\n```bash\n{LONG_LINE}\n```\n")
    base = static_server(site)
    page.goto(base + "t/")
    pre = page.locator(".tb-slide-content pre")
    assert page.evaluate("(p => p.scrollWidth > p.clientWidth)(document.querySelector('.tb-slide-content pre'))")
    assert pre.get_attribute("tabindex") == "0"
    assert page.get_by_role("group", name="Bash code").count() == 1
    page.keyboard.press("Tab")  # the skip link
    for _ in range(6):
        if page.evaluate("document.activeElement.tagName") == "PRE":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "PRE", "Tab reaches the code"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.tb-slide-content pre').scrollLeft > 0")
    page.goto(base + "t/slides/#job-script")
    wait_ready(page)
    assert page.locator("#job-script pre").get_attribute("tabindex") == "0"


def test_a_tall_picture_prints_on_the_page_of_its_heading(page: Any, tmp_path: Path, static_server: Any) -> None:
    talk = ("---\ntitle: Phones\n---\n\n## Intro\n\nSome text here.\n\n- a\n- b\n\n"
            "## Tall picture\n\n![A phone screenshot](tall.png)\n")
    page.goto(static_server(build_site(tmp_path / "p", talk, {"tall.png": png(400, 900)})) + "t/")
    page.wait_for_function("document.querySelector('img').complete")
    page.emulate_media(media="print")
    for size in ("A4", "Letter"):
        # page 1: the title and the intro, page 2: the heading with its picture (not the heading alone, then the picture)
        assert pdf_pages(page.pdf(format=size)) == 2, size


def test_an_iframe_with_a_pixel_size_fits_the_slide_and_the_handout_keeping_its_shape(page: Any, tmp_path: Path,
                                                                                     static_server: Any) -> None:
    talk = ("---\ntitle: Embeds\n---\n\n## Embed\n\n"
            '<iframe width="640" height="360" title="A demo" srcdoc="hello"></iframe>\n\n'
            '<video width="640" height="360" controls></video>\n')
    base = static_server(build_site(tmp_path / "p", talk))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "t/")
    frame = box(page, "iframe")
    assert frame["right"] <= box(page, ".tb-slide-content")["right"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing runs off the phone's screen"
    assert frame["width"] / frame["height"] == pytest.approx(640 / 360, rel=0.03)
    for width, height in ((390, 844), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + "t/slides/#embed")
        wait_ready(page)
        frame, stage = box(page, "#embed iframe"), box(page, "#tb-stage")
        assert stage["left"] <= frame["left"] and frame["right"] <= stage["right"], width
        assert frame["bottom"] <= stage["bottom"], width
        assert frame["width"] / frame["height"] == pytest.approx(640 / 360, rel=0.05), width


def test_the_controls_stay_on_a_phone_screen_and_a_long_section_name_gives_way(page: Any, tmp_path: Path,
                                                                              static_server: Any) -> None:
    long_name = "A very long section name that goes on and on"
    talk = DEMO_TALK.replace("Opening\n=======", f"{long_name}\n{'=' * len(long_name)}")
    base = static_server(build_site(tmp_path / "p", talk))
    for width in (390, 320, 700, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(base + "t/slides/#build-steps")
        wait_ready(page)
        controls = box(page, "#tb-controls")
        assert 0 <= controls["left"] and controls["right"] <= width, width
        inside = page.evaluate("""Array.from(document.querySelectorAll('#tb-controls > *'))
            .filter(e => getComputedStyle(e).display !== 'none')
            .every(e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })""")
        assert inside, width
    name = page.locator("#tb-section")
    assert name.inner_text() == long_name and name.is_visible(), "on a wide screen the section is named"


def test_a_split_background_takes_its_share_of_the_slide_and_the_text_the_rest(page: Any, tmp_path: Path,
                                                                               static_server: Any) -> None:
    # Marp's ![bg right:40%]: the chart fills the right 40 % of the slide; a long text wraps in what is left
    # (and is shrunk to fit there), never under the chart.
    words = " ".join(f"word{n}" for n in range(120))
    talk = f"---\ntitle: T\nmarp: true\n---\n\n## Split\n\n{words}\n\n![bg right:40%](chart.png)\n\n## Full\n\n![bg contain](chart.png)\n\nOver it\n"
    site = build_site(tmp_path / "p", talk, {"chart.png": png(40, 30)})
    page.goto(static_server(site) + "t/slides/#split")
    wait_ready(page)
    slide, chart, text = box(page, "#split"), box(page, "#split .tb-bg img"), box(page, "#split .tb-slide-body > p")
    assert chart["left"] == pytest.approx(slide["left"] + 0.6 * slide["width"], abs=1)
    assert chart["right"] == pytest.approx(slide["right"], abs=1)
    assert chart["top"] == pytest.approx(slide["top"], abs=1) and chart["height"] == pytest.approx(slide["height"], abs=1)
    assert text["right"] <= chart["left"] and text["bottom"] <= slide["bottom"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.hash.startsWith('#full')")
    full, picture, over = box(page, "#full"), box(page, "#full .tb-bg img"), box(page, "#full .tb-slide-body > p")
    assert (picture["left"], picture["width"]) == (pytest.approx(full["left"], abs=1), pytest.approx(full["width"], abs=1))
    x, y = over["left"] + 2, over["top"] + over["height"] / 2
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('p') !== null"), "the text is drawn over the picture"


def test_a_long_address_beside_a_split_picture_is_fitted_to_its_column(page: Any, tmp_path: Path,
                                                                       static_server: Any) -> None:
    # It ran on under the picture: its overflow stayed inside the body's padding, where the picture is.
    address = "https://127.0.0.1/ryuichiueda/LNPR/blob/master/data/sensor_data_200_long_name.txt"
    talk = (f"---\ntitle: T\nmarp: true\n---\n\n## Data source\n\n![bg right:40%](chart.png)\n\n- Data: {address}\n\n"
            "## Row\n\n![bg A square](square.png)\n![bg A wide one](wide.png)\n")
    site = build_site(tmp_path / "p", talk, {"chart.png": png(40, 30), "square.png": png(60, 60),
                                              "wide.png": png(60, 30)})
    base = static_server(site)
    page.goto(base + "t/slides/#data-source")
    wait_ready(page)
    chart = box(page, "#data-source .tb-bg img")
    ends = page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('#data-source li')); return r.getBoundingClientRect().right; }""")
    assert ends <= chart["left"] + 1, "the address runs under the picture"
    # the handout keeps each described picture's shape (a photo with nothing said about it is a strip there)
    page.goto(base + "t/")
    shapes = page.evaluate("""() => Array.from(document.querySelectorAll('#row .tb-bg img'))
        .map(i => Math.round(i.getBoundingClientRect().width / i.getBoundingClientRect().height * 10) / 10)""")
    assert shapes == [1, 2]


def test_a_marp_footer_and_page_number_sit_in_the_slides_bottom_margin(page: Any, tmp_path: Path,
                                                                        static_server: Any) -> None:
    lines = "\n".join(f"- point {n}" for n in range(12))
    talk = f"---\ntitle: T\nmarp: true\n---\n\n<!-- footer: Course 2 -->\n<!-- paginate: true -->\n\n## Full\n\n{lines}\n"
    site = build_site(tmp_path / "p", talk)
    page.goto(static_server(site) + "t/slides/#full")
    wait_ready(page)
    slide, footer, number = box(page, "#full"), box(page, "#full .tb-slide-footer"), box(page, "#full .tb-slide-number")
    text = page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('#full .tb-slide-body')); return r.getBoundingClientRect().bottom; }""")
    for edge in (footer, number):
        assert slide["top"] <= edge["top"] and edge["bottom"] <= slide["bottom"] and edge["height"] > 0
        assert edge["top"] >= text - 1, "below the fitted text, not over it"
    assert number["left"] > footer["right"] and page.locator("#full .tb-slide-number").inner_text() == "2"
