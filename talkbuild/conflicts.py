"""Merge-conflict markers left in a file: `<<<<<<<`, `=======`, `>>>>>>>` (and diff3's `|||||||`).

git writes them into a talk or talkbuild.yml when a merge, a rebase or a `stash pop` conflicts. Rendered as
Markdown they lose content silently (`=======` makes the line above a heading, `>>>>>>>` seven nested
quotes, and both versions show); read as YAML they are a syntax error that seems to be about quoting. So
each conflict is one error, at the line where git wrote `<<<<<<<`, whatever else is wrong around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_START = re.compile(r"<{7}(?: |$)")
_END = re.compile(r">{7}(?: |$)")

CODE = "merge-conflict"
UNREAD = frozenset({"front-matter", CODE})
"""Error codes after which a talk's rendering is not what its author means: serve keeps its last good pages,
and check adds no warnings about what seems to be missing from it."""
HINT = ("keep the lines you want, delete the <<<<<<<, ======= and >>>>>>> lines (and |||||||'s, with diff3), "
        "then `git add` the file")


@dataclass(frozen=True)
class Conflict:
    """One conflicted region, by 0-based line index in the lines searched."""

    start: int
    """The `<<<<<<<` line (or the first marker found, when the region's start is not among the lines)."""
    end: int | None
    """The `>>>>>>>` line; None when the region is never closed in these lines."""

    def message(self, first_line: int, what: str) -> str:
        """`first_line`: the file line of index 0; `what`: "the talk", "talkbuild.yml"..."""
        start = first_line + self.start
        lines = f"lines {start}–{first_line + self.end}" if self.end is not None else f"from line {start}"
        return f"unresolved merge conflict ({lines}): both versions are in {what}"


def conflicts(lines: Sequence[str], skip: Callable[[int], bool] = lambda index: False) -> list[Conflict]:
    """The conflicts among `lines`; lines for which `skip(index)` is true (code blocks, which may show
    markers on purpose in a talk about git) are never markers."""
    found: list[Conflict] = []
    opened: int | None = None
    for index, line in enumerate(lines):
        if skip(index):
            continue
        text = line.rstrip("\r")
        if _START.match(text):
            opened = index if opened is None else opened
        elif _END.match(text):
            found.append(Conflict(index if opened is None else opened, index))
            opened = None
    if opened is not None:
        found.append(Conflict(opened, None))
    return found


def has_markers(text: str) -> bool:
    """A quick test before the line-by-line search: most files have none."""
    return "<<<<<<<" in text or ">>>>>>>" in text
