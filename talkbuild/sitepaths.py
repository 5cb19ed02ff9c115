"""Where a URL written in a built page leads in the site: the one place its path is joined and normalised.

check (does every link and image exist?) and serve (which theme files does a page use?) both resolve the
URLs of built pages; the build resolves a talk's own URLs with it too (links.SiteMap: talks/ mirrors the
site). serve imports this small module, not the check package: its rebuilds pay for nothing more.
"""

from __future__ import annotations

import posixpath

STATIC_DIR = "_talkbuild"
"""The site folder of the theme's files and the files a build generates (search-index.js): not the author's."""


def site_path(page: str, path: str) -> str | None:
    """Where URL path `path` (percent-decoded; no query or fragment), written in the site file `page`, leads:
    a site-root-relative path ("" for the root itself), or None when it climbs out of the site.

    `/x` starts from the site root, anything else from the folder of `page`; `.` and `..` are resolved
    the way a browser does, before the request reaches the host.
    """
    base = "" if path.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined
