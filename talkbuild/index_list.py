"""How the site index lists the talks: in which order (`index_order`) and, with `index_group: folder`, under
which folder. A course keeps its weeks in folders: week2 before week10, each week's overview (its index.md)
first, the syllabus at the top, as MkDocs and Hugo list a site's sections."""

from __future__ import annotations

import math
import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import moment
from .models import Talk
from .titles import shared_titles


@dataclass(frozen=True)
class IndexGroup:
    """The talks of one folder; `folder` "" for the talks listed without a heading (those at the top of talks/)."""

    folder: str
    title: str
    """The heading: the title of the folder's own index.md talk, else the folder's path."""
    talks: tuple[Talk, ...]
    shared_titles: frozenset[str] = frozenset()
    """Slugs of its talks whose title another of its talks has: the heading does not tell those apart."""


def index_ordered(talks: Sequence[Talk], order: str) -> list[Talk]:
    """`newest` (dated talks first, newest first; undated last), `oldest` (dated talks oldest first, undated
    last), `path` (as a course is laid out: week2 before week10, a folder's index.md first), `title`.
    Names compare as a library catalogue (DIN 5007-1) lists them: numbers as numbers, without regard to case or
    accents (Ä with A, É with E), names that still tie by their exact text so the order is always the same."""
    if order == "path":
        return sorted(talks, key=lambda t: (_natural(t.slug), t.slug))
    if order == "title":
        return sorted(talks, key=lambda t: (_natural(t.meta.title), t.meta.title, _natural(t.slug), t.slug))
    newest = sorted(talks, key=_newest_first)
    if order == "oldest":
        dated = [t for t in newest if t.meta.date is not None]
        return dated[::-1] + [t for t in newest if t.meta.date is None]
    return newest


def index_groups(ordered: Sequence[Talk], grouping: str) -> list[IndexGroup]:
    """The talks in one group (`none`), or by folder (`folder`): the talks at the top of talks/ first (with a
    top-level folder that holds nothing but its index.md: that is a page, not a section), then each folder where
    its first talk is in `ordered`, its own index.md talk leading it."""
    if grouping != "folder":
        return [IndexGroup("", "", tuple(ordered))]
    folders: dict[str, list[Talk]] = {}
    for talk in ordered:
        folders.setdefault(folder_of(talk), []).append(talk)
    alone = {name for name, members in folders.items()
             if name and "/" not in name and [_is_index(t, name) for t in members] == [True]}
    top = [t for t in ordered if folder_of(t) in {"", *alone}]
    groups = [IndexGroup("", "", tuple(top))] if top else []
    for name, members in folders.items():
        if name and name not in alone:
            own = [t for t in members if _is_index(t, name)]
            rest = [t for t in members if t not in own]
            groups.append(IndexGroup(name, own[0].meta.title if own else name, tuple(own + rest),
                                     frozenset(shared_titles(members))))
    return groups


def folder_of(talk: Talk) -> str:
    """`week2` for talks/week2/plotting.md and for talks/week2/index.md; "" for talks/intro.md."""
    return talk.slug if _is_index(talk, talk.slug) else posixpath.dirname(talk.slug)


def _is_index(talk: Talk, folder: str) -> bool:
    """Whether the talk is `folder`'s own index.md."""
    return talk.slug == folder and ("/" + talk.source.path.rsplit(".", 1)[0]).endswith(f"/{folder}/index")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Text with its numbers compared as numbers ('week2' before 'week10'), and without regard to case or accents."""
    return tuple((0, int(part)) if part.isdecimal() else (1, part) for part in re.split(r"(\d+)", collation_key(text))
                 if part)


def collation_key(text: str) -> str:
    """`text` as a catalogue compares it first: "Äpfel" as "apfel", "Straße" as "strasse", "Ｗｅｅｋ" as "week".
    Compatibility decomposition (NFKD) splits Ä into A and a combining diaeresis and half/full-width forms into
    their plain letters; the marks are dropped and the rest casefolded (ß -> ss). Unicode's collation algorithm
    would order some scripts better, but needs ICU, a dependency this one comparison does not warrant."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in folded if not unicodedata.category(c).startswith("M"))


def _newest_first(talk: Talk) -> tuple[int, int, float, tuple[tuple[int, int | str], ...],
                                       tuple[tuple[int, int | str], ...], str]:
    """By day, newest first; a day's talks with a time by that moment, latest first, then those without one."""
    date = talk.meta.date
    at = moment(talk.meta.date_text, date)
    return (0 if date else 1, -(date.toordinal() if date else 0), -at if at is not None else math.inf,
            _natural(talk.meta.title), _natural(talk.slug), talk.slug)
