"""Authors' URLs in a talk, in its Markdown links and pictures and in its raw HTML: each resolved against talks/
(links.py), rewritten to where the site has it, the file it names noted for copying, and reported at the line and
column it is written when it leads outside talks/, to a hidden file, to talkbuild's own folder, or nowhere."""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .errors import Diagnostic, Severity, SourceLocation
from .links import Resolved
from .markup_warnings import note_markdown_in_html, note_unparsed
from .models import Reference
from .reveal_html import REVEAL_MARKDOWN
from .sourcepos import SPAN, cell_end, place, position

if TYPE_CHECKING:
    from .markup import RenderContext

_HTML_URL_ATTR = re.compile(
    r"""(\s(?:src|href|xlink:href|poster|data|srcset|style|data-background-image|data-background)\s*=\s*)"""
    r"""("[^"]*"|'[^']*'|[^\s>"']+)""", re.IGNORECASE)
_PICTURE = re.compile(r"^(?:https?:|file:|//)|\.(?:svg|png|jpg|jpeg|gif|bmp|webp|avif)(?:[?#\s]|$)", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.IGNORECASE)
"""A `url(...)` in an inline style (`style="background-image: url(../images/x.png)"`) or a `<style>` block."""
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)(?:</style\s*>|$)", re.IGNORECASE | re.DOTALL)
"""A talk's `<style>` block (an HTML block: it ends at `</style>`), whose `url(...)`s load files as inline ones do."""


def resolve_urls(state: StateCore) -> None:
    """The markdown-it core rule: every URL of the talk's links, pictures and raw HTML resolved (links.py),
    rewritten for the site, its file noted for copying, and what is wrong with it reported at its line."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None:
        return
    source_lines = state.src.split("\n")
    cells: dict[int, int] = {}  # source line -> where the text of the last inline token on it ended (table cells)
    for token in state.tokens:
        if token.type == "inline" and token.children:
            base = token.map[0] if token.map else 0
            after = cells.get(base, 0)
            for child in token.children:
                if child.type == "link_open":
                    _rewrite(ctx, child, "href", "link", base, token.content, None, source_lines, after)
                    if child.markup in ("autolink", "linkify"):  # its text is its address: print it once
                        child.attrJoin("class", "tb-autolink")
                elif child.type == "image":
                    _rewrite(ctx, child, "src", "image", base, token.content, child.content, source_lines, after)
                elif child.type == "html_inline":
                    start = child.meta.get(SPAN, (0, 0))[0]
                    child.content = _rewrite_html(ctx, child.content,
                                                  _located(token.content, start, base, source_lines, after))
                elif child.type == "text" and "](" in child.content:
                    note_unparsed(ctx, child.content, base, token.content)
            cells[base] = cell_end(token.content, base, source_lines, after)
        elif token.type == "html_block":
            block, first = token.content, token.map[0] if token.map else 0
            if REVEAL_MARKDOWN not in token.meta:  # said of once, as reveal.js Markdown (reveal_html.py)
                note_markdown_in_html(ctx, block, first)
            token.content = _rewrite_html(ctx, block, _located(block, 0, first, source_lines, 0))


def _located(content: str, start: int, first: int, source_lines: list[str],
             after: int) -> Callable[[int], tuple[int, int | None]]:
    """Source line and column of an offset into raw HTML that begins at offset `start` of `content`."""
    return lambda offset: position(content, start + offset, first, source_lines, after)


def _rewrite(ctx: RenderContext, token: Token, attr: str, kind: str, base: int, content: str, alt: str | None,
             source_lines: list[str], after: int) -> None:
    url = str(token.attrGet(attr) or "")
    # markdown-it percent-encodes what it parses (figs/焼売.jpg -> figs/%E7%84%BC...): say it as the author wrote it.
    written = url if url in content or unquote(url) not in content else unquote(url)
    line, column = place(token, content, base, source_lines, written, after)
    resolved = ctx.sitemap.resolve(url, ctx.rel)
    where = ctx.location(line, column)
    if _refused(ctx, resolved, written, url, where):
        token.attrSet(attr, "")
        return
    _note_missing(ctx, resolved, written, where)
    if resolved.asset:
        ctx.assets.add(resolved.asset)
    token.attrSet(attr, resolved.href)
    ctx.references.append(Reference(kind, url, where, resolved.target, resolved.fragment, alt))


def _refused(ctx: RenderContext, resolved: Resolved, written: str, url: str, where: SourceLocation) -> bool:
    """True (and reported) when `url` names a file that is never published: outside talks/, or hidden."""
    if resolved.problem == "outside":
        ctx.diagnostics.append(Diagnostic(Severity.ERROR, "outside-talks", resolved.outside_message(written),
                                          where, url=url, hint="move the file under talks/ and link to it there"))
    elif resolved.problem == "hidden":
        ctx.diagnostics.append(Diagnostic(
            Severity.ERROR, "hidden-file", f"'{written}' names a hidden file or folder (its name starts with a dot), "
            "which is never published", where, url=url,
            hint="rename it without the leading dot (.git, .env and the like stay private)"))
    elif resolved.problem == "generated-folder":
        ctx.diagnostics.append(Diagnostic(
            Severity.ERROR, "slug-clash", f"'{written}' is in talks/_talkbuild/, the folder where talkbuild writes the "
            "theme's files: the file would be replaced by talkbuild's or clash with it", where, url=url,
            hint="rename the folder (e.g. talks/files/) and link to it there"))
    else:
        return False
    return True


def _note_missing(ctx: RenderContext, resolved: Resolved, url: str, where: SourceLocation) -> None:
    if resolved.problem == "no-page":  # the folder is there; what it lacks is a page to open
        message, hint = (f"'{url}' is a folder with no page to open (no index.html, no talk)",
                         "link to a file in it, or put an index.md talk in it")
    elif resolved.problem == "missing":
        message, hint = f"'{url}' does not exist", "check the spelling, or add the file next to the talk"
        alike = ctx.sitemap.look_alike(resolved.target) if resolved.target else None
        if alike is not None:
            name = posixpath.basename(resolved.target or "")
            how = "in case" if unicodedata.normalize("NFC", alike) != unicodedata.normalize("NFC", name) else (
                "in how its accents are encoded (NFC and NFD)")
            hint = (f"'{alike}' is there, differing only {how}: a Mac opens it, the web server will not; "
                    "write the link as the file is named")
    else:
        return
    ctx.diagnostics.append(Diagnostic(Severity.WARNING, "missing-file", message, where, url=url, hint=hint))


def looks_like_picture(value: str) -> bool:
    """Whether reveal.js reads a `data-background` value as a picture's URL (else it is a colour)."""
    return _PICTURE.search(value.strip()) is not None


