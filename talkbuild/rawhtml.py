"""Raw HTML in a slide must not take the page apart around it.

A talk's own tags are kept as written, with two exceptions, because each slide sits inside talkbuild's
own elements (the deck's stage, the slide's section, the handout's article):

- an end tag the slide never opened is left out. `</section>` left over from a reveal.js talk, or a stray
  `</div>`, would otherwise close talkbuild's slide and stage: every later slide falls out of the deck;
- an element the slide leaves open is closed at the slide's end. Otherwise the slides after it end up
  inside it. Elements whose end tag HTML makes optional (`<p>`, `<li>`, `<td>`...) are left to the browser;
- a comment never closed (`<!--` with no `-->`: the rest of the talk is in it, as Markdown reads it) is
  closed at the slide's end, or it would swallow the rest of the page, the deck's script included.

Each repair is reported, so the author can fix the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
"""Elements with no end tag."""
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "rt", "rp", "rb", "rtc", "optgroup", "option", "colgroup",
                          "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "html", "head", "body"})
"""Elements the browser closes by itself when their parent ends."""
FOREIGN = frozenset({"svg", "math"})
"""Inside these, `<x/>` closes itself, as in XML."""


@dataclass(frozen=True)
class Repair:
    tag: str
    stray: bool
    """True: an end tag with nothing of its name open (left out); False: an element left open (closed)."""


def keep_structure(html: str) -> tuple[str, list[Repair]]:
    """`html` (one slide's body or notes) with stray end tags left out and unclosed elements closed."""
    comment = html.rfind("<!--")
    open_comment = comment >= 0 and html.find("-->", comment + 4) < 0
    tags = html[:comment] if open_comment else html  # nothing in an open comment is a tag
    scan = _Scanner(tags)
    scan.feed(tags)
    scan.close()
    if not scan.stray and not scan.unclosed and not open_comment:
        return html, []
    out, at = [], 0
    for start, end, _tag in scan.stray:
        out.append(tags[at:start])
        at = end
    out.append(tags[at:])
    if open_comment:
        out.append(html[comment:] + " -->")
    unclosed = [tag for tag in reversed(scan.unclosed)]
    fixed = "".join(out) + "".join(f"</{tag}>" for tag in unclosed)
    return fixed, ([Repair(tag, True) for _, _, tag in scan.stray] + [Repair("!--", False)] * open_comment
                   + [Repair(tag, False) for tag in unclosed])


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for n, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(n + 1)
        self.open: list[str] = []
        self.stray: list[tuple[int, int, str]] = []

    @property
    def unclosed(self) -> list[str]:
        return [tag for tag in self.open if tag not in OPTIONAL_END]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # In HTML `<div/>` opens a div (the slash means nothing); in SVG and MathML it is closed at once.
        if tag not in VOID and not FOREIGN.intersection(self.open) and tag not in FOREIGN:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag:
                del self.open[i:]
                return
        if tag in VOID or tag in OPTIONAL_END:
            return  # harmless: the browser ignores it or makes an empty element
        start = self._offset()
        self.stray.append((start, self.html.index(">", start) + 1, tag))
