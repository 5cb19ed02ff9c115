"""Speaker notes marked as reveal.js and reveal-md mark them (`Note:`) or as remark does (`???`).

talkbuild's own notes are a `::: notes` block. A talk from another tool marks them with a line instead: from
that line to the end of the slide is notes. talkbuild reads such lines only when told to (`notes_separator`
in talkbuild.yml or the talk's front matter), since "Note: ..." is also ordinary text on a slide. When not
told, such a line is shown on the slide, as before, and a `notes-marker` warning says it may be notes shown to
the audience, and how to make it notes or silence the warning.
"""

from __future__ import annotations

import copy
from typing import Any

from markdown_it.token import Token

from .errors import Diagnostic, Severity

KNOWN_MARKERS = (("note:", "Note:", "reveal.js and reveal-md"), ("notes:", "Notes:", "reveal.js"),
                 ("???", "???", "remark"))
"""(line start, lowercase; as written in the hint; the tools that read it as the start of the notes)."""


def read_separator(value: Any) -> str | None:
    """A `notes_separator` setting as written: `false` -> "" (no marker, no warning), text -> the marker.
    Raises ValueError with the message for anything else."""
    if value is False or (isinstance(value, str) and value.strip().lower() in ("false", "no", "none", "off")):
        return ""
    if isinstance(value, str) and value.strip() and "\n" not in value.strip():
        return value.strip()
    raise ValueError("'notes_separator' must be the text that starts the notes line, such as 'Note:' or '???', "
                     f"or false, not {value!r}")


def cut_at_marker(body: list[Token], marker: str) -> tuple[list[Token], list[Token]] | None:
    """A slide's top-level tokens split where a line of a paragraph starts with `marker` (case does not
    matter): (shown, notes), the marker itself left out. None when no line starts with it. Code blocks,
    lists and quotes are not searched (reveal.js would cut inside them too: a `Note:` in code is code)."""
    for i, token in enumerate(body):
        if token.level != 0 or token.type != "paragraph_open" or i + 2 >= len(body):
            continue
        inline = body[i + 1]
        start = _marked_line(inline, marker.lower())
        if start is None:
            continue
        before, after = _split_inline(inline, start, len(marker))
        shown = body[:i] + ([token, before, body[i + 2]] if before else [])
        notes = ([_moved(token, inline, after), after, body[i + 2]] if after else []) + body[i + 3:]
        return shown, notes
    return None


def marker_warnings(body: list[Token], location: Any) -> list[Diagnostic]:
    """A `notes-marker` warning for each paragraph line of a slide that starts the notes in another tool."""
    found = []
    for i, token in enumerate(body):
        if token.level != 0 or token.type != "paragraph_open" or i + 1 >= len(body):
            continue
        lines = body[i + 1].content.split("\n")
        for n, line in enumerate(lines):
            known = next((m for m in KNOWN_MARKERS if line.lstrip().lower().startswith(m[0])), None)
            if known is None:
                continue
            start, written, tools = known
            found.append(Diagnostic(
                Severity.WARNING, "notes-marker",
                f"'{written}' starts the speaker notes in {tools}, but talkbuild shows this on the slide, to the audience",
                location((token.map[0] if token.map else 0) + n),
                hint=f"to read the rest of the slide as notes, set 'notes_separator: \"{written}\"' in talkbuild.yml or "
                     "the talk's front matter (or put the notes in a '::: notes' block); to keep it on the slide, "
                     "set 'notes_separator: false'"))
            break
    return found


def _marked_line(inline: Token, marker: str) -> int | None:
    """Index of the child that starts a line beginning with `marker`, or None."""
    children = inline.children or []
    for k, child in enumerate(children):
        at_line_start = k == 0 or children[k - 1].type in ("softbreak", "hardbreak")
        if at_line_start and child.type == "text" and child.content.lstrip().lower().startswith(marker):
            return k
    return None


def _split_inline(inline: Token, k: int, marker_length: int) -> tuple[Token | None, Token | None]:
    """The paragraph's inline token cut before child `k` (and its line break), the marker dropped from the
    rest; None for a side left with nothing to show."""
    children = inline.children or []
    head = children[:k]
    while head and head[-1].type in ("softbreak", "hardbreak"):
        head = head[:-1]
    first = copy.copy(children[k])
    first.content = first.content.lstrip()[marker_length:].lstrip()
    tail = ([first] if first.content else []) + children[k + 1:]
    while tail and tail[0].type in ("softbreak", "hardbreak"):
        tail = tail[1:]
    lines = inline.content.split("\n")
    marked = sum(1 for c in children[:k] if c.type in ("softbreak", "hardbreak"))
    rest = lines[marked].lstrip()[marker_length:].lstrip()
    return (_inline(inline, head, "\n".join(lines[:marked])),
            _inline(inline, tail, "\n".join(([rest] if rest else []) + lines[marked + 1:]), marked))


def _inline(inline: Token, children: list[Token], content: str, first_line: int = 0) -> Token | None:
    if not children:
        return None
    part = copy.copy(inline)
    part.children, part.content = children, content
    if inline.map:
        part.map = [inline.map[0] + first_line, inline.map[1]]
    return part


def _moved(paragraph_open: Token, old: Token, new: Token) -> Token:
    """The paragraph's opening token for its part that became notes (at the marked line, for messages)."""
    moved = copy.copy(paragraph_open)
    if new.map and old.map:
        moved.map = list(new.map)
    return moved
