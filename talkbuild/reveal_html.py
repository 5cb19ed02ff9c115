"""A reveal.js deck written in HTML and pasted into a talk: its `<section>`s are not slides here.

talkbuild's slides come from the Markdown's headings and `---` lines. A reveal.js deck's `<section>` elements
(nested for a vertical stack) are raw HTML to it: all of them end up in the one slide they are written in, and
a `<section data-markdown><textarea data-template>` shows its Markdown as written. Both are said at the first
`<section>`, with how to write the slides instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore

from .errors import Diagnostic, Severity

if TYPE_CHECKING:
    from .markup import RenderContext

REVEAL_MARKDOWN = "tb_reveal_markdown"
"""token.meta key: an HTML block inside a `<section data-markdown>` (its Markdown is warned of once, here)."""
_SECTION = re.compile(r"<section\b([^>]*)>", re.IGNORECASE)
_END = re.compile(r"</section\s*>", re.IGNORECASE)
_DATA_MARKDOWN = re.compile(r"\sdata-markdown\b", re.IGNORECASE)


def reveal_sections(state: StateCore) -> None:
    """The markdown-it core rule: warn of a talk's raw `<section>`s (once) and of each `<section data-markdown>`."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None or "<section" not in state.src.lower():
        return
    sections: list[int] = []  # the line of each <section> start tag (but data-markdown's, said of on their own)
    inside = False
    for token in state.tokens:
        html = token.content if token.type == "html_block" else "".join(
            c.content for c in token.children or [] if c.type == "html_inline") if token.type == "inline" else ""
        first = token.map[0] if token.map else 0
        if inside:
            token.meta[REVEAL_MARKDOWN] = True
        for m in _SECTION.finditer(html):
            line = first + html.count("\n", 0, m.start())
            if not _DATA_MARKDOWN.search(m.group(1)):
                sections.append(line)
            else:
                token.meta[REVEAL_MARKDOWN] = inside = True
                ctx.diagnostics.append(Diagnostic(
                    Severity.WARNING, "reveal-section", "<section data-markdown> is reveal.js's Markdown slide: "
                    "talkbuild does not render the Markdown inside it, the slide shows it as written",
                    ctx.location(line),
                    hint="take the Markdown out of the <section> and its <textarea> and write it in the talk itself: "
                         "each slide starts at a '## heading' (or a '---' line)"))
        if inside and _END.search(html):
            inside = False
    if sections:
        count = len(sections)
        ctx.diagnostics.append(Diagnostic(
            Severity.WARNING, "reveal-section",
            f"{'this <section> is' if count == 1 else f'these {count} <section> elements are'} reveal.js's way of "
            "making slides; talkbuild makes its slides from headings and '---' lines, so "
            f"{'it stays inside the slide it is' if count == 1 else 'each stays inside the slide it is'} written in",
            ctx.location(sections[0]),
            hint="write each <section> as a slide: a '## heading' line with its title, then its content in Markdown, "
                 "and no <section> tags"))
