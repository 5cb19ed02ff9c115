"""The default theme without a browser: code colours, theme overrides, the outline, `talkbuild pdf` errors."""

from __future__ import annotations

import re
import sys

import pytest
from click.testing import CliRunner

from talkbuild.build import build
from talkbuild.cli import main
from talkbuild.codestyle import pygments_css
from talkbuild.config import load_config
from talkbuild.render import outline
from talkbuild.themes import builtin_themes_dir

CODE_CSS = builtin_themes_dir() / "default" / "static" / "code.css"
TALK = """\
---
title: Themed
theme: {theme}
---

Part one
========

A slide
-------

Text.

---

Untitled.
"""


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_code_colour_meets_wcag_aa_on_the_code_background() -> None:
    css = CODE_CSS.read_text()
    background = re.search(r"--tb-code-bg, (#[0-9a-f]{6})", css)
    assert background
    colours = re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})", css)
    assert len(colours) > 40
    worst = min(colours, key=lambda c: contrast(c, background.group(1)))
    assert contrast(worst, background.group(1)) >= 4.5, worst


def test_code_css_overrides_every_coloured_token_of_the_pygments_stylesheet() -> None:
    ours = set(re.findall(r"^\.highlight \.([\w-]+) \{", CODE_CSS.read_text(), re.M))
    coloured = set(re.findall(r"^\.highlight \.([\w-]+) \{[^}]*color", pygments_css(), re.M))
    assert coloured - ours == set()


def test_a_project_theme_overrides_single_templates_and_front_matter_picks_it(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "themes/plain/templates/handout.html":
            "{% extends 'base.html' %}{% block body %}PLAIN {{ meta.title }}{% endblock %}",
        "talks/a.md": TALK.format(theme="plain"),
        "talks/b.md": TALK.format(theme="default").replace("Themed", "Default"),
    })
    out = build(load_config(root)).out_dir
    assert "PLAIN Themed" in (out / "a" / "index.html").read_text()
    assert 'class="tb-handout"' not in (out / "a" / "index.html").read_text()
    assert 'id="tb-stage"' in (out / "a" / "slides" / "index.html").read_text()  # deck still from default
    assert "PLAIN" not in (out / "b" / "index.html").read_text()


def test_site_config_picks_the_theme_for_every_talk(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({
        "talkbuild.yml": "theme: plain\n",
        "themes/plain/templates/index.html": "{% extends 'base.html' %}{% block body %}PLAIN INDEX{% endblock %}",
        "talks/a.md": TALK.format(theme="plain"),
    })
    out = build(load_config(root)).out_dir
    assert "PLAIN INDEX" in (out / "index.html").read_text()


def test_outline_groups_slides_by_section_with_deck_numbers(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/a.md": TALK.format(theme="default")})
    talk = build(load_config(root)).talks[0]
    (entry,) = outline(talk)
    assert entry.section is not None and entry.section.title == "Part one" and entry.number == 2
    assert [(n, s.title) for n, s in entry.slides] == [(3, "A slide"), (4, "")]


def test_untitled_slides_get_a_hidden_heading_and_every_slide_a_name(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/a.md": TALK.format(theme="default")})
    deck = (build(load_config(root)).out_dir / "a" / "slides" / "index.html").read_text()
    assert re.search(r'<h3 id="slide-4--title" class="tb-slide-title tb-visually-hidden">Slide 4</h3>', deck)
    sections = re.findall(r'<section id="([^"]+)" class="slide[^"]*" aria-labelledby="([^"]+)"', deck)
    assert [sid for sid, _ in sections] == ["title", "part-one", "a-slide", "slide-4"]
    assert all(label == f"{sid}--title" and f'id="{label}"' in deck for sid, label in sections)
    assert "role=\"application\"" not in deck


def test_pdf_without_playwright_says_what_to_install(make_project, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/a.md": TALK.format(theme="default")})
    monkeypatch.setitem(sys.modules, "playwright", None)  # import fails as if not installed
    result = CliRunner().invoke(main, ["pdf", "-C", str(root), "a"])
    assert result.exit_code == 1
    assert "talkbuild pdf needs Playwright" in result.output and "pip install playwright" in result.output
    assert "Traceback" not in result.output


def test_pdf_of_an_unknown_talk_is_a_usage_error(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/a.md": TALK.format(theme="default")})
    result = CliRunner().invoke(main, ["pdf", "-C", str(root), "nope"])
    assert result.exit_code == 2
    assert "no talk 'nope'" in result.output and "talks: a" in result.output
