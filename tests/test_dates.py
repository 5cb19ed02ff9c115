"""The dates of real talk repositories are read (the day; the text is shown as written), and a day/month
order that cannot be told is a warning with the ISO forms to choose from."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from talkbuild.dates import iso_date, read_date

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
}


@pytest.mark.parametrize("text, day", READ.items(), ids=READ.keys())
def test_common_date_forms_are_read(text: str, day: tuple[int, int, int]) -> None:
    assert read_date(text).day == datetime.date(*day)


@pytest.mark.parametrize("text", ["2016-02-30", "31.06.2016", "30/02/2016", "2016-05-32 10:00", "20161340"])
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
                                           ("18 May 2016", "2016-05-18")])
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
