"""Where a URL written in a built page leads: one answer for check (links and images that must exist) and for
serve (the theme files a page uses, so only pages that use a changed one reload)."""

from __future__ import annotations

import pytest

from talkbuild.check.internal import resolve
from talkbuild.sitepaths import site_path
from talkbuild.staticrefs import page_refs

PATHS = [
    # page, URL path (decoded), where it leads ("" the site root, None out of the site)
    ("a/index.html", "b.png", "a/b.png"),
    ("a/index.html", "/b.png", "b.png"),
    ("a/slides/index.html", "../b.png", "a/b.png"),
    ("a/slides/index.html", "../../_talkbuild/deck.css", "_talkbuild/deck.css"),
    ("a/index.html", "./x/../y.png", "a/y.png"),
    ("a/index.html", "x y.png", "a/x y.png"),
    ("a/index.html", "..", ""),
    ("index.html", ".", ""),
    ("index.html", "/", ""),
    ("a/index.html", "../..", None),
    ("index.html", "../x.png", None),
    ("a/slides/index.html", "../../../x.png", None),
]


@pytest.mark.parametrize(("page", "path", "expected"), PATHS)
def test_a_url_path_leads_where_a_browser_asks_the_host(page: str, path: str, expected: str | None) -> None:
    assert site_path(page, path) == expected


THEME_URLS = [
    "../../_talkbuild/deck.css", "/_talkbuild/deck.css", "../../_talkbuild/a%20b.css", "../../_talkbuild/x.css?v=2",
    "../../_talkbuild/x.css#f", "../../_talkbuild/./themes/../deck.js", "../../../_talkbuild/x.css",
    "https://example.org/_talkbuild/x.css", "//cdn.example.org/_talkbuild/x.css",
]


@pytest.mark.parametrize("url", THEME_URLS)
def test_serve_and_check_agree_where_a_theme_file_url_leads(url: str) -> None:
    """serve's reload (staticrefs) and check's missing-file report resolve a page's theme URLs alike."""
    page = "a/slides/index.html"
    target = resolve(page, url)
    expected = () if target is None or target.path is None else (target.path,)
    assert page_refs(page, f'<link rel="stylesheet" href="{url}">'.encode()) == expected
