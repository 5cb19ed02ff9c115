"""Marp's image syntax, in a talk that says `marp: true`: background pictures, sizes and filters, read from
the alt text as Marp (Marpit) reads them. Elsewhere such a picture is an ordinary one, and warned of.

`![bg](photo.jpg)` fills the slide behind the text, `![bg right:40%](chart.png)` takes the right 40 % of it and
leaves the rest to the text, `![bg contain]`, `![bg 80%]` size the picture; `![w:200](fig.png)` (also `h:`,
`width:`, `height:`) sizes any picture and `sepia`, `blur:3px`... filter it. Keywords are words of the alt
text, in lower case as Marp writes them; the other words are the alt text.

Background pictures leave the text wherever they are written in the slide (a list item, a quote) and are
gathered in one `<div class="tb-bg">` at the start of its body, so a theme that knows nothing of backgrounds
still shows them; the default theme lays them out as Marp does (deck.css) and shows them beside the text in
the handout (talkbuild.css). The split's side and width are the slide's (`Slide.background`, `Slide.split`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from .errors import Diagnostic, Severity, SourceLocation
from .markup import html_block

_SIDE = re.compile(r"(left|right)(?::([0-9]+(?:\.[0-9]+)?%))?")
_SIZE = re.compile(r"[0-9]+(?:\.[0-9]+)?%")
_FIT = {"cover": "cover", "contain": "contain", "fit": "contain", "auto": "auto"}
_DIMENSION = re.compile(r"(w|h|width|height):(auto|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:px|%|em|rem|ch|ex|cm|mm|in|pt|pc|vw|vh|vmin|vmax)?)")
_FILTERS = {"blur": "10px", "brightness": "1.5", "contrast": "2", "drop-shadow": "0 5px 10px rgba(0, 0, 0, 0.4)",
            "grayscale": "1", "hue-rotate": "180deg", "invert": "1", "opacity": ".5", "saturate": "2", "sepia": "1"}
"""Marp's image filters and the values it gives one written without a value (`sepia`, `blur:3px`)."""
_ARGUMENT = r"(?:[a-zA-Z0-9_.%#-]+|(?:rgba?|hsla?)\([0-9.%, ]*\))"
_FILTER = re.compile(r"(" + "|".join(_FILTERS) + rf")(?::({_ARGUMENT}(?:,{_ARGUMENT})*))?")
"""A filter keyword and its value: numbers, units, colours (`#000`, `rgba(0,0,0,.4)`), commas for spaces
(`drop-shadow:0,5px,10px,#000`); nothing that could end the CSS declaration or add a function (`url()`): a word
with those is alt text."""
_DIRECTION = ("vertical", "horizontal")


@dataclass(frozen=True)
class Split:
    """Where a slide's background pictures go: `side` ("", "left", "right") and, beside the text, how wide."""

    side: str = ""
    width: str = "50%"


def is_background(alt: str) -> bool:
    """Whether a picture with this alt text is a background: the word `bg` in it, in lower case (as in Marp)."""
    return "bg" in alt.split()


def _background_picture(token: Token) -> bool:
    return token.type == "image" and is_background(token.content)


def marp_syntax_warnings(tokens: list[Token], location: Callable[[int], SourceLocation]) -> list[Diagnostic]:
    """In a talk that does not say `marp:`, a picture written in Marp's syntax (alt text starting with keywords:
    `![bg right:40%]`, `![w:200]`; not `![Frame minus the bg model]`) is shown as an ordinary picture with those
    words as its alt text: say how to have it read."""
    found = []
    for token in (t for t in tokens if t.type == "inline"):
        for picture in (c for c in token.children or [] if c.type == "image"):
            words = picture.content.split()
            if words and (words[0] == "bg" or _DIMENSION.fullmatch(words[0])) and (
                    len(words) == 1 or _is_keyword(words[1])):  # as Marp writes it: keywords first
                found.append(Diagnostic(
                    Severity.WARNING, "marp-syntax",
                    f"'![{picture.content}]' is Marp's image syntax, read only in a talk that says `marp: true`: "
                    "here it is an ordinary picture with that alt text",
                    location(token.map[0] if token.map else 0),
                    hint="add 'marp: true' to the front matter to have it laid out as Marp does, or describe the "
                         "picture in its alt text"))
    return found


