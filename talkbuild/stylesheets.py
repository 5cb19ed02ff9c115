"""A talk's own stylesheets, as reveal-md's front matter names them: `css: custom.css` (or a list), paths relative
to the talk. Each is published and checked like a picture the talk shows (rewrite_urls.py: a missing file is a
`missing-file` warning at its line, a hidden file or one outside talks/ is refused), and linked after the theme's
stylesheets on the deck and the handout, so its rules win ties. What the stylesheet itself names (`url(bg.png)`,
`@import`) is not published with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markdown_it.token import Token

from .errors import SourceLocation

if TYPE_CHECKING:
    from .markup import RenderContext

HINT = "write a path relative to the talk, or a list of them: css: custom.css"


def read_css(value: Any, line_of: Callable[[str], int], warn: Callable[[str, str, str], None]) -> tuple[tuple[str, int], ...]:
    """`css:` as (path as written, its 1-based line in the file); an item that is not a path is left out, said."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        at = f"css[{i}]" if isinstance(value, list) else "css"
        if isinstance(item, dict | list) or item is None or isinstance(item, bool) or not str(item).strip():
            warn(at, "'css' must be a stylesheet's path or a list of them; this one is left out", HINT)
            continue
        out.append((str(item).strip(), line_of(at)))
    return tuple(out)


def talk_stylesheets(ctx: RenderContext, css: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Each of the talk's `css:` as the site links it (with links.ROOT for the page's way to the site's root);
    its file noted for copying, and what is wrong with it reported at its line."""
    from .rewrite_urls import rewrite_url

    hrefs = []
    for path, line in css:
        href = rewrite_url(ctx, path, "stylesheet", SourceLocation(ctx.where, line))
        if href:
            hrefs.append(href)
    return tuple(hrefs)


_HEAD_HTML = re.compile(r"(?:\s*(?:<link\b[^>]*>|<style\b.*?</style\s*>|<!--.*?-->))+\s*", re.DOTALL | re.IGNORECASE)


def head_only(body: list[Token]) -> bool:
    """Whether a slide's body so far is only a stylesheet written in HTML (`<link rel="stylesheet" href=...>`,
    `<style>`), as reveal-md decks start: the start of the slide whose heading comes next, not a slide of its own
    (the browser applies it wherever it is)."""
    return bool(body) and all(t.type == "html_block" and _HEAD_HTML.fullmatch(t.content) for t in body) and any(
        "<!--" not in t.content or re.search(r"<(?:link|style)\b", t.content, re.IGNORECASE) for t in body)
