"""reveal.js's element attributes, written as an HTML comment in the element: `* Step <!-- .element: class="fragment" -->`
gives the list item that class, so it becomes a step of its slide, as in reveal.js and reveal-md (the corpus has
talks written so). `class` and `data-fragment-index` are read: steps with the same index appear together, in the
order of their indices (the deck numbers them as reveal.js does, deck-slides.js). reveal.js's other uses (`style`,
`id`) are left out, and a comment is invisible, so nothing else changes. The comment is applied to the block it is
written in: the list item of a tight list, else the paragraph or heading.
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
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_INDEX = re.compile(r"""\bdata-fragment-index\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def element_comments(state: StateCore) -> None:
    """The markdown-it core rule: each `<!-- .element: class="..." -->` comment's classes go to its block."""
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
            classes = " ".join(part for match in _CLASS.findall(found.group(1)) for part in match if part)
            target = _block_of(tokens, i)
            if target is not None and classes:
                target.attrJoin("class", classes)
            index = _INDEX.search(found.group(1))
            if target is not None and index is not None:
                value = next(part for part in index.groups() if part is not None).strip()
                if value.isdigit():
                    target.attrSet("data-fragment-index", str(int(value)))
                elif ctx is not None:
                    line = token.map[0] if token.map else 0
                    ctx.diagnostics.append(Diagnostic(
                        Severity.WARNING, "fragment-index", f"data-fragment-index={value!r} is not a step number, "
                        "so it is left out (the step comes after the numbered ones)", ctx.location(line),
                        hint='write a whole number from 0 up: data-fragment-index="1"'))
        if kept and kept[-1].type == "text":
            kept[-1].content = kept[-1].content.rstrip()  # "Step " before the comment
        token.children = kept


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
