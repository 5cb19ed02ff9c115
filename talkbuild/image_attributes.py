"""pandoc's attributes on a picture, `![Chart](chart.png){.r-stretch width=50%}`: its classes and size, as pandoc
and reveal.js decks write them. Anything else is left out with an `image-attribute` warning (an `{#id}` would escape
the slide-id bookkeeping of ids.py; `style` and the rest have raw HTML)."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .errors import Diagnostic, Severity

IMAGE_ATTRIBUTES = ("width", "height")
"""What a picture may set besides its classes (markup.py lets these through the attrs plugin)."""

_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(px|%|em|rem|vw|vh|cm|mm|in)?$")


def image_attributes(state: StateCore) -> None:
    """Sizes in units become CSS (HTML's width and height are pixels only); what a picture or a span does not take
    is left out, and said at its line."""
    if "){" not in state.src and "]{" not in state.src:
        return
    ctx = state.env.get("tb")
    for token in state.tokens:
        if token.type != "inline" or not token.map:
            continue
        children = token.children or []
        for n, child in enumerate(children):
            if child.type == "span_open":
                _span_keeps_its_own(child)
            elif child.type == "image":
                _take_unparsed(child, children[n + 1] if n + 1 < len(children) else None)
                left_out = list(child.meta.get("insecure_attrs") or {}) + _size(child)
                if left_out and ctx is not None:
                    names = ", ".join("#id" if name == "id" else name for name in left_out)
                    ctx.diagnostics.append(Diagnostic(
                        Severity.WARNING, "image-attribute", f"a picture's {{...}} takes only classes, width and "
                        f"height (a number, or with px, %, em, rem, vw, vh, cm, mm, in); left out: {names}",
                        ctx.location(token.map[0] + _line_of(token.content, child)),
                        hint='for the others write the picture in HTML: <img src="..." alt="..." id="...">'))


_UNPARSED = re.compile(r"^\{([^{}\n]*)\}")
"""Attributes the attrs plugin does not read but pandoc does: an unquoted `width=50%` (`%` starts its comments)."""


def _take_unparsed(image: Token, after: Token | None) -> None:
    """`{width=50%}` left as text right after the picture: read as pandoc reads it, and taken out of the text."""
    if after is None or after.type != "text" or not (match := _UNPARSED.match(after.content)):
        return
    from .markup import div_classes  # markup.py registers this rule

    ident, classes, attrs = div_classes("{" + match.group(1) + "}")
    if not (ident or classes or attrs):
        return
    after.content = after.content[match.end():]
    if classes:
        image.attrs["class"] = " ".join([*str(image.attrs.get("class", "")).split(), *classes])
    kept = {name: value for name, value in attrs.items() if name in IMAGE_ATTRIBUTES}
    image.attrs.update(kept)
    left_out = {name: value for name, value in attrs.items() if name not in kept} | ({"id": ident} if ident else {})
    if left_out:
        image.meta.setdefault("insecure_attrs", {}).update(left_out)


def _span_keeps_its_own(span: Token) -> None:
    """A span takes no size: width and height go where its other left-out attributes go (span-attribute warns)."""
    for name in IMAGE_ATTRIBUTES:
        value = span.attrs.pop(name, None)
        if value is not None:
            span.meta.setdefault("insecure_attrs", {})[name] = value


def _size(image: Token) -> list[str]:
    """Write width/height as HTML (pixels) or as the picture's style (other units); return the unreadable ones."""
    bad: list[str] = []
    style: list[str] = []
    for name in IMAGE_ATTRIBUTES:
        value = image.attrs.get(name)
        if value is None:
            continue
        match = _LENGTH.match(str(value).strip())
        if match is None:
            del image.attrs[name]
            bad.append(f"{name}={value}")
        elif match.group(2) in (None, "px") and "." not in match.group(1):
            image.attrs[name] = match.group(1)
        else:
            del image.attrs[name]
            style.append(f"{name}:{match.group(1)}{match.group(2) or 'px'}")
    if style:
        image.attrs["style"] = ";".join(style)
    return bad


def _line_of(content: str, image: Token) -> int:
    """The line of the paragraph the picture's address is on (0 when it cannot be found)."""
    src = str(image.attrs.get("src", ""))
    at = content.find(src) if src else -1
    return content.count("\n", 0, at) if at > 0 else 0
