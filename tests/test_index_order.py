"""`index_order`: a course lists its lectures as it is laid out (week2 before week10), not newest first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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


def grouped(root: Path, order: str) -> list[tuple[str, list[str]]]:
    """(folder heading, talk titles) in the index, with `index_group: folder`."""
    (root / "talkbuild.yml").write_text(f"index_order: {order}\nindex_group: folder\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    return [(ol.find_previous_sibling("h2").get_text() if ol.find_previous_sibling("h2") else "",
             [h.get_text(" ", strip=True) for h in ol.select("li.tb-talk :is(h2, h3)")])
            for ol in page.select("ol.tb-talks")]


@pytest.mark.parametrize(("order", "expected"), [
    ("path", [("", ["About"]), ("week1", ["Intro", "welcome"]), ("week2", ["Week two", "Plotting"]), ("week10", ["Final"])]),
    # each folder where its first talk is: the newest talk's folder first
    ("newest", [("week2", ["Plotting", "Week two"]), ("week10", ["Final"]), ("", ["About"]), ("week1", ["Intro", "welcome"])]),
])
def test_a_course_is_listed_folder_by_folder(make_project, order: str, expected: list[tuple[str, list[str]]]) -> None:
    root = make_project({**TALKS, "talks/about.md": TALK.format(title="About", date="date: 2025-12-01\n")})
    assert grouped(root, order) == expected
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    label = "in the order of their files" if order == "path" else "newest first"
    assert page.select_one("section.tb-group ol")["aria-label"].endswith(label)
    assert [h.name for h in page.select("section.tb-group li.tb-talk :is(h2, h3)")] == ["h3"] * 5, \
        "a talk's heading is under its folder's"
    assert page.select_one("#tb-talks") is not None, "the skip link's target"


@pytest.mark.parametrize(("written", "message"), [
    ("index_order: pth", "'index_order' must be one of newest, oldest, path, title, not 'pth' (did you mean 'path'?)"),
    ("index_group: folders", "'index_group' must be one of none, folder, not 'folders' (did you mean 'folder'?)"),
])
def test_an_unknown_order_or_grouping_is_a_config_error_with_a_suggestion(make_project, written: str,
                                                                          message: str) -> None:
    root = make_project({**TALKS, "talkbuild.yml": written + "\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert f"talkbuild.yml:1: {message}" in done.stderr, done.stderr