def side_of(alt: str) -> str:
    """"left" or "right" for a background picture beside the text (`bg right:40%`), "" for one behind it."""
    return next((m.group(1) for w in alt.split() if (m := _SIDE.fullmatch(w))), "")


def heading_backgrounds(inline: Token) -> list[Token]:
    """`## ![bg right:30%](chart.png) Results`: the heading's background pictures, taken out of it (its text is the
    slide's title and id), as a paragraph for the slide's body."""
    taken = [c for c in inline.children or [] if _background_picture(c)]
    if not taken:
        return []
    inline.children = _trimmed([c for c in inline.children or [] if c not in taken])
    return [Token("paragraph_open", "p", 1), _paragraphless(taken), Token("paragraph_close", "p", -1)]


def only_backgrounds(tokens: list[Token]) -> bool:
    """Whether these body tokens hold nothing but background pictures (and HTML comments): a slide's start
    written before its heading (`![bg](photo.jpg)` above `# Title`), which belongs to that heading's slide."""
    shown = [t for t in tokens if not (t.type == "html_block" and t.content.strip().startswith("<!--"))]
    return bool(shown) and all(
        t.type in ("paragraph_open", "paragraph_close") or (t.type == "inline" and _pictures_only(t)) for t in shown)


def take_backgrounds(body: list[Token]) -> tuple[list[Token], Split | None]:
    """The slide's body with its background pictures gathered into one block at its start, and where they go;
    the body unchanged and None when it has none. Marp's `w:`/`h:` sizes and filters are applied to the other
    pictures. What held only background pictures goes with them (a paragraph, a link, a list item, a quote)."""
    pictures: list[Token] = []
    for token in body:
        if token.type == "inline" and token.children:
            taken = [c for c in token.children if _background_picture(c)]
            if taken:
                pictures.extend(taken)
                token.children = _trimmed(_without_empty_links([c for c in token.children if c not in taken]))
            for picture in token.children:
                if picture.type == "image":
                    _size(picture, background=False)
    if not pictures:
        return body, None
    kept = _without_emptied(body)
    split = Split()
    vertical = False
    for picture in pictures:
        words = picture.content.split()
        vertical = next((w == "vertical" for w in reversed(words) if w in _DIRECTION), vertical)  # the last, as in Marp
        side = next((m for w in words if (m := _SIDE.fullmatch(w))), None)
        if side:  # the last picture that names a side decides it, as in Marp
            split = Split(side.group(1), side.group(2) or "50%")
        _describe(picture, words)
    classes = "tb-bg" + (f" tb-bg-{split.side}" if split.side else "") + (" tb-bg-vertical" if vertical else "")
    block = [html_block(f'<div class="{classes}">\n'), _paragraphless(pictures), html_block("</div>\n")]
    return block + kept, split


def size_pictures(tokens: list[Token]) -> None:
    """Apply Marp's keywords to the pictures in speaker notes, where a background is just a picture."""
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "image":
                    _size(child, background=is_background(child.content))


def _is_keyword(word: str) -> bool:
    """A word of Marp's image syntax (read by _describe for a background, by _size for other pictures)."""
    return (word == "bg" or word in _DIRECTION or word in _FIT or bool(
        _SIDE.fullmatch(word) or _SIZE.fullmatch(word) or _FILTER.fullmatch(word) or _DIMENSION.fullmatch(word)))


def _size(picture: Token, *, background: bool) -> None:
    """`![w:200 sepia A chart](c.png)`: a width (or height) and filters for the picture, alt text without them;
    `background`: a background's keywords in speaker notes, left out of the alt text too."""
    words = picture.content.split()
    reads: Callable[[str], bool] = _is_keyword if background else _sizes_or_filters
    if not any(reads(w) for w in words):
        return  # not Marp's: its alt text as rendered (emphasis, entities) stays as it is
    style = _dimensions(words)
    if filters := _filters(words):
        style.append(f"filter: {filters}")
    if style:
        picture.attrSet("style", "; ".join(style))
    _strip_alt(picture, reads)


