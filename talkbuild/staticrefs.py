"""Which theme files (under `_talkbuild/`) a built page uses: the ones it links, and what their CSS imports.

`serve` reloads an open page only when its output changed; a theme file the page never loads is not part of
its output, and neither is another theme's (docs/serve.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlsplit

from .sitepaths import STATIC_DIR, site_path

_MARK = STATIC_DIR.encode()
_ATTR_NAME = re.compile(rb"""\s(?:href|src|srcset|poster|data)\s*=\s*$""", re.IGNORECASE)
_CSS_URL = re.compile(rb"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
PREFIX = STATIC_DIR + "/"


def page_refs(page: str, html: bytes) -> tuple[str, ...]:
    """The site paths under `_talkbuild/` that the page at `page` links (stylesheets, scripts, pictures).

    Every such URL names the folder, so only the attribute values around its few occurrences are read: a
    page's other links (talks, pictures) are most of them, and serve asks on every rebuild.
    """
    found: set[str] = set()
    for raw, srcset in _attributes_naming(html, _MARK):
        for url in raw.split(",") if srcset else (raw,):
            target = _resolve(page, url.strip().split(" ")[0])
            if target is not None and target.startswith(PREFIX):
                found.add(target)
    return tuple(sorted(found))


def _attributes_naming(html: bytes, mark: bytes) -> Iterator[tuple[str, bool]]:
    """(value, is it a srcset) of each quoted href/src/srcset/poster/data attribute whose value holds `mark`."""
    at = html.find(mark)
    while at != -1:
        end = at + 1
        for quote in (b'"', b"'"):
            start = html.rfind(quote, 0, at)
            name = _ATTR_NAME.search(html, max(0, start - 24), start) if start != -1 else None
            close = html.find(quote, at)
            if name is not None and close != -1 and b"<" not in html[start:at] and b">" not in html[start:at]:
                yield html[start + 1:close].decode("utf-8", "replace"), b"srcset" in name.group(0).lower()
                end = close
                break
        at = html.find(mark, end)


def used_files(refs: Iterable[str], files: Mapping[str, bytes]) -> list[str]:
    """`refs` and every file their stylesheets import or point to (`url(...)`), recursively, in order."""
    seen: dict[str, None] = {}
    todo = sorted(refs)
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen[rel] = None
        content = files.get(rel)
        if content is not None and rel.endswith(".css"):
            todo += [t for t in _css_refs(rel, content) if t.startswith(PREFIX) and t not in seen]
    return sorted(seen)


def version_of(refs: Iterable[str], digest: Callable[[str], str]) -> str:
    """What a page's theme files are, for its version: each used file's digest ("" for a missing one)."""
    return ";".join(f"{rel}={digest(rel)}" for rel in refs)


_CSS_COMMENT = re.compile(rb"/\*.*?(?:\*/|\Z)", re.DOTALL)


def _css_refs(rel: str, css: bytes) -> list[str]:
    found = []
    for match in _CSS_URL.finditer(_CSS_COMMENT.sub(b" ", css)):  # a url() in a comment loads nothing
        url = next(g for g in match.groups() if g is not None).decode("utf-8", "replace")
        target = _resolve(rel, url)
        if target is not None:
            found.append(target)
    return found


def _resolve(page: str, url: str) -> str | None:
    """A relative URL as a site path, from the file at `page`; None for other sites, data: and the like."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return site_path(page, unquote(parts.path))
