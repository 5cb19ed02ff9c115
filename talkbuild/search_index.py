"""The site's full-text search index: every listed talk's slides as plain text, for the index page's search box.

A talk's part of the index is made when the talk is rendered (in the worker that renders it) and travels with
it (`Talk.search`: into the build cache, and `serve`'s memory), so a build only joins the parts: a no-op build
derives no text from HTML, and a one-talk rebuild derives one talk's. The file is a script that assigns a
global (`talkbuildSearch`) rather than JSON: a site opened from disk (file://) may load a script, but its
fetch() of a JSON file is refused. Same talks, same bytes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from .links import url_path
from .models import Page, Talk

SEARCH_INDEX_NAME = "search-index.js"
"""Its name in the site theme's static folder (`_talkbuild/search-index.js`)."""
TEXT_CAP = 5000
"""Characters of plain text kept per slide (body and notes together): every word of nearly every slide (the
longest of the shared corpus has some 1,700), while 200 talks of 40 slides stay a few megabytes. When a slide
has more, its body and its notes are capped each on its own (slide_text), so neither is lost to the other."""
FORMAT = 1
"""Bumped when the shape of the data changes (docs/build.md describes it), so a theme's script can tell."""

_HEAD = (b"// talkbuild search index: the slides of every listed talk as plain text (docs/build.md, \"The index\").\n"
         b"window.talkbuildSearch = {\"format\":" + str(FORMAT).encode() + b",\"talks\":[\n")
_TAIL = b"\n]};\n"

_UNREAD = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
"""What a reader never sees as text: comments, scripts, style sheets, templates."""
_ATTRS = r"""(?:[^>"']+|"[^"]*"|'[^']*')*>"""
_INLINE = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|"
                     r"sup|time|u|var|wbr|math|mi|mn|mo|ms|mtext|mrow|msup|msub|msubsup|mfrac|msqrt|mroot|mover|munder|"
                     r"munderover|mspace|mstyle|mpadded|mphantom|semantics)(?![a-zA-Z0-9-])" + _ATTRS)
"""Tags inside a word (`wo<em>r</em>d`): removed without a space. Lower case only, as markdown-it writes them (a
case-blind pattern is three times slower): an author's raw `<EM>` just separates words."""
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*" + _ATTRS)
"""Any other tag separates words (`<p>one</p><p>two</p>`)."""
_IMG = re.compile(r"<img\b" + _ATTRS)
"""An image: replaced by its alt text, which a reader of the slide hears (and sees when the image fails)."""
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FRAGMENT_SAFE = "/~!$&'()*,;=:@-._?"


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags stripped, entities decoded, whitespace collapsed."""
    text = _UNREAD.sub(" ", fragment)
    if "<img" in text:  # most slides have none: no pass over them
        text = _IMG.sub(_alt_text, text)
    text = _TAG.sub(" ", _INLINE.sub("", text))  # two passes of C, not a Python call per tag
    return " ".join(html.unescape(text).split())


def _alt_text(image: re.Match[str]) -> str:
    alt = _ALT.search(image.group(0))
    return f" {alt.group(1) if alt.group(1) is not None else alt.group(2)} " if alt else " "


def slide_text(body: str, notes: str, limit: int = TEXT_CAP) -> str:
    """A slide's body and notes (plain text) as one text of at most `limit` characters: whole when they fit,
    otherwise each capped on its own, the shorter kept whole when it fits in half the limit, so that long notes
    never push the body out, nor a long body the notes (which come after it)."""
    if len(body) + len(notes) < limit:
        return f"{body} {notes}".strip()
    half = limit // 2
    if len(notes) < half:
        body = capped(body, limit - len(notes) - 1)
    elif len(body) < half:
        notes = capped(notes, limit - len(body) - 1)
    else:
        body, notes = capped(body, half), capped(notes, limit - half - 1)
    return f"{body} {notes}".strip()


def capped(text: str, limit: int = TEXT_CAP) -> str:
    """`text` cut to at most `limit` characters, at the last space before the limit when there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip()


def talk_entry(talk: Talk) -> bytes:
    """The talk's part of the search index (one JSON object, UTF-8): its folder, title and slides, each slide as
    [anchor, title, text, number] (anchor: the slide's id percent-encoded; number: its place in the deck)."""
    slides = []
    for number, slide in enumerate(talk.slides, start=1):
        text = slide_text(plain_text(slide.body_html), plain_text(slide.notes_html))
        title = slide.title or (talk.meta.title if slide.kind == "title" else "")
        if slide.kind == "title" and not text:
            continue  # its only words are the talk's title, which the index's own list already finds
        slides.append([quote(slide.id, safe=_FRAGMENT_SAFE), title, text, number])
    entry = {"slug": talk.slug, "href": url_path(talk.slug), "title": talk.meta.title, "slides": slides}
    # A lone surrogate (YAML's "\ud800") cannot be UTF-8: written as "?" rather than failing the build.
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def search_pages(talks: Sequence[Talk], static: str) -> list[Page]:
    """The search index of `talks` (the listed ones), by folder, at `static`/NAME.

    In the order of their folders, not the index's: index.js shows the slides found in the order the page lists
    their talks, whatever order a theme's index.html chose, and sorting the talks as the index does costs a
    no-op build of 200 talks some 10 ms more.
    """
    parts: list[bytes] = [_HEAD]
    for n, talk in enumerate(sorted(talks, key=lambda t: t.slug)):
        parts += [b",\n" if n else b"", talk.search or talk_entry(talk)]
    parts.append(_TAIL)
    return [Page(f"{static}/{SEARCH_INDEX_NAME}", b"".join(parts))]
