"""Where a URL written in a built page leads in the site: the one place its path is joined and normalised.

check (does every link and image exist?) and serve (which theme files does a page use?) both resolve the
URLs of built pages; the build resolves a talk's own URLs with it too (links.SiteMap: talks/ mirrors the
site). serve imports this small module, not the check package: its rebuilds pay for nothing more.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterable

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


def is_hidden(parts: Iterable[str]) -> bool:
    """Whether a path (its parts) names a hidden file or folder, one whose name starts with a dot (`.git/config`,
    `img/.draft.png`): never published, from talks/ nor from a theme, as MkDocs leaves dot-files out."""
    return any(part.startswith(".") for part in parts)


def look_alike_key(path: str) -> str:
    """What two paths share when a reader (and macOS, and Windows) cannot tell them apart: case, and accents
    written as one character or as a letter and a combining mark (NFC and NFD `café`)."""
    return unicodedata.normalize("NFC", path).casefold()


def look_alike_how(path: str, other: str) -> str:
    """How two paths with one `look_alike_key` differ: "in case", in accent encoding, or both."""
    in_case = unicodedata.normalize("NFC", path) != unicodedata.normalize("NFC", other)
    in_accents = path.casefold() != other.casefold()  # also when case is all they differ in: casefold does not compose
    return ("in case and in how their accents are encoded" if in_case and in_accents else "in case" if in_case
            else "in how their accents are encoded (NFC and NFD)")
