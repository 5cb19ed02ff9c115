"""Pandoc fenced divs (`::: notes`, `::: {.columns}`) as a markdown-it block rule.

Unlike mdit-py-plugins' container plugin, a closing `:::` closes the innermost open div, as in pandoc,
so `::: columns` / `::: column` / `:::` / `:::` nests with fences of one length. A bare `:::` never
opens a div. Tokens are `container_div_open` / `container_div_close`, with the attributes in `info`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_FENCE = re.compile(r"(:{3,})\s*(.*?)\s*:*\s*$")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")


def fenced_div_plugin(md: MarkdownIt, render: Callable[..., str]) -> None:
    md.block.ruler.before("fence", "fenced_div", _fenced_div, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.add_render_rule("container_div_open", render)
    md.add_render_rule("container_div_close", render)


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]: state.eMarks[n]]


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # Tried at the start of every block of every talk: most lines fail on their first characters.
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith(":::", start):
        return False
    opener = _FENCE.match(_line(state, start_line))
    if opener is None or not opener.group(2):
        return False
    if silent:
        return True
    depth, fence, next_line = 1, None, start_line
    while True:
        next_line += 1
        if next_line >= end_line:
            break  # unclosed: runs to the end of its parent (reported by markup's unclosed_divs rule)
        text = _line(state, next_line)
        if state.sCount[next_line] < state.blkIndent and text:
            break
        code = _CODE_FENCE.match(text)
        if fence is not None:
            if code and code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence) and not text[len(code.group(1)):].strip():
                fence = None
            continue
        if code:
            fence = code.group(1)
            continue
        match = _FENCE.match(text)
        if match is None or state.sCount[next_line] - state.blkIndent >= 4:
            continue
        depth += 1 if match.group(2) else -1
        if depth == 0:
            break
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = next_line
    token = state.push("container_div_open", "div", 1)
    token.markup, token.block, token.info, token.map = opener.group(1), True, opener.group(2), [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("container_div_close", "div", -1)
    token.markup, token.block = ":::", True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = next_line + (1 if next_line < end_line else 0)
    return True


