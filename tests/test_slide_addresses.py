"""A deck's numbered addresses: `#/2` and `#/2/1` as talkbuild reads them (from 1, the title slide first, then a
step) or, with `slide_addresses: revealjs`, as reveal.js read them in the reveal-md deck a talk came from (from 0,
over the author's slides as `---` and `----` cut them, `#/h/v`), so that links shared with students still open the
slides they did; `#/` is the first slide. A talk's own `#/2` links name their slide by its id, so the handout opens
them too; check reads deck links as the deck does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talkbuild.build import build
from talkbuild.check import check_project
from talkbuild.config import load_config
from talkbuild.errors import TalkbuildError
from talkbuild.slide_addresses import Address, read_address

ProjectFactory = Callable[..., Path]

REVEAL_MD = """\
---
title: Lecture
author: A
date: 2024-01-01
{extra}---

# Intro

Go to [chapter 1](#/1), [child B](#/2/2) or [the start](#/).

---

## Chapter 1

text

## Also chapter 1

a heading inside a reveal-md slide starts no reveal.js slide

---

# Part two

----

## Vertical child A

***

a rule that is no reveal-md separator

----

## Vertical child B

B's text
"""
"""Its first `----` is on line 25 with no extra front matter line."""


def _slides(root: Path, slug: str = "lec") -> list[tuple[str, str]]:
    result = build(load_config(root))
    talk = next(t for t in result.talks if t.slug == slug)
    return [(s.id, s.reveal) for s in talk.slides]


def test_each_slide_has_the_reveal_js_address_of_the_reveal_md_slide_it_was_cut_from(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="slide_addresses: revealjs\n")})
    assert _slides(root) == [
        ("title", ""),  # talkbuild's own title slide: reveal.js had none
        ("intro", "0/0"),
        ("chapter-1", "1/0"), ("also-chapter-1", "1/0"),  # one reveal-md slide, cut at its headings
        ("part-two", "2/0"),
        ("vertical-child-a", "2/1"), ("slide-7", "2/1"),  # `***` cuts a talkbuild slide, not a reveal-md one
        ("vertical-child-b", "2/2"),
    ]


def test_the_site_may_say_it_for_every_talk_and_a_talk_may_say_otherwise(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra=""),
                         "talks/own.md": REVEAL_MD.format(extra="slide_addresses: talkbuild\n"),
                         "talkbuild.yml": "slide_addresses: revealjs\n"})
    assert _slides(root)[-1] == ("vertical-child-b", "2/2")
    assert {reveal for _, reveal in _slides(root, "own")} == {""}


def test_without_it_no_slide_has_one_and_the_deck_is_as_before(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="")})
    assert {reveal for _, reveal in _slides(root)} == {""}
    assert b"data-reveal" not in (root / "_site/lec/slides/index.html").read_bytes()


@pytest.mark.parametrize(("fragment", "expected"), [
    ("/", Address(1)), ("/0", Address(1)), ("/0/0", Address(1)), ("/1", Address(2)), ("/1/0/", Address(2)),
    ("/2", Address(4)), ("/2/1", Address(5)), ("/2/2", Address(7)), ("/2/3", Address(None)), ("/9", Address(None)),
    ("intro", None), ("/intro", None),
])
def test_reveal_js_addresses_are_read_from_0_over_the_author_s_slides(fragment: str, expected: Address | None) -> None:
    reveal = ["", "0/0", "1/0", "1/0", "2/0", "2/1", "2/1", "2/2"]
    assert read_address(fragment, reveal) == expected


@pytest.mark.parametrize(("fragment", "expected"), [
    ("/", Address(0)), ("/1", Address(0)), ("/3", Address(2)), ("/3/2", Address(2, 2)), ("/4", Address(None)),
    ("/0", Address(None)),
])
def test_talkbuild_addresses_count_from_1_with_the_title_slide_and_then_a_step(fragment: str, expected: Address) -> None:
    assert read_address(fragment, ["", "", ""]) == expected


def test_a_vertical_separator_is_warned_of_once_with_the_setting_that_keeps_old_links(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="")})
    found = [d for d in build(load_config(root)).diagnostics if d.code == "vertical-slide"]
    assert [(d.location.path, d.location.line) for d in found] == [("talks/lec.md", 25)]
    assert "slide_addresses: revealjs" in (found[0].hint or "")
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="slide_addresses: revealjs\n")}, root=root)
    assert not [d for d in build(load_config(root)).diagnostics if d.code == "vertical-slide"]


def test_reveal_md_front_matter_keys_suggest_the_setting(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="verticalSeparator: '^\\n----\\n'\nrevealOptions: {transition: fade}\n")})
    hints = [d.hint or "" for d in build(load_config(root)).diagnostics if d.code == "unknown-key"]
    assert len(hints) == 2 and all("slide_addresses: revealjs" in h for h in hints)


@pytest.mark.parametrize("where", ["talkbuild.yml", "talks/lec.md"])
def test_an_unknown_value_is_an_error_that_names_the_choices(make_project: ProjectFactory, where: str) -> None:
    files = {"talks/lec.md": REVEAL_MD.format(extra="slide_addresses: reveal\n" if where != "talkbuild.yml" else "")}
    if where == "talkbuild.yml":
        files["talkbuild.yml"] = "slide_addresses: reveal\n"
    root = make_project(files)
    try:
        found = [d for d in check_project(load_config(root)).diagnostics if "slide_addresses" in d.message]
    except TalkbuildError as error:
        found = error.all_diagnostics()
    assert len(found) == 1 and "talkbuild or revealjs" in found[0].message.replace(", ", " or ")


def _hrefs(page: Path, texts: list[str]) -> list[str]:
    import re

    html = page.read_text(encoding="utf-8")
    return [re.search(rf'<a href="([^"]*)">{re.escape(t)}</a>', html).group(1) for t in texts]  # type: ignore[union-attr]


def test_a_talk_s_own_numbered_links_name_their_slide_in_deck_and_handout(make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="slide_addresses: revealjs\n"),
                         "talks/plain.md": REVEAL_MD.format(extra="")})
    build(load_config(root))
    for page in ("lec/index.html", "lec/slides/index.html"):
        assert _hrefs(root / "_site" / page, ["chapter 1", "child B", "the start"]) == [
            "#chapter-1", "#vertical-child-b", "#intro"]  # reveal.js's #/ is the author's first slide
    # talkbuild's numbers: #/1 is the title slide; #/2/2 a step of slide 2, which only the deck has
    assert _hrefs(root / "_site/plain/index.html", ["chapter 1", "child B", "the start"]) == [
        "#title", "../plain/slides/index.html#intro/2", "#title"]


def test_check_passes_a_talk_that_links_its_slides_by_number(make_project: ProjectFactory) -> None:
    # It failed every deck with `#/n` links: the handout carries them too, and the handout is no deck.
    root = make_project({"talks/lec.md": REVEAL_MD.format(extra="slide_addresses: revealjs\n"),
                         "talks/plain.md": REVEAL_MD.format(extra="").replace("title: Lecture", "title: Plain")})
    result = check_project(load_config(root))
    assert [d for d in result.diagnostics if d.severity.name == "ERROR"] == []


@pytest.mark.parametrize(("extra", "link", "message"), [
    ("slide_addresses: revealjs\n", "#/2/3", "'#/2/3' names no slide in the deck 'lec/slides/index.html', which reads reveal.js's #/h/v"),
    ("", "#/9", "'#/9': the deck 'lec/slides/index.html' has 8 slides"),
])
def test_check_says_once_where_a_numbered_link_names_no_slide(make_project: ProjectFactory, extra: str, link: str,
                                                                 message: str) -> None:
    talk = REVEAL_MD.format(extra=extra).replace("B's text", f"B's [missing]({link})")
    root = make_project({"talks/lec.md": talk})
    found = [d for d in check_project(load_config(root)).diagnostics if d.code == "missing-fragment"]
    assert len(found) == 1, found  # the deck and the handout carry the link: one finding
    assert found[0].message.startswith(message) and found[0].location.line == talk.split("\n").index(
        f"B's [missing]({link})") + 1


def test_check_reads_another_talk_s_links_into_a_deck_as_that_deck_does(make_project: ProjectFactory) -> None:
    other = ("---\ntitle: O\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n[B](lec/slides/#/2/2) [start](lec/slides/#/)\n\n"
             "[far](lec/slides/#/2/3) [handout](lec/index.html#/2/2)\n")
    root = make_project({"talks/lec/index.md": REVEAL_MD.format(extra="slide_addresses: revealjs\n"), "talks/o.md": other})
    found = sorted((d.location.line, d.message, d.hint or "") for d in check_project(load_config(root)).diagnostics
                   if d.code == "missing-fragment")
    assert found == [
        (11, "'#/2/2' is a deck address, and 'lec/index.html' is not a deck",
         "link the slide by its id (#vertical-child-b): that works in the deck and the handout"),
        (11, "'#/2/3' names no slide in the deck 'lec/slides/index.html', which reads reveal.js's #/h/v "
             "(slide_addresses: revealjs); its last slide is #/2/2",
         "count as reveal.js does, from 0, the title slide aside; or link the slide by its id"),
    ]


HIDDEN_BREAK = """\
---
title: Lecture
author: A
date: 2024-01-01
{extra}---

## Four

four

---

## Five
Last paragraph of five

Note: say five
---
## Six

six
----
## Seven

seven
"""
"""reveal-md cut at every `---` and `----` line, with or without a blank line above: Five, Six and Seven are 1/0,
2/0 and 2/1. CommonMark reads `Note: say five` over `---` (line 16) as a heading."""


def _shown(root: Path, slug: str = "lec") -> dict[str, tuple[str, str]]:
    from tests.test_notes_marker import slides

    return slides(root, slug)


def test_under_revealjs_a_line_right_above_a_separator_stays_on_its_slide_and_the_count_goes_on(
        make_project: ProjectFactory) -> None:
    root = make_project({"talks/lec.md": HIDDEN_BREAK.format(extra='slide_addresses: revealjs\nnotes_separator: "Note:"\n')})
    assert _slides(root) == [("title", ""), ("four", "0/0"), ("five", "1/0"), ("six", "2/0"), ("seven", "2/1")]
    shown = _shown(root)
    assert shown["five"] == ("Five Last paragraph of five", "say five")  # notes, not a slide titled "Note: say five"
    assert shown["six"] == ("Six six", "")  # `six` over `----`: a paragraph, then reveal-md's vertical separator
    assert not [d for d in build(load_config(root)).diagnostics if d.code == "notes-marker"]


def test_without_revealjs_a_notes_line_made_a_slide_title_is_warned_of_at_its_line(make_project: ProjectFactory) -> None:
    for extra in ("", 'notes_separator: "Note:"\n', "slide_addresses: talkbuild\n"):
        root = make_project({"talks/lec.md": HIDDEN_BREAK.format(extra=extra)})
        found = [d for d in build(load_config(root)).diagnostics if d.code == "notes-marker"]
        assert [(d.location.line, d.severity.name) for d in found] == [(16 + extra.count("\n"), "WARNING")], extra
        assert found[0].message.startswith("'Note: say five' is right above a '---' line, which makes it a heading")
        assert "leave a blank line before the '---'" in (found[0].hint or "")
        assert "note-say-five" in [ident for ident, _ in _slides(root)]  # as before: the seed dialect's headings stay


def test_a_heading_over_dashes_stays_a_heading_without_revealjs_and_is_not_warned_of(make_project: ProjectFactory) -> None:
    talk = "---\ntitle: T\n{extra}---\n\nFirst\n---\n\ntext\n\nNotes: later\n---\n\nmore\n"
    root = make_project({"talks/lec.md": talk.format(extra="notes_separator: false\n")})
    assert [i for i, _ in _slides(root)] == ["title", "first", "notes-later"]
    assert not [d for d in build(load_config(root)).diagnostics if d.code == "notes-marker"]
    root = make_project({"talks/lec.md": talk.format(extra="")}, root=root)
    assert [d.location.line for d in build(load_config(root)).diagnostics if d.code == "notes-marker"] == [10]


@pytest.mark.parametrize(("fragment", "expected"), [
    ("/2/1/0", Address(5, 1)), ("/2/2/3/", Address(7, 4)), ("/0/0/0", Address(1, 1)), ("/2/3/0", Address(None, 1)),
])
def test_reveal_js_4_fragment_addresses_are_a_slide_and_its_fragments_up_to_f(fragment: str, expected: Address) -> None:
    reveal = ["", "0/0", "1/0", "1/0", "2/0", "2/1", "2/1", "2/2"]
    assert read_address(fragment, reveal) == expected
    assert read_address(fragment, [""] * 8) is None  # talkbuild's own addresses have no third number


def test_check_accepts_fragment_addresses_under_revealjs_and_explains_them_without(make_project: ProjectFactory) -> None:
    link = "B's [mid-slide](#/2/1/0) [gone](#/7/0/1)"
    talk = REVEAL_MD.format(extra="{extra}").replace("B's text", link)
    root = make_project({"talks/lec.md": talk.format(extra="slide_addresses: revealjs\n")})
    found = [d for d in check_project(load_config(root)).diagnostics if d.code == "missing-fragment"]
    assert [d.message.split(",")[0] for d in found] == ["'#/7/0/1' names no slide in the deck 'lec/slides/index.html'"]
    root = make_project({"talks/lec.md": talk.format(extra="")}, root=root)
    found = [d for d in check_project(load_config(root)).diagnostics if d.code == "missing-fragment"]
    assert len(found) == 2
    assert found[0].message == ("'#/2/1/0' is reveal.js's address of slide 2/1 with its fragments shown, which the "
                                "deck 'lec/slides/index.html' does not read")
    assert "set slide_addresses: revealjs" in (found[0].hint or "")


def test_a_talk_s_own_fragment_address_leads_to_the_deck_which_places_the_step(make_project: ProjectFactory) -> None:
    talk = REVEAL_MD.format(extra="slide_addresses: revealjs\n").replace("B's text", "[mid](#/1/0/1)")
    root = make_project({"talks/lec.md": talk})
    build(load_config(root))
    assert _hrefs(root / "_site/lec/index.html", ["mid"]) == ["../lec/slides/index.html#/1/0/1"]
    assert not [d for d in check_project(load_config(root)).diagnostics if d.code == "missing-fragment"]
