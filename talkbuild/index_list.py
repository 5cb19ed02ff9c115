"""How the site index lists the talks: in which order (`index_order`) and, with `index_group`, under which
heading. A course keeps its weeks in folders (`folder`: week2 before week10, each week's overview (its index.md)
first, the syllabus at the top, as MkDocs and Hugo list a site's sections); a conference lists its days (`day`),
a research group its years (`year`)."""

from __future__ import annotations

import datetime
import math
import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import iso_date, moment
from .models import Talk
from .titles import shared_titles

DATE_GROUPS = ("year", "month", "day")
"""The `index_group` values that list the talks under their dates' headings."""
_PRECISION = {"day": 0, "month": 1, "year": 2}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
UNDATED = "undated"
"""The id of the heading of the talks without a date (listed last), beside ids such as `2026-03-04`."""


@dataclass(frozen=True)
class IndexGroup:
    """The talks under one heading: a folder's, or a day's, month's or year's. `title` "" for the talks listed
    without a heading (with `index_group: folder`, those at the top of talks/)."""

    folder: str
    """The folder's path (`index_group: folder`); "" for the talks at the top of talks/ and for a date's group."""
    title: str
    """The heading: the title of the folder's own index.md talk, else the folder's path; for a date's group
    `Tuesday 3 March 2026`, `March 2026`, `2026` or `Undated` (talkbuild's English, as its other words)."""
    talks: tuple[Talk, ...]
    shared_titles: frozenset[str] = frozenset()
    """Slugs of its talks whose title another of its talks has: the heading does not tell those apart."""
    anchor: str = ""
    """The id of a date's heading (`2026-03-04`, `2026-03`, `2026`, `undated`), so `index.html#2026-03-04` can be
    linked; "" for a folder's (the theme numbers those)."""
    when: str = ""
    """A date's group in ISO 8601, as precise as its heading, for `<time datetime>`; "" for a folder or undated."""


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


def index_groups(ordered: Sequence[Talk], grouping: str, order: str = "newest") -> list[IndexGroup]:
    """The talks in one group (`none`), by date (`year`, `month`, `day`: date_groups) or by folder (`folder`):
    the talks at the top of talks/ first (with a top-level folder that holds nothing but its index.md: that is a
    page, not a section), then each folder where its first talk is in `ordered`, its own index.md talk leading it."""
    if grouping in DATE_GROUPS:
        return date_groups(ordered, grouping, order)
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


def date_groups(ordered: Sequence[Talk], grouping: str, order: str) -> list[IndexGroup]:
    """The talks by year, month or day, each group's talks in `ordered`'s order. The groups come newest first, or
    oldest first with `index_order: oldest`; the undated talks last. A talk written less precisely than the
    grouping (`March 2026` under `day`) has a group of its own (`March 2026`), after that month's days when
    newest first, as the talk itself sorts after them."""
    members: dict[tuple[datetime.date, str] | None, list[Talk]] = {}
    for talk in ordered:
        date = talk.meta.date
        if date is None:
            members.setdefault(None, []).append(talk)
            continue
        precision = max(grouping, talk.meta.date_precision, key=lambda p: _PRECISION.get(p, 0))
        start = date.replace(day=1) if precision == "month" else date.replace(month=1, day=1) if precision == "year" else date
        members.setdefault((start, precision), []).append(talk)
    dated = sorted((key for key in members if key is not None),
                   key=lambda k: (k[0].toordinal(), -_PRECISION[k[1]]) if order == "oldest"
                   else (-k[0].toordinal(), _PRECISION[k[1]]))
    groups = [IndexGroup("", _date_heading(start, precision), tuple(members[(start, precision)]),
                         frozenset(shared_titles(members[(start, precision)])), iso_date(start, precision),
                         iso_date(start, precision)) for start, precision in dated]
    if None in members:
        groups.append(IndexGroup("", "Undated", tuple(members[None]), frozenset(shared_titles(members[None])),
                                 UNDATED))
    return groups


def _date_heading(start: datetime.date, precision: str) -> str:
    """`Tuesday 3 March 2026`, `March 2026` or `2026`: in English, as the rest of talkbuild's words (the site
    shows talks' dates as written and has no names of days or months of its own in other languages)."""
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return f"{_WEEKDAYS[start.weekday()]} {start.day} {_MONTHS[start.month - 1]} {start.year}"


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
