"""Markdown the author almost certainly did not mean, said as warnings at its line.

Each of these renders without an error, and each loses content silently: a fence or div never closed
swallows the rest of the talk, a link whose address has a space stays text, Markdown right under an HTML
tag is passed through as written. markup.py calls them while a talk renders.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.rules_core import StateCore

from .conflicts import CODE as CONFLICT
from .conflicts import HINT as CONFLICT_HINT
from .conflicts import conflicts, has_markers
from .errors import Diagnostic, Severity

if TYPE_CHECKING:
    from .markup import RenderContext


def line_within(content: str, needle: str, start: int = 0) -> int:
    """Lines from the start of `content` to `needle` (0 when it is not there)."""
    pos = content.find(needle, start)
    return content.count("\n", 0, pos) if pos >= 0 else 0


def unclosed_divs(state: StateCore) -> None:
    """markdown-it closes a `:::` div left open at the end of the talk; the author almost never meant that."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None:
        return
    lines = state.src.split("\n")
    for token in state.tokens:
        if token.type == "container_div_open" and token.map:
            end = token.map[1]
            if end >= len(lines) or not lines[end].lstrip().startswith(":::"):
                name = token.info.strip() or "div"
                ctx.diagnostics.append(Diagnostic(
                    Severity.WARNING, "unclosed-div", f"fenced div '::: {name}' is never closed: it runs to the end of the talk",
                    ctx.location(token.map[0]), hint="end it with a line ':::'"))


def merge_conflicts(state: StateCore) -> None:
    """git's conflict markers left in the talk: an error, since both versions would be published. Markers in
    a code block are the talk's own example (a lesson on git shows them), never a conflict."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None or not has_markers(state.src):
        return
    code = {line for token in state.tokens if token.type in ("fence", "code_block") and token.map
            for line in range(token.map[0] + (token.type == "fence"), token.map[1])}
    for conflict in conflicts(state.src.split("\n"), skip=code.__contains__):
        ctx.diagnostics.append(Diagnostic(
            Severity.ERROR, CONFLICT, conflict.message(ctx.line_offset + 1, "the talk"),
            ctx.location(conflict.start), hint=CONFLICT_HINT))


def unclosed_fences(state: StateCore) -> None:
    """A code fence never closed runs to the end of the talk: every later slide becomes code, silently."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None:
        return
    lines = state.src.count("\n") + (0 if state.src.endswith("\n") else 1)
    for token in state.tokens:
        if token.type != "fence" or not token.map or token.map[1] < lines:
            continue  # one that stops early (in a list item, a quote) swallows nothing after its container
        start, end = token.map
        content = token.content.count("\n") + (1 if token.content and not token.content.endswith("\n") else 0)
        if content == end - start - 1:  # every line after the opener is code: there is no closing fence
            opener = token.markup + token.info
            ctx.diagnostics.append(Diagnostic(
                Severity.WARNING, "unclosed-fence",
                f"this code block ('{opener}') is never closed and swallows the rest of the talk",
                ctx.location(start), hint=f"end it with {token.markup} on a line of its own"))


_UNPARSED = re.compile(r"(!?)\[[^\]\n]*\]\((?!<)([^()\s]+\s+[^()\s\"'][^()\n]*)\)")
"""A link or image CommonMark did not take because its address has a space (`![Chart](img/my chart.png)`):
it is shown as written. A space followed by a quote is a title (`(url "title")`), which CommonMark takes."""


def note_unparsed(ctx: RenderContext, text: str, base: int, content: str) -> None:
    for match in _UNPARSED.finditer(text):
        kind = "image" if match.group(1) else "link"
        address = match.group(2)
        ctx.diagnostics.append(Diagnostic(
            Severity.WARNING, "unparsed-link", f"this {kind} is shown as written, not as a{'n' if kind == 'image' else ''} "
            f"{kind}: its address '{address}' has a space", ctx.location(base + line_within(content, match.group(0))),
            hint=f"write it <{address}> or {address.replace(' ', '%20')}"))


_MARKDOWN_LINE = re.compile(r"\s*(?:[*+-]\s+\S|#{1,6}\s+\S|\d+[.)]\s+\S)|.*(?:!?\[[^\]\n]*\]\(|\*\*\S|`[^`\n]+`)")
"""A line that reads as Markdown (a list item, a heading; an image, a link, bold or code anywhere in it)."""
_RAW_TEXT_BLOCK = re.compile(r"\s*<(?:!--|script|style|pre|textarea)", re.IGNORECASE)


def note_markdown_in_html(ctx: RenderContext, html_text: str, base: int) -> None:
    """CommonMark ends an HTML block only at a blank line: Markdown written right under a tag (as pandoc and
    kramdown allow) is passed through as text, and an image in it is neither shown nor checked."""
    if _RAW_TEXT_BLOCK.match(html_text):
        return  # a comment, a script or preformatted text: what is in it is meant as written
    for n, line in enumerate(html_text.split("\n")[1:], start=1):
        if not line.lstrip().startswith("<") and _MARKDOWN_LINE.match(line):
            ctx.diagnostics.append(Diagnostic(
                Severity.WARNING, "markdown-in-html", "this Markdown is inside an HTML block, so it is shown as "
                f"written: '{line.strip()[:60]}'", ctx.location(base + n),
                hint="leave a blank line between the HTML tag and the Markdown, and another before the closing tag"))
            return


def span_attributes(state: StateCore) -> None:
    """A bracketed span's attributes it does not take (`[x]{#id}`, `{style=...}`): left out, so said."""
    ctx: RenderContext | None = state.env.get("tb")
    if ctx is None or "]{" not in state.src:
        return
    for token in state.tokens:
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            left_out = child.meta.get("insecure_attrs") if child.type == "span_open" else None
            if not left_out:
                continue
            names = ", ".join("#id" if name == "id" else name for name in left_out)
            first = next(iter(left_out))
            needle = "#" if first == "id" else first
            ctx.diagnostics.append(Diagnostic(
                Severity.WARNING, "span-attribute", f"a bracketed span takes only classes, lang and dir; "
                f"left out: {names}", ctx.location(token.map[0] + line_within(token.content, needle)),
                hint='for the others write the span in HTML: <span id="...">...</span>'))
