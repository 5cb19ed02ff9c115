"""Which theme files a page uses, for serve's reloads: what its stylesheets really load."""

from __future__ import annotations

from talkbuild.staticrefs import used_files


def test_a_url_in_a_css_comment_is_not_a_used_file() -> None:
    files = {"_talkbuild/deck.css": b'/* was: background: url("old.png") */\n.a { background: url(new.png) }\n'
                                    b"/* @import 'gone.css'; */",
             "_talkbuild/new.png": b"", "_talkbuild/old.png": b"", "_talkbuild/gone.css": b""}
    assert used_files(["_talkbuild/deck.css"], files) == ["_talkbuild/deck.css", "_talkbuild/new.png"]
