"""Talks the index could not tell apart: two entries with one title read the same, to a screen reader
above all (every link is named by the title). The index shows such talks' paths; identical entries warn."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .errors import Diagnostic, Severity, SourceLocation
from .models import Talk


def title_key(talk: Talk) -> str:
    """A talk's title as a reader tells titles apart: spaces and case aside."""
    return " ".join(talk.meta.title.split()).casefold()


def shared_titles(talks: Sequence[Talk]) -> dict[str, str]:
    """Slug -> the path to show under the title, for each talk whose title another talk has too."""
    count: dict[str, int] = {}
    for talk in talks:
        count[title_key(talk)] = count.get(title_key(talk), 0) + 1
    return {talk.slug: talk.slug for talk in talks if count[title_key(talk)] > 1}


def duplicate_titles(talks: Sequence[Talk], folder: Callable[[Talk], str] | None = None) -> list[Diagnostic]:
    """A warning for each talk whose title, date and authors are another's: their index entries look the same.
    `folder` (index_group: folder): the heading a talk is listed under; talks under different ones do not look
    the same (every week's "Lab")."""
    first: dict[tuple[str, str, tuple[str, ...], str], Talk] = {}
    problems: list[Diagnostic] = []
    for talk in sorted(talks, key=lambda t: t.source.path):
        key = (title_key(talk), talk.meta.date_text or "", talk.meta.authors, folder(talk) if folder else "")
        other = first.setdefault(key, talk)
        if other is not talk:
            problems.append(Diagnostic(
                Severity.WARNING, "duplicate-title",
                f"'{talk.meta.title}' is also the title of {other.source.path}, with the same date and author: "
                "readers of the index cannot tell the two apart", SourceLocation(talk.source.path),
                hint="give one of them another title; until then the index shows each one's path"))
    return problems
