"""A deck's numbered addresses (`#/2`, `#/2/1`, `#/`), read as talkbuild reads them or, for a talk moved from
reveal-md (`slide_addresses: revealjs`), as reveal.js did, so that the links shared from the old deck still open
their slides.

talkbuild counts `#/n` from 1 over the deck's slides, its title slide first, and reads `#/n/s` as slide n at step s.
reveal.js counts from 0 over the author's slides only, and reads `#/h/v` as (horizontal, vertical): reveal-md cuts a
talk at `---` lines (the next horizontal slide) and `----` lines (the next vertical one), not at headings. So under
`revealjs` each slide carries the (h, v) of the reveal-md slide it was cut from (`Slide.reveal`), and an address
opens the first talkbuild slide of that piece; `#/h/v/f` (reveal.js 4) opens it with its fragments up to index f
shown (step f + 1), and `#/` is the author's first slide, as in reveal.js (talkbuild's `#/` is its title slide).
themes/default/static/deck-slides.js reads them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from .errors import Diagnostic, Severity, SourceLocation

SLIDE_ADDRESSES = ("talkbuild", "revealjs")
"""The values of `slide_addresses` (talkbuild.yml and front matter)."""
REVEALJS = "revealjs"
HINT = "so that links shared from the reveal.js deck (#/2/1) still open their slides, set slide_addresses: revealjs"

_NUMBERED = re.compile(r"^/(\d+)(?:/(\d+))?/?$")
_FRAGMENT = re.compile(r"^/(\d+)/(\d+)/(\d+)/?$")
"""reveal.js 4's `#/h/v/f`: slide h/v with its fragments up to index f shown (`fragmentInURL`, on by default)."""


class Pieces:
    """The reveal-md slide a talk is at while it is cut, by the separator lines passed so far."""

    def __init__(self) -> None:
        self.h = 0
        self.v = 0
        self.first_vertical: Token | None = None

    def passed(self, rule: Token, written: str) -> None:
        """A level-0 rule, written so: `---` starts the next horizontal slide, `----` the next vertical one (other
        rules, `***` or `-----`, are no separator in reveal-md: a rule on the slide). As written, since markdown-it's
        `markup` is not (`- - -` and `---` alike)."""
        if written.strip() == "---":
            self.h, self.v = self.h + 1, 0
        elif written.strip() == "----":
            self.v += 1
            self.first_vertical = self.first_vertical or rule

    @property
    def address(self) -> str:
        return f"{self.h}/{self.v}"


def reveal_md_separators(tokens: list[Token], source_line: Callable[[int], str]) -> None:
    """Each `---` or `----` line right under a line of text read as reveal-md read it, in place: a separator, the
    text above it the last paragraph of the slide before (or its `Note:` line). reveal-md cut the talk at those lines
    before Markdown saw it; CommonMark makes the text a heading (a setext heading) and the line its underline, so
    a slide break was lost and, from there on, every address. Only under `revealjs`: in talkbuild's own talks
    `Title` over `---` is a slide's heading."""
    for i, token in enumerate(tokens):
        if not (token.type == "heading_open" and token.level == 0 and token.markup == "-" and token.map):
            continue
        underline = token.map[1] - 1
        if source_line(underline).strip() not in ("---", "----"):
            continue  # `-----` separates nothing in reveal-md either: a heading there too
        opener = Token("paragraph_open", "p", 1, map=[token.map[0], underline], block=True)
        closer = Token("paragraph_close", "p", -1, block=True)
        rule = Token("hr", "hr", 0, map=[underline, underline + 1], markup="---", block=True)
        tokens[i], tokens[i + 2] = opener, closer
        tokens.insert(i + 3, rule)


def vertical_warning(rule: Token, location: SourceLocation) -> Diagnostic:
    """The one warning for a talk cut with reveal-md's `----` when its addresses are talkbuild's."""
    return Diagnostic(
        Severity.WARNING, "vertical-slide",
        "'----' separates reveal-md's vertical slides; here they become ordinary slides, in one line, and reveal.js "
        "addresses shared earlier (#/2/1) would open other slides", location, hint=HINT)


