"""Marp's header, footer and paginate directives in a `marp: true` talk: from their slide on, or (`_footer`)
on their slide alone; a directive after a `---` belongs to the next heading's slide, as in Marp."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

TALK = """---
title: D
{marp}---

<!-- footer: Course 2 -->

## One

x

---

<!-- paginate: true -->

## Two

y

---

<!--
_footer: ""
_paginate: false
header: "Part *B*"
-->

## Three

z

## Four

w
"""


def edges(root: Path) -> list[tuple[str, str, str, str]]:
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    deck = BeautifulSoup((root / "_site/t/slides/index.html").read_text(encoding="utf-8"), "html.parser")

    def text(slide: object, cls: str) -> str:
        found = slide.select_one(f".{cls}")  # type: ignore[attr-defined]
        return found.get_text() if found else ""

    return [(s["id"], text(s, "tb-slide-header"), text(s, "tb-slide-footer"), text(s, "tb-slide-number"))
            for s in deck.select("section.slide")]


def test_edges_apply_from_their_slide_on_and_spot_directives_to_theirs_alone(make_project) -> None:
    root = make_project({"talks/t.md": TALK.format(marp="marp: true\n")})
    assert edges(root) == [("title", "", "", ""), ("one", "", "Course 2", ""), ("two", "", "Course 2", "3"),
                           ("three", "Part *B*", "", ""), ("four", "Part *B*", "Course 2", "5")]


def test_a_talk_that_is_not_marps_shows_no_edges(make_project) -> None:
    root = make_project({"talks/t.md": TALK.format(marp="")})
    assert {(h, f, n) for _, h, f, n in edges(root)} == {("", "", "")}


def test_global_directives_in_the_front_matter_apply_from_the_first_slide(make_project) -> None:
    """Marp reads `paginate`, `header` and `footer` in the front matter as global directives (a re-trial got
    `unknown-key` warnings and no numbers)."""
    talk = "---\ntitle: D\nmarp: true\npaginate: true\nfooter: Course 2\n---\n\n## One\n\nx\n\n---\n\n<!-- _paginate: false -->\n\n## Two\n\ny\n"
    root = make_project({"talks/t.md": talk})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "check", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert "unknown-key" not in done.stdout
    assert edges(root) == [("title", "", "", ""), ("one", "", "Course 2", "2"), ("two", "", "Course 2", "")]


def test_slide_numbers_leave_a_number_hidden_by_a_directive_hidden(make_project) -> None:
    talk = "---\ntitle: D\nmarp: true\nslide_numbers: true\n---\n\n## One\n\nx\n\n---\n\n<!-- _paginate: false -->\n\n## Two\n\ny\n"
    root = make_project({"talks/t.md": talk})
    assert [n for *_, n in edges(root)] == ["", "2", ""]


def test_marps_comments_that_are_no_directive_are_the_slides_presenter_notes(make_project) -> None:
    """Marp's presenter notes are HTML comments; a re-trial printed `pdf --notes` of a Marp talk: empty notes."""
    talk = ("---\ntitle: D\n{marp}---\n\n<!-- paginate: true -->\n\n## One\n\n<!-- Say hello first & <smile> -->\n\n---\n\n"
            "## Two\n\n<!-- _class: lead -->\n<!--\nRemember the demo.\nIt is on the desktop.\n-->\n\ntext\n")
    root = make_project({"talks/t.md": talk.format(marp="marp: true\n")})
    edges(root)
    deck = BeautifulSoup((root / "_site/t/slides/index.html").read_text(encoding="utf-8"), "html.parser")
    notes = {s["id"]: s.select_one("aside.notes").get_text("|", strip=True) if s.select_one("aside.notes") else ""
             for s in deck.select("section.slide")}
    assert notes == {"title": "", "one": "Say hello first & <smile>", "two": "Remember the demo.|It is on the desktop."}
    assert not any("Say hello" in p.get_text() for p in deck.select("#one > :not(aside)"))
    plain = make_project({"talks/t.md": talk.format(marp="")}, root=root.parent / "plain")
    edges(plain)  # without marp: true a comment is a comment (often text left out on purpose)
    deck = BeautifulSoup((plain / "_site/t/slides/index.html").read_text(encoding="utf-8"), "html.parser")
    assert deck.select("aside.notes") == [] or all(not a.get_text(strip=True) for a in deck.select("aside.notes"))