def _sizes_or_filters(word: str) -> bool:
    return bool(_DIMENSION.fullmatch(word) or _FILTER.fullmatch(word))


def _dimensions(words: list[str]) -> list[str]:
    return [f"{'width' if m.group(1).startswith('w') else 'height'}: {_length(m.group(2))}"
            for w in words if (m := _DIMENSION.fullmatch(w))]


def _length(value: str) -> str:
    return value + "px" if re.fullmatch(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", value) else value


def _filters(words: list[str]) -> str:
    """The CSS `filter` for Marp's filter keywords among `words` ("" without any); Marp's commas between the
    arguments are spaces, those inside a colour's parentheses stay."""
    return " ".join(f"{m.group(1)}({_arguments(m.group(2)) if m.group(2) else _FILTERS[m.group(1)]})"
                    for w in words if (m := _FILTER.fullmatch(w)))


def _arguments(value: str) -> str:
    depth, out = 0, []
    for char in value:
        depth += {"(": 1, ")": -1}.get(char, 0)
        out.append(" " if char == "," and depth == 0 else char)
    return "".join(out)


def _describe(picture: Token, words: list[str]) -> None:
    """Set a background picture's class and style from its keywords, its alt text to the other words."""
    fit = "cover"
    size = ""
    for word in words:
        if word in _FIT:
            fit = _FIT[word]
        elif _SIZE.fullmatch(word):
            size = word
    dimensions = _dimensions(words)  # `![bg w:200](x)`: that width, as Marp sizes a background by a length
    picture.attrSet("class", "tb-bg-sized" if size or dimensions else f"tb-bg-{fit}")
    style = ([f"--tb-bg-size: {size}"] if size else []) + dimensions + (
        [f"filter: {f}"] if (f := _filters(words)) else [])
    if style:
        picture.attrSet("style", "; ".join(style))
    _strip_alt(picture, _is_keyword)


def _strip_alt(picture: Token, keyword: Callable[[str], bool]) -> None:
    """Take the keywords out of the picture's alt text, word by word in its text, keeping what else it holds."""
    children: list[Token] = []
    for child in picture.children or []:
        if child.type == "text":
            kept = " ".join(w for w in child.content.split(" ") if w and not keyword(w))
            if not kept:
                continue
            child.content = (" " if child.content.startswith(" ") and children else "") + kept + (
                " " if child.content.endswith(" ") else "")
        children.append(child)
    picture.children = children
    picture.content = " ".join(w for w in picture.content.split() if not keyword(w))


def _without_empty_links(children: list[Token]) -> list[Token]:
    """`[![bg](x)](url)` without its picture: no empty link left behind."""
    out: list[Token] = []
    for child in children:
        if child.type == "link_close" and out and out[-1].type == "link_open":
            out.pop()
            continue
        out.append(child)
    return out


_CONTAINERS = {"paragraph_open": "paragraph_close", "list_item_open": "list_item_close",
               "blockquote_open": "blockquote_close", "bullet_list_open": "bullet_list_close",
               "ordered_list_open": "ordered_list_close"}


def _without_emptied(body: list[Token]) -> list[Token]:
    """The body without the blocks its background pictures leave empty: a paragraph with nothing left to show,
    then a list item, a quote or a list holding nothing more."""
    out: list[Token] = []
    for token in body:
        if token.type in ("paragraph_close", "heading_close") and len(out) >= 2 \
                and out[-2].type == token.type.replace("_close", "_open") \
                and out[-1].type == "inline" and not _shows_something(out[-1].children or []):
            del out[-2:]
            continue
        if out and _CONTAINERS.get(out[-1].type) == token.type and token.type != "paragraph_close":
            out.pop()
            continue
        out.append(token)
    return out


def _pictures_only(inline: Token) -> bool:
    children = inline.children or []
    return any(map(_background_picture, children)) and not _shows_something(
        [c for c in children if not _background_picture(c)])


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