@dataclass(frozen=True, slots=True)
class Address:
    """Where a numbered address leads in one deck."""

    index: int | None
    """The slide's index in the deck (0: the title slide); None when the address names no slide there."""
    step: int = 0


def read_address(fragment: str, reveal: Sequence[str]) -> Address | None:
    """`fragment` (an address without its `#`) as the deck reads it, or None when it is not a numbered one (a slide
    id). `reveal`: each slide's `Slide.reveal`, the title slide's first; all "" for talkbuild's numbers."""
    if fragment == "/":  # "back to the start": reveal.js's is the author's first slide, talkbuild's its title slide
        return Address(1 if any(reveal) else 0)
    shown = _FRAGMENT.match(fragment) if any(reveal) else None
    if shown is not None:  # the deck spreads the steps over the slides cut from that one (deck-slides.js)
        key = f"{int(shown.group(1))}/{int(shown.group(2))}"
        return Address(next((i for i, r in enumerate(reveal) if r == key), None), int(shown.group(3)) + 1)
    m = _NUMBERED.match(fragment)
    if m is None:
        return None
    first, second = int(m.group(1)), int(m.group(2) or 0)
    if any(reveal):
        key = f"{first}/{second}"
        return Address(next((i for i, r in enumerate(reveal) if r == key), None))
    return Address(first - 1 if 1 <= first <= len(reveal) else None, second)


def is_fragment_address(fragment: str) -> bool:
    """Whether `fragment` is reveal.js 4's `/h/v/f` (a slide and its fragments shown)."""
    return _FRAGMENT.match(fragment) is not None


def describe(fragment: str, reveal: Sequence[str], deck: str) -> str:
    """What is wrong with an address that names no slide in the deck at site path `deck`."""
    if any(reveal) and _FRAGMENT.match(fragment):
        return (f"'#{fragment}' names no slide in the deck '{deck}', which reads reveal.js's #/h/v/f as slide h/v with "
                "its fragments up to f shown (slide_addresses: revealjs)")
    if any(reveal):
        last = max((r for r in reveal if r), key=lambda r: tuple(int(p) for p in r.split("/")))
        return (f"'#{fragment}' names no slide in the deck '{deck}', which reads reveal.js's #/h/v "
                f"(slide_addresses: revealjs); its last slide is #/{last}")
    return f"'#{fragment}': the deck '{deck}' has {len(reveal)} slides"


def in_talk_href(href: str, ids: Sequence[str], reveal: Sequence[str], deck_url: str) -> str:
    """A talk's own link to one of its slides by number (`#/2`), rewritten to name the slide by its id: the handout,
    which has the same ids, opens it too, and the link still leads there when slides are added before it. A link
    to a step leads to the deck (`deck_url`), where steps are; one that names no slide is left for check."""
    if not href.startswith("#/"):
        return href
    address = read_address(href[1:], reveal)
    if address is None or address.index is None:
        return href
    if _FRAGMENT.match(href[1:]):  # a step only the deck can place, on the slides cut from that reveal.js one
        return deck_url + href
    ident = ids[address.index]
    return f"{deck_url}#{ident}/{address.step}" if address.step else f"#{ident}"


_RAW_HREF = re.compile(r"""(\shref\s*=\s*)(["'])(#/[^"']*)\2""", re.IGNORECASE)


def rewrite_links(tokens: Sequence[Token], ids: Sequence[str], reveal: Sequence[str], deck_url: str) -> None:
    """Each in-talk numbered link in `tokens` (Markdown links and raw HTML `href`s) rewritten by `in_talk_href`."""
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if href.startswith("#/"):
                token.attrSet("href", in_talk_href(href, ids, reveal, deck_url))
        elif token.type in ("html_inline", "html_block") and "#/" in token.content:
            token.content = _RAW_HREF.sub(
                lambda m: m.group(1) + m.group(2) + in_talk_href(m.group(3), ids, reveal, deck_url) + m.group(2),
                token.content)
        if token.children:
            rewrite_links(token.children, ids, reveal, deck_url)
