"""Line numbers and highlighted lines of a code block, written in its fence's info string.

reveal.js's ```` ```js [1,3-4] ```` highlights lines 1, 3 and 4; ```` ```js [1-2|3|4-6] ```` makes each `|` group a step
of the slide: the first group is highlighted at first, each press of Next highlights the next one (the whole block
is always shown; the other lines are dimmed). `[712: 1-2|3]` numbers the lines from 712 (the ranges still count from
the block's first line, as in reveal.js). As in reveal.js, a block with ranges has its lines numbered; `[]` numbers
them only. pandoc's `{.python .numberLines startFrom=10}` numbers them too, and reveal.js's
`{.js data-line-numbers="1|2"}` is read like the brackets.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BRACKET = re.compile(r"\[\s*(?:(\d*)\s*:)?([^\]]*)\]\s*$")
_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@dataclass(frozen=True)
class CodeLines:
    """What a fence asks of its lines."""

    groups: tuple[tuple[int, ...], ...] = ()
    """The lines highlighted at each step (1-based, within the block); one group is a highlight without steps."""
    ranges: tuple[str, ...] = ()
    """Each group as written (`4-6`), for the deck to announce."""
    numbered: bool = False
    start: int = 1
    problem: str = ""
    """What is wrong with the ranges as written, if anything: then none are highlighted."""

    @property
    def steps(self) -> int:
        """How many steps of the slide the block adds (its first group is shown with the slide)."""
        return max(0, len(self.groups) - 1)


def read_info(info: str, content: str) -> tuple[str, CodeLines]:
    """A fence's info string without its line ranges, and what it asks of the lines of `content`."""
    from .markup import div_classes  # markup renders fences with this module: imported when first needed

    text = info.strip()
    if text.startswith("{"):
        _, classes, attrs = div_classes(text)
        numbered = bool({"numberLines", "number-lines", "numberlines"} & set(classes)) or "data-line-numbers" in attrs
        start = attrs.get("startFrom", attrs.get("start-from", attrs.get("data-ln-start-from", "1")))
        lines = _parse(attrs.get("data-line-numbers", ""), content, numbered, start)
        return text, lines
    bracket = _BRACKET.search(text)
    if bracket is None:
        return text, CodeLines()
    return text[: bracket.start()].strip(), _parse(bracket.group(2), content, True, bracket.group(1) or "1")


def _parse(spec: str, content: str, numbered: bool, start: str) -> CodeLines:
    count = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
    if not start.strip().isdigit():
        return CodeLines(numbered=numbered, problem=f"the first line number {start!r} is not a number")
    first = int(start)
    if not spec.strip():
        return CodeLines(numbered=numbered, start=first)
    groups: list[tuple[int, ...]] = []
    problems: list[str] = []  # every range that names no line, so one build reports them all
    for part in spec.split("|"):
        lines: set[int] = set()
        for item in part.split(","):
            m = _RANGE.match(item)
            if m is None:
                problems.append(f"{item.strip()!r} is not a line or two joined by '-'")
                continue
            low, high = int(m.group(1)), int(m.group(2) or m.group(1))
            if high < low:
                problems.append(f"{item.strip()!r} runs backwards (write {high}-{low})")
            elif low < 1 or high > count:  # never counted out: `[1-300000000]` would fill memory
                problems.append(f"{item.strip()!r} is outside the block's lines 1-{count}")
            else:
                lines.update(range(low, high + 1))
        groups.append(tuple(sorted(lines)))
    if problems:
        return CodeLines(numbered=numbered, start=first,
                         problem=f"in [{spec.strip()}], line range {'; '.join(problems)}" if len(problems) == 1 else
                         f"in [{spec.strip()}], line ranges {'; '.join(problems)}")
    return CodeLines(tuple(groups), tuple(p.strip().replace(" ", "") for p in spec.split("|")), numbered, first)


def wrap(code: str, lines: CodeLines) -> str:
    """`code`, the HTML inside `<code>` (each line whole, as Pygments writes it), with a span around each line."""
    out = []
    rows = code.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    stepped = len(lines.groups) > 1
    for n, row in enumerate(rows, start=1):
        cls = "tb-line"
        attrs = ""
        if stepped:
            attrs = f' data-steps="{" ".join(str(k) for k, g in enumerate(lines.groups, start=1) if n in g)}"'
        elif lines.groups and n in lines.groups[0]:
            cls += " tb-hl"
        out.append(f'<span class="{cls}"{attrs}>{row}\n</span>')
    return "".join(out)


def block_attrs(lines: CodeLines) -> tuple[str, str]:
    """The classes (` tb-lines ...`) and attributes the `<div class="highlight">` of a block takes."""
    classes = " tb-lines"
    attrs = ""
    if lines.numbered:
        classes += " tb-numbered"
        if lines.start != 1:
            attrs = f' style="counter-reset: tb-line {lines.start - 1}"'
    if len(lines.groups) > 1:
        classes += " tb-line-steps"
    elif lines.groups:
        classes += " tb-line-highlight"
    return classes, attrs


def step_marks(lines: CodeLines) -> str:
    """An empty step (a `.fragment`) for each group after the first: the deck highlights the group of the last one shown."""
    return "".join(f'<span class="fragment tb-code-step" data-lines="{html.escape(r)}"></span>'
                   for r in lines.ranges[1:])


def wanted(lines: CodeLines) -> bool:
    """Whether the block's lines need wrapping at all."""
    return lines.numbered or bool(lines.groups)
