"""Heading levels as the pages show them (WCAG 1.3.1): the headings inside a slide move down with the slide's own
heading, in the deck and the handout alike, and `check` judges a skipped level on the page, not in the Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from talkbuild.build import build
from talkbuild.check import check_project
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]
FRONT = "---\ntitle: T\nauthor: Ann\ndate: 2024-01-01\n---\n\n"  # the body starts on line 7


def outline(root: Path) -> dict[str, list[tuple[int, str]]]:
    """The headings of the talk's slides, in order, in the handout and the deck (the viewer's own left out)."""
    out = build(load_config(root)).out_dir
    found = {}
    for name, page in (("handout", "t/index.html"), ("deck", "t/slides/index.html")):
        html = (out / page).read_text(encoding="utf-8")
        if name == "deck":
            html = html[:html.index('id="tb-p-')]  # the presenter's panels and the help follow the slides
        found[name] = [(int(level), re.sub(r"<[^>]+>", "", text)) for level, text in
                       re.findall(r"<h(\d)\b[^>]*>(.*?)</h\1>", html, re.S) if text != "Contents"]
    return found


def skips(root: Path) -> list[tuple[int | None, str, str]]:
    diagnostics = check_project(load_config(root)).diagnostics
    return [(d.location.line, d.message, d.hint or "") for d in diagnostics if d.code == "heading-skip"]


SECTIONED = FRONT + "# Part\n\n## Slide\n\n### Detail\n\n## Other\n\n#### Deep\n\ntext\n"


def test_headings_inside_a_slide_of_a_section_sit_below_the_slide_s_heading(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": SECTIONED})
    expected = [(1, "T"), (2, "Part"), (3, "Slide"), (4, "Detail"), (3, "Other"), (5, "Deep")]
    assert outline(root) == {"handout": expected, "deck": expected}


@pytest.mark.parametrize(("body", "expected"), [
    # no sections: `##` slides are <h2> and what they hold is as written
    ("## Slide\n\n### Detail\n\n#### Deeper\n", [(2, "Slide"), (3, "Detail"), (4, "Deeper")]),
    # `#` slides (no `##` anywhere) are <h2>: a heading in a fenced div moves down with them
    ("# Slide\n\n::: columns\n## Left\n:::\n\n### Detail\n", [(2, "Slide"), (3, "Left"), (4, "Detail")]),
    # a slide before the first section is placed as the others; the deepest stay at <h6>
    ("## Intro\n\n### Why\n\n# Part\n\n## S\n\n##### Five\n\n###### Six\n",
     [(3, "Intro"), (4, "Why"), (2, "Part"), (3, "S"), (6, "Five"), (6, "Six")]),
    # the speaker notes' headings (printed under the slide in the handout) follow it too
    ("# Part\n\n## S\n\n::: notes\n### Say\n:::\n", [(2, "Part"), (3, "S"), (4, "Say")]),
], ids=["no-sections", "hash-slides", "before-sections-and-h6", "notes"])
def test_every_heading_moves_with_its_slide(make_project: ProjectFactory, body: str,
                                            expected: list[tuple[int, str]]) -> None:
    root = make_project({"talks/t.md": FRONT + body})
    assert outline(root) == {"handout": [(1, "T"), *expected], "deck": [(1, "T"), *expected]}


def test_check_judges_the_levels_the_pages_show(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": SECTIONED})
    # Detail (<h4> under an <h3>) is right; Deep is an <h5> under the <h3> of "Other": a level is missing there.
    assert skips(root) == [(15, "heading level 4, an <h5> on the page, follows an <h3>: a level is skipped",
                            "use ### here, or add the missing level above")]


@pytest.mark.parametrize(("body", "expected"), [
    ("## Slide\n\n#### Deep\n", [(9, "heading level 4 follows an <h2>: a level is skipped",
                                  "use ### here, or add the missing level above")]),
    # an untitled slide has a heading too (hidden, "Slide 2"): an <h3> under it skips nothing
    ("Some text.\n\n### Detail\n", []),
    ("# Slide\n\n### Detail\n", [(9, "heading level 3, an <h4> on the page, follows an <h2>: a level is skipped",
                                  "use ## here, or add the missing level above")]),
    # a slide's own heading is where the theme puts it: an <h3> after the title is not the author's to fix
    ("## Intro\n\ntext\n\n# Part\n\n## S\n\n### Detail\n", []),
], ids=["no-sections", "untitled-slide", "hash-slides", "before-sections"])
def test_check_warns_of_a_skipped_level_only_where_the_page_has_one(make_project: ProjectFactory, body: str,
                                                                   expected: list[tuple[int, str, str]]) -> None:
    root = make_project({"talks/t.md": FRONT + body})
    assert skips(root) == expected
