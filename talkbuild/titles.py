"""Talks the index could not tell apart: two entries with one title read the same, to a screen reader
above all (every link is named by the title). The index shows such talks' paths; identical entries warn."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Diagnostic, Severity, SourceLocation
from .index_list import folder_of, title_key
from .models import Talk


def shared_titles(talks: Sequence[Talk]) -> dict[str, str]:
    """Slug -> the path to show under the title, for each talk whose title another talk has too."""
    count: dict[str, int] = {}
    for talk in talks:
        count[title_key(talk)] = count.get(title_key(talk), 0) + 1
    return {talk.slug: talk.slug for talk in talks if count[title_key(talk)] > 1}


def duplicate_titles(talks: Sequence[Talk], by_folder: bool = False) -> list[Diagnostic]:
    """A warning for each talk whose title, date and authors are another's: their index entries look the same.
    `by_folder` (index_group: folder): talks under different folder headings do not (every week's "Lab")."""
    first: dict[tuple[str, str, tuple[str, ...], str], Talk] = {}
    problems: list[Diagnostic] = []
    for talk in sorted(talks, key=lambda t: t.source.path):
        key = (title_key(talk), talk.meta.date_text or "", talk.meta.authors, folder_of(talk) if by_folder else "")
        other = first.setdefault(key, talk)
        if other is not talk:
            problems.append(Diagnostic(
                Severity.WARNING, "duplicate-title",
                f"'{talk.meta.title}' is also the title of {other.source.path}, with the same date and author: "
                "readers of the index cannot tell the two apart", SourceLocation(talk.source.path),
                hint="give one of them another title; until then the index shows each one's path"))
    return problems
