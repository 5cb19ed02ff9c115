"""Raw HTML in a slide cannot close or swallow the elements talkbuild puts around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.rawhtml import Repair, keep_structure


@pytest.mark.parametrize("html", [
    "<p>plain</p>\n",
    '<div class="a"><p>x</p><img src="a.png"><br></div>\n',
    "<ul><li>one<li>two</ul><p>unclosed paragraph\n",  # optional end tags are the browser's business
    '<svg viewBox="0 0 1 1"><circle r="1"/><path d="M0 0"/></svg>\n',
    "<!-- </div> in a comment --><script>if (a </div) {}</script>\n",
    "<b><i>bold italic</b> italic</i> plain\n",  # misnested, but the browser sorts it out by itself
    '<p><script>var s = "<!--";</script></p>\n<textarea></div> <!-- x</textarea><xmp>a </div> b</xmp>\n',
    "<p>an empty comment <!--> and more</p>\n",
    "<p>a <span>one</p>\n<p>two</span> three</p>\n",  # a stray </span> stops at the paragraph: harmless
])
def test_balanced_html_is_left_exactly_as_written(html: str) -> None:
    assert keep_structure(html) == (html, [])


def test_an_end_tag_the_slide_did_not_open_is_left_out() -> None:
    html = '<div style="float:left">text</div>\t\t  \n</section>\n<p>after</p>\n'
    assert keep_structure(html) == ('<div style="float:left">text</div>\t\t  \n\n<p>after</p>\n',
                                    [Repair("section", True)])


def test_an_element_left_open_is_closed_at_the_end_in_order() -> None:
    html = '<div class="columns"><section><span>a <div/>\n'
    assert keep_structure(html) == (html + "</div></span></section></div>",
                                    [Repair("div", False), Repair("span", False), Repair("section", False),
                                     Repair("div", False)])


@pytest.mark.parametrize(("html", "closed"), [
    ("<p>a <b>bold</p>\n<p>next</p>\n", "</b>"),  # the browser would reopen the bold around the next slides
    ("<div><table><tr><td>x</div>\n", "</table></div>"),  # a </div> cannot reach out of a table cell
    ("<div><template><p>x</div>\n", "</template></div>"),
    ("<p><select><option>a</p>\n", "</select>"),
])
def test_what_the_browser_would_keep_open_is_closed(html: str, closed: str) -> None:
    fixed, repairs = keep_structure(html)
    assert fixed == html + closed and repairs and not any(r.stray for r in repairs)


def test_markup_the_scanner_cannot_read_is_kept_as_written() -> None:
    assert keep_structure("<div>\n<![ if this is raw\n</div>\n") == ("<div>\n<![ if this is raw\n</div>\n", [])


@pytest.mark.parametrize("html", ["<p>kept</p>\n<!-- the rest of the talk\n<h2>Hidden</h2>\n", "<p>kept</p>\n<!-- to do\n"])
def test_a_comment_never_closed_is_closed_at_the_end_of_the_slide(html: str) -> None:
    assert keep_structure(html) == (html + " -->", [Repair("!--", False)])


TALK = """---
title: Raw
---

## One {#one}

<div style="float:left">
Left column
</div>
</section>

## Two {#two}

<div class="wrapper">

Text in a wrapper that never closes.

## Three {#three}

Last.
"""


def test_a_talk_with_stray_and_unclosed_tags_gets_every_slide_and_a_warning_with_its_line(
        make_project, tmp_path: Path) -> None:
    root = make_project({"talks/raw.md": TALK})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    warnings = [(d.code, d.location.line, d.message) for d in result.diagnostics]
    assert [(code, line) for code, line, _ in warnings] == [("raw-html", 10), ("raw-html", 14)]
    assert "</section>" in warnings[0][2] and "<div>" in warnings[1][2]
    deck = (tmp_path / "site/raw/slides/index.html").read_text()
    one = deck[deck.index('<section id="one"'):deck.index('<section id="two"')]
    assert "</section>\n\n</div>\n</section>" not in one and one.count("<div") == one.count("</div>")
    two = deck[deck.index('<section id="two"'):deck.index('<section id="three"')]
    assert two.count("<div") == two.count("</div>")


def test_a_base_element_is_left_out_with_a_warning_at_its_line(make_project, tmp_path: Path) -> None:
    # <base href> would send the deck's own scripts (and every relative picture) to another host.
    talk = ("---\ntitle: B\n---\n\n## One\n\n<p>before</p>\n"
            '<base href="http://127.0.0.1:9/base/">\n\n![pic](pic.png)\n\n## Two\n\nText.\n')
    root = make_project({"talks/b.md": talk, "talks/pic.png": b"\x89PNG\r\n\x1a\n"})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    (warning,) = [d for d in result.diagnostics if d.code == "raw-html"]
    assert warning.location.line == 8 and "<base>" in warning.message and "left out" in warning.message
    for page in ("b/slides/index.html", "b/index.html"):
        html = (tmp_path / "site" / page).read_text()
        assert "<base" not in html and "127.0.0.1:9" not in html, page
        assert "<p>before</p>" in html


def test_an_svg_pictures_xlink_href_is_copied_and_checked_like_src(make_project, tmp_path: Path) -> None:
    # Inkscape writes <image xlink:href="...">: the picture was neither copied (broken on the page) nor checked.
    talk = ('---\ntitle: S\n---\n\n## One\n\n<svg width="10" height="10"><image xlink:href="img/pic.png" '
            'width="10" height="10"/></svg>\n\n<svg><image xlink:href="img/gone.png"/></svg>\n')
    root = make_project({"talks/s.md": talk, "talks/img/pic.png": b"\x89PNG\r\n\x1a\n"})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    assert (tmp_path / "site/img/pic.png").is_file()
    missing = [(d.code, d.location.line) for d in result.diagnostics if "gone.png" in d.message]
    assert missing == [("missing-file", 9)]
    assert 'xlink:href="../../img/pic.png"' in (tmp_path / "site/s/slides/index.html").read_text()


def test_two_base_elements_on_one_slide_are_two_warnings_each_at_its_line(make_project, tmp_path: Path) -> None:
    talk = ('---\ntitle: B\n---\n\n## One\n\n<base href="http://127.0.0.1:9/a/">\n\nText.\n\n'
            '<base href="http://127.0.0.1:9/b/">\n')
    root = make_project({"talks/b.md": talk})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    assert sorted(d.location.line for d in result.diagnostics if d.code == "raw-html") == [7, 11]
