"""Slide ids: the ones the author wrote win, clashes and reserved ids are warnings; unclosed code fences warn."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.ids import fresh_id, reserved

HEAD = "---\ntitle: Ids\n---\n\n"  # the body starts on line 5
THEME = Path(__file__).resolve().parents[1] / "themes" / "default"


def built(make_project: Any, tmp_path: Path, body: str) -> tuple[list[tuple[str, int | None, str, str | None]], Any]:
    """Build a one-talk project: its warnings (code, line, message, hint) and the deck's parsed HTML."""
    root = make_project({"talks/t.md": HEAD + body})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    warnings = [(d.code, d.location.line, d.message, d.hint) for d in result.diagnostics]
    return warnings, page(tmp_path / "site/t/slides/index.html")


def page(path: Path) -> Any:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def slide_ids(deck: Any) -> list[str]:
    return [s["id"] for s in deck.select("#tb-stage > section.slide")]


def duplicated_ids(html: Any) -> list[str]:
    return [i for i, n in Counter(el["id"] for el in html.select("[id]")).items() if n > 1]


def test_a_repeated_written_id_stays_with_the_first_and_the_second_is_renamed_with_a_warning(make_project, tmp_path) -> None:
    warnings, deck = built(make_project, tmp_path, "## A {#same}\n\na\n\n## B {#same}\n\nb\n")
    assert slide_ids(deck) == ["title", "same", "same-2"]
    assert deck.select_one("#same h2").get_text() == "A"
    [(code, line, message, hint)] = warnings
    assert (code, line) == ("duplicate-id", 9)
    assert "line 5" in message and "'same-2'" in message and hint


def test_an_id_the_author_wrote_wins_over_one_generated_from_a_title(make_project, tmp_path) -> None:
    # Before, the third slide moved to plan-2-2 and a link to #plan-2 opened the second "Plan".
    warnings, deck = built(make_project, tmp_path, "## Plan\n\n1\n\n## Plan\n\n2\n\n## X {#plan-2}\n\n[back](#plan-2)\n")
    assert slide_ids(deck) == ["title", "plan", "plan-3", "plan-2"]
    assert deck.select_one("#plan-2 h2").get_text() == "X"
    assert warnings == []


def test_a_slide_titled_title_gets_a_free_id_without_a_warning(make_project, tmp_path) -> None:
    warnings, deck = built(make_project, tmp_path, "## Title\n\nt\n")
    assert slide_ids(deck) == ["title", "title-2"]
    assert warnings == []


@pytest.mark.parametrize(("written", "words"), [
    ("title", "title slide"),
    ("tb-help", "'tb-'"),
    ("tb-anything", "'tb-'"),
    ("intro--title", "'--title'"),
    ("fn-intro-1", "footnote"),
])
def test_a_reserved_id_is_not_used_and_the_slide_keeps_its_generated_id(make_project, tmp_path, written, words) -> None:
    warnings, deck = built(make_project, tmp_path, f"## B {{#{written}}}\n\nb\n")
    assert slide_ids(deck) == ["title", "b"]
    [(code, line, message, hint)] = warnings
    assert (code, line) == ("reserved-id", 5)
    assert f"'{written}'" in message and words in message and "'b'" in message and hint
    assert duplicated_ids(deck) == []


def test_the_theme_keeps_its_help_dialog_when_a_slide_asks_for_its_id(make_project, tmp_path) -> None:
    _, deck = built(make_project, tmp_path, "## B {#tb-help}\n\nb\n")
    assert [el.name for el in deck.select("#tb-help")] == ["dialog"]


@pytest.mark.parametrize(("base", "taken", "expected"), [
    ("plan", set(), "plan"),
    ("plan", {"plan", "plan-2"}, "plan-3"),
    ("title", set(), "title-2"),
    ("tb-setup", set(), "slide-tb-setup"),  # no suffix gets a 'tb-' id out of the theme's prefix
    ("fn-a", {"fn-a"}, "slide-fn-a"),  # fn-a-2 would look like slide a's second footnote
    ("x--title", set(), "x--title-2"),
])
def test_a_generated_id_steps_around_taken_and_reserved_ones(base: str, taken: set[str], expected: str) -> None:
    assert fresh_id(base, set(taken)) == expected


def test_headings_and_divs_inside_slides_share_the_id_space(make_project, tmp_path) -> None:
    body = ("## Results\n\n### Detail {#results}\n\n::: {#box .note}\nin a box\n:::\n\n"
            "## Other\n\n::: {#box}\nagain\n:::\n\n### Help {#tb-help}\n\n::: notes\n### In the notes {#results}\n:::\n")
    warnings, deck = built(make_project, tmp_path, body)
    assert slide_ids(deck) == ["title", "results-2", "other"]  # the heading wrote 'results': it keeps it
    assert deck.select_one("#results").name == "h3"
    assert [(code, line) for code, line, _, _ in warnings] == [
        ("duplicate-id", 15), ("reserved-id", 19), ("duplicate-id", 22)]
    assert deck.select_one("#box-2").get_text(strip=True) == "again"
    assert deck.find("h3", string="Help").get("id") is None  # left out: the theme's dialog keeps tb-help
    assert "this div's id is 'box-2'" in warnings[0][2] and "this heading has no id" in warnings[1][2]
    assert duplicated_ids(deck) == []
    assert duplicated_ids(page(tmp_path / "site/t/index.html")) == []


