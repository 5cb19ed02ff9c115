"""Where in the Markdown source each link of a paragraph was written: line and column.

markdown-it gives a paragraph's first line only. Searching the paragraph for a link's URL from its start
pinned every repeat of one URL (`[a](x)` ... `[b](x)` on the next line) to the first place it is written,
and the report of the second was lost. Instead the inline rules that make links, images and inline HTML are
wrapped to record where in the paragraph each one starts and ends, as they parse it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

SPAN = "tb_span"
"""token.meta key: (start, end) offsets of the token's source in its inline token's content."""
_TRACKED = ("link", "image", "autolink", "html_inline")
_MADE = frozenset({"link_open", "image", "html_inline"})


def track_spans(md: MarkdownIt) -> None:
    """Make the inline rules that create links, images and inline HTML note their source span."""
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    for name in _TRACKED:
        if name in rules:
            md.inline.ruler.at(name, _spanned(rules[name]))


def _spanned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def run(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:
            # The rule may first flush pending text into a token of its own: skip it.
            made = next((t for t in state.tokens[count:] if t.type in _MADE), None)
            if made is not None:
                made.meta[SPAN] = (start, state.pos)
        return found

    return run


def place(token: Token, content: str, first_line: int, source_lines: Sequence[str],
          needle: str = "", after: int = 0) -> tuple[int, int | None]:
    """(0-based source line, 1-based column or None) of `needle` (the URL) within the token's source span,
    or of the span's start when the needle is not written there (a reference link's URL is in its definition).

    `content` is the inline token's content, `first_line` its map[0], `source_lines` what was parsed; `after`
    where on `first_line` the content starts at the earliest (see `position`).
    """
    span = token.meta.get(SPAN)
    if span is None:
        return first_line, None
    start, end = span
    pos = content.find(needle, start, end) if needle else -1
    return position(content, pos if pos >= 0 else start, first_line, source_lines, after)


def position(content: str, pos: int, first_line: int, source_lines: Sequence[str],
             after: int = 0) -> tuple[int, int | None]:
    """Source line and column of offset `pos` of `content`, text markdown-it took from the source starting on
    line `first_line` (dropping indentation, `> ` and list markers, which the column adds back).

    `after`: the content's first line is not written before this offset of the source line. A table row's
    cells are inline tokens of their own on one line: `| [t](a.md) | [t](a.md) |` has two cells with the
    same text, and looking for the second from the line's start found the first.
    """
    line = first_line + content.count("\n", 0, pos)
    start = content.rfind("\n", 0, pos) + 1
    end = content.find("\n", pos)
    written = content[start:end if end >= 0 else None].rstrip()
    if not 0 <= line < len(source_lines) or not written.strip():
        return line, None
    shift, escapes = _find(source_lines[line], written, after if line == first_line else 0)
    if shift < 0:
        shift, escapes = _find(source_lines[line], written, 0)
    # A table cell's `\|` is `|` in its content: each one before `pos` is one more character in the source.
    return line, (shift + pos - start + 1 + (written[: pos - start].count("|") if escapes else 0) if shift >= 0 else None)


def _find(source_line: str, written: str, after: int) -> tuple[int, bool]:
    """Where `written` is in `source_line` from `after` on, and whether it is there with its `|` escaped as `\\|`
    (a table cell; markdown-it unescapes them); -1 when it is not there."""
    at = source_line.find(written, after)
    if at >= 0 or "|" not in written:
        return at, False
    return source_line.find(written.replace("|", "\\|"), after), True


def cell_end(content: str, first_line: int, source_lines: Sequence[str], after: int) -> int:
    """Where on `first_line` the text of an inline token (`content`) written there from `after` on ends: the
    next cell of a table row is looked for from there. `after` itself when it is not found."""
    first = content.split("\n", 1)[0].strip()
    if not first or not 0 <= first_line < len(source_lines):
        return after
    at, escapes = _find(source_lines[first_line], first, after)
    return at + len(first) + (first.count("|") if escapes else 0) if at >= 0 else after
