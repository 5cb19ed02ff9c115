"""Talk hygiene warnings: empty slides, skipped heading levels, no author or date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Diagnostic, Severity, SourceLocation
from ..models import Talk

_TAG = re.compile(r"<[^>]*>")
_MEDIA = re.compile(r"<(img|video|audio|iframe|svg|math|object|embed|canvas|table|picture)\b", re.IGNORECASE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def check_hygiene(talk: Talk, source_text: str | None) -> list[Diagnostic]:
    """Warnings about one talk; `source_text` is its Markdown file (LF line endings), when readable."""
    found: list[Diagnostic] = []
    start = SourceLocation(talk.source.path, 1)
    if not talk.meta.authors:
        found.append(Diagnostic(Severity.WARNING, "no-author", "the talk has no author", start,
                                hint="add 'author: Your Name' to the front matter"))
    if talk.meta.date is None and not talk.meta.date_text:
        found.append(Diagnostic(Severity.WARNING, "no-date", "the talk has no date", start,
                                hint="add 'date: 2024-05-18' to the front matter"))
    for slide in talk.slides:
        if slide.kind == "slide" and not slide.title.strip() and _is_empty(slide.body_html):
            found.append(Diagnostic(Severity.WARNING, "empty-slide", "this slide is empty",
                                    SourceLocation(talk.source.path, slide.line),
                                    hint="remove the extra '---' or give the slide content"))
    if source_text is not None:
        for line, previous, level in _skipped_levels(source_text):
            found.append(Diagnostic(Severity.WARNING, "heading-skip",
                                    f"heading level {level} follows level {previous}: a level is skipped",
                                    SourceLocation(talk.source.path, line),
                                    hint=f"use {'#' * (previous + 1)} here, or add the missing level above"))
    return found


def _is_empty(body_html: str) -> bool:
    return not _TAG.sub("", body_html).strip() and not _MEDIA.search(body_html)


def _skipped_levels(text: str) -> Iterator[tuple[int, int, int]]:
    """(line, previous level, level) of each heading more than one level below the one before it.

    The talk's title (front matter) counts as level 1, so a talk may start with # or ##.
    """
    lines = text.split("\n")
    first = 0
    if lines and lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        first = end + 1 if end is not None else 0
    previous = 1
    fence: str | None = None
    paragraph = False  # the line before could be the text of a setext heading
    for i in range(first, len(lines)):
        line = lines[i]
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        if fence_match:
            fence, paragraph = fence_match.group(1), False
            continue
        level = 0
        atx = _ATX.match(line)
        setext = _SETEXT.match(line)
        if atx:
            level = len(atx.group(1))
        elif setext and paragraph:
            level = 1 if setext.group(1)[0] == "=" else 2
        if level:
            if level > previous + 1:
                # A setext heading's line is its text line, where the author sees the title.
                yield (i if setext and not atx else i + 1), previous, level
            previous = level
            paragraph = False
            continue
        paragraph = bool(line.strip()) and not line.startswith(("    ", "\t"))