def rewrite_url(ctx: RenderContext, url: str, kind: str, where: SourceLocation) -> str | None:
    """A URL written outside a Markdown link (raw HTML, a slide attribute) rewritten for the site, its file noted
    for copying and what is wrong with it reported at `where`; None when it leads outside talks/ (reported)."""
    resolved = ctx.sitemap.resolve(url, ctx.rel)
    if _refused(ctx, resolved, url, url, where):
        return None
    _note_missing(ctx, resolved, url, where)
    if resolved.asset:
        ctx.assets.add(resolved.asset)
    ctx.references.append(Reference(kind, url, where, resolved.target, resolved.fragment, None))
    return resolved.href


def _rewrite_html(ctx: RenderContext, content: str, at: Callable[[int], tuple[int, int | None]]) -> str:
    """`content` (raw HTML) with its URLs rewritten; `at(offset)` is the source line (0-based) and column of an
    offset in it: each URL is reported where it is written, so two alike on one line are two findings."""
    parts: list[str] = []
    last = 0
    for block in _STYLE_BLOCK.finditer(content):
        parts.append(_rewrite_attributes(ctx, content[last:block.start(1)], _shifted(at, last)))
        in_style = _placed(ctx, _shifted(at, block.start(1)))
        parts.append(_CSS_URL.sub(lambda u, where=in_style: _css_url(ctx, u, where), block.group(1)))
        last = block.end(1)
    return "".join(parts) + _rewrite_attributes(ctx, content[last:], _shifted(at, last))


def _placed(ctx: RenderContext, at: Callable[[int], tuple[int, int | None]]) -> Callable[[int], SourceLocation]:
    return lambda offset: ctx.location(*at(offset))


def _shifted(at: Callable[[int], tuple[int, int | None]], base: int) -> Callable[[int], tuple[int, int | None]]:
    return lambda offset: at(base + offset)


def _css_url(ctx: RenderContext, u: re.Match[str], where: Callable[[int], SourceLocation]) -> str:
    """One `url(...)` of a style rewritten; `where(offset)`: the place of an offset in the style, for messages."""
    if u.group(2).startswith(("data:", "#")) or not u.group(2):
        return u.group(0)
    href = rewrite_url(ctx, u.group(2), "image", where(u.start(2)))  # each url() where it is written
    return f'url("{href}")' if href is not None else 'url("")'


def _rewrite_attributes(ctx: RenderContext, content: str, at: Callable[[int], tuple[int, int | None]]) -> str:
    """`content` (raw HTML, no `<style>` block) with the URLs of its attributes rewritten, as `_rewrite_html`."""
    def one(url: str, kind: str, where: SourceLocation) -> str | None:
        return rewrite_url(ctx, url, kind, where)

    def repl(m: re.Match[str]) -> str:
        raw = m.group(2)
        quote = raw[0] if raw[:1] in "\"'" else '"'
        value = html.unescape(raw.strip("\"'"))
        where = ctx.location(*at(m.start(2) + (raw[:1] in "\"'")))  # the URL, inside its quotes
        attr = m.group(1).strip().lower()
        if attr.startswith("data-background") and not (attr.startswith("data-background-image") or looks_like_picture(value)):
            return m.group(0)  # reveal.js's `data-background="#222"`: a colour
        if attr.startswith("style"):
            if "url(" not in value.lower():
                return m.group(0)

            def in_value(offset: int) -> SourceLocation:  # entities in the value: its offsets are not the source's
                return where if "&" in raw else ctx.location(*at(m.start(2) + (raw[:1] in "\"'") + offset))

            rewritten = _CSS_URL.sub(lambda u: _css_url(ctx, u, in_value), value)
        elif attr.startswith("srcset"):
            # "a.png 1x, b.png 2x": every candidate is a file to publish.
            candidates = []
            for candidate in value.split(","):
                parts = candidate.split()
                if not parts:
                    continue
                href = one(parts[0], "image", where)
                if href is None:
                    return m.group(1) + '""'
                candidates.append(" ".join([href, *parts[1:]]))
            rewritten = ", ".join(candidates)
        else:
            href = one(value, "link" if attr.startswith("href") else "image", where)
            if href is None:
                return m.group(1) + '""'
            rewritten = href
        return m.group(1) + quote + html.escape(rewritten, quote=True) + quote

    return _HTML_URL_ATTR.sub(repl, content)
