"""Reading the dates authors write: ISO, Jekyll's `2016-05-18 14:30:00 +0100`, `18 May 2016`, `18.05.2016`,
`3. März 2026`, `2026年3月2日` ..., any of them with a time after it (`4 March 2026 14:00`, `March 4, 2026 2:00 PM`,
`2026-03-04 2pm`).

The index sorts talks by the day, newest first; talks of one day that give a time (and perhaps a zone) are
sorted by that moment, latest first, before that day's talks without one. The text is shown as written.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B, %Y",
                "%d %b, %Y", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d")
MONTH_FORMATS = ("%B %Y", "%b %Y", "%Y-%m")

_TIME = re.compile(r"(?P<day>\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
                   r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?", re.IGNORECASE)
"""An ISO or Jekyll date with a time and a zone: `2016-05-18T14:30:00Z`, `2016-05-18 14:30:00 +0100`."""
_CLOCK = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
                    r"\s*(?P<zone>Z|(?P<sign>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2})?|UTC|GMT)?", re.IGNORECASE)
_TRAILING_TIME = re.compile(
    r"(?P<date>.*?[^\s,])\s*(?:,\s*|\s+)(?:at\s+)?"
    r"(?P<hour>\d{1,2})(?:[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*(?:(?P<half>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*[-–—]\s*\d{1,2}(?:[:h]\d{2})?\s*(?:[ap]\.?\s?m\b\.?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|(?P<sign>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2})?)?", re.IGNORECASE)
"""A time after a date of any form: `4 March 2026 14:00`, `March 4, 2026 2:00 PM`, `2026-03-04 2pm`,
`18.05.2016, 14h30`, `4 March 2026 at 9am`, `4 March 2026 14:00-15:30` (a range: its start). It has minutes or
am/pm, so that `18 May 2016` is no date `18 May` at 20:16."""
_NO_YEAR_FORMATS = ("%d %B", "%d %b", "%B %d", "%b %d", "%B %d,", "%b %d,")
"""A day and a month's name without a year (`March 3rd`, `3. März`): a warning that names the missing year."""
DATE_HINT = "write it as 2026-03-04 or 4 March 2026 (with a time: 2026-03-04 14:00)"
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_SEPT = re.compile(r"\bsept\b\.?", re.IGNORECASE)
_ABBREVIATION_DOT = re.compile(r"\b([A-Za-z]{3})\.(?=\s)")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_CJK = re.compile(r"(?P<year>\d{4})\s*[年년](?:\s*(?P<month>\d{1,2})\s*[月월](?:\s*(?P<day>\d{1,2})\s*[日일])?)?")
"""Japanese and Chinese `2026年3月2日`, `2026年3月`, `2026年` (Korean writes 년, 월, 일)."""
_DAY_DOT = re.compile(r"^(\d{1,2})\.\s*(?=[^\W\d_])")
"""German `3. März 2026`: the day's dot, before a month's name (not `18.05.2016`'s)."""
_DE = re.compile(r"^(\d{1,2}) de (?=[^\W\d_])|(?<=[^\W\d_]) de (?=\d{4}$)", re.IGNORECASE)
"""Spanish `3 de marzo de 2026`."""
_PREMIER = re.compile(r"^1er\b", re.IGNORECASE)
"""French `1er mars 2026`."""
_WORD = re.compile(r"[^\W\d_]+\.?")

MONTH_NAMES = {
    1: "januar jänner jan janner janvier janv enero ene",
    2: "februar feber feb fevrier fevr fev febrero",
    3: "märz mär mrz marz mar mars marzo",
    4: "apr avril avr abril abr",
    5: "mai mayo",
    6: "juni jun juin junio",
    7: "juli jul juillet juil julio",
    8: "aug aout agosto ago",
    9: "sep sept septembre septiembre setiembre",
    10: "oktober okt octobre oct octubre",
    11: "nov novembre noviembre",
    12: "dezember dez decembre dec diciembre dic",
}
"""German, French and Spanish month names and their usual abbreviations, as `_fold` writes them, where they are
not the English ones strptime reads anyway (`April`, `August`, `September`, `November`). No word names two
months in these languages."""
_ENGLISH = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December")
"""strptime's `%B` in the C locale, which talkbuild never changes."""
_MONTH_WORDS = {word: month for month, words in MONTH_NAMES.items() for word in words.split()}


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date's text says: the day, or why it has none."""

    day: datetime.date | None
    impossible: bool = False
    """It has a known shape but no such day exists (2016-02-30): an error."""
    hint: str = DATE_HINT
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
    """The day `text` names, read in the forms listed in docs/build.md, with or without a time after it."""
    written = unicodedata.normalize("NFKC", text).strip()  # full-width ２０２６年３月２日 as 2026年3月2日
    reading = _read_day(written)
    timed = _TRAILING_TIME.fullmatch(written) if reading.day is None and not reading.impossible else None
    if timed and _is_time(timed):
        reading = _read_day(timed.group("date"))
    if reading.day is None and not reading.impossible and reading.hint == DATE_HINT:
        return DateReading(None, hint=_missing_year(timed.group("date") if timed and _is_time(timed) else written,
                                                    written))
    return reading


