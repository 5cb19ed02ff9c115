"""Marp's background images: `![bg](photo.jpg)` fills the slide, `![bg right:40%](chart.png)` takes the right
40 % of it and leaves the rest to the text, `![bg contain]`, `![bg 80%]` size the picture.

The pictures stay in the slide's body, in one `<div class="tb-bg">` ahead of the rest, so a theme that knows
nothing of backgrounds still shows them; the default theme lays them out as Marp does (deck.css) and shows them
beside the text in the handout (talkbuild.css). The split's side and width are the slide's (`Slide.split`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .markup import html_block

_SIDE = re.compile(r"(left|right)(?::(\d+(?:\.\d+)?%))?")
_SIZE = re.compile(r"\d+(?:\.\d+)?%")
_FIT = {"cover": "cover", "contain": "contain", "fit": "contain", "auto": "auto"}
_IGNORED = re.compile(r"vertical|(?:blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|"
                      r"saturate|sepia)(?::.*)?|(?:w|h|width|height):.*")
"""Marp keywords talkbuild reads past: filters, `w:`/`h:` (a background is sized by `contain`/`cover`/a percentage)."""


@dataclass(frozen=True)
class Split:
    """Where a slide's background pictures go: `side` ("", "left", "right") and, beside the text, how wide."""

    side: str = ""
    width: str = "50%"


def is_background(alt: str) -> bool:
    return "bg" in alt.lower().split()


def take_backgrounds(body: list[Token]) -> tuple[list[Token], Split | None]:
    """The slide's body with its background pictures gathered into one block at its start, and where they go;
    the body unchanged and None when it has none. Only pictures in top-level paragraphs count (as in Marp, which
    reads them in paragraphs of their own)."""
    pictures: list[Token] = []
    kept: list[Token] = []
    i = 0
    while i < len(body):
        token = body[i]
        if (token.type == "paragraph_open" and token.level == 0 and i + 2 < len(body)
                and body[i + 1].type == "inline" and any(c.type == "image" and is_background(c.content)
                                                        for c in body[i + 1].children or [])):
            inline = body[i + 1]
            children = inline.children or []
            pictures.extend(c for c in children if c.type == "image" and is_background(c.content))
            rest = [c for c in children if not (c.type == "image" and is_background(c.content))]
            if any(c.type not in ("text", "softbreak", "hardbreak") or c.content.strip() for c in rest):
                inline.children = _trimmed(rest)
                kept.extend(body[i : i + 3])
            i += 3
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
        side = next((m for w in words if (m := _SIDE.fullmatch(w.lower()))), None)
        if side and not split.side:  # the first picture that names a side decides it, as in Marp
            split = Split(side.group(1), side.group(2) or "50%")
        _describe(picture, words)
    classes = "tb-bg" + (f" tb-bg-{split.side}" if split.side else "") + (" tb-bg-vertical" if vertical else "")
    block = [html_block(f'<div class="{classes}">\n'), _paragraphless(pictures), html_block("</div>\n")]
    return block + kept, split


def _describe(picture: Token, words: list[str]) -> None:
    """Set the picture's class and style from its keywords, and its alt text to the words that are not keywords."""
    fit = "cover"
    size = ""
    described = []
    for word in words:
        low = word.lower()
        if low == "bg" or _SIDE.fullmatch(low) or _IGNORED.fullmatch(low):
            continue
        if low in _FIT:
            fit = _FIT[low]
        elif _SIZE.fullmatch(low):
            size = low
        else:
            described.append(word)
    alt = " ".join(described)
    picture.content = alt
    picture.children = [_text(alt)] if alt else []
    picture.attrSet("class", "tb-bg-sized" if size else f"tb-bg-{fit}")
    if size:
        picture.attrSet("style", f"--tb-bg-size: {size}")


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

