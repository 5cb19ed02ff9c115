"""Reading the dates authors write: ISO, Jekyll's `2016-05-18 14:30:00 +0100`, `18 May 2016`, `18.05.2016` ...

The index sorts talks by the day, newest first; talks of one day that give a time (and perhaps a zone) are
sorted by that moment, latest first, before that day's talks without one. The text is shown as written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B, %Y",
                "%d %b, %Y", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d")
MONTH_FORMATS = ("%B %Y", "%b %Y", "%Y-%m")

_TIME = re.compile(r"(?P<day>\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
                   r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?", re.IGNORECASE)
"""An ISO or Jekyll date with a time and a zone: `2016-05-18T14:30:00Z`, `2016-05-18 14:30:00 +0100`."""
_CLOCK = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
                    r"\s*(?P<zone>Z|(?P<sign>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2})?|UTC|GMT)?", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_SEPT = re.compile(r"\bsept\b\.?", re.IGNORECASE)
_ABBREVIATION_DOT = re.compile(r"\b([A-Za-z]{3})\.(?=\s)")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date's text says: the day, or why it has none."""

    day: datetime.date | None
    impossible: bool = False
    """It has a known shape but no such day exists (2016-02-30): an error."""
    hint: str = "write it as 2016-05-18 or 18 May 2016"
    """For a date that cannot be read (a warning): how to write it."""
    precision: str = "day"
    """"day", "month" (`May 2016`: `day` is its first) or "year" (`2018`: `day` is 1 January)."""


def iso_date(day: datetime.date | None, precision: str = "day") -> str:
    """`day` in ISO 8601, as precise as it was written, for HTML's `<time datetime>`: 2016-05-18, 2016-05, 2018
    ("" for no day)."""
    if day is None:
        return ""
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}"}.get(precision, day.isoformat())


def read_date(text: str) -> DateReading:
    """The day `text` names, read in the forms listed in docs/build.md."""
    written = text.strip()
    slashed = _SLASHED.fullmatch(written)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        return _day_month_or_month_day(first, second, year, written)
    if re.fullmatch(r"(19|20)\d{6}", written):  # ISO 8601's basic form, 20160518 (YAML reads it as a number)
        written = f"{written[:4]}-{written[4:6]}-{written[6:]}"
    normal = _normalise(written)
    impossible = re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", normal) is not None  # ISO shape, e.g. 2016-13-01
    for fmt in DATE_FORMATS + MONTH_FORMATS:
        try:
            return DateReading(datetime.datetime.strptime(normal, fmt).date(),
                               precision="month" if fmt in MONTH_FORMATS else "day")
        except ValueError as exc:
            # strptime says "day is out of range for month" when the text has the format's shape.
            impossible = impossible or "out of range" in str(exc)
    if re.fullmatch(r"(1[89]|2[01])\d\d", normal):  # a year alone: sorted after that year's dated talks
        return DateReading(datetime.date(int(normal), 1, 1), precision="year")
    return DateReading(None, impossible=impossible)


def _normalise(text: str) -> str:
    """The date without what strptime cannot read: a time and zone, 'th' after the day, 'Sept', 'Sep.'."""
    timed = _TIME.fullmatch(text)
    if timed:
        return timed.group("day")
    text = _ORDINAL.sub(r"\1", text)
    text = _SEPT.sub("Sep", text)
    return " ".join(_ABBREVIATION_DOT.sub(r"\1", text).split())


def _day_month_or_month_day(first: int, second: int, year: int, written: str) -> DateReading:
    """`18/05/2016` is day/month (no month 18), `05/18/2016` month/day; `05/06/2018` could be either."""
    if first > 12 or first == second:
        candidates = [(year, second, first)]
    elif second > 12:
        candidates = [(year, first, second)]
    else:
        iso = [f"{year}-{m:02d}-{d:02d}" for m, d in ((second, first), (first, second))]
        return DateReading(None, hint=f"'{written}' could be day/month or month/day: write it as {iso[0]} or {iso[1]}")
    try:
        return DateReading(datetime.date(*candidates[0]))
    except ValueError:
        return DateReading(None, impossible=True)


def moment(text: str | None, day: datetime.date | None) -> float | None:
    """Seconds since the epoch of the time `text` gives on `day` (UTC when it names no zone), or None when it
    gives no time: how the index orders the talks of one day."""
    timed = _CLOCK.fullmatch(text.strip()) if text and day else None
    if timed is None or day is None:
        return None
    offset = datetime.timedelta()
    if timed.group("sign"):
        offset = datetime.timedelta(hours=int(timed.group("zh")), minutes=int(timed.group("zm") or 0))
        offset = -offset if timed.group("sign") == "-" else offset
    try:
        at = datetime.datetime(day.year, day.month, day.day, int(timed.group("hour")), int(timed.group("minute")),
                               int(timed.group("second") or 0), tzinfo=datetime.timezone(offset))
    except ValueError:  # 25:00, or a zone of a day or more: the day alone orders it
        return None
    return at.timestamp()
