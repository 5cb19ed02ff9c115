"""The handout's pictures, made kind to phones: each one after the first few loads only as the reader nears it
(`loading="lazy"`, `decoding="async"`), and each local PNG, JPEG, GIF or WebP says its size (`width`, `height`,
read from its file by imagesize.py), so the text does not jump as pictures arrive. CSS keeps them within the
column (talkbuild.css: `max-width: 100%; height: auto`).

Only the handout: the deck lays each slide out from its pictures' sizes (deck-fit.js shrinks a slide that
overflows) and `talkbuild pdf` prints every slide at once, so a deck's pictures must all be there; its pages stay
as rendered. A printed handout has every picture too: Chromium loads the lazy ones before it prints
(tests/browser/test_handout_images.py prints one).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from .imagesize import image_size
from .links import ROOT

EAGER_IMAGES = 2
"""The first pictures of a handout load at once: near the top of the page they may be the first thing a reader
sees (its Largest Contentful Paint), and lazy loading would only delay them. WordPress leaves the first three
eager; a handout's title block and table of contents come before its pictures, so two."""

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|template|textarea|noscript)\b[^>]*>.*?</\1\s*>"
    r"|<img\b((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*(/?)>",
    re.DOTALL | re.IGNORECASE,
)
"""A picture, or what to pass over whole: a picture in a comment or a script is not one of the page's."""
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_SIZED = re.compile(r"(?:^|[;\s])(?:width|height)\s*:", re.IGNORECASE)
"""A style that sizes the picture itself (Marp's `w:200`): a width or height attribute beside it would stretch it."""

Sizer = Callable[[str], tuple[int, int] | None]


def handout_images(page: str, talk_files: Sizer) -> str:
    """`page` (a handout as rendered, its site URLs still starting with links.ROOT) with its pictures marked up as
    the module says; `talk_files` gives the size of a site path's picture, or None."""
    count = 0

    def one(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(1) is not None or match.group(2) is None:
            return match.group(0)  # a comment, a script...
        count += 1
        attrs = {m.group(1).lower(): _value(m.group(2)) for m in _ATTR.finditer(match.group(2))}
        added = []
        if "width" not in attrs and "height" not in attrs and not _SIZED.search(attrs.get("style", "")):
            size = talk_files(_site_path(attrs.get("src", "")))
            if size is not None:
                added.append(f' width="{size[0]}" height="{size[1]}"')
        if count > EAGER_IMAGES:
            if "loading" not in attrs:
                added.append(' loading="lazy"')
            if "decoding" not in attrs:
                added.append(' decoding="async"')
        if not added:
            return match.group(0)
        end = " />" if match.group(3) else ">"
        return f"<img{match.group(2).rstrip()}{''.join(added)}{end}"

    return _TOKEN.sub(one, page)


def sizes_of(talks_dir: Path, assets: tuple[str, ...]) -> Sizer:
    """The sizes of a talk's own pictures (talks-relative paths, which are their site paths): no other file is read."""
    own = frozenset(assets)
    known: dict[str, tuple[int, int] | None] = {}

    def size(site_path: str) -> tuple[int, int] | None:
        if site_path not in own:
            return None
        if site_path not in known:
            known[site_path] = image_size(talks_dir / site_path)
        return known[site_path]

    return size


def _site_path(src: str) -> str:
    """The site path of a picture's URL as rendered (ROOT + percent-encoded path), or "" for any other URL."""
    if not src.startswith(ROOT):
        return ""
    return unquote(src[len(ROOT):].split("#", 1)[0].split("?", 1)[0])


def _value(raw: str | None) -> str:
    if raw is None:
        return ""
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    return html.unescape(raw)
