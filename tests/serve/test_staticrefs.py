"""Which theme files a page uses, for serve's reloads: what its stylesheets really load."""

from __future__ import annotations

from talkbuild.staticrefs import page_refs, used_files


def test_a_url_in_a_css_comment_is_not_a_used_file() -> None:
    files = {"_talkbuild/deck.css": b'/* was: background: url("old.png") */\n.a { background: url(new.png) }\n'
                                    b"/* @import 'gone.css'; */",
             "_talkbuild/new.png": b"", "_talkbuild/old.png": b"", "_talkbuild/gone.css": b""}
    assert used_files(["_talkbuild/deck.css"], files) == ["_talkbuild/deck.css", "_talkbuild/new.png"]


def test_a_page_uses_the_theme_files_its_url_attributes_name_and_nothing_its_text_mentions() -> None:
    html = (b'<link rel="stylesheet" href="../../_talkbuild/deck.css"><script src=\'../../_talkbuild/deck.js\'>'
            b'</script><img srcset="../../_talkbuild/a.png 1x, ../../_talkbuild/b.png 2x" alt="a">'
            b'<p title="see _talkbuild/x.css">the folder _talkbuild/y.css holds the theme</p>'
            b'<img data-src="../../_talkbuild/lazy.png"><a href="../other/">x</a><img src="pic.png">'
            b'<object data="../../_talkbuild/d.svg"></object><a href="https://example.org/_talkbuild/z.css">z</a>')
    assert page_refs("talk/slides/index.html", html) == (
        "_talkbuild/a.png", "_talkbuild/b.png", "_talkbuild/d.svg", "_talkbuild/deck.css", "_talkbuild/deck.js")
