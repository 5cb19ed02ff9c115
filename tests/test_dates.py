"""The dates of real talk repositories are read (the day; the text is shown as written), and a day/month
order that cannot be told is a warning with the ISO forms to choose from."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from talkbuild.dates import iso_date, moment, read_date

READ = {
    "2016-05-18": (2016, 5, 18),
    "2016-05-18 14:30:00 +0100": (2016, 5, 18),  # Jekyll's front matter
    "2016-05-18T14:30:00Z": (2016, 5, 18),
    "2016-05-18T14:30:00.123+01:00": (2016, 5, 18),
    "2016-05-18 14:30": (2016, 5, 18),
    "18.05.2016": (2016, 5, 18),
    "2016.05.18": (2016, 5, 18),
    "Sept 18, 2016": (2016, 9, 18),
    "Sep. 18, 2016": (2016, 9, 18),
    "18th May 2016": (2016, 5, 18),
    "May 1st, 2016": (2016, 5, 1),
    "18 May 2016": (2016, 5, 18),
    "May 18, 2016": (2016, 5, 18),
    "2017/03/04": (2017, 3, 4),
    "18/05/2016": (2016, 5, 18),  # no month 18: day/month
    "05/18/2016": (2016, 5, 18),  # no month 18: month/day
    "07/07/2016": (2016, 7, 7),
    "May 2016": (2016, 5, 1),
    "20160518": (2016, 5, 18),
    # German: day, dot, month name (full or short), year
    "3. März 2026": (2026, 3, 3),
    "3. Mär. 2026": (2026, 3, 3),
    "3.März 2026": (2026, 3, 3),
    "15. Jänner 2026": (2026, 1, 15),
    "1. Feber 2026": (2026, 2, 1),
    "24. Dez. 2025": (2025, 12, 24),
    "9. Sept. 2026": (2026, 9, 9),
    "1. Okt. 2026": (2026, 10, 1),
    "Mai 2026": (2026, 5, 1),
    # Japanese and Chinese, also in full-width digits
    "2026年3月2日": (2026, 3, 2),
    "２０２６年３月２日": (2026, 3, 2),
    "2026 年 3 月 2 日": (2026, 3, 2),
    "2026년 3월 2일": (2026, 3, 2),
    # French and Spanish
    "1er mars 2026": (2026, 3, 1),
    "3 févr. 2026": (2026, 2, 3),
    "14 juillet 2026": (2026, 7, 14),
    "3 de marzo de 2026": (2026, 3, 3),
    "12 dic. 2026": (2026, 12, 12),
}


@pytest.mark.parametrize("text, day", READ.items(), ids=READ.keys())
def test_common_date_forms_are_read(text: str, day: tuple[int, int, int]) -> None:
    assert read_date(text).day == datetime.date(*day)


@pytest.mark.parametrize("text", ["2016-02-30", "31.06.2016", "30/02/2016", "2016-05-32 10:00", "20161340",
                                  "30. Februar 2026", "2026年2月30日", "2026年13月", "31 de abril de 2026"])
def test_a_date_of_a_known_shape_that_does_not_exist_is_impossible(text: str) -> None:
    reading = read_date(text)
    assert reading.day is None and reading.impossible


def test_day_and_month_that_cannot_be_told_apart_get_the_iso_forms_as_hint() -> None:
    reading = read_date("05/06/2018")
    assert reading.day is None and not reading.impossible
    assert reading.hint == "'05/06/2018' could be day/month or month/day: write it as 2018-06-05 or 2018-05-06"


def test_read_dates_sort_the_index_and_show_as_written(make_project) -> None:
    talk = "---\ntitle: {title}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({
        "talks/a.md": talk.format(title="Jekyll", date="2016-05-18 14:30:00 +0100"),
        "talks/b.md": talk.format(title="German", date="18.05.2017"),
        "talks/c.md": talk.format(title="Ordinal", date="18th May 2015"),
        "talks/d.md": talk.format(title="Unclear", date="05/06/2018"),
    })
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "date-format" in line]
    assert warnings == ["talks/d.md:3: warning[date-format]: cannot read the date '05/06/2018'; it is shown as "
                        "written and sorted last ('05/06/2018' could be day/month or month/day: write it as "
                        "2018-06-05 or 2018-05-06)"]
    index = (root / "_site/index.html").read_text()
    assert index.index("German") < index.index("Jekyll") < index.index("Ordinal") < index.index("Unclear")
    assert "18.05.2017" in index and "2016-05-18 14:30:00 +0100" in index


def test_talks_of_one_day_with_times_are_sorted_by_the_moment_latest_first(make_project) -> None:
    # Before: by title (the time was read past): Alpha, Beta, Delta, Gamma.
    talk = "---\ntitle: {title}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({
        "talks/a.md": talk.format(title="Alpha", date="2016-05-18 14:30:00 +0100"),   # 13:30 UTC
        "talks/b.md": talk.format(title="Beta", date="2016-05-18 23:30:00Z"),          # 23:30 UTC
        "talks/c.md": talk.format(title="Gamma", date="2016-05-18T09:00:00-05:00"),    # 14:00 UTC
        "talks/d.md": talk.format(title="Delta", date="2016-05-18"),                   # no time: after the day's timed talks
        "talks/e.md": talk.format(title="Earlier", date="2016-05-17 23:59"),          # the day before
    })
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    index = (root / "_site/index.html").read_text()
    order = sorted(["Alpha", "Beta", "Gamma", "Delta", "Earlier"], key=index.index)
    assert order == ["Beta", "Gamma", "Alpha", "Delta", "Earlier"]


@pytest.mark.parametrize(("text", "iso"), [("2018", "2018"), ("May 2016", "2016-05"), ("2016-05", "2016-05"),
                                           ("18 May 2016", "2016-05-18"), ("März 2026", "2026-03"),
                                           ("marzo de 2026", "2026-03"), ("2026年3月", "2026-03"), ("2026年", "2026"),
                                           ("3. März 2026", "2026-03-03"), ("2026年3月2日", "2026-03-02")])
def test_a_date_is_given_to_html_as_precisely_as_it_was_written(text: str, iso: str) -> None:
    reading = read_date(text)
    assert iso_date(reading.day, reading.precision) == iso


def test_a_year_alone_sorts_after_that_years_dated_talks_and_warns_no_more(make_project) -> None:
    # Before: `date: 2018` was a date-format warning and sorted after every dated talk.
    talk = "---\ntitle: {title}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({
        "talks/a.md": talk.format(title="Year", date="2018"),
        "talks/b.md": talk.format(title="March", date="2018-03-02"),
        "talks/c.md": talk.format(title="Older", date="December 2017"),
        "talks/d.md": talk.format(title="Unread", date="Spring 2019"),
    })
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in done.stderr.splitlines() if "date-format" in line] == ["talks/d.md"]
    index = (root / "_site/index.html").read_text()
    assert index.index("March") < index.index("Year") < index.index("Older") < index.index("Unread")
    assert '<time datetime="2018">2018</time>' in index and '<time datetime="2017-12">December 2017</time>' in index
    handout = (root / "_site/a/index.html").read_text()
    assert '<time datetime="2018">2018</time>' in handout


@pytest.mark.parametrize("text", ["Spring 2019", "TBA", "Ende März 2026", "Set 2026", "2026年春"])
def test_words_that_are_no_month_are_not_read_as_one(text: str) -> None:
    assert read_date(text).day is None and not read_date(text).impossible


def test_german_and_japanese_dates_sort_the_index_and_show_as_written(make_project) -> None:
    # Before: both were date-format warnings and sorted after every dated talk.
    talk = "---\ntitle: {title}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({
        "talks/a.md": talk.format(title="Deutsch", date="3. März 2026"),
        "talks/b.md": talk.format(title="Nihongo", date="2026年3月2日"),
        "talks/c.md": talk.format(title="Monat", date="Mär. 2026"),
        "talks/d.md": talk.format(title="Iso", date="2026-03-04"),
        "talks/e.md": talk.format(title="Jahr", date="２０２６年"),
    })
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "date-format" not in done.stderr, done.stderr
    index = (root / "_site/index.html").read_text(encoding="utf-8")
    assert sorted(["Deutsch", "Nihongo", "Monat", "Iso", "Jahr"], key=index.index) == \
        ["Iso", "Deutsch", "Nihongo", "Monat", "Jahr"]
    assert '<time datetime="2026-03-03">3. März 2026</time>' in index
    assert '<time datetime="2026-03-02">2026年3月2日</time>' in index
    assert '<time datetime="2026">２０２６年</time>' in index


def test_an_impossible_german_or_japanese_date_is_an_error(make_project) -> None:
    talk = "---\ntitle: {date}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({"talks/a.md": talk.format(date="30. Februar 2026"),
                         "talks/b.md": talk.format(date="2026年2月30日")})
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "talks/a.md:3: error[front-matter]: impossible date '30. Februar 2026' (check the day and month)" in done.stderr, done.stderr
    assert "talks/b.md:3: error[front-matter]: impossible date '2026年2月30日' (check the day and month)" in done.stderr, done.stderr


@pytest.mark.parametrize(("text", "day"), [("4 March 2026 14:00", (2026, 3, 4)), ("March 4, 2026 2:00 PM", (2026, 3, 4)),
                                           ("2026-03-04 2pm", (2026, 3, 4)), ("March 4, 2026, 2:00 p.m.", (2026, 3, 4)),
                                           ("4 March 2026 at 9am", (2026, 3, 4)), ("18.05.2016, 14h30", (2016, 5, 18)),
                                           ("4 March 2026 14:00-15:30", (2026, 3, 4))])
def test_a_date_with_a_time_after_it_is_read_as_its_day(text: str, day: tuple[int, int, int]) -> None:
    assert read_date(text).day == datetime.date(*day)


def test_the_hint_names_the_missing_year_and_shows_a_form_with_a_time() -> None:
    assert read_date("March 3rd").hint == "'March 3rd' has no year: write it with the year, as YYYY-03-03 or 3 March YYYY"
    assert read_date("Day 2, afternoon").hint == \
        "write it as 2026-03-04 or 4 March 2026 (with a time: 2026-03-04 14:00)"


def test_talks_of_one_day_with_written_out_times_sort_as_iso_times_do(make_project) -> None:
    # Before: each was a date-format warning and sorted after every dated talk.
    talk = "---\ntitle: {title}\ndate: {date}\n---\n\n## S\n\nHi.\n"
    root = make_project({
        "talks/a.md": talk.format(title="Morning", date="4 March 2026 09:00"),
        "talks/b.md": talk.format(title="Afternoon", date="March 4, 2026 2:00 PM"),
        "talks/c.md": talk.format(title="Noon", date="2026-03-04 12pm"),
        "talks/d.md": talk.format(title="Evening", date="2026-03-04 18:30"),
        "talks/e.md": talk.format(title="Next", date="5 March 2026 8am"),
        "talks/f.md": talk.format(title="Yearless", date="March 3rd"),
        "talks/g.md": talk.format(title="Vague", date="Day 2, afternoon"),
    })
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "date-format" in line] == [
        "talks/f.md:3: warning[date-format]: cannot read the date 'March 3rd'; it is shown as written and sorted last "
        "('March 3rd' has no year: write it with the year, as YYYY-03-03 or 3 March YYYY)",
        "talks/g.md:3: warning[date-format]: cannot read the date 'Day 2, afternoon'; it is shown as written and sorted "
        "last (write it as 2026-03-04 or 4 March 2026 (with a time: 2026-03-04 14:00))"]
    index = (root / "_site/index.html").read_text()
    order = sorted(["Morning", "Afternoon", "Noon", "Evening", "Next", "Yearless", "Vague"], key=index.index)
    assert order[:5] == ["Next", "Evening", "Afternoon", "Noon", "Morning"]
    assert '<time datetime="2026-03-04">March 4, 2026 2:00 PM</time>' in index


@pytest.mark.parametrize(("written", "utc"), [
    ("2026-03-04 14:00-15:30", "2026-03-04T14:00"),  # a range: its end is later than its start
    ("2026-03-04 09:00-10:00", "2026-03-04T09:00"),
    ("2026-03-04 09:00-05:00", "2026-03-04T14:00"),  # a zone, UTC-5: earlier than the time
    ("2026-03-04 14:00+01:00", "2026-03-04T13:00"),
    ("2026-03-04T14:00-0300", "2026-03-04T17:00"),
])
def test_an_iso_time_range_is_not_read_as_a_zone(written: str, utc: str) -> None:
    # Before: `14:00-15:30` was 14:00 at UTC-15:30, i.e. 05:30 the next day, out of order among the day's talks.
    at = moment(written, datetime.date(2026, 3, 4))
    assert at is not None
    assert datetime.datetime.fromtimestamp(at, datetime.UTC).strftime("%Y-%m-%dT%H:%M") == utc
