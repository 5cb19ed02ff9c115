"""reveal.js's slide attributes, as reveal-md and pandoc write them: `<!-- .slide: data-background-color="#222"
class="dark" -->` on a slide's first lines, or `## Title {data-background-image="img/x.jpg"}` on its heading.

What talkbuild's deck can do the same way is read: the background (`data-background-image`, `-color`, `-size`,
`-position`, `-repeat`, `-opacity`, and `data-background`, a colour or a picture), `class` and `id`. The background
is drawn as Marp's `![bg]` pictures are (backgrounds.py): one `<div class="tb-bg">` at the start of the slide's
body, behind its text. Its picture is published and checked like any other (rewrite_urls.py). A background colour
gives the slide reveal.js's `has-dark-background` or `has-light-background` class (colours.py), which switches its
text to light colours on a dark one. Other attributes
(`data-transition`, `data-auto-animate`...) have no meaning here: they are named in one warning per talk.

The markdown-it core rule reads the comments and heading attributes into their tokens' meta; the slides stage
(slides.py) takes them out of the slide they are in with `take_attributes`, so a comment never reaches the page,
the notes or another slide.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .colours import SWITCHES, background_class
from .errors import Diagnostic, Severity
from .rewrite_urls import looks_like_picture, rewrite_url

if TYPE_CHECKING:
    from .markup import RenderContext

META = "tb_slide_attributes"
"""token.meta key: the `Written` attributes a `.slide:` comment or a slide heading carries."""
HEADING_META = "tb_attrs"
"""token.meta key (markup._heading_attrs): a heading's `key=value` attributes, as written."""

