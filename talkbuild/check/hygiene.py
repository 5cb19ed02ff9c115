"""Talk hygiene warnings: empty slides, skipped heading levels, no author or date."""

from __future__ import annotations

import re

from ..conflicts import UNREAD
from ..errors import Diagnostic, Severity, SourceLocation
from ..models import Heading, Talk

_TAG = re.compile(r"<[^>]*>")
_MEDIA = re.compile(r"<(img|video|audio|iframe|svg|math|object|embed|canvas|table|picture)\b", re.IGNORECASE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def check_hygiene(talk: Talk) -> list[Diagnostic]:
    """Warnings about one talk, from what the parser recorded (no second reading of the Markdown)."""
    found: list[Diagnostic] = []
    start = SourceLocation(talk.source.path, 1)
    # Front matter in error (`date: 2024-02-31`) is reported as that error, not also as a missing field.
    front_matter_ok = not any(d.is_error and d.code in UNREAD for d in talk.diagnostics)
    if not talk.meta.authors and front_matter_ok:
        found.append(Diagnostic(Severity.WARNING, "no-author", "the talk has no author", start,
                                hint="add 'author: Your Name' to the front matter"))
    if talk.meta.date is None and not talk.meta.date_text and front_matter_ok:
        found.append(Diagnostic(Severity.WARNING, "no-date", "the talk has no date", start,
                                hint="add 'date: 2024-05-18' to the front matter"))
    for slide in talk.slides:
        if slide.kind == "slide" and not slide.title.strip() and _is_empty(slide.body_html):
            found.append(Diagnostic(Severity.WARNING, "empty-slide", "this slide is empty",
                                    SourceLocation(talk.source.path, slide.line),
                                    hint="remove the extra '---' or give the slide content"))
    found.extend(_heading_skips(talk))
    return found


def _is_empty(body_html: str) -> bool:
    return not _TAG.sub("", body_html).strip() and not _MEDIA.search(body_html)


def _heading_skips(talk: Talk) -> list[Diagnostic]:
    """Headings written more than one level below the heading before them, judged as the pages show them: the
    talk's title is the <h1>, each slide's heading is where the theme puts it (an untitled slide's is hidden but
    there), and the headings inside a slide follow it (heading_levels.py)."""
    shift = next((h.shown - h.written for h in talk.headings if h.written < 6), 0)
    untitled = 3 if talk.sections else 2
    # An untitled slide's hidden heading comes before what is written on the slide's first line.
    events = sorted([(h.line, 1, h) for h in talk.headings]
                    + [(s.line, 0, Heading(0, s.line, untitled, True)) for s in talk.slides
                       if s.kind == "slide" and not s.title])
    found: list[Diagnostic] = []
    previous = 1
    for _line, _order, heading in events:
        if heading.shown > previous + 1 and not heading.slide:  # a slide's heading is where the theme puts it
            shown = f", an <h{heading.shown}> on the page," if shift else ""
            found.append(Diagnostic(
                Severity.WARNING, "heading-skip",
                f"heading level {heading.written}{shown} follows an <h{previous}>: a level is skipped",
                SourceLocation(talk.source.path, heading.line),
                hint=f"use {'#' * max(1, previous + 1 - shift)} here, or add the missing level above"))
        previous = heading.shown
    return found
