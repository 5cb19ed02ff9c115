"""`index_order`: a course lists its lectures as it is laid out (week2 before week10), not newest first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from talkbuild.index_list import collation_key

TALK = "---\ntitle: {title}\n{date}---\n\n## S\n\nx\n"
TALKS = {
    "talks/week10/final.md": TALK.format(title="Final", date="date: 2026-01-20\n"),
    "talks/week2/plotting.md": TALK.format(title="Plotting", date="date: 2026-02-01\n"),
    "talks/week2/index.md": TALK.format(title="Week two", date="date: 2025-10-01\n"),
    "talks/week1/welcome.md": TALK.format(title="welcome", date=""),
    "talks/week1/intro.md": TALK.format(title="Intro", date="date: 2025-09-01\n"),
}


def listed(root: Path, order: str | None) -> list[str]:
    if order is not None:
        (root / "talkbuild.yml").write_text(f"index_order: {order}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    return [li.select_one("a").get_text(" ", strip=True) for li in page.select("li.tb-talk")]


@pytest.mark.parametrize(("order", "expected"), [
    (None, ["Plotting", "Final", "Week two", "Intro", "welcome"]),
    ("newest", ["Plotting", "Final", "Week two", "Intro", "welcome"]),
    ("oldest", ["Intro", "Week two", "Final", "Plotting", "welcome"]),
    ("path", ["Intro", "welcome", "Week two", "Plotting", "Final"]),
    ("title", ["Final", "Intro", "Plotting", "Week two", "welcome"]),
])
def test_the_index_lists_talks_in_the_order_asked(make_project, order: str | None, expected: list[str]) -> None:
    root = make_project(TALKS)
    assert listed(root, order) == expected


def build(root: Path, config: str) -> subprocess.CompletedProcess[str]:
    (root / "talkbuild.yml").write_text(config, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def grouped(root: Path, order: str) -> list[tuple[str, list[str]]]:
    """(folder heading, talk titles) in the index, with `index_group: folder`."""
    build(root, f"index_order: {order}\nindex_group: folder\n")
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    return [(ol.find_previous_sibling("h2").get_text(" ", strip=True) if ol.find_previous_sibling("h2") else "",
             [h.a.find(string=True).strip() for h in ol.select("li.tb-talk :is(h2, h3)")])
            for ol in page.select("ol.tb-talks")]


COURSE = {**TALKS, "talks/about.md": TALK.format(title="About", date="date: 2025-12-01\n"),
          "talks/contact/index.md": TALK.format(title="Contact", date=""),
          "talks/Labs/lab.md": TALK.format(title="Lab", date="date: 2025-08-01\n")}


@pytest.mark.parametrize(("order", "expected"), [
    # talks at the top first (and a folder holding only its index.md: a page, not a section), then the
    # folders, each led by its own index.md talk, whose title heads it
    ("path", [("", ["About", "Contact"]), ("Labs", ["Lab"]), ("week1", ["Intro", "welcome"]),
              ("Week two week2/", ["Week two", "Plotting"]), ("week10", ["Final"])]),
    ("newest", [("", ["About", "Contact"]), ("Week two week2/", ["Week two", "Plotting"]), ("week10", ["Final"]),
                ("week1", ["Intro", "welcome"]), ("Labs", ["Lab"])]),
    ("oldest", [("", ["About", "Contact"]), ("Labs", ["Lab"]), ("week1", ["Intro", "welcome"]),
                ("Week two week2/", ["Week two", "Plotting"]), ("week10", ["Final"])]),
])
def test_a_course_is_listed_folder_by_folder(make_project, order: str, expected: list[tuple[str, list[str]]]) -> None:
    root = make_project(COURSE)
    assert grouped(root, order) == expected
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    label = {"path": "in the order of their files", "newest": "newest first", "oldest": "oldest first"}[order]
    assert page.select_one("section.tb-group ol")["aria-label"].endswith(label)
    assert {h.name for h in page.select("section.tb-group li.tb-talk :is(h2, h3)")} == {"h3"}, \
        "a talk's heading is under its folder's"
    assert page.select_one("#tb-talks") is not None, "the skip link's target"
    plotting = next(li for li in page.select("li.tb-talk") if "Plotting" in li.get_text())
    assert plotting["data-search"].endswith(" week2 week two"), "the folder and its heading are searched"


def test_undated_talks_and_paths_sort_with_numbers_as_numbers_and_in_any_case(make_project) -> None:
    root = make_project({"talks/Week10.md": TALK.format(title="Week 10 overview", date=""),
                         "talks/week2.md": TALK.format(title="Week 2 overview", date=""),
                         "talks/week1.md": TALK.format(title="week 1 overview", date="")})
    assert listed(root, "newest") == ["week 1 overview", "Week 2 overview", "Week 10 overview"]
    assert listed(root, "path") == ["week 1 overview", "Week 2 overview", "Week 10 overview"]


def test_the_same_title_in_every_week_is_no_warning_when_the_index_shows_the_weeks(make_project) -> None:
    root = make_project({f"talks/week{n}/lab.md": TALK.format(title="Lab", date="") for n in (1, 2)})
    assert "duplicate-title" in build(root, "index_order: path\n").stderr
    done = build(root, "index_order: path\nindex_group: folder\n")
    assert "duplicate-title" not in done.stderr, done.stderr
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one("li.tb-talk h3 a")
    assert link.get_text(" ", strip=True) == "Lab (week1/lab)", "a screen reader's list of links still tells them apart"
    assert "tb-visually-hidden" in link.span["class"], "on screen the week's heading does"


def test_a_theme_index_that_knows_nothing_of_groups_is_warned_of(make_project) -> None:
    flat = "<html><body>{% for talk in talks %}<p>{{ talk.meta.title }}</p>{% endfor %}</body></html>\n"
    root = make_project({**TALKS, "themes/mine/templates/index.html": flat})
    assert "theme-hook" not in build(root, "theme: mine\n").stderr
    done = build(root, "theme: mine\nindex_group: folder\n")
    assert ("themes/mine/templates/index.html:1: warning[theme-hook]: index_group is 'folder', but the theme's "
            "index.html never uses `groups`: the index lists the talks in one list, not by folder") in done.stderr


@pytest.mark.parametrize(("written", "message"), [
    ("index_order: pth", "'index_order' must be one of newest, oldest, path, title, not 'pth' (did you mean 'path'?)"),
    ("index_group: folders", "'index_group' must be one of none, folder, year, month, day, not 'folders' (did you mean 'folder'?)"),
])
def test_an_unknown_order_or_grouping_is_a_config_error_with_a_suggestion(make_project, written: str,
                                                                          message: str) -> None:
    root = make_project({**TALKS, "talkbuild.yml": written + "\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert f"talkbuild.yml:1: {message}" in done.stderr, done.stderr


def test_talks_of_one_title_are_listed_week2_before_week10_and_told_apart_in_one_folder(make_project) -> None:
    root = make_project({**{f"talks/week{n}/lab.md": TALK.format(title="Lab", date="") for n in (1, 2, 10)},
                         "talks/week1/lab-b.md": TALK.format(title="Lab", date="")})
    assert grouped(root, "newest") == [("week1", ["Lab", "Lab"]), ("week2", ["Lab"]), ("week10", ["Lab"])]
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    paths = [(s.get_text(), "tb-visually-hidden" in s["class"]) for s in page.select("span.tb-talk-path")]
    assert paths == [("(week1/lab)", False), ("(week1/lab-b)", False), ("(week2/lab)", True), ("(week10/lab)", True)], \
        "two Labs under one heading show their paths; the others' heading tells them apart"


def test_a_lone_index_md_is_a_page_only_at_the_top(make_project) -> None:
    root = make_project({"talks/about/index.md": TALK.format(title="About", date=""),
                         "talks/week2/lab.md": TALK.format(title="Lab", date=""),
                         "talks/week2/extra/index.md": TALK.format(title="Extra reading", date="")})
    assert grouped(root, "path") == [("", ["About"]), ("Extra reading week2/extra/", ["Extra reading"]), ("week2", ["Lab"])]


def test_titles_are_listed_as_a_german_library_catalogue_lists_them(make_project) -> None:
    # Before: by code point, so every umlaut came after Z ("Zebrastreifen" before "Äpfel und Birnen").
    titles = ["Zebrastreifen", "Äpfel und Birnen", "Apfelkuchen", "Öl und Gas", "Ozean", "Über Brücken", "Uhrwerk",
              "Élan", "Eis", "Ångström", "Weiße Nächte", "Weiss", "week10", "week2"]
    root = make_project({f"talks/t{n}.md": TALK.format(title=title, date="") for n, title in enumerate(titles)})
    assert listed(root, "title") == ["Ångström", "Äpfel und Birnen", "Apfelkuchen", "Eis", "Élan", "Öl und Gas",
                                     "Ozean", "Über Brücken", "Uhrwerk", "week2", "week10", "Weiss", "Weiße Nächte",
                                     "Zebrastreifen"]


def test_talk_files_are_listed_in_path_order_with_umlauts_among_their_letters(make_project) -> None:
    names = {"zebra": "Zebra", "äpfel": "Äpfel", "apfelkuchen": "Apfelkuchen", "übung": "Übung", "uhr": "Uhr"}
    root = make_project({f"talks/{name}.md": TALK.format(title=title, date="") for name, title in names.items()})
    assert listed(root, "path") == ["Äpfel", "Apfelkuchen", "Übung", "Uhr", "Zebra"]


@pytest.mark.parametrize(("text", "key"), [("Äpfel", "apfel"), ("Straße", "strasse"), ("ÉLAN", "elan"),
                                           ("Ｗｅｅｋ２", "week2"), ("ﾌﾟﾛ", "フロ"), ("مُقَدِّمَةٌ", "مقدمة")])
def test_names_compare_first_without_case_accents_or_width(text: str, key: str) -> None:
    assert collation_key(text) == key


def test_titles_that_differ_only_in_accents_or_case_are_listed_by_their_exact_text(make_project) -> None:
    # Not by file name: the order of the titles alone decides, the same in every build.
    root = make_project({"talks/a.md": TALK.format(title="muller", date=""),
                         "talks/b.md": TALK.format(title="Müller", date=""),
                         "talks/c.md": TALK.format(title="Muller", date="")})
    assert [entry.split(" (")[0] for entry in listed(root, "title")] == ["Muller", "Müller", "muller"]