def _is_time(found: re.Match[str]) -> bool:
    """Whether `_TRAILING_TIME` found a time (minutes or am/pm), not just a number at the end."""
    return bool(found.group("minute") or found.group("half"))


def _missing_year(day_part: str, written: str) -> str:
    """The hint for a date that cannot be read: what it lacks when it is a day and month without a year."""
    normal = _normalise(day_part)
    for fmt in _NO_YEAR_FORMATS:
        try:
            day = datetime.datetime.strptime(f"{normal} 2000", f"{fmt} %Y").date()  # 2000: 29 February is a day
        except ValueError:
            continue
        return (f"'{written}' has no year: write it with the year, as YYYY-{day.month:02d}-{day.day:02d} "
                f"or {day.day} {_ENGLISH[day.month - 1]} YYYY")
    return DATE_HINT


def _read_day(written: str) -> DateReading:
    """The day `written` (without a time, unless an ISO or Jekyll one) names."""
    cjk = _CJK.fullmatch(written)
    if cjk:
        return _cjk_date(cjk)
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


def _cjk_date(found: re.Match[str]) -> DateReading:
    """`2026年3月2日` as a day, `2026年3月` as a month, `2026年` as a year; `2026年2月30日` is impossible."""
    year, month, day = (int(found.group(g)) if found.group(g) else None for g in ("year", "month", "day"))
    precision = "day" if day else "month" if month else "year"
    try:
        return DateReading(datetime.date(year or 0, month or 1, day or 1), precision=precision)
    except ValueError:
        return DateReading(None, impossible=True)


def _fold(word: str) -> str:
    """A month's name as MONTH_NAMES writes it: lower case, without accents or its abbreviation's dot."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", word.rstrip(".")) if not unicodedata.combining(c))
    return bare.casefold()


def _english_months(text: str) -> str:
    """German, French and Spanish month names as the English ones strptime reads: `3. Mär. 2026` as
    `3 March 2026`, `3 de marzo de 2026` as `3 March 2026`."""
    text = _PREMIER.sub("1", _DE.sub(lambda m: f"{m.group(1)} " if m.group(1) else " ", _DAY_DOT.sub(r"\1 ", text)))

    def english(word: re.Match[str]) -> str:
        month = _MONTH_WORDS.get(_fold(word.group()))
        return _ENGLISH[month - 1] if month else word.group()

    return _WORD.sub(english, text)


def _normalise(text: str) -> str:
    """The date without what strptime cannot read: a time and zone, 'th' after the day, 'Sept', 'Sep.', month
    names of other languages."""
    timed = _TIME.fullmatch(text)
    if timed:
        return timed.group("day")
    text = _english_months(_ORDINAL.sub(r"\1", text))
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
    if not text or day is None:
        return None
    written = unicodedata.normalize("NFKC", text).strip()
    timed = _CLOCK.fullmatch(written)
    if timed is None:
        timed = _TRAILING_TIME.fullmatch(written)
        if timed is None or not _is_time(timed) or _read_day(written).day is not None:
            return None
    hour = int(timed.group("hour"))
    half = (timed.groupdict().get("half") or "").lower()
    if half and not 1 <= hour <= 12:  # 13pm, 0am: the day alone orders it
        return None
    hour = hour % 12 + (12 if half == "p" else 0) if half else hour
    offset = datetime.timedelta()
    if timed.group("sign") == "-" and (int(timed.group("zh")), int(timed.group("zm") or 0)) > (
            hour, int(timed.group("minute") or 0)):
        pass  # `14:00-15:30`: a time range (its end is later), not the zone UTC-15:30; `09:00-05:00` is a zone
    elif timed.group("sign"):
        offset = datetime.timedelta(hours=int(timed.group("zh")), minutes=int(timed.group("zm") or 0))
        offset = -offset if timed.group("sign") == "-" else offset
    try:
        at = datetime.datetime(day.year, day.month, day.day, hour, int(timed.group("minute") or 0),
                               int(timed.group("second") or 0), tzinfo=datetime.timezone(offset))
    except ValueError:  # 25:00, or a zone of a day or more: the day alone orders it
        return None
    return at.timestamp()
