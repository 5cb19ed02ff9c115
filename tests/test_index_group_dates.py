"""`index_group: year | month | day`: a conference's index lists its days under headings ("Tuesday 3 March 2026")
that can be linked (`index.html#2026-03-03`), with a list of them at the top; a research group's, its years."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

TALK = "---\ntitle: {title}\n{date}---\n\n## S\n\nx\n"


def talk(title: str, date: str = "") -> str:
    return TALK.format(title=title, date=f"date: {date}\n" if date else "")


WORKSHOP = {
    "talks/speaker-01/index.md": talk("Opening", "2026-03-03 09:00"),
    "talks/speaker-02/index.md": talk("Lunch talk", "2026-03-03 13:00"),
    "talks/speaker-03/index.md": talk("Closing", "2026-03-04 16:30"),
    "talks/speaker-04/index.md": talk("Morning, day two", "4 March 2026 09:00"),
    "talks/speaker-05/old-deck.md": talk("A reused deck", "2015-06-01"),
    "talks/speaker-06/index.md": talk("Another reused deck", "2013-11-20"),
    "talks/speaker-07/index.md": talk("Poster session", "March 2026"),
    "talks/speaker-08/index.md": talk("To be announced"),
}


def build(root: Path, config: str) -> subprocess.CompletedProcess[str]:
    (root / "talkbuild.yml").write_text(config, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def index(root: Path) -> BeautifulSoup:
    return BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")


def sections(page: BeautifulSoup) -> list[tuple[str, str, list[str]]]:
    """(heading id, heading text, talk titles) of each group, in the page's order."""
    return [(s.h2["id"], s.h2.get_text(" ", strip=True), [h.a.get_text(" ", strip=True) for h in s.select("li h3")])
            for s in page.select("section.tb-group")]


def test_a_conference_is_listed_day_by_day_newest_first_with_the_undated_last(make_project) -> None:
    root = make_project(WORKSHOP)
    build(root, "index_group: day\n")
    page = index(root)
    assert sections(page) == [
        ("2026-03-04", "Wednesday 4 March 2026", ["Closing", "Morning, day two"]),
        ("2026-03-03", "Tuesday 3 March 2026", ["Lunch talk", "Opening"]),
        # written as a month: a group of its own, after that month's days, as the talk sorts after them
        ("2026-03", "March 2026", ["Poster session"]),
        ("2015-06-01", "Monday 1 June 2015", ["A reused deck"]),
        ("2013-11-20", "Wednesday 20 November 2013", ["Another reused deck"]),
        ("undated", "Undated", ["To be announced"]),
    ]
    assert [t["datetime"] for t in page.select("h2.tb-group-title time")] == [
        "2026-03-04", "2026-03-03", "2026-03", "2015-06-01", "2013-11-20"]
    assert {h.name for h in page.select("li.tb-talk :is(h2, h3)")} == {"h3"}, "a talk's heading is under its day's"
    jump = page.select_one("nav.tb-jump")
    assert [(a["href"], a.get_text()) for a in jump.select("a")] == [
        (f"#{s[0]}", s[1]) for s in sections(page)], "the list at the top links every day's heading"
    assert jump.find_previous("form", id="tb-search-form") is not None and jump.find_next(id="tb-talks") is not None
    closing = next(li for li in page.select("li.tb-talk") if "Closing" in li.get_text())
    assert closing["data-search"].endswith(" wednesday 4 march 2026"), "the day's heading is searched"


def test_oldest_first_lists_the_first_day_first_and_its_talks_from_the_morning(make_project) -> None:
    root = make_project(WORKSHOP)
    build(root, "index_group: day\nindex_order: oldest\n")
    assert sections(index(root)) == [
        ("2013-11-20", "Wednesday 20 November 2013", ["Another reused deck"]),
        ("2015-06-01", "Monday 1 June 2015", ["A reused deck"]),
        ("2026-03", "March 2026", ["Poster session"]),
        ("2026-03-03", "Tuesday 3 March 2026", ["Opening", "Lunch talk"]),
        ("2026-03-04", "Wednesday 4 March 2026", ["Morning, day two", "Closing"]),
        ("undated", "Undated", ["To be announced"]),
    ]


def test_by_title_the_days_stay_newest_first_and_each_lists_its_talks_by_title(make_project) -> None:
    root = make_project(WORKSHOP)
    build(root, "index_group: day\nindex_order: title\n")
    got = sections(index(root))
    assert [s[0] for s in got] == ["2026-03-04", "2026-03-03", "2026-03", "2015-06-01", "2013-11-20", "undated"]
    assert got[0][2] == ["Closing", "Morning, day two"] and got[1][2] == ["Lunch talk", "Opening"]


