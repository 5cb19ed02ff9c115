"""Marp's image syntax: background pictures and sizes, read from the alt text as Marp (Marpit) reads them.

`![bg](photo.jpg)` fills the slide behind the text, `![bg right:40%](chart.png)` takes the right 40 % of it and
leaves the rest to the text, `![bg contain]`, `![bg 80%]` size the picture; `![w:200](fig.png)` (also `h:`,
`width:`, `height:`) sizes any picture. Keywords are words of the alt text, in lower case as Marp writes them;
the other words are the alt text.

Background pictures leave the text wherever they are written in the slide (a list item, a quote) and are
gathered in one `<div class="tb-bg">` at the start of its body, so a theme that knows nothing of backgrounds
still shows them; the default theme lays them out as Marp does (deck.css) and shows them beside the text in
the handout (talkbuild.css). The split's side and width are the slide's (`Slide.background`, `Slide.split`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .markup import html_block

_SIDE = re.compile(r"(left|right)(?::(\d+(?:\.\d+)?%))?")
_SIZE = re.compile(r"\d+(?:\.\d+)?%")
_FIT = {"cover": "cover", "contain": "contain", "fit": "contain", "auto": "auto"}
_DIMENSION = re.compile(r"(w|h|width|height):(\d+(?:\.\d+)?)(px|%|em|rem|cm|mm|in|pt|vw|vh)?")
_IGNORED = re.compile(r"vertical|horizontal|(?:blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|"
                      r"opacity|saturate|sepia)(?::\S*)?")
"""Marp keywords talkbuild reads past: the direction of several pictures (read apart) and filters."""


@dataclass(frozen=True)
class Split:
    """Where a slide's background pictures go: `side` ("", "left", "right") and, beside the text, how wide."""

    side: str = ""
    width: str = "50%"


def is_background(alt: str) -> bool:
    """Whether a picture with this alt text is a background: the word `bg` in it, in lower case (as in Marp)."""
    return "bg" in alt.split()


def side_of(alt: str) -> str:
    """"left" or "right" for a background picture beside the text (`bg right:40%`), "" for one behind it."""
    return next((m.group(1) for w in alt.split() if (m := _SIDE.fullmatch(w))), "")


def only_backgrounds(tokens: list[Token]) -> bool:
    """Whether these body tokens hold nothing but background pictures (and HTML comments): a slide's start
    written before its heading (`![bg](photo.jpg)` above `# Title`), which belongs to that heading's slide."""
    shown = [t for t in tokens if not (t.type == "html_block" and t.content.strip().startswith("<!--"))]
    return bool(shown) and all(
        t.type in ("paragraph_open", "paragraph_close") or (t.type == "inline" and _pictures_only(t)) for t in shown)


def take_backgrounds(body: list[Token]) -> tuple[list[Token], Split | None]:
    """The slide's body with its background pictures gathered into one block at its start, and where they go;
    the body unchanged and None when it has none. Marp's `w:`/`h:` sizes are applied to the other pictures."""
    pictures: list[Token] = []
    kept: list[Token] = []
    i = 0
    while i < len(body):
        token = body[i]
        if token.type == "inline" and token.children:
            pictures.extend(c for c in token.children if c.type == "image" and is_background(c.content))
            rest = [c for c in token.children if not (c.type == "image" and is_background(c.content))]
            for picture in rest:
                if picture.type == "image":
                    _size(picture)
            if len(rest) != len(token.children):
                token.children = _trimmed(rest)
                if (not _shows_something(rest) and kept and kept[-1].type == "paragraph_open"
                        and kept[-1].level == 0 and i + 1 < len(body)):
                    kept.pop()  # a top-level paragraph of pictures only: gone with them
                    i += 2
                    continue
        kept.append(token)
        i += 1
    if not pictures:
        return body, None
    split = Split()
    vertical = False
    for picture in pictures:
        words = picture.content.split()
        vertical = vertical or "vertical" in words
        side = next((m for w in words if (m := _SIDE.fullmatch(w))), None)
        if side:  # the last picture that names a side decides it, as in Marp
            split = Split(side.group(1), side.group(2) or "50%")
        _describe(picture, words)
    classes = "tb-bg" + (f" tb-bg-{split.side}" if split.side else "") + (" tb-bg-vertical" if vertical else "")
    block = [html_block(f'<div class="{classes}">\n'), _paragraphless(pictures), html_block("</div>\n")]
    return block + kept, split


def size_pictures(tokens: list[Token]) -> None:
    """Apply Marp's `w:`/`h:` sizes to the pictures in `tokens` (speaker notes: no backgrounds there)."""
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "image":
                    _size(child)


def _size(picture: Token) -> None:
    """`![w:200 A chart](c.png)`: a width (or height) for the picture, and alt text without the keyword."""
    words = picture.content.split()
    sizes = [m for w in words if (m := _DIMENSION.fullmatch(w))]
    if not sizes:
        return
    style = "; ".join(f"{'width' if m.group(1).startswith('w') else 'height'}: {m.group(2)}{m.group(3) or 'px'}"
                      for m in sizes)
    picture.attrSet("style", style)
    _set_alt(picture, [w for w in words if not _DIMENSION.fullmatch(w)])


def _describe(picture: Token, words: list[str]) -> None:
    """Set a background picture's class and style from its keywords, its alt text to the other words."""
    fit = "cover"
    size = ""
    described = []
    for word in words:
        if word == "bg" or _SIDE.fullmatch(word) or _IGNORED.fullmatch(word) or _DIMENSION.fullmatch(word):
            continue
        if word in _FIT:
            fit = _FIT[word]
        elif _SIZE.fullmatch(word):
            size = word
        else:
            described.append(word)
    _set_alt(picture, described)
    picture.attrSet("class", "tb-bg-sized" if size else f"tb-bg-{fit}")
    if size:
        picture.attrSet("style", f"--tb-bg-size: {size}")


def _set_alt(picture: Token, words: list[str]) -> None:
    alt = " ".join(words)
    picture.content = alt
    picture.children = [_text(alt)] if alt else []


def _pictures_only(inline: Token) -> bool:
    children = inline.children or []
    return any(c.type == "image" and is_background(c.content) for c in children) and not _shows_something(
        [c for c in children if not (c.type == "image" and is_background(c.content))])


def _shows_something(children: list[Token]) -> bool:
    return any(c.type not in ("text", "softbreak", "hardbreak") or c.content.strip() for c in children)


def _paragraphless(pictures: list[Token]) -> Token:
    inline = Token("inline", "", 0)
    inline.children = pictures
    inline.content = ""
    return inline


def _trimmed(children: list[Token]) -> list[Token]:
    """Children without the line breaks left at either end where pictures were taken out."""
    start, end = 0, len(children)
    while start < end and children[start].type in ("softbreak", "hardbreak"):
        start += 1
    while end > start and children[end - 1].type in ("softbreak", "hardbreak"):
        end -= 1
    return children[start:end]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
