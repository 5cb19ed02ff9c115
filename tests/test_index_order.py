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


def test_an_unknown_order_is_a_config_error_with_a_suggestion(make_project) -> None:
    root = make_project({**TALKS, "talkbuild.yml": "index_order: pth\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert ("talkbuild.yml:1: 'index_order' must be one of newest, oldest, path, title, not 'pth' (did you mean "
            "'path'?)") in done.stderr, done.stderr
