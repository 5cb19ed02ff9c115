"""URLs in a talk's `<style>` blocks (`.cat { background-image: url(img/cat.jpg) }`) are rewritten, copied and
checked as those of inline `style=` attributes are: from the trial, they kept their URL as written (relative to
the Markdown file, so from the built deck they led nowhere), the picture was not copied, and check was silent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from talkbuild.build import build
from talkbuild.check import check_project
from talkbuild.check.htmlscan import scan
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]

TALK = """\
---
title: Styled
author: A
date: 2024-01-01
---

## Cats

<style>
.cat { background-image: url(img/cat.jpg); }
.dog { background: url("img/dog.jpg") no-repeat, url('data:image/png;base64,AAAA'); }
.ok { color: red }
</style>

<div class="cat"></div>
"""


def test_a_style_block_s_urls_are_rewritten_and_its_pictures_copied(make_project: ProjectFactory) -> None:
    import re

    root = make_project({"talks/week1/styled.md": TALK, "talks/week1/img/cat.jpg": "jpg"})
    result = build(load_config(root))
    assert (root / "_site/week1/img/cat.jpg").read_text() == "jpg"
    for page in ("week1/styled/index.html", "week1/styled/slides/index.html"):
        html = (root / "_site" / page).read_text(encoding="utf-8")
        cat = re.search(r'\.cat \{ background-image: url\("([^"]*)"\); \}', html)
        assert cat, html
        assert ((root / "_site" / page).parent / unquote(cat.group(1))).resolve() == (root / "_site/week1/img/cat.jpg").resolve()
        assert "url('data:image/png;base64,AAAA')" in html and ".ok { color: red }" in html
    missing = [d for d in result.diagnostics if d.code == "missing-file"]
    assert [(d.location.line, d.location.column, d.url) for d in missing] == [(11, 25, "img/dog.jpg")]


def test_check_reports_a_missing_picture_of_a_style_block_at_its_line(make_project: ProjectFactory) -> None:
    root = make_project({"talks/week1/styled.md": TALK, "talks/week1/img/cat.jpg": "jpg"})
    found = [d for d in check_project(load_config(root)).diagnostics if d.code == "missing-image"]
    assert [(d.location.path, d.location.line, d.message) for d in found] == [
        ("talks/week1/styled.md", 11, "'img/dog.jpg' does not exist (looked for week1/img/dog.jpg in the site)")]


def test_the_page_scan_sees_the_urls_of_style_blocks_at_their_lines() -> None:
    page = scan("p.html", '<section id="s">\n<style>\n.a{background:url(x.png)}\n\n.b{b:url("#f") url(data:,) url(\'y.svg\')}'
                          "</style></section>\n<style>.c{color:red}</style>", slide_ids={"s"})
    assert [(link.tag, link.attr, link.value, link.line, link.slide) for link in page.links] == [
        ("style", "style", "x.png", 3, "s"), ("style", "style", "y.svg", 5, "s")]
