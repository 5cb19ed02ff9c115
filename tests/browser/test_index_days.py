"""A conference's index on a phone (`index_group: day`): the list of days at the top reaches the second day in one
tap, and the search keeps the days, and the list, to those with a talk found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_pages import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def workshop(root: Path) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    talks = {f"speaker-{n:02d}/index.md": (f"Talk {n}", f"2026-03-0{3 + n % 2} {9 + n // 2}:00", "ml" if n % 3 else "hpc")
             for n in range(1, 21)}
    talks["speaker-21/index.md"] = ("Reused deck", "2015-06-01", "hpc")
    talks["speaker-22/index.md"] = ("To be announced", "", "ml")
    for rel, (title, date, tag) in talks.items():
        (root / "talks" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "talks" / rel).write_text(f"---\ntitle: {title}\n{'date: ' + date + chr(10) if date else ''}"
                                          f"authors: [Speaker]\ntags: [{tag}]\n---\n\n## S\n\nx\n", encoding="utf-8")
    (root / "talkbuild.yml").write_text("title: Workshop\nindex_group: day\nindex_order: oldest\n", encoding="utf-8")
    return build(load_config(root)).out_dir


@pytest.fixture
def phone(browser: Any, tmp_path: Path, static_server: Any) -> Any:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.site = static_server(workshop(tmp_path / "p"))
    page.goto(page.site)
    yield page
    context.close()


def test_a_tap_on_the_second_day_brings_its_heading_into_view(phone: Any, axe_source: str) -> None:
    jump = phone.get_by_role("navigation", name="Go to")
    expect(jump).to_be_in_viewport()
    assert jump.get_by_role("link").all_inner_texts() == ["Monday 1 June 2015", "Tuesday 3 March 2026",
                                                          "Wednesday 4 March 2026", "Undated"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    day_two = phone.get_by_role("heading", name="Wednesday 4 March 2026", level=2)
    expect(day_two).not_to_be_in_viewport()
    jump.get_by_role("link", name="Wednesday 4 March 2026").click()
    expect(day_two).to_be_in_viewport()
    assert phone.url.endswith("#2026-03-04")
    assert serious_violations(phone, axe_source) == []


def test_a_linked_day_opens_at_its_heading(phone: Any) -> None:
    phone.goto(phone.site + "index.html#2026-03-04")
    expect(phone.get_by_role("heading", name="Wednesday 4 March 2026", level=2)).to_be_in_viewport()


def test_searching_hides_the_days_without_a_match_and_their_links(phone: Any) -> None:
    search = phone.get_by_label("Search talks")
    jump = phone.locator("nav.tb-jump")
    search.fill("talk 1")  # Talk 1, Talk 10..19: both days of the workshop
    expect(phone.locator("section.tb-group", has_text="June 2015")).to_be_hidden()
    expect(phone.locator("section.tb-group", has_text="Undated")).to_be_hidden()
    assert jump.locator("a:visible").all_inner_texts() == ["Tuesday 3 March 2026", "Wednesday 4 March 2026"]
    search.fill("wednesday")  # a day's heading finds its talks
    assert phone.locator("section.tb-group:visible h2").all_inner_texts() == ["Wednesday 4 March 2026"]
    expect(jump).to_be_hidden()  # one day left: nothing to jump between
    search.fill("")
    expect(jump).to_be_visible()
    assert jump.locator("a:visible").count() == 4 and phone.locator("section.tb-group:visible").count() == 4


def test_a_tag_keeps_the_days_with_a_talk_of_that_tag(phone: Any) -> None:
    phone.locator("section.tb-group", has_text="June 2015").get_by_role("button", name="Show talks tagged hpc").click()
    assert phone.locator("#tb-search-count").inner_text() == "7 of 22 talks"
    assert phone.locator("nav.tb-jump a:visible").all_inner_texts() == ["Monday 1 June 2015", "Tuesday 3 March 2026",
                                                                        "Wednesday 4 March 2026"]
    expect(phone.locator("section.tb-group", has_text="Undated")).to_be_hidden()
