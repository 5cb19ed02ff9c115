"""Raw HTML in a slide must not take the page apart around it.

Each slide sits inside talkbuild's own elements (the deck's stage, the slide's section, the handout's
article). A talk's own tags are kept as written, except where the browser would let them reach outside the
slide:

- an end tag the slide never opened is left out. `</section>` left over from a reveal.js talk, or a stray
  `</div>`, would otherwise close talkbuild's slide and stage: every later slide falls out of the deck;
- an element the slide leaves open is closed at the slide's end, or the slides after it end up inside it.
  This includes bold, italic and links (`<b>`, `<em>`, `<a>`...): the browser reopens them around what
  follows even after the paragraph they were in has ended. Elements whose end tag HTML makes optional
  (`<p>`, `<li>`, `<td>`...) are left to the browser;
- a comment never closed (`<!--` with no `-->`: the rest of the talk is in it, as Markdown reads it) is
  closed at the slide's end, or it would swallow the rest of the page, the deck's script included;
- `<plaintext>` (everything after it is text, to the end of the page) is left out, and so is `<base>` (it would
  move every relative URL of the page, the deck's own scripts included, to wherever it points).

The model follows the HTML parsing rules closely enough for this: an end tag does not reach across a
table, an `<object>`, a `<template>` or a `<select>` (the browser ignores it), and the content of
`<textarea>`, `<script>`, `<style>`, `<xmp>`, `<iframe>` and the like is text. If the scanner cannot read
the HTML at all, it is kept as written. Each repair is reported, so the author can fix the source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr", "frame", "keygen"})
"""Elements with no end tag."""
LEFT_OUT = frozenset({"plaintext", "base"})
"""Start tags cut from a slide: they take over the whole page, not just the slide."""
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "rt", "rp", "rb", "rtc", "optgroup", "option", "colgroup",
                          "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "html", "head", "body"})
"""Elements the browser closes by itself when an element around them ends."""
FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                        "tt", "u"})
"""Elements the browser keeps reopening until their own end tag comes."""
BOUNDARIES = frozenset({"applet", "caption", "marquee", "object", "table", "td", "th", "template", "select"})
"""An end tag for an element outside one of these is ignored by the browser."""
TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"})
"""... except the end tags of a table's own parts, which close the cells they are in."""
SPECIAL = frozenset({
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
    "button", "caption", "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "embed",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main",
    "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext",
    "pre", "script", "search", "section", "select", "source", "style", "summary", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp"})
"""HTML's "special" elements: only an end tag of one of these can close talkbuild's own (an end tag of any
other element stops at the first special element around it, the slide's body at the latest)."""
RAW_TEXT = frozenset({"textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"})
"""Elements whose content is text to the browser, like script and style (which HTMLParser knows)."""
FOREIGN = frozenset({"svg", "math"})
"""Inside these, `<x/>` closes itself, as in XML, and `<title>` is not text-only."""


@dataclass(frozen=True)
class Repair:
    tag: str
    stray: bool
    """True: an end tag with nothing of its name open (left out); False: an element left open (closed).
    `<!--` is a comment left open, and a stray `plaintext` or `base` its start tag."""


def keep_structure(html: str) -> tuple[str, list[Repair]]:
    """`html` (one slide's body or notes) with stray end tags left out and unclosed elements closed."""
    scan = _Scanner(html)
    try:
        scan.feed(html)
        scan.close()
    except Exception:  # HTMLParser gives up on some malformed markup (`<![ x`): keep the author's HTML
        return html, []
    unclosed = scan.unclosed()
    if not scan.cut and not unclosed and scan.open_comment is None:
        return html, []
    out, at = [], 0
    for start, end, _tag in scan.cut:  # all before an open comment: the scanner reads no tags inside one
        out.append(html[at:start])
        at = end
    out.append(html[at:])
    if scan.open_comment is not None:
        out.append(" -->")
    fixed = "".join(out) + "".join(f"</{tag}>" for tag in unclosed)
    return fixed, ([Repair(tag, True) for _, _, tag in scan.cut] + [Repair("!--", False)] * (scan.open_comment is not None)
                   + [Repair(tag, False) for tag in unclosed])


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0] + [n + 1 for n, char in enumerate(html) if char == "\n"]
        self.open: list[str] = []
        """The elements open here, innermost last (as the browser's stack of open elements)."""
        self.formatting: list[str] = []
        """Bold, italic, links... opened and not ended by their own end tag (on the stack or not)."""
        self.cut: list[tuple[int, int, str]] = []
        """(start, end, tag) of each tag left out."""
        self.open_comment: int | None = None
        """Where a comment that is never closed starts."""

    def unclosed(self) -> list[str]:
        """End tags to add at the slide's end: what is still open, innermost first, then the bold, italic and
        links that an end tag around them closed but the browser would reopen."""
        on_stack = [tag for tag in reversed(self.open) if tag not in OPTIONAL_END]
        reopened = Counter(self.formatting) - Counter(tag for tag in self.open if tag in FORMATTING)
        extra = []
        for tag in reversed(self.formatting):
            if reopened[tag] > 0:
                reopened[tag] -= 1
                extra.append(tag)
        return on_stack + extra

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _foreign(self) -> bool:
        return bool(FOREIGN.intersection(self.open))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open_comment is not None:
            return
        if tag in LEFT_OUT:
            start = self._offset()
            self.cut.append((start, self.html.index(">", start) + 1, tag))
            return
        if tag in VOID:
            return
        self.open.append(tag)
        if tag in FORMATTING:
            self.formatting.append(tag)
        if tag in RAW_TEXT and not self._foreign():
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # In HTML `<div/>` opens a div (the slash means nothing); in SVG and MathML it is closed at once.
        if tag not in FOREIGN and self._foreign():
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.open_comment is not None:
            return
        if tag in FORMATTING:
            if tag in self.formatting:  # the browser ends it (and reopens what was inside it, if needed)
                del self.formatting[len(self.formatting) - 1 - self.formatting[::-1].index(tag)]
                if tag in self.open:
                    del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]
            return  # an end tag with no such element open is ignored by the browser: harmless
        crossable = BOUNDARIES - {"td", "th", "caption"} if tag in TABLE_PARTS else BOUNDARIES
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag:
                del self.open[i:]
                return
            if self.open[i] in crossable:
                return  # the browser ignores it: it cannot close anything outside this element
        if tag in VOID or tag in OPTIONAL_END or tag not in SPECIAL:
            return  # harmless: the browser ignores it (or makes an empty element)
        start = self._offset()
        self.cut.append((start, self.html.index(">", start) + 1, tag))

    def handle_data(self, data: str) -> None:
        # HTMLParser hands a comment with no end over as text (all of it, or just its "<");
        # `<!-->` and `<!--->` are whole (empty) comments.
        if self.open_comment is not None or self.cdata_elem is not None or not data.startswith("<"):
            return
        at = self._offset()
        if self.html.startswith("<!--", at) and not self.html.startswith(("<!-->", "<!--->"), at):
            self.open_comment = at
