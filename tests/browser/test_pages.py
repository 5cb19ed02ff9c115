"""Index, handout and deck as pages: accessibility (axe-core), search, links, screenshots for people to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import ARTIFACTS, pdf_pages, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = {"index": "", "handout": "demo/", "deck": "demo/slides/#build-steps/1",
         "handout-wide": "wide/", "deck-wide": "wide/slides/#job-script"}
"""Pages of the demo site, and ("-wide") of a talk whose code and table are wider than the text (they scroll)."""
WIDE_TALK = ("---\ntitle: Wide\n---\n\n## Job script\n\n```bash\nsrun --ntasks=4 "
             + " ".join(f"--option-{i}=value" for i in range(12)) + "\n```\n\n```\n" + "x" * 150 + "\n```\n\n"
             "## Table\n\n| " + " | ".join(f"column {i}" for i in range(14)) + " |\n|" + "---|" * 14 + "\n| "
             + " | ".join(f"value {i}" for i in range(14)) + " |\n\n## Formula\n\n$$\n"
             + " + ".join(f"a_{{{i}}}" for i in range(40)) + " = b\n$$\n")


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path_factory.mktemp("wide")
    (root / "talks").mkdir()
    (root / "talks" / "wide.md").write_text(WIDE_TALK, encoding="utf-8")
    return build(load_config(root)).out_dir


def serious_violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(name: str, page: Any, request: pytest.FixtureRequest,
                                                    static_server: Any, axe_source: str) -> None:
    site = request.getfixturevalue("wide_site" if name.endswith("-wide") else "demo_site")
    page.goto(static_server(site) + PAGES[name])
    if name.startswith("deck"):
        wait_ready(page)
    if name == "handout-wide":
        assert page.evaluate("document.querySelector('pre').scrollWidth > document.querySelector('pre').clientWidth")
    assert serious_violations(page, axe_source) == []
    if name == "deck":  # the overview and the help dialog are part of the deck too
        page.keyboard.press("o")
        assert serious_violations(page, axe_source) == []
        page.keyboard.press("Escape")
        page.keyboard.press("?")
        assert serious_violations(page, axe_source) == []
    assert page.outside_requests == []


def test_index_lists_talks_newest_first_and_search_filters_them(page: Any, demo_site: Path, static_server: Any) -> None:
    page.goto(static_server(demo_site))
    titles = page.locator(".tb-talk h2").all_inner_texts()
    assert titles == ["Steps, Notes and Sections", "An Older Talk"]
    first = page.locator(".tb-talk").first
    assert "Ada Lovelace, Grace Hopper" in first.inner_text() and "Analytical Engines Ltd" in first.inner_text()
    assert first.locator("time").get_attribute("datetime") == "2024-03-01"
    assert first.locator("a", has_text="Slides").get_attribute("href") == "demo/slides/index.html"
    search = page.get_by_label("Search talks")
    search.fill("babbage")  # by author
    expect(page.locator(".tb-talk").first).to_be_hidden()
    expect(page.locator(".tb-talk").nth(1)).to_be_visible()
    assert page.locator("#tb-search-count").inner_text() == "1 of 2 talks"
    search.fill("accessibility")  # by tag
    expect(page.locator(".tb-talk").first).to_be_visible()
    expect(page.locator(".tb-talk").nth(1)).to_be_hidden()
    search.fill("no such talk")
    expect(page.locator("#tb-empty")).to_be_visible()
    search.fill("")
    page.get_by_role("button", name="Show talks tagged history").click()
    assert search.input_value() == "tag:history"
    expect(page.locator(".tb-talk").first).to_be_hidden()


def test_a_tag_shows_exactly_its_talks_and_search_reads_descriptions_dates_and_drafts(page: Any, tmp_path: Path,
                                                                                       static_server: Any) -> None:
    from talkbuild.build import BuildOptions, build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    talks = {"sig": "title: Digital signatures\ntags: [crypto]\ndescription: Week 3 of the course\ndate: 2026-10-05",
             "branch": "title: Branching\ntags: [git, machine learning]\ndate: 2026-11-02",
             "spaced": "title: Spaced\ntags: [\"machine  learning\"]\ndate: 2026-09-01",
             "soon": "title: Coming soon\ntags: [git]\ndraft: true"}
    for name, front in talks.items():
        (root / "talks" / f"{name}.md").write_text(f"---\n{front}\n---\n\n## S\n", encoding="utf-8")
    page.goto(static_server(build(load_config(root), BuildOptions(drafts=True)).out_dir))

    def shown() -> list[str]:
        return [t for t in page.locator(".tb-talk:not([hidden]) h2 a").all_inner_texts()]

    page.get_by_role("button", name="Show talks tagged git").first.click()  # 'git' is in 'Digital': not tagged
    assert sorted(shown()) == ["Branching", "Coming soon"]
    page.get_by_role("button", name="Show talks tagged machine learning", exact=True).click()
    assert shown() == ["Branching"]
    page.get_by_label("Search talks").fill("")
    page.locator('button.tb-tag[data-tag="machine  learning"]').click()  # its accessible name folds the spaces
    assert shown() == ["Spaced"], "a tag written with two spaces finds its own talk"
    search = page.get_by_label("Search talks")
    for query, titles in (("week 3", ["Digital signatures"]), ("2026-11", ["Branching"]), ("draft", ["Coming soon"]),
                          ("", None)):
        search.fill(query)
        assert titles is None or shown() == titles, query
    assert page.locator(".tb-talk", has_text="Coming soon").locator(".tb-draft").text_content() == "Draft"
    assert page.locator(".tb-talk", has_text="Branching").locator(".tb-draft").count() == 0
    page.goto(page.url.split("?")[0] + "soon/")
    assert page.locator("h1 .tb-draft").text_content() == "Draft"


def test_a_printed_handout_keeps_wide_tables_whole_and_prints_every_web_address(page: Any, tmp_path: Path,
                                                                                static_server: Any) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    cells = " | ".join(["averyveryverylongcellvalue"] * 3 + ["x"] * 7 + ["LASTCOLUMN"])
    (root / "talks/b.md").write_text(
        "---\ntitle: B\nauthor: Bob\ndate: 2026-01-01\n---\n\n## Wide\n\n| A | B | C | D | E | F | G | H | I | J | K |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n| " + cells + " |\n\nSee [the post](http://127.0.0.1:9/post/) "
        "and <http://127.0.0.1:9/auto>.\n\n"
        "::: notes\nAlso [the notes link](http://127.0.0.1:9/notes/).\n:::\n", encoding="utf-8")
    page.goto(static_server(build(load_config(root)).out_dir) + "b/")
    inside = """(() => { const c = document.querySelector('.tb-slide-content'), t = c.querySelector('table'),
        last = t.querySelector('td:last-child').getBoundingClientRect(), box = c.getBoundingClientRect();
        return {fits: t.getBoundingClientRect().right <= box.right + 1, lastShown: last.right <= box.right + 1}; })()"""
    assert page.evaluate(inside)["fits"], "on screen the table scrolls inside its box"
    page.emulate_media(media="print")
    assert page.evaluate(inside) == {"fits": True, "lastShown": True}, "on paper every column is on the page"
    small = page.evaluate("""(() => { const t = document.createElement('table'); t.innerHTML = '<tr><td>a</td><td>b</td></tr>';
        document.querySelector('.tb-slide-content').appendChild(t);
        return [t.getBoundingClientRect().width, t.parentElement.getBoundingClientRect().width]; })()""")
    assert small[0] < small[1] / 4, "a small table keeps its own width on paper"
    after = "(a => getComputedStyle(a, '::after').content)"
    assert page.evaluate(f"{after}(document.querySelector('.tb-slide-content a[href^=\"http\"]'))") == '" (http://127.0.0.1:9/post/)"'
    assert page.evaluate(f"{after}(document.querySelector('.tb-notes a[href^=\"http\"]'))") == '" (http://127.0.0.1:9/notes/)"'
    assert page.evaluate(f"{after}(document.querySelector('a[href$=\"/auto\"]'))") == "none", "printed once"
    assert page.locator(".tb-footer").inner_text().strip() == "Bob · 2026-01-01", "no separators left by hidden links"


def test_handout_has_title_block_contents_notes_and_links_to_each_slide(page: Any, demo_site: Path,
                                                                        static_server: Any) -> None:
    base = static_server(demo_site)
    page.goto(base + "demo/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.locator("h1").inner_text() == "Steps, Notes and Sections"
    head = page.locator(".tb-titleblock").inner_text()
    for part in ("Everything the deck viewer has to handle", "Ada Lovelace", "Analytical Engines Ltd", "2024-03-01"):
        assert part in head
    toc = page.locator(".tb-toc").inner_text()
    assert "Opening" in toc and "Build steps" in toc and "Details" in toc
    assert "Say first, then second, then third." in page.locator("#build-steps .tb-notes").inner_text()
    assert page.locator("#pauses math").count() == 1
    page.locator("#pauses .tb-to-slide").click()
    page.wait_for_url("**/demo/slides/index.html#pauses")
    wait_ready(page)
    assert page.evaluate("document.querySelector('#tb-stage > section.tb-current').id") == "pauses"
    assert page.outside_requests == []


def test_handout_prints_on_a4_and_letter(page: Any, demo_site: Path, static_server: Any) -> None:
    page.goto(static_server(demo_site) + "demo/")
    page.emulate_media(media="print")
    expect(page.locator(".tb-actions")).to_be_hidden()
    for size in ("A4", "Letter"):
        assert pdf_pages(page.pdf(format=size)) >= 2  # title + contents, then the sections


def test_save_screenshots_for_people_to_look_at(page: Any, demo_site: Path, static_server: Any) -> None:
    base = static_server(demo_site)
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        "index.png": ("", True), "handout.png": ("demo/", True),
        "deck-title.png": ("demo/slides/", False), "deck-steps.png": ("demo/slides/#build-steps/2", False),
        "deck-section.png": ("demo/slides/#opening", False), "deck-code.png": ("demo/slides/#slide-5", False),
    }
    for name, (url, full) in shots.items():
        page.goto(base + url)
        if "slides" in url:
            wait_ready(page)
            page.wait_for_timeout(250)  # let the fade finish
        page.screenshot(path=ARTIFACTS / name, full_page=full)
        assert (ARTIFACTS / name).stat().st_size > 1000
    page.goto(base + "demo/slides/")
    wait_ready(page)
    page.keyboard.press("o")
    page.screenshot(path=ARTIFACTS / "deck-overview.png")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    with page.expect_popup() as info:
        page.keyboard.press("s")
    presenter = info.value
    presenter.set_viewport_size({"width": 1280, "height": 720})
    wait_ready(presenter)
    presenter.wait_for_timeout(300)
    presenter.screenshot(path=ARTIFACTS / "presenter.png")


def test_the_site_works_from_file_urls_following_links_from_the_index_to_a_slide(page: Any, tmp_path: Path) -> None:
    """Double-clicking _site/index.html on a laptop with no network: every link leads to a page, not a listing."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/a.md").write_text("---\ntitle: Alpha\n---\n\n## First\n\n## Second\n\n[to b](b.md#two)\n")
    (root / "talks/b.md").write_text("---\ntitle: Beta\n---\n\n## One\n\n## Two\n")
    build(load_config(root))
    page.goto((root / "_site/index.html").as_uri())
    page.get_by_role("link", name="Alpha", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/a/index.html") and page.locator("h1").first.inner_text() == "Alpha"
    page.get_by_role("link", name="Present the slides").click()
    page.wait_for_url("**/a/slides/index.html*")
    page.goto(page.url.split("#")[0] + "#second")
    page.locator("#second a", has_text="to b").click()
    page.wait_for_url("**/b/index.html#two")
    assert page.locator("#two").count() == 1


def test_a_grouped_index_hides_a_folder_with_no_match_and_passes_axe(page: Any, tmp_path: Path, static_server: Any,
                                                                     axe_source: str) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    for rel, title in (("week1/intro", "Intro"), ("week1/lab", "Lab one"), ("week2/lab", "Lab two"), ("about", "Àbout")):
        (root / "talks" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "talks" / f"{rel}.md").write_text(f"---\ntitle: {title}\n---\n\n## S\n", encoding="utf-8")
    (root / "talkbuild.yml").write_text("index_group: folder\nindex_order: path\n", encoding="utf-8")
    page.goto(static_server(build(load_config(root)).out_dir))
    assert page.get_by_role("heading", level=2).all_inner_texts() == ["Àbout", "week1", "week2"]
    assert serious_violations(page, axe_source) == []
    page.get_by_label("Search talks").fill("lab one")
    expect(page.locator("section.tb-group").nth(1)).to_be_hidden()
    expect(page.locator("section.tb-group").first).to_be_visible()
    assert page.locator(".tb-talk:visible").all_inner_texts()[0].startswith("Lab one")
    assert page.locator("#tb-search-count").inner_text() == "1 of 4 talks"
    page.get_by_label("Search talks").fill("ABOUT")  # in any case, without its accent
    assert page.locator(".tb-talk:visible").all_inner_texts() == [page.locator(".tb-talk").first.inner_text()]
    page.get_by_label("Search talks").fill("week2")  # a folder's name finds its talks
    expect(page.locator("section.tb-group").first).to_be_hidden()
    assert page.locator(".tb-talk:visible").count() == 1 and page.locator("#tb-search-count").inner_text() == "1 of 4 talks"