def test_a_talk_full_of_clashes_has_unique_ids_in_both_pages(make_project, tmp_path) -> None:
    body = "".join(f"## {title}\n\ntext[^n]\n\n" for title in
                   ["Same {#same}", "Same", "Same {#same}", "Title", "Tb help", "B {#tb-stage}", "Notes", "{#notes}"])
    warnings, deck = built(make_project, tmp_path, body + "[^n]: a footnote on every slide\n")
    assert {code for code, *_ in warnings} == {"duplicate-id", "reserved-id"}
    assert duplicated_ids(deck) == []
    assert duplicated_ids(page(tmp_path / "site/t/index.html")) == []


def test_every_id_the_theme_gives_its_elements_is_reserved() -> None:
    # The deck and the handout put the theme's (and serve's) elements and the slides in one page: an author's id
    # must never be one of these. index.html is left out: slides are not on that page.
    literal, derived = set(), set()
    for name in ("base.html", "deck.html", "handout.html", "macros.html"):
        text = (THEME / "templates" / name).read_text(encoding="utf-8")
        literal |= set(re.findall(r'\bid="([^"{]+)"', text))
        derived |= set(re.findall(r'\bid="\{\{ slide\.id \}\}([^"]+)"', text))
    for script in sorted((THEME / "static").glob("deck*.js")):  # deck.js and its parts
        literal |= set(re.findall(r'(?:getElementById\(|\$\(|\.id = )"([^"]+)"', script.read_text(encoding="utf-8")))
    from talkbuild.serve.livereload import CONFIG_ID, OVERLAY_ID  # what `serve` adds to every page it shows

    literal |= {CONFIG_ID, OVERLAY_ID}
    assert {"tb-help", "tb-p-black"} <= literal and derived == {"--title"}
    assert [i for i in sorted(literal) if reserved(i) is None] == []
    assert [s for s in derived if reserved("any-slide" + s) is None] == []


FENCE_BODY = "## First\n\n{fence}python\nprint(1)\n\n## Next\n\ntext\n"


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_an_unclosed_code_fence_is_a_warning_at_its_opening_line(make_project, tmp_path, fence: str) -> None:
    warnings, deck = built(make_project, tmp_path, FENCE_BODY.format(fence=fence))
    [(code, line, message, hint)] = warnings
    assert (code, line) == ("unclosed-fence", 7)
    assert "never closed" in message and "swallows the rest of the talk" in message
    assert hint == f"end it with {fence} on a line of its own"
    assert len(slide_ids(deck)) == 2  # the warning says why: the rest of the talk is in the code block


@pytest.mark.parametrize("body", [
    "## A\n\n```python\nprint(1)\n```\n",  # closed on the last line
    "## A\n\n```python\nprint(1)\n```",  # ... with no newline after it
    "## A\n\n````\n```\nstill code\n````\n\n## B\n",  # a shorter fence inside a longer one
    "## A\n\n~~~\n```\n~~~\n",
    "## A\n\n- ```\n  in a list item\n\n## B\n\ntext\n",  # ends with its list item: nothing else swallowed
    "## A\n\n> ```\n> quoted\n\n## B\n",
])
def test_a_fence_that_closes_or_ends_with_its_container_is_not_reported(make_project, tmp_path, body: str) -> None:
    warnings, _ = built(make_project, tmp_path, body)
    assert [w for w in warnings if w[0] == "unclosed-fence"] == []


@pytest.mark.parametrize(("body", "line"), [
    ("## A\n\n```\nx\n``\n\n## B\n", 7),  # a shorter run of backticks does not close it
    ("## A\n\n```\nx\n~~~\n", 7),  # nor does the other character
    ("## A\n\n::: {.columns}\n```\nx\n:::\n", 8),  # it swallows the div's end too
    ("## A\n\n```", 7),
])
def test_fences_without_their_closing_marker_are_reported(make_project, tmp_path, body: str, line: int) -> None:
    warnings, _ = built(make_project, tmp_path, body)
    assert [(code, at) for code, at, _, _ in warnings if code == "unclosed-fence"] == [("unclosed-fence", line)]


def test_check_shows_the_new_warnings_at_their_lines_and_strict_fails_on_them(make_project) -> None:
    root = make_project({"talks/t.md": HEAD + "## A {#same}\n\n## B {#same}\n\n## C {#title}\n\n```python\nx\n"})
    run = subprocess.run([sys.executable, "-m", "talkbuild.cli", "check", "-C", str(root), "--format", "github"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout + run.stderr
    for line, code in ((7, "duplicate-id"), (9, "reserved-id"), (11, "unclosed-fence")):
        assert re.search(rf"file=talks/t\.md,line={line}\b.*{code}", out), out
    assert "Traceback" not in out
    strict = subprocess.run([sys.executable, "-m", "talkbuild.cli", "check", "-C", str(root), "--strict"],
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr


def test_a_link_to_the_title_slide_works_in_the_deck_and_the_handout(make_project) -> None:
    root = make_project({"talks/t.md": HEAD + "## A\n\n[back to the start](#title)\n"})
    build(load_config(root))
    from talkbuild.check import check_project

    assert [d for d in check_project(load_config(root)).diagnostics if d.is_error] == []
    assert page(root / "_site/t/index.html").select_one("#title").name == "header"
    assert "slide-title" in page(root / "_site/t/slides/index.html").select_one("#title")["class"]
