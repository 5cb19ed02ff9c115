"""`autoplay` on a talk's audio and video becomes `data-autoplay`, so media start with their slide.

A deck page holds every slide at once: a `<video autoplay>` written for slide 20 would start when the page
loads, while slide 1 is on screen, and be over when the speaker gets there. The browser starts such media as
soon as they have loaded, before any script could stop them, so the attribute is renamed at build time. The
deck viewer (deck-media.js) plays `data-autoplay` media, from the start, each time their slide is shown, as
reveal.js does; without JavaScript (and in the handout) they simply do not start by themselves.

Media that start by themselves with sound must be possible to pause or mute (WCAG 1.4.2): an `<audio autoplay loop>`
without `controls` plays until the slide is left, so the build warns of it (`autoplay-no-controls`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser

from markdown_it.token import Token

from .errors import Diagnostic, Severity, SourceLocation

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


def unstoppable_media(raw: Sequence[Token]) -> list[tuple[int, int, str]]:
    """Where, in `raw` (html_block tokens, and inline tokens holding html_inline ones), an `<audio autoplay>` or
    `<video autoplay>` would play sound with nothing to stop it: no `controls`, not `muted`. Each as (0-based line
    of the body, 1-based column, tag name)."""
    found: list[tuple[int, int, str]] = []
    for token in raw:
        if not token.map or "autoplay" not in token.content.lower():
            continue
        if token.type == "html_block":
            pieces = [(token.content, 0)]
        else:  # only the inline HTML of a paragraph: `<audio autoplay>` in a code span is text
            pieces, at = [], 0
            for child in token.children or []:
                if child.type == "html_inline":
                    # Its URLs may be rewritten for the page (`../clip.mp4`): then find its tag's name as written.
                    found_at = token.content.find(child.content, at)
                    at = found_at if found_at >= 0 else max(token.content.find(child.content.split(None, 1)[0], at), at)
                    pieces.append((child.content, at))
                    at += len(child.content)
        for text, base in pieces:
            scan = _MediaTags()
            try:
                scan.feed(text)
                scan.close()
            except Exception:  # HTMLParser gives up on some malformed markup: nothing to judge
                continue
            for offset, tag_text in scan.tags:
                names = {m.group(2).lower() for m in _ATTRIBUTE.finditer(tag_text)}
                if "controls" in names or "muted" in names:
                    continue
                where = base + offset
                line_start = token.content.rfind("\n", 0, where) + 1
                tag = tag_text[1:].split(None, 1)[0].rstrip("/>").lower()
                found.append((token.map[0] + token.content.count("\n", 0, where), where - line_start + 1, tag))
    return found


def autoplay_warnings(raw: Sequence[Token], location: Callable[[int, int], SourceLocation]) -> list[Diagnostic]:
    """`autoplay-no-controls` at each of `unstoppable_media(raw)`; `location` maps a body line and column."""
    return [Diagnostic(Severity.WARNING, "autoplay-no-controls", f"<{tag} autoplay> plays sound as its slide is shown, "
                       "with no controls: it cannot be paused or muted but by leaving the slide", location(line, column),
                       hint=f"add controls to the <{tag}>" + (" (or muted, if the video needs no sound)" if tag == "video" else ""))
            for line, column, tag in unstoppable_media(raw)]


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
