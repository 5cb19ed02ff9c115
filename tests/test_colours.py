"""A slide's background colour is judged dark or light at build time, as reveal.js does in the browser: the slide
gets `has-dark-background` (light text) or `has-light-background`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talkbuild.build import BuildOptions, build
from talkbuild.colours import background_class, contrast, parse_colour
from talkbuild.config import load_config


@pytest.mark.parametrize(("written", "switch"), [
    ("#222", "has-dark-background"), ("#123456", "has-dark-background"), ("#FFF", "has-light-background"),
    ("#fdfcf9", "has-light-background"), ("#2f47b8", "has-dark-background"), ("#ff0000", "has-light-background"),
    ("#00000080", "has-light-background"),  # half black over the light slide: a mid grey, lighter than 0.179
    ("#000000cc", "has-dark-background"), ("rgb(0, 0, 0)", "has-dark-background"),
    ("rgb(0 0 0 / 50%)", "has-light-background"), ("rgba(10,20,30,0.9)", "has-dark-background"),
    ("rgb(100%, 100%, 100%)", "has-light-background"), ("hsl(220, 40%, 15%)", "has-dark-background"),
    ("hsl(60deg 100% 90%)", "has-light-background"), ("hsla(0.5turn, 50%, 20%, 1)", "has-dark-background"),
    ("navy", "has-dark-background"), ("Black", "has-dark-background"), ("white", "has-light-background"),
    ("transparent", ""), ("papayawhip", ""), ("rgb(1, 2)", ""), ("#12", ""), ("var(--x)", ""),
])
def test_a_background_colour_is_dark_when_white_text_has_more_contrast_on_it_than_black(
        written: str, switch: str) -> None:
    assert background_class(written) == switch


def test_white_text_has_at_least_4_5_to_1_on_every_colour_judged_dark() -> None:
    # The greys either side of the line: the darkest judged light, the lightest judged dark.
    darkest_light = next(v for v in range(256) if background_class(f"rgb({v}, {v}, {v})") == "has-light-background")
    rgb = parse_colour(f"rgb({darkest_light - 1}, {darkest_light - 1}, {darkest_light - 1})")
    assert rgb is not None and background_class(f"rgb({darkest_light - 1} {darkest_light - 1} {darkest_light - 1})") \
        == "has-dark-background"
    assert contrast(rgb[:3], (255, 255, 255)) >= 4.5
    light = parse_colour(f"rgb({darkest_light}, {darkest_light}, {darkest_light})")
    assert light is not None and contrast(light[:3], (0, 0, 0)) >= 4.5


def test_the_slide_of_a_dark_background_colour_has_reveal_js_s_class_and_the_author_s_class_wins(
        make_project, tmp_path: Path) -> None:
    talk = ("---\ntitle: D\n---\n\n<!-- .slide: data-background-color=\"#1a1a2e\" -->\n## Dark\n\nText.\n\n"
            "## Light {data-background-color=\"lightgrey\"}\n\nText.\n\n"
            "## Photo {data-background-image=\"img/x.png\" class=\"has-dark-background\"}\n\nText.\n\n"
            "---\n<!-- .slide: data-background=\"#fff\" class=\"has-dark-background\" -->\n## Said\n\nText.\n\n"
            "# Part {data-background-color=\"white\"}\n\n## Plain\n\nText.\n")
    root = make_project({"talks/d.md": talk, "talks/img/x.png": b"\x89PNG\r\n\x1a\n"})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/d/slides/index.html").read_text()

    def classes(ident: str) -> list[str]:
        m = re.search(rf'<section id="{ident}" class="([^"]*)"', deck)
        assert m, ident
        return m.group(1).split()

    assert "has-dark-background" in classes("dark") and "has-light-background" not in classes("dark")
    assert "has-light-background" in classes("light")
    assert "has-dark-background" in classes("photo"), "a picture is judged by its author"
    assert "has-dark-background" in classes("said") and "has-light-background" not in classes("said")
    assert "has-light-background" in classes("part") and "slide-section" in classes("part")
    assert not {"has-dark-background", "has-light-background"} & set(classes("plain"))
    handout = (tmp_path / "site/d/index.html").read_text()
    assert "has-dark-background" in handout, "the class is the slide's in the handout too (it draws no colour there)"
