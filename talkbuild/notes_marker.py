"""Speaker notes marked as reveal.js and reveal-md mark them (`Note:`) or as remark does (`???`).

talkbuild's own notes are a `::: notes` block. A talk from another tool marks them with a line instead: from
that line to the end of the slide is notes. talkbuild reads such lines only when told to (`notes_separator`
in talkbuild.yml or the talk's front matter), since "Note: ..." is also ordinary text on a slide. When not
told, such a line is shown on the slide, as before, and a `notes-marker` warning says it may be notes shown to
the audience, and how to make it notes or silence the warning.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from markdown_it.token import Token

from .errors import Diagnostic, Severity

_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)

KNOWN_MARKERS = (("note:", "Note:", "reveal.js and reveal-md"), ("notes:", "Notes:", "reveal.js"),
                 ("???", "???", "remark"))
"""(line start, lowercase; as written in the hint; the tools that read it as the start of the notes)."""


SEPARATOR_HINT = 'for reveal-md talks: notes_separator: "Note:"'
"""The hint for a `notes_separator` that cannot be read, in talkbuild.yml and in front matter alike."""


def read_separator(value: Any) -> str | None:
    """A `notes_separator` setting as written: `false` -> "" (no marker, no warning), text -> the marker.
    Raises ValueError with the message for anything else."""
    if value is False or (isinstance(value, str) and value.strip().lower() in ("false", "no", "none", "off")):
        return ""
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise ValueError("'notes_separator' must be the text that starts the notes line, such as 'Note:' or '???', "
                         f"or false, not {value!r}")
    text = value.strip().removeprefix("^")  # reveal-md's is a regular expression, most often ^Note:
    if text.lower() in ("notes?:", "note(s)?:", "notes?\\:"):
        return "Note:"  # reveal.js's default, which Note: matches too (Note: and Notes:)
    if any(c in text for c in "\\[](){}*+|$") or ("?" in text and text != "???"):
        raise ValueError(f"'notes_separator' is the text a notes line starts with, not a regular expression: {value!r}")
    if not _starts_a_paragraph(text):
        raise ValueError(f"'notes_separator: {text}': a line that starts with it is not a paragraph in Markdown (it is a "
                         "heading, a rule, a list item, a quote or HTML), so it could never start the notes")
    return text


def _starts_a_paragraph(text: str) -> bool:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    for line in (text, f"{text} more"):
        tokens = md.parse(line)
        if not tokens or tokens[0].type != "paragraph_open" or not tokens[1].content.startswith(text):
            return False
    return True


def _marker_length(line: str, marker: str) -> int | None:
    """How long the marker is as the line (spaces before it aside) starts with it, in any case (`Note:` also takes
    reveal.js's `Notes:`); None when it does not. A marker that ends in a letter or digit must end a word:
    `Note` starts "Note that", not "Notebooks"."""
    start, marker = line.lstrip().lower(), marker.lower()
    if marker == "note:" and start.startswith("notes:"):
        return len("notes:")
    if not start.startswith(marker) or (marker[-1].isalnum() and start[len(marker):len(marker) + 1].isalnum()):
        return None
    return len(marker)


def cut_at_marker(body: list[Token], marker: str) -> tuple[list[Token], list[Token]] | None:
    """A slide's top-level tokens split where a line of a paragraph starts with `marker` (case does not
    matter): (shown, notes), the marker itself left out. None when no line does. Only paragraphs of the slide
    itself are cut: in a list, a quote or a block the line is warned of (`marker_warnings`); in code it is code."""
    for i, token in enumerate(body):
        if token.level != 0 or token.type != "paragraph_open" or i + 2 >= len(body):
            continue
        inline = body[i + 1]
        marked = _marked_line(inline, marker)
        if marked is None:
            continue
        before, after = _split_inline(inline, *marked)
        shown = body[:i] + ([token, before, body[i + 2]] if before else [])
        notes = ([_moved(token, after), after, body[i + 2]] if after else []) + body[i + 3:]
        return shown, notes
    return None


def marker_warnings(body: list[Token], location: Any, separator: str | None,
                    source_line: Callable[[int], str]) -> list[Diagnostic]:
    """A `notes-marker` warning for each block of a slide with a source line that starts the notes in another
    tool and is shown on the slide: with no `notes_separator`, any such line; with one, a line inside a list, a
    quote or a block (not cut there), or another tool's marker. None with `notes_separator: false`. The line as
    written counts: `- Note: ...` is a list item, not notes, in reveal.js too; an HTML comment is not shown."""
    if separator == "":
        return []
    found = []
    for i, token in enumerate(body):
        if token.type == "inline" and token.map and i > 0 and body[i - 1].type == "paragraph_open":
            nested = token.level > 1
        elif token.type == "html_block" and token.map:
            nested = True
        else:
            continue
        written = "\n".join(source_line(n) for n in range(token.map[0], token.map[1]))
        if token.type == "html_block":  # a comment's lines blanked, not dropped: the line numbers stay
            written = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), written)
        for n, line in enumerate(written.split("\n")):
            known = next((m for m in KNOWN_MARKERS if line.lstrip().lower().startswith(m[0])), None)
            if known is None:
                continue
            _start, as_written, tools = known
            covered = separator is not None and _marker_length(line, separator) is not None
            if covered and not nested:
                continue  # cut there (after the first cut, the rest of the slide is notes and not looked at)
            found.append(_warning(as_written, tools, separator, covered, nested, location(token.map[0] + n)))
            break
    return found


def heading_warnings(tokens: list[Token], separator: str | None, location: Any) -> list[Diagnostic]:
    """A `notes-marker` warning for each slide heading made of a notes line: `Note: ...` (the talk's
    `notes_separator`, or another tool's marker when none is set) written right above `---`, with no blank line
    between. CommonMark makes such a line a heading (a setext heading, `---` its underline): the slide's title, shown
    to the audience, where reveal-md read the notes and then a slide break. None with `notes_separator: false`."""
    if separator == "":
        return []
    markers = [separator] if separator else [as_written for _start, as_written, _tools in KNOWN_MARKERS]
    found = []
    for i, token in enumerate(tokens):
        if not (token.type == "heading_open" and token.level == 0 and token.markup == "-" and token.map):
            continue
        for n, line in enumerate(tokens[i + 1].content.split("\n")):
            marker = next((m for m in markers if _marker_length(line, m) is not None), None)
            if marker is None:
                continue
            found.append(Diagnostic(
                Severity.WARNING, "notes-marker",
                f"'{line.strip()}' is right above a '---' line, which makes it a heading in Markdown: the title of a "
                "slide, shown to the audience, and no slide break, where reveal-md read notes and then the next slide",
                location(token.map[0] + n),
                hint="leave a blank line before the '---'; in a talk from reveal-md, 'slide_addresses: revealjs' "
                     "reads such lines as reveal-md did"))
            break
    return found


def _warning(written: str, tools: str, separator: str | None, covered: bool, nested: bool, where: Any) -> Diagnostic:
    setting = (f"set 'notes_separator: \"{written}\"' in talkbuild.yml or the talk's front matter (or put the notes in a "
               "'::: notes' block); to keep it on the slide, set 'notes_separator: false'")
    if separator is not None and not covered:
        hint = (f"this talk's notes start at a line '{separator}' (notes_separator): write that instead, or put the "
                "notes in a '::: notes' block")
    elif nested:
        hint = ("it is inside a list, a quote or a block, where it does not start the notes: leave a blank line "
                "before it, outside the list or block" + ("" if covered else "; then " + setting))
    else:
        hint = "to read the rest of the slide as notes, " + setting
    return Diagnostic(Severity.WARNING, "notes-marker",
                      f"'{written}' starts the speaker notes in {tools}, but talkbuild shows this on the slide, "
                      "to the audience", where, hint=hint)


def _marked_line(inline: Token, marker: str) -> tuple[int, int] | None:
    """(index of the child that starts a line beginning with `marker`, the marker's length there), or None."""
    children = inline.children or []
    for k, child in enumerate(children):
        at_line_start = k == 0 or children[k - 1].type in ("softbreak", "hardbreak")
        length = _marker_length(child.content, marker) if at_line_start and child.type == "text" else None
        if length is not None:
            return k, length
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


def _moved(paragraph_open: Token, notes: Token) -> Token:
    """The paragraph's opening token for its part that became notes (at the marked line, for messages)."""
    moved = copy.copy(paragraph_open)
    if notes.map:
        moved.map = list(notes.map)
    return moved
