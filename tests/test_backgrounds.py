"""Marp's background pictures (`![bg right:40%](chart.png)`): taken out of the text into the slide's background
block, laid out by the slide's side and width, and shown beside the text in the handout."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from tests.support import shared

PNG = b"\x89PNG\r\n\x1a\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=120)


def page(root: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((root / "_site" / rel).read_text(encoding="utf-8"), "html.parser")


TALK = """---
title: Backgrounds
marp: true
---

## Split

- the text keeps the left

![bg right:40% 100%](chart.png)

## Full

![bg](photo.png)

Over the photo ![inline](chart.png)

## Two

![bg contain A chart of the counts](chart.png)
![bg left:30%](photo.png)
![not a background: bgcolor](chart.png)
"""


def test_background_pictures_leave_the_text_for_the_slides_background(make_project) -> None:
    root = make_project({"talks/m.md": TALK, "talks/chart.png": PNG, "talks/photo.png": PNG})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    deck = page(root, "m/slides/index.html")
    split = deck.select_one("section#split")
    assert split is not None and "tb-bg-right-slide" in split["class"] and split["style"] == "--tb-split: 40%"
    body = split.select_one(".tb-slide-body")
    assert body is not None
    block = body.select_one(":scope > div.tb-bg.tb-bg-right")
    assert block is not None and [img["src"] for img in block.find_all("img")] == ["../../chart.png"]
    assert block.img["style"] == "--tb-bg-size: 100%" and block.img["alt"] == ""
    assert len(body.find_all("img")) == 1 and "bg right" not in str(split)

    full = deck.select_one("section#full")
    assert full is not None and "tb-bg-full-slide" in full["class"] and not full.get("style")
    assert [img["class"] for img in full.select(".tb-bg img")] == [["tb-bg-cover"]]
    paragraph = full.select_one(".tb-slide-body > p")
    assert paragraph is not None and paragraph.get_text(strip=True) == "Over the photo"
    assert paragraph.img["alt"] == "inline", "a picture without the bg keyword stays in the text"

    two = deck.select_one("section#two")
    assert two is not None and "tb-bg-left-slide" in two["class"] and two["style"] == "--tb-split: 30%"
    pictures = two.select(".tb-bg.tb-bg-left img")
    assert [(img["alt"], img["class"]) for img in pictures] == [("A chart of the counts", ["tb-bg-contain"]),
                                                                 ("", ["tb-bg-cover"])]
    assert [img["alt"] for img in two.select(".tb-slide-body > p img")] == ["not a background: bgcolor"]

    handout = page(root, "m/index.html")
    part = handout.select_one("section#split")
    assert part is not None and part["style"] == "--tb-split: 40%"
    assert [img["src"] for img in part.select(".tb-slide-content .tb-bg img")] == ["../chart.png"]
    assert run(root, "check").returncode == 0


def test_a_missing_background_picture_is_reported_at_its_line(make_project) -> None:
    root = make_project({"talks/m.md": "---\ntitle: M\nmarp: true\n---\n\n## S\n\n![bg right](gone.png)\n"})
    result = run(root, "build")
    assert "talks/m.md:8: warning[missing-file]: 'gone.png' does not exist" in result.stderr, result.stderr


def test_the_marp_lessons_of_the_corpus_show_their_charts_as_backgrounds(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(shared("corpus", "ryuichiueda__slides_marp"), project / "talks")
    written = sum(len(re.findall(r"!\[bg\b", f.read_text(encoding="utf-8")))
                  for f in (project / "talks").rglob("*.md"))
    assert run(project, "build").returncode == 0
    decks = [BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
             for f in (project / "_site").rglob("slides/index.html")]
    assert not [img for deck in decks for img in deck.find_all("img") if "bg" in str(img.get("alt", "")).split()]
    shown = sum(len(deck.select(".tb-bg img")) for deck in decks)
    assert written > 40 and shown == written


def deck_of(root: Path, slug: str = "m") -> BeautifulSoup:
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return page(root, f"{slug}/slides/index.html")


def test_a_background_written_above_a_heading_belongs_to_that_heading_s_slide(make_project) -> None:
    # Marp's usual first slide, and any slide whose picture is written first: no slide of its own.
    talk = ("---\nmarp: true\n---\n\n![bg](photo.png)\n\n# Week 3\n\nDr Lecturer\n\n---\n\n"
            "![bg right:40% A green chart](chart.png)\n\n## Second\n\n- Text beside the chart\n")
    root = make_project({"talks/m.md": talk, "talks/chart.png": PNG, "talks/photo.png": PNG})
    deck = deck_of(root)
    slides = [(s["id"], s.get("data-title"), [i["src"] for i in s.select(".tb-bg img")])
              for s in deck.select("section.slide")]
    assert slides == [("title", "Week 3", []), ("week-3", "Week 3", ["../../photo.png"]),
                      ("second", "Second", ["../../chart.png"])]
    second = deck.select_one("section#second")
    assert second is not None and "tb-bg-right-slide" in second["class"]
    assert second.select_one(".tb-bg img")["alt"] == "A green chart"


def test_marp_keywords_are_read_where_marp_reads_them_and_as_it_writes_them(make_project) -> None:
    talk = ("---\ntitle: K\nmarp: true\n---\n\n## List\n\n- ![bg right](chart.png)\n- Plain item\n\n"
            "## Case\n\n![BG subtraction result on frame 12](photo.png)\n\n"
            "## Sides\n\n![bg left](photo.png)\n![bg right:30% horizontal](chart.png)\n\nText\n\n"
            "## Sizes\n\n![w:200](chart.png)\n![h:5em A small figure](photo.png)\n")
    root = make_project({"talks/m.md": talk, "talks/chart.png": PNG, "talks/photo.png": PNG})
    deck = deck_of(root)
    listed = deck.select_one("section#list")
    assert "tb-bg-right-slide" in listed["class"] and not listed.select("li img"), "in a list item too, as in Marp"
    case = deck.select_one("section#case")
    assert not case.select(".tb-bg") and case.select_one("p img")["alt"] == "BG subtraction result on frame 12", \
        "Marp's keywords are lower case: a description that starts with BG stays a figure"
    sides = deck.select_one("section#sides")
    assert "tb-bg-right-slide" in sides["class"] and sides["style"] == "--tb-split: 30%", "the last side, as in Marp"
    assert [i["alt"] for i in sides.select(".tb-bg img")] == ["", ""], "horizontal is a keyword"
    sizes = [(i["alt"], i["style"]) for i in deck.select("section#sizes img")]
    assert sizes == [("", "width: 200px"), ("A small figure", "height: 5em")]


def test_check_asks_for_a_description_of_a_picture_beside_the_text_keeping_its_keywords(make_project) -> None:
    talk = ("---\ntitle: A\nmarp: true\n---\n\n## Split\n\nText\n\n![bg right:40%](chart.png)\n\n## Full\n\n"
            "![bg](photo.png)\n\n## Sized\n\n![w:200](chart.png)\n")
    root = make_project({"talks/m.md": talk, "talks/chart.png": PNG, "talks/photo.png": PNG})
    result = run(root, "check")
    alt = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "missing-alt" in line]
    assert [line.split()[0] for line in alt] == ["10:17", "18:10"], result.stdout + result.stderr
    assert "describe it after its keywords: ![bg right:40% what it shows](chart.png)" in result.stdout + result.stderr
    assert "describe it after its keywords: ![w:200 what it shows](chart.png)" in result.stdout + result.stderr


def test_a_slide_of_pictures_between_two_rules_stays_a_slide_of_its_own(make_project) -> None:
    # Marp's full-bleed photo slide: `---`, the photo, `---`, the next slide's heading.
    talk = "---\ntitle: P\nmarp: true\n---\n\n## Before\n\nx\n\n---\n\n![bg](photo.png)\n\n---\n\n## After\n\ny\n"
    root = make_project({"talks/m.md": talk, "talks/photo.png": PNG})
    deck = deck_of(root)
    assert [(s["id"], bool(s.select(".tb-bg img"))) for s in deck.select("section.slide")] == [
        ("title", False), ("before", False), ("slide-3", True), ("after", False)]


def test_marp_syntax_in_a_talk_without_marp_true_is_an_ordinary_picture_and_a_warning(make_project) -> None:
    talk = ("---\ntitle: Vision\n---\n\n## Kernels\n\n![Kernel of size w:3 h:3 slides over the image](k.png)\n\n"
            "## Chart\n\n![bg right:40%](k.png)\n")
    root = make_project({"talks/m.md": talk, "talks/k.png": PNG})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("talks/m.md:11: warning[marp-syntax]: '![bg right:40%]' is Marp's image syntax, read only in a talk "
            "that says `marp: true`: here it is an ordinary picture with that alt text") in result.stderr
    assert result.stderr.count("marp-syntax") == 1, "prose that mentions w:3 is no Marp keyword"
    deck = page(root, "m/slides/index.html")
    assert [(i["alt"], i.get("style")) for i in deck.select("section img")] == [
        ("Kernel of size w:3 h:3 slides over the image", None), ("bg right:40%", None)]


def test_filters_sizes_and_notes_read_as_marp_does(make_project) -> None:
    talk = ("---\ntitle: F\nmarp: true\n---\n\n## S\n\n![w:auto h:.5em sepia A figure](k.png)\n"
            "![bg blur:3px grayscale](k.png)\n\n::: notes\n![bg right A picture in the notes](k.png)\n:::\n\n"
            "## T\n\n![drop-shadow:0,5px,10px,#000 blur:1px;background:url(x) A shadow](k.png)\n")
    root = make_project({"talks/m.md": talk, "talks/k.png": PNG})
    deck = deck_of(root)
    slide = deck.select_one("section#s")
    assert slide.select_one(".tb-slide-body > p img")["style"] == "width: auto; height: .5em; filter: sepia(1)"
    assert slide.select_one(".tb-bg img")["style"] == "filter: blur(3px) grayscale(1)"
    shadow = deck.select_one("section#t img")
    assert (shadow["style"], shadow["alt"]) == ("filter: drop-shadow(0 5px 10px #000)",
                                                "blur:1px;background:url(x) A shadow"), "a value that ends the CSS is text"
    note = slide.select_one("aside.notes img")
    assert note["alt"] == "A picture in the notes" and "tb-bg" not in str(note)


def test_a_marp_talks_other_pictures_keep_their_alt_text_and_emptied_blocks_go(make_project) -> None:
    talk = ("---\ntitle: E\nmarp: true\n---\n\n## S\n\n"
            "![A *big* chart of fish &amp; chips, \"quoted\" \\[1\\]](k.png)\n\n"
            "![drop-shadow](k.png) ![drop-shadow:0,5px,10px,rgba(0,0,0,.4) *Shadowed*](k.png)\n\n"
            "## T\n\n[![bg](k.png)](https://127.0.0.1/x)\n\n- ![bg w:200 right](k.png)\n- Plain item\n\n"
            "> ![bg left](k.png)\n\nText\n")
    root = make_project({"talks/m.md": talk, "talks/k.png": PNG})
    plain = make_project({"talks/m.md": talk.replace("marp: true\n", "")}, root=root.parent / "plain")
    (plain / "talks/k.png").write_bytes(PNG)
    deck = deck_of(root)
    without = deck_of(plain)
    first = deck.select_one("section#s p img")
    assert first["alt"] == without.select_one("section#s p img")["alt"] == 'A big chart of fish & chips, "quoted" [1]'
    shadows = deck.select("section#s p img")[1:]
    assert [(i["alt"], i["style"]) for i in shadows] == [
        ("", "filter: drop-shadow(0 5px 10px rgba(0, 0, 0, 0.4))"),
        ("Shadowed", "filter: drop-shadow(0 5px 10px rgba(0,0,0,.4))")]
    t = deck.select_one("section#t")
    assert not t.select(".tb-slide-body a, .tb-slide-body blockquote") and [li.get_text() for li in t.select("li")] == [
        "Plain item"], "the link, the list item and the quote that held only a background are gone"
    assert "tb-bg-left-slide" in t["class"], "the last side named"
    assert [i.get("style") for i in t.select(".tb-bg img")] == [None, "width: 200px", None]


def test_a_background_in_a_heading_leaves_its_title_and_a_heading_of_nothing_goes(make_project) -> None:
    talk = ("---\ntitle: H\nmarp: true\n---\n\n## ![bg right:30% A chart](k.png) Results\n\nText\n\n"
            "## Two\n\n### ![bg](k.png)\n\nMore\n")
    root = make_project({"talks/m.md": talk, "talks/k.png": PNG})
    deck = deck_of(root)
    results = deck.select_one("section#results")
    assert results is not None and results["data-title"] == "Results" and "tb-bg-right-slide" in results["class"]
    assert results.select_one(".tb-bg img")["alt"] == "A chart" and not results.select("h2 img")
    two = deck.select_one("section#two")
    assert not two.select("h3") and two.select(".tb-bg img"), "no empty <h3> left behind"


def test_only_ascii_digits_are_numbers_as_in_marp(make_project) -> None:
    # A Japanese IME types full-width digits: '４０%' is no percentage, so no split of an invalid width.
    talk = "---\ntitle: D\nmarp: true\n---\n\n## S\n\n![bg right:４０%](k.png)\n![w:２００ 図](k.png)\n\nText\n"
    root = make_project({"talks/m.md": talk, "talks/k.png": PNG})
    slide = deck_of(root).select_one("section#s")
    assert not slide.get("style"), "no split of an invalid width: 'right:４０%' is not Marp's keyword"
    assert slide.select_one(".tb-slide-body > p img")["alt"] == "w:２００ 図"


def test_the_warning_is_for_marp_syntax_only_and_marp_false_silences_it(make_project) -> None:
    talk = "---\ntitle: W\n{marp}---\n\n## S\n\n![Frame minus the bg model](k.png)\n\n![bg model](k.png)\n\n![bg contain](k.png)\n"
    root = make_project({"talks/m.md": talk.format(marp=""), "talks/k.png": PNG})
    result = run(root, "build", "--strict")
    assert result.stderr.count("marp-syntax") == 1 and "'![bg contain]'" in result.stderr, result.stderr
    (root / "talks/m.md").write_text(talk.format(marp="marp: false\n"), encoding="utf-8")
    result = run(root, "build", "--strict")
    assert result.returncode == 0 and "marp-syntax" not in result.stderr, result.stderr


def test_missing_alt_names_the_background_not_the_described_picture_before_it(make_project) -> None:
    talk = "---\ntitle: A\nmarp: true\n---\n\n## S\n\n![A described chart](b.png)\n\n![bg right:40%](b.png)\n"
    root = make_project({"talks/m.md": talk, "talks/b.png": PNG})
    result = run(root, "check")
    out = result.stdout + result.stderr
    assert "10:17  warning[missing-alt]" in out and "![bg right:40% what it shows](b.png)" in out, out
    assert "8:" not in " ".join(line.split()[0] for line in out.splitlines() if "missing-alt" in line)
