"""The default theme without a browser: code colours, theme overrides, the outline, errors in a theme's
templates, `talkbuild pdf` errors."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkbuild.build import build
from talkbuild.cli import main
from talkbuild.codestyle import pygments_css
from talkbuild.config import load_config
from talkbuild.incremental import THEME, Builder
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
    assert result.exit_code == 2  # the machine's setup, not the talks (1)
    assert "talkbuild pdf needs Playwright" in result.output and "pip install playwright" in result.output
    assert "Traceback" not in result.output


def test_pdf_of_an_unknown_talk_is_a_usage_error(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"talks/a.md": TALK.format(theme="default")})
    result = CliRunner().invoke(main, ["pdf", "-C", str(root), "nope"])
    assert result.exit_code == 2
    assert "no talk 'nope'" in result.output and "talks: a" in result.output


# --- errors in a theme's templates: `path:line: error[...]`, exit 1, nothing written, never a traceback ----------

BASE = (builtin_themes_dir() / "default" / "templates" / "base.html").read_text()
HEAD_LINE = BASE.splitlines().index("{% block head %}{% endblock %}") + 1  # the line numbers asserted below
BASE_FILE = "themes/my/templates/base.html"


def with_head(content: str) -> str:
    """The default base.html with `content` in its (empty) head block, on line HEAD_LINE."""
    return BASE.replace("{% block head %}{% endblock %}", "{% block head %}" + content + "{% endblock %}")


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "_site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def themed(make_project: Callable[..., Path]) -> Path:
    """A project with two talks and a theme `my` (a copy of the default base.html), built once."""
    root = make_project({
        "talkbuild.yml": "theme: my\n",
        "themes/my/templates/base.html": BASE,
        "talks/a.md": TALK.format(theme="my"),
        "talks/b.md": TALK.format(theme="my").replace("Themed", "Other"),
    })
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root


def build_fails_with(root: Path, line: str) -> None:
    """`talkbuild build` exits 1 with `line` once among its errors, no traceback, and leaves _site as it was."""
    before = site_files(root)
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [out for out in result.output.splitlines() if not out.startswith("talkbuild: ")]
    assert errors == [line]  # the same error met by both talks is shown once
    assert result.output.splitlines()[-1] == "talkbuild: 1 error(s) found; nothing was written"
    assert site_files(root) == before


@pytest.mark.parametrize(("expression", "message"), [
    ("site.title + 1", 'TypeError: can only concatenate str (not "int") to str'),
    ("1 / 0", "ZeroDivisionError: division by zero"),
])
def test_a_runtime_error_in_a_theme_template_is_reported_at_its_file_and_line(themed: Path, expression: str,
                                                                               message: str) -> None:
    (themed / BASE_FILE).write_text(with_head("{{ " + expression + " }}"))
    build_fails_with(themed, f"{BASE_FILE}:{HEAD_LINE}: error[template]: {message} (while rendering talks/a.md)")


@pytest.mark.parametrize(("rel", "template", "line", "rendering"), [
    (BASE_FILE, with_head("{{ nosuchvar }}"), HEAD_LINE, "talks/a.md"),
    ("themes/my/templates/index.html", '{% extends "base.html" %}\n{% block body %}\n{{ nosuchvar }}\n{% endblock %}\n',
     3, "the site index"),
])
def test_an_undefined_value_is_reported_where_it_is_used_in_one_format(themed: Path, rel: str, template: str,
                                                                        line: int, rendering: str) -> None:
    (themed / rel).write_text(template)
    build_fails_with(themed, f"{rel}:{line}: error[template]: undefined value: 'nosuchvar' is undefined "
                             f"(while rendering {rendering})")


def test_a_theme_template_that_is_not_utf8_is_an_encoding_error_at_its_line(themed: Path) -> None:
    (themed / BASE_FILE).write_bytes(b"<!doctype html>\n<html>\n\xff\xfe\n")
    build_fails_with(themed, f"{BASE_FILE}:3: error[encoding]: not valid UTF-8 (byte 0xff) (save the template as UTF-8)")


@pytest.mark.parametrize(("name", "suggestion"), [("nope.html", ""), ("macro.html", "; did you mean 'macros.html'?")])
def test_an_include_of_a_missing_template_names_the_line_and_where_it_looked(themed: Path, name: str,
                                                                               suggestion: str) -> None:
    (themed / BASE_FILE).write_text(with_head('{% include "' + name + '" %}'))
    looked = f"themes/my/templates, {(builtin_themes_dir() / 'default' / 'templates').as_posix()}"
    build_fails_with(themed, f"{BASE_FILE}:{HEAD_LINE}: error[template]: template '{name}' not found "
                             f"(looked in {looked}{suggestion})")


@pytest.mark.parametrize(("rel", "template", "line"), [
    (BASE_FILE, with_head("{{ site.title + 1 }}"), HEAD_LINE),
    ("themes/my/templates/index.html", '{% extends "base.html" %}\n{% block body %}{{ nosuchvar }}{% endblock %}\n', 2),
])
def test_check_reports_a_template_error_as_its_only_finding(themed: Path, rel: str, template: str, line: int) -> None:
    (themed / rel).write_text(template)
    before = site_files(themed)
    result = CliRunner().invoke(main, ["check", "-C", str(themed), "--format", "json", "-o", str(themed / "r.json")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    findings = json.loads((themed / "r.json").read_text())
    # A failed index is not also every link to it broken.
    assert [(f["file"], f["line"], f["code"]) for f in findings if f["severity"] == "error"] == [(rel, line, "template")]
    text = CliRunner().invoke(main, ["check", "-C", str(themed)])
    assert text.exit_code == 1 and "Traceback" not in text.output
    assert f"{line:>7}  error[template]" in text.output and rel in text.output
    assert site_files(themed) == before


def test_serve_shows_a_template_error_as_one_and_recovers_when_it_is_fixed(themed: Path) -> None:
    builder = Builder(themed)
    (themed / BASE_FILE).write_text(with_head("{{ 1 / 0 }}"))
    broken = builder.build()
    assert [(e.format()) for e in broken.errors] == [
        f"{BASE_FILE}:{HEAD_LINE}: error[template]: ZeroDivisionError: division by zero (while rendering talks/a.md)"]
    (themed / BASE_FILE).write_text(with_head("<!-- fixed -->"))
    fixed = builder.build(frozenset({THEME}))
    assert fixed.errors == () and b"<!-- fixed -->" in fixed.files["a/index.html"]  # type: ignore[operator]


def test_a_template_failing_for_one_talk_is_not_also_every_link_to_that_talk(themed: Path) -> None:
    # The error is reported at the template's line; links from the other talks to this one are not broken too.
    (themed / BASE_FILE).write_text(with_head("{% if meta.title == 'Other' %}{{ 1 / 0 }}{% endif %}"))
    (themed / "talks/a.md").write_text((themed / "talks/a.md").read_text() + "\n[the other talk](b.md)\n")
    result = CliRunner().invoke(main, ["check", "-C", str(themed), "--format", "json", "-o", str(themed / "r.json")])
    assert result.exit_code == 1
    findings = json.loads((themed / "r.json").read_text())
    assert [(f["file"], f["code"]) for f in findings if f["severity"] == "error"] == [(BASE_FILE, "template")]


@pytest.mark.parametrize(("front", "starts"), [("", "<a href"), ("author: Ada\n", "Ada · <a"),
                                               ("date: 2024-05-01\n", "2024-05-01 · <a"),
                                               ("author: Ada\ndate: 2024-05-01\n", "Ada · 2024-05-01 · <a")])
def test_the_handouts_footer_joins_what_it_has_without_a_stray_dot(make_project: Callable[..., Path], front: str,
                                                                    starts: str) -> None:
    root = make_project({"talks/a.md": f"---\ntitle: A\n{front}---\n\n## S\n\nText.\n"})
    result = build(load_config(root))
    footer = (result.out_dir / "a" / "index.html").read_text().split('<footer class="tb-footer">\n<p>', 1)[1]
    shown = re.sub(r'<span class="tb-footer-links">', "", footer)
    assert shown.startswith(starts), footer[:120]