@pytest.mark.parametrize(("grouping", "expected"), [
    ("year", [("2026", "2026", ["Closing", "Morning, day two", "Lunch talk", "Opening", "Poster session"]),
              ("2015", "2015", ["A reused deck"]), ("2013", "2013", ["Another reused deck"]),
              ("undated", "Undated", ["To be announced"])]),
    ("month", [("2026-03", "March 2026", ["Closing", "Morning, day two", "Lunch talk", "Opening", "Poster session"]),
               ("2015-06", "June 2015", ["A reused deck"]), ("2013-11", "November 2013", ["Another reused deck"]),
               ("undated", "Undated", ["To be announced"])]),
])
def test_a_research_group_lists_its_years_or_months(make_project, grouping: str,
                                                    expected: list[tuple[str, str, list[str]]]) -> None:
    root = make_project(WORKSHOP)
    build(root, f"index_group: {grouping}\n")
    assert sections(index(root)) == expected


def test_a_talk_dated_only_by_its_year_is_under_that_year_when_grouped_by_month(make_project) -> None:
    root = make_project({"talks/a.md": talk("Spring", "2018-04-02"), "talks/b.md": talk("Sometime", "2018")})
    build(root, "index_group: month\n")
    assert sections(index(root)) == [("2018-04", "April 2018", ["Spring"]), ("2018", "2018", ["Sometime"])]


def test_the_headings_are_talkbuilds_english_words_on_a_site_in_another_language(make_project) -> None:
    root = make_project({"talks/a.md": talk("Eröffnung", "3. März 2026"), "talks/b.md": talk("Offen")})
    build(root, "lang: de\nindex_group: day\n")
    page = index(root)
    assert str(page.find("h2", id="2026-03-03")) == ('<h2 class="tb-group-title" id="2026-03-03"><time '
                                                      'datetime="2026-03-03" lang="en">Tuesday 3 March 2026</time></h2>')
    assert str(page.find("h2", id="undated")) == ('<h2 class="tb-group-title" id="undated"><span lang="en">Undated'
                                                  '</span></h2>')
    assert page.select_one("li.tb-talk time").get_text() == "3. März 2026", "the talk's date is shown as written"


def test_one_day_is_a_heading_without_a_list_to_jump_from(make_project) -> None:
    root = make_project({"talks/a.md": talk("A", "2026-03-03"), "talks/b.md": talk("B", "2026-03-03 10:00")})
    build(root, "index_group: day\n")
    page = index(root)
    assert sections(page) == [("2026-03-03", "Tuesday 3 March 2026", ["B", "A"])]
    assert page.select_one("nav.tb-jump") is None


def test_a_course_by_folder_gets_the_list_of_its_folders_too(make_project) -> None:
    root = make_project({"talks/about.md": talk("About"), "talks/week1/a.md": talk("A"), "talks/week2/b.md": talk("B")})
    build(root, "index_group: folder\nindex_order: path\n")
    page = index(root)
    assert [(a["href"], a.get_text()) for a in page.select("nav.tb-jump a")] == [("#tb-group-2", "week1"),
                                                                              ("#tb-group-3", "week2")]
    assert [h["id"] for h in page.select("h2.tb-group-title")] == ["tb-group-2", "tb-group-3"]


def test_the_grouped_index_is_the_same_bytes_every_build(make_project) -> None:
    root = make_project(WORKSHOP)
    build(root, "index_group: day\n")
    first = (root / "_site/index.html").read_bytes()
    subprocess.run([sys.executable, "-m", "talkbuild", "build", "--no-cache", "-C", str(root)], check=True,
                   capture_output=True, timeout=120)
    assert (root / "_site/index.html").read_bytes() == first


def test_a_theme_index_that_knows_nothing_of_groups_is_warned_of_for_days_too(make_project) -> None:
    flat = "<html><body>{% for talk in talks %}<p>{{ talk.meta.title }}</p>{% endfor %}</body></html>\n"
    root = make_project({**WORKSHOP, "themes/mine/templates/index.html": flat})
    done = build(root, "theme: mine\nindex_group: day\n")
    assert ("themes/mine/templates/index.html:1: warning[theme-hook]: index_group is 'day', but the theme's "
            "index.html never uses `groups`: the index lists the talks in one list, not by day") in done.stderr


def test_an_unknown_grouping_names_the_dates_too(make_project) -> None:
    root = make_project({**WORKSHOP, "talkbuild.yml": "index_group: days\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert ("talkbuild.yml:1: 'index_group' must be one of none, folder, year, month, day, not 'days' "
            "(did you mean 'day'?)") in done.stderr, done.stderr
