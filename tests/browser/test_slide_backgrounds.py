"""A slide's reveal.js background (`<!-- .slide: -->`, pandoc's heading attributes) is painted behind its text."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from decks import wait_ready
from test_deck_a11y import BAND_COLOURS

from talkbuild.build import build
from talkbuild.config import load_config
from tests.test_slide_attributes import png

pytestmark = pytest.mark.browser


def colours(page: Any, sid: str) -> dict[tuple[int, ...], int]:
    """The colours of a strip along the bottom of the slide, below its text, with their pixel counts."""
    r = page.evaluate(f"JSON.parse(JSON.stringify(document.getElementById('{sid}').getBoundingClientRect()))")
    shot = page.screenshot(clip={"x": r["x"] + 4, "y": r["y"] + r["height"] - 24, "width": r["width"] - 8, "height": 16})
    counts = page.evaluate(BAND_COLOURS, base64.b64encode(shot).decode())
    return {tuple(int(v) for v in k.split(",")): n for k, n in counts.items()}


def test_slide_attribute_backgrounds_fill_the_slide_behind_the_text(page: Any, tmp_path: Path, static_server: Any) -> None:
    root = tmp_path / "p"
    (root / "talks/img").mkdir(parents=True)
    (root / "talks/img/green.png").write_bytes(png((0, 160, 0), 8))
    (root / "talks/t.md").write_text(
        "---\ntitle: T\n---\n\n<!-- .slide: data-background-color=\"#123456\" -->\n## Dark\n\nText.\n\n---\n"
        "<!-- .slide: data-background-image=\"img/green.png\" -->\n\n## Green\n\nText.\n\n"
        "## Plain\n\nText.\n", encoding="utf-8")
    build(load_config(root))
    page.emulate_media(reduced_motion="reduce")  # no slide transition: the colours are the slide's own
    page.goto(static_server(root / "_site") + "t/slides/index.html#dark")
    wait_ready(page)
    dark = colours(page, "dark")
    assert max(dark, key=lambda c: dark[c]) == (0x12, 0x34, 0x56), dark
    assert page.evaluate("getComputedStyle(document.querySelector('#dark h2')).zIndex") == "1", "the text is above it"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.hash === '#green'")
    page.wait_for_function("document.querySelector('#green .tb-bg-image') !== null")
    green = colours(page, "green")
    assert max(green, key=lambda c: green[c]) == (0, 160, 0), green
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.hash === '#plain'")
    plain = colours(page, "plain")
    assert (0, 160, 0) not in plain and (0x12, 0x34, 0x56) not in plain, "only its own slide has it"


def test_text_on_a_dark_background_colour_passes_axe_s_colour_contrast(page: Any, tmp_path: Path, static_server: Any,
                                                                      axe_source: str) -> None:
    # Before: the default dark text stayed dark on a dark `data-background-color` (about 1.3:1 on #1a1a2e).
    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    body = ("Text with a [link](#light), `inline code`, **strong** and *emphasis*.\n\n> A quotation.\n\n"
            "- A point\n- Another[^1]\n\n[^1]: A footnote.\n\n")
    (root / "talks/t.md").write_text(
        "---\ntitle: T\nslide_numbers: true\n---\n\n"
        f"<!-- .slide: data-background-color=\"#1a1a2e\" -->\n## Dark\n\n{body}---\n"
        f"## Grey {{data-background-color=\"rgb(118, 118, 118)\"}}\n\n{body}"
        f"## Red {{data-background-color=\"red\"}}\n\n{body}"
        f"# Part {{data-background-color=\"#f4f4f4\"}}\n\nText with a [link](#dark) and `code`.\n\n"
        f"## Light {{data-background-color=\"hsl(60, 60%, 92%)\"}}\n\n{body}", encoding="utf-8")
    build(load_config(root))
    page.emulate_media(reduced_motion="reduce")
    page.goto(static_server(root / "_site") + "t/slides/index.html#dark")
    wait_ready(page)
    page.add_script_tag(content=axe_source)
    for sid in ("dark", "grey", "red", "part", "light"):
        page.evaluate(f"location.hash = '#{sid}'")
        page.wait_for_function(f"document.getElementById('{sid}').classList.contains('tb-current')")
        result = page.evaluate("id => axe.run(document.getElementById(id), "
                               "{runOnly: {type: 'rule', values: ['color-contrast', 'link-in-text-block']}})", sid)
        found = [(v["id"], [n["target"] for n in v["nodes"]][:4]) for v in result["violations"]]
        assert found == [], (sid, found)
        checked = [n for p in result["passes"] for n in p["nodes"]]
        assert len(checked) >= 5, (sid, "axe judged the slide's text")
