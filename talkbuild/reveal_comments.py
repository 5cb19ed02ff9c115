"""reveal.js's element attributes, written as an HTML comment in the element: `* Step <!-- .element: class="fragment" -->`
gives the list item that class, so it becomes a step of its slide, as in reveal.js and reveal-md (the corpus has
talks written so). Steps with the same `data-fragment-index` appear together, in the order of their indices (the
deck numbers them as reveal.js does, deck-slides.js).

As in reveal.js, the comment goes to the element just before it: a picture, when the comment follows one
(`![Chart](c.png) <!-- .element: class="r-stretch" -->`), else the block it is written in (the list item of a tight
list, else the paragraph or heading). It carries `class`, `style`, `width`, `height` and `data-*` (raw HTML is
trusted as much), and an `id` on a heading (ids.py keeps it apart from the slides' ids, as a `{#id}`). Anything
else (an `id` elsewhere, `on*` handlers, other attributes) is left out with an `element-attribute` warning.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .errors import Diagnostic, Severity

if TYPE_CHECKING:
    from .markup import RenderContext

_ELEMENT = re.compile(r"<!--\s*\.element:\s*(.*?)\s*-->", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_CARRIED = ("style", "width", "height")


def element_comments(state: StateCore) -> None:
    """The markdown-it core rule: each `<!-- .element: ... -->` comment's attributes go to its element."""
    ctx: RenderContext | None = state.env.get("tb")
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or ".element:" not in token.content:
            continue
        kept: list[Token] = []
        for child in token.children:
            found = _ELEMENT.fullmatch(child.content.strip()) if child.type == "html_inline" else None
            if found is None:
                kept.append(child)
                continue
            target = _picture_before(kept) or _block_of(tokens, i)
            if target is not None:
                line = (token.map[0] if token.map else 0) + token.content.count("\n", 0, token.content.find(child.content))
                _apply(target, found.group(1), ctx, line)
        if kept and kept[-1].type == "text":
            kept[-1].content = kept[-1].content.rstrip()  # "Step " before the comment
        token.children = kept


def _apply(target: Token, written: str, ctx: RenderContext | None, line: int) -> None:
    """Give `target` the attributes `written` in a comment; say which are left out, and why."""
    left_out: list[str] = []
    for match in _ATTRIBUTE.finditer(written):
        name = match.group(1).lower()
        value = next((part for part in match.groups()[1:] if part is not None), "")
        if name == "class":
            if value.split():
                target.attrJoin("class", " ".join(value.split()))
        elif name == "data-fragment-index":
            if value.strip().isdigit():
                target.attrSet(name, str(int(value)))
            elif ctx is not None:
                ctx.diagnostics.append(Diagnostic(
                    Severity.WARNING, "fragment-index", f"data-fragment-index={value!r} is not a step number, "
                    "so it is left out (the step comes after the numbered ones)", ctx.location(line),
                    hint='write a whole number from 0 up: data-fragment-index="1"'))
        elif name == "style":
            before = str(target.attrGet("style") or "").rstrip("; ")
            target.attrSet("style", f"{before}; {value}" if before else value)
        elif name in _CARRIED or (name.startswith("data-") and len(name) > 5):
            target.attrSet(name, value)
        elif name == "id" and target.type == "heading_open" and value:
            target.attrSet("id", value)
        else:
            left_out.append(name)
    if left_out and ctx is not None:
        why = {"id": "an id only on a heading", "on": "no event handlers"}
        reasons = sorted({why["on"] if n.startswith("on") else why.get(n, "") for n in left_out} - {""})
        ctx.diagnostics.append(Diagnostic(
            Severity.WARNING, "element-attribute", "a <!-- .element: --> comment carries only class, style, width, "
            f"height and data-*{' (' + '; '.join(reasons) + ')' if reasons else ''}; left out: {', '.join(left_out)}",
            ctx.location(line),
            hint="write the element in HTML for the others; an id goes on a heading ({#id}) or a fenced div (::: {#id})"))


def _picture_before(kept: list[Token]) -> Token | None:
    """The picture the comment follows (with only spaces or a line break between), if it follows one."""
    for child in reversed(kept):
        if child.type == "softbreak" or (child.type == "text" and not child.content.strip()):
            continue
        return child if child.type == "image" else None
    return None


def fragment_indices(body: list[Token]) -> list[str | None]:
    """The `data-fragment-index` (None: none) of each fragment in `body`: blocks, and pictures inside them."""
    found = [t for t in body if t.nesting == 1]
    found += [c for t in body if t.type == "inline" for c in t.children or [] if c.type == "image"]
    return [None if t.attrGet("data-fragment-index") is None else str(t.attrGet("data-fragment-index"))
            for t in found if "fragment" in str(t.attrGet("class") or "").split()]


def step_count(indices: list[str | None]) -> int:
    """How many steps fragments with these `data-fragment-index` values (None: none) make: one per index, one each else."""
    return len({i for i in indices if i is not None}) + sum(1 for i in indices if i is None)


def _block_of(tokens: list[Token], inline: int) -> Token | None:
    """The block an inline token's text belongs to: the list item of a tight list's hidden paragraph."""
    opener = tokens[inline - 1] if inline > 0 else None
    if opener is None or opener.nesting != 1:
        return None
    if opener.type == "paragraph_open" and opener.hidden and inline > 1 and tokens[inline - 2].type == "list_item_open":
        return tokens[inline - 2]
    return opener