_COMMENT = re.compile(r"<!--\s*\.slide:\s*(.*?)\s*-->", re.DOTALL)
_ONLY_COMMENTS = re.compile(r"(\s*<!--.*?-->)+\s*", re.DOTALL)
_ATTR = re.compile(r"""([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(?:rgba?|hsla?)\([0-9.,%\s/deg+-]*\)")
_PLACE = re.compile(r"[a-zA-Z0-9.%\s-]+")
"""A size or position: keywords, numbers and lengths (nothing that could end the declaration or add a url())."""
_OPACITY = re.compile(r"(?:0|1)?(?:\.[0-9]+)?|1|0")
_REPEAT = re.compile(r"(?:repeat|no-repeat|repeat-x|repeat-y|space|round)(?:\s+(?:repeat|no-repeat|space|round))?")

BACKGROUND = {"data-background-image", "data-background-color", "data-background-size", "data-background-position",
              "data-background-repeat", "data-background-opacity", "data-background"}
READ = BACKGROUND | {"class", "id"}
"""The attributes talkbuild reads; the others are named in one warning."""


@dataclass(frozen=True)
class Written:
    """The attributes one comment or heading gives its slide: (name, value) with the picture's URL rewritten
    for the site, and the 0-based line where they are written."""

    values: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True)
class SlideAttributes:
    """What a slide's attributes make of it: its classes, the id asked for, its background block ('' for none)."""

    classes: tuple[str, ...]
    ident: str
    background: str
    line: int
    """0-based line of the first attribute written on the slide's first lines."""


def slide_attributes(state: StateCore) -> None:
    """The markdown-it core rule: read each `.slide:` comment and slide heading's attributes into its token."""
    ctx: RenderContext | None = state.env.get("tb")
    source = state.src.split("\n")
    ignored: dict[str, tuple[int, int | None]] = {}  # an attribute not read -> where it is first written
    tokens = state.tokens
    for i, token in enumerate(tokens):
        first = token.map[0] if token.map else 0
        if token.type == "html_block" and ".slide:" in token.content and _ONLY_COMMENTS.fullmatch(token.content):
            found = [(first + token.content.count("\n", 0, m.start()), m.group(1))
                     for m in _COMMENT.finditer(token.content)]
            if found:
                token.meta[META] = _read(found, ctx, source, ignored)
        elif token.type == "heading_open" and token.meta.get(HEADING_META):
            written = " ".join(f'{k}="{v}"' for k, v in token.meta[HEADING_META].items())
            token.meta[META] = _read([(first, written)], ctx, source, ignored)
        elif token.type == "inline" and token.children and ".slide:" in token.content and i > 0:
            # `## Title <!-- .slide: class="dark" -->`: the comment goes, its attributes to the block it is in
            comments = [c for c in token.children if c.type == "html_inline" and _COMMENT.fullmatch(c.content.strip())]
            if comments:
                line = first + token.content.count("\n", 0, token.content.find(".slide:"))
                found = [(line, m.group(1)) for c in comments if (m := _COMMENT.fullmatch(c.content.strip()))]
                tokens[i - 1].meta[META] = _read(found, ctx, source, ignored)
                token.children = [c for c in token.children if c not in comments]
                if token.children and token.children[-1].type == "text":
                    token.children[-1].content = token.children[-1].content.rstrip()
    if ignored and ctx is not None:
        names = sorted(ignored, key=lambda n: (ignored[n], n))
        ctx.diagnostics.append(Diagnostic(
            Severity.WARNING, "slide-attribute",
            f"reveal.js slide attribute{'s' if len(names) > 1 else ''} {', '.join(names)} "
            f"{'are' if len(names) > 1 else 'is'} ignored: talkbuild's deck has no such feature",
            ctx.location(*ignored[names[0]]),
            hint="talkbuild reads a slide's background (data-background-image, -color, -size, -position, -repeat, "
                 "-opacity), class and id; remove the others"))


def _read(found: list[tuple[int, str]], ctx: RenderContext | None, source: list[str],
          ignored: dict[str, tuple[int, int | None]]) -> Written:
    values: list[tuple[str, str]] = []
    for line, text in found:
        for m in _ATTR.finditer(text):
            name, value = m.group(1).lower(), html.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
            if name not in READ:
                if name not in ignored:
                    ignored[name] = _where(line, m.group(1), source)
                continue
            if name == "data-background":  # reveal.js: a picture's URL, or else a colour
                name = "data-background-image" if looks_like_picture(value) else "data-background-color"
            if name == "data-background-image" and value and ctx is not None:
                where = _where(line, value, source)
                href = rewrite_url(ctx, value, "image", ctx.location(*where))
                if href is None:
                    continue
                value = href
            elif name in BACKGROUND and not _valid(name, value):
                if ctx is not None:
                    ctx.diagnostics.append(Diagnostic(
                        Severity.WARNING, "slide-attribute", f"{name}=\"{value}\" is not a value talkbuild can use: "
                        "left out", ctx.location(*_where(line, value, source)),
                        hint="write a CSS colour (#222, rgb(0 0 0)), size or position (cover, 50%, top left) "
                             "or an opacity from 0 to 1"))
                continue
            values.append((name, value))
    return Written(tuple(values), found[0][0])


def _where(line: int, needle: str, source: list[str]) -> tuple[int, int | None]:
    """The 0-based line and 1-based column of `needle` written on or after `line` (a comment may span lines)."""
    for n in range(line, min(line + 20, len(source))):
        at = source[n].find(needle)
        if at >= 0:
            return n, at + 1
    return line, None


def _valid(name: str, value: str) -> bool:
    pattern = {"data-background-color": _COLOR, "data-background-opacity": _OPACITY,
               "data-background-repeat": _REPEAT}.get(name, _PLACE)
    return bool(value.strip()) and pattern.fullmatch(value.strip()) is not None


def carries_attributes(token: Token) -> bool:
    """Whether the token is a `.slide:` comment (between a `---` and a heading: the heading's slide's)."""
    return token.type == "html_block" and META in token.meta


def attributes_only(body: list[Token]) -> bool:
    """Whether a slide's body so far is only comments, a `.slide:` one among them: the start of the slide whose
    heading comes next (written before the talk's first heading)."""
    return any(map(carries_attributes, body)) and all(
        t.type == "html_block" and _ONLY_COMMENTS.fullmatch(t.content) for t in body)


def take_attributes(heading: list[Token], body: list[Token], notes: list[Token]) -> SlideAttributes | None:
    """The slide's attributes from its heading and the comments in it; the comments are taken out of `body` and
    `notes` (in place). None when it has none."""
    written: list[Written] = []
    for part in (heading, body, notes):
        for token in part:
            if META in token.meta:
                written.append(token.meta[META])
        part[:] = [t for t in part if not carries_attributes(t)]
    if not written:
        return None
    merged: dict[str, str] = {}
    classes: list[str] = []
    for one in sorted(written, key=lambda w: w.line):
        for name, value in one.values:
            if name == "class":
                classes.extend(c for c in value.split() if c not in classes)
            else:
                merged[name] = value
    switch = background_class(merged.get("data-background-color", ""))
    if switch and not any(c in SWITCHES for c in classes):  # the author's own `class="has-dark-background"` wins
        classes.append(switch)
    return SlideAttributes(tuple(classes), merged.get("id", ""), _background(merged), min(w.line for w in written))


def _background(values: dict[str, str]) -> str:
    """The slide's background block: its colour behind, the picture over it (the opacity is the picture's, as
    in reveal.js). Sized to cover the slide and centred unless said otherwise, as in reveal.js."""
    color, image = values.get("data-background-color", ""), values.get("data-background-image", "")
    if not color and not image:
        return ""
    outer = f' style="background-color: {html.escape(color)}"' if color else ""
    inner = ""
    if image:
        style = [f'background-image: url("{_css_string(image)}")',
                 f"background-size: {values.get('data-background-size', 'cover')}",
                 f"background-position: {values.get('data-background-position', 'center')}",
                 f"background-repeat: {values.get('data-background-repeat', 'no-repeat')}"]
        if "data-background-opacity" in values:
            style.append(f"opacity: {values['data-background-opacity']}")
        inner = f'<div class="tb-bg-image" style="{html.escape("; ".join(style))}"></div>'
    return f'<div class="tb-bg tb-bg-attributes"{outer}>{inner}</div>\n'


def _css_string(url: str) -> str:
    """`url` safe inside `url("...")`: a quote, a parenthesis, a backslash or a line break in it would end the
    string and let what follows be read as more CSS; percent-encoded, the browser requests the same address."""
    return "".join(f"%{ord(c):02X}" if c in "\"'()\\\n\r\f" else c for c in url)


def give_id(heading: list[Token], attributes: SlideAttributes, ctx: object) -> None:
    """`id="x"`: the slide's heading takes it, as its `{#x}` (ids.py keeps it unique); a slide without a heading
    has an id made for it, so the id asked for is left out, and said."""
    if not attributes.ident:
        return
    if heading:
        if not heading[0].attrGet("id"):
            heading[0].attrSet("id", attributes.ident)
        return
    from .markup import RenderContext  # markup imports this module

    if isinstance(ctx, RenderContext):
        ctx.diagnostics.append(Diagnostic(
            Severity.WARNING, "slide-attribute", f'id="{attributes.ident}" on a slide without a heading is left out: '
            "its id is made from its place in the talk", ctx.location(attributes.line),
            hint=f"give the slide a heading with that id: ## Its title {{#{attributes.ident}}}"))
