"""`autoplay` on a talk's audio and video becomes `data-autoplay`, so media start with their slide.

A deck page holds every slide at once: a `<video autoplay>` written for slide 20 would start when the page
loads, while slide 1 is on screen, and be over when the speaker gets there. The browser starts such media as
soon as they have loaded, before any script could stop them, so the attribute is renamed at build time. The
deck viewer (deck-media.js) plays `data-autoplay` media, from the start, each time their slide is shown, as
reveal.js does; without JavaScript (and in the handout) they simply do not start by themselves.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MEDIA = frozenset({"audio", "video"})
_ATTRIBUTE = re.compile(r"""(\s+)([^\s/>"'=]+)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
"""One attribute in a start tag: the space before it, its name, and `=value` if any."""


def defer_autoplay(html: str) -> str:
    """`html` with each `<audio autoplay>` and `<video autoplay>` written as `data-autoplay` instead."""
    if "autoplay" not in html.lower():
        return html
    scan = _MediaTags()
    try:
        scan.feed(html)
        scan.close()
    except Exception:  # HTMLParser gives up on some malformed markup: keep the author's HTML
        return html
    out, at = [], 0
    for start, text in scan.tags:
        out.append(html[at:start])
        out.append(_rewritten(text))
        at = start + len(text)
    out.append(html[at:])
    return "".join(out)


def _rewritten(tag: str) -> str:
    names = {m.group(2).lower() for m in _ATTRIBUTE.finditer(tag)}

    def attribute(m: re.Match[str]) -> str:
        if m.group(2).lower() != "autoplay":
            return m.group(0)
        return "" if "data-autoplay" in names else m.group(1) + "data-autoplay"

    head = re.match(r"<[^\s/>]+", tag)
    assert head  # HTMLParser handed it over as a start tag
    return head.group(0) + _ATTRIBUTE.sub(attribute, tag[head.end():])


class _MediaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[int, str]] = []
        """(offset, source text) of each audio or video start tag with an `autoplay` attribute."""
        self.line_starts: list[int] = [0]

    def feed(self, data: str) -> None:
        self.line_starts = [0] + [n + 1 for n, char in enumerate(data) if char == "\n"]
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in MEDIA and any(name == "autoplay" for name, _ in attrs):
            line, column = self.getpos()
            text = self.get_starttag_text()
            if text:
                self.tags.append((self.line_starts[line - 1] + column, text))

    handle_startendtag = handle_starttag
