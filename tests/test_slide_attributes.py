"""reveal.js's slide attributes (`<!-- .slide: -->`, pandoc's heading `{data-background-image=...}`), a reveal.js
deck's `<section>`s pasted into a talk, and the pictures in inline styles and background attributes: read,
published and checked, or said to be ignored."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from talkbuild.build import BuildOptions, build
from talkbuild.check import check_project
from talkbuild.config import load_config


def png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 4) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


TALK = """---
title: R
author: A
date: 2024-01-01
---

<!-- .slide: data-background-color="#222" class="dark" -->
## One

Text one.

---
<!-- .slide: data-background-image="img/x.png" data-background-opacity="0.5" data-transition="zoom" -->

## Two

Text two.

::: notes
Said aloud.
:::

## Three {data-background-image="img/missing.png" data-auto-animate=""}

three

---

<!-- .slide: data-background="img/x.png" data-background-size="contain" data-background-position="top left" -->
Untitled, pictured.

## Five <!-- .slide: id="fifth" data-background="#ff0000" data-transition="fade" -->

Five.
"""
# line 7: One's comment; 13: Two's; 23: Three; 29: the untitled slide's; 32: Five


def slide(deck: str, ident: str) -> str:
    start = deck.index(f'<section id="{ident}"')
    return deck[start:deck.index("</section>", start)]


def test_slide_comments_and_heading_attributes_give_their_own_slide_its_background_class_and_id(
        make_project, tmp_path: Path) -> None:
    root = make_project({"talks/r.md": TALK, "talks/img/x.png": png()})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/r/slides/index.html").read_text()
    one, two, three = slide(deck, "one"), slide(deck, "two"), slide(deck, "three")
    assert re.search(r'<section id="one" class="slide slide-slide dark has-dark-background tb-bg-full-slide"', deck)
    assert '<div class="tb-bg tb-bg-attributes" style="background-color: #222"></div>' in one
    assert "tb-bg" not in slide(deck, "title"), "a comment before the first heading is that heading's slide's"
    # The comment between `---` and the heading is the heading's slide's, not the one before it.
    assert "x.png" not in one and ".slide:" not in deck
    assert ('<div class="tb-bg-image" style="background-image: url(&quot;../../img/x.png&quot;); '
            'background-size: cover; background-position: center; background-repeat: no-repeat; opacity: 0.5">') in two
    assert "tb-bg-full-slide" in deck[deck.index('<section id="two"'):deck.index('<section id="two"') + 200]
    notes = two[two.index('<aside class="notes"'):]
    assert "Said aloud." in notes and "slide" not in notes.replace("Speaker notes", "")
    assert "url(&quot;../../img/missing.png&quot;)" in three, "pandoc's heading attributes"
    untitled = slide(deck, "slide-5")
    assert "background-size: contain; background-position: top left" in untitled and "img/x.png" in untitled
    assert re.search(r'<section id="fifth" class="slide slide-slide has-light-background tb-bg-full-slide"', deck), \
        "id= names the slide; black text has more contrast on pure red than white"
    assert 'style="background-color: #ff0000"' in slide(deck, "fifth")
    assert "Five." in slide(deck, "fifth") and "&lt;!--" not in deck
    assert (tmp_path / "site/img/x.png").read_bytes() == png(), "the background picture is published"

    handout = (tmp_path / "site/r/index.html").read_text()
    assert ".slide:" not in handout and "url(&quot;../img/x.png&quot;)" in handout
    found = sorted((d.location.line, d.location.column, d.code, d.message) for d in result.diagnostics)
    assert [(line, col, code) for line, col, code, _ in found] == [
        (13, TALK.split("\n")[12].index("data-transition") + 1, "slide-attribute"), (23, 34, "missing-file")], found
    assert "data-transition, data-auto-animate, " not in found[0][3]
    assert "data-transition, data-auto-animate are ignored" in found[0][3], "one warning names them all"


def test_a_broken_background_is_an_error_of_check_at_the_line_it_is_written(make_project) -> None:
    talk = TALK.replace("img/x.png", "img/gone.jpg") + (
        '\n<div style="background-image:url(img/missing3.jpg)">boxed</div>\n\n'  # line 36
        '<section data-background-image="img/missing4.jpg">x</section>\n')  # line 38
    root = make_project({"talks/r.md": talk})
    result = check_project(load_config(root))
    images = sorted((d.location.line, d.location.column, d.url) for d in result.diagnostics if d.code == "missing-image")
    lines = talk.split("\n")
    assert images == [(n, lines[n - 1].index(url) + 1, url) for n, url in [
        (13, "img/gone.jpg"), (23, "img/missing.png"), (29, "img/gone.jpg"), (36, "img/missing3.jpg"),
        (38, "img/missing4.jpg")]]
    assert all(d.is_error for d in result.diagnostics if d.code == "missing-image")


def test_a_raw_section_and_a_background_in_html_are_published(make_project, tmp_path: Path) -> None:
    talk = ("---\ntitle: H\n---\n\n## S\n\n<section data-background-image=\"img/x.png\" data-background=\"#111\">"
            "\n<p>x</p>\n</section>\n\n<div data-background=\"img/y.png\">y</div>\n")
    root = make_project({"talks/h.md": talk, "talks/img/x.png": png(), "talks/img/y.png": png((0, 0, 200))})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/h/slides/index.html").read_text()
    assert 'data-background-image="../../img/x.png" data-background="#111"' in deck
    assert 'data-background="../../img/y.png"' in deck
    assert (tmp_path / "site/img/x.png").exists() and (tmp_path / "site/img/y.png").exists()


REVEAL_DECK = """---
title: H
---

## Deck

<section>
  <h2>First</h2>
</section>
<section>
  <section><h2>Down 1</h2></section>
  <section><h2>Down 2</h2></section>
</section>

## Markdown

<section data-markdown>
  <textarea data-template>
## Slide 1
A paragraph with a [link](https://example.org).
---
## Slide 2
  </textarea>
</section>
"""


def test_a_pasted_reveal_js_deck_is_warned_of_at_its_first_section_with_how_to_write_it(
        make_project, tmp_path: Path) -> None:
    root = make_project({"talks/h.md": REVEAL_DECK})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    said = sorted((d.location.line, d.code, d.message, d.hint) for d in result.diagnostics)
    assert [(line, code) for line, code, _, _ in said] == [(7, "reveal-section"), (17, "reveal-section")], said
    assert "these 4 <section> elements" in said[0][2] and "## heading" in str(said[0][3])
    assert "does not render the Markdown" in said[1][2] and "<textarea>" in str(said[1][3])
    assert "blank line" not in str(said), "not the hint for Markdown under an HTML tag"


def test_a_background_address_cannot_end_its_css_string_and_add_declarations(make_project, tmp_path: Path) -> None:
    # A reviewer's find: `"` (written &quot;) or `)` in the address closed url("...") and the rest was read as CSS.
    talk = ('---\ntitle: R\n---\n\n<!-- .slide: data-background-image="https://e.example/a.png&quot;); '
            'position: fixed; x: url(&quot;y" -->\n## One\n\nText.\n')
    root = make_project({"talks/r.md": talk})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    one = slide((tmp_path / "site/r/slides/index.html").read_text(), "one")
    style = re.search(r'<div class="tb-bg-image" style="([^"]*)"', one)
    assert style is not None
    assert style.group(1).startswith("background-image: url(&quot;https://e.example/a.png%22%29; position: fixed; "
                                      "x: url%28%22y&quot;); background-size: cover"), style.group(1)
