"""Writing direction and the language of talkbuild's own words: `dir:` in front matter and talkbuild.yml, taken
from `lang` when unset, written on <html>; English interface text marked lang="en" on pages in other languages;
index entries in another language than the site's carry their own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from talkbuild.build import build
from talkbuild.config import load_config
from talkbuild.direction import dir_of_lang
from talkbuild.frontmatter import split_source


def run_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", "build", "-C", str(root)],
                          capture_output=True, text=True, timeout=60)


def html_attrs(page: str) -> dict[str, str]:
    tag = re.search(r"<html\b([^>]*)>", page)
    assert tag
    return dict(re.findall(r'(\w+)="([^"]*)"', tag.group(1)))


@pytest.mark.parametrize(("lang", "direction"), [
    ("ar", "rtl"), ("ar-EG", "rtl"), ("he", "rtl"), ("iw", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ps", "rtl"),
    ("sd", "rtl"), ("yi", "rtl"), ("dv", "rtl"), ("ug", "rtl"), ("ckb", "rtl"), ("syr", "rtl"), ("AR", "rtl"),
    ("en", "ltr"), ("de", "ltr"), ("ja", "ltr"), ("zh-Hant", "ltr"), ("ku", "ltr"), ("arn", "ltr"),
])
def test_the_direction_comes_from_the_primary_language_subtag(lang: str, direction: str) -> None:
    assert dir_of_lang(lang) == direction
    assert split_source(f"---\ntitle: T\nlang: {lang}\n---\n", "talks/a.md").meta.dir == direction


@pytest.mark.parametrize(("written", "direction"), [("rtl", "rtl"), ("LTR", "ltr"), ("auto", "auto")])
def test_dir_as_written_wins_over_the_language(written: str, direction: str) -> None:
    meta = split_source(f"---\ntitle: T\nlang: ar\ndir: {written}\n---\n", "talks/a.md").meta
    assert meta.dir == direction


@pytest.mark.parametrize(("written", "hint"), [
    ("right", "write 'dir: rtl'"), ("left-to-right", "write 'dir: ltr'"), ("sideways", "rtl (right to left"),
])
def test_any_other_dir_is_an_error_at_its_line_with_a_hint(make_project, written: str, hint: str) -> None:
    root = make_project({"talks/a.md": f"---\ntitle: T\nlang: he\ndir: {written}\n---\n\n## S\n"})
    result = run_build(root)
    assert result.returncode == 1
    assert f"talks/a.md:4: error[front-matter]: 'dir' must be rtl, ltr or auto, not '{written}' ({hint}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_site_wide_dir_that_is_not_a_direction_is_an_error_at_its_line(make_project) -> None:
    root = make_project({"talkbuild.yml": "title: T\nlang: ar\ndir: rigth\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:3: 'dir' must be one of rtl, ltr, auto, not 'rigth'" in result.stderr
    assert "Traceback" not in result.stderr


def test_deck_handout_and_index_carry_dir_on_html(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "title: محاضرات\nlang: ar\n",
        "talks/ar.md": "---\ntitle: مقدمة\nlang: ar\n---\n\n## أ\n\nنص\n",
        "talks/de.md": "---\ntitle: Vortrag\nlang: de\n---\n\n## A\n\nText\n",
        "talks/mixed.md": "---\ntitle: Mixed\nlang: ar\ndir: ltr\n---\n\n## A\n",
    })
    out = build(load_config(root)).out_dir
    assert html_attrs((out / "ar/index.html").read_text()) == {"lang": "ar", "dir": "rtl"}
    assert html_attrs((out / "ar/slides/index.html").read_text()) == {"lang": "ar", "dir": "rtl"}
    assert html_attrs((out / "de/slides/index.html").read_text()) == {"lang": "de", "dir": "ltr"}
    assert html_attrs((out / "mixed/index.html").read_text()) == {"lang": "ar", "dir": "ltr"}
    assert html_attrs((out / "index.html").read_text()) == {"lang": "ar", "dir": "rtl"}
    root = make_project({"talkbuild.yml": "title: T\nlang: ar\ndir: ltr\n"}, root)
    assert html_attrs((build(load_config(root)).out_dir / "index.html").read_text()) == {"lang": "ar", "dir": "ltr"}


def test_index_entries_say_their_language_and_direction_where_they_differ_from_the_sites(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "title: Lectures\nlang: en\n",
        "talks/ar.md": "---\ntitle: مقدمة\nlang: ar\ndate: 2024-01-03\n---\n",
        "talks/ja.md": "---\ntitle: 講義\nlang: ja\ndate: 2024-01-02\n---\n",
        "talks/en.md": "---\ntitle: English\nlang: en\ndate: 2024-01-01\n---\n",
    })
    index = (build(load_config(root)).out_dir / "index.html").read_text()
    items = re.findall(r'<li class="tb-talk"([^>]*?) data-search', index)
    assert items == [' lang="ar" dir="rtl"', ' lang="ja"', ""]


def test_english_interface_words_are_marked_on_pages_in_other_languages(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "title: محاضرات\nlang: ar\n",
        "talks/ar.md": "---\ntitle: مقدمة\nlang: ar\ndate: 2024-05-18\n---\n\n# الجزء\n\n## أ\n\nنص\n\n---\n\nبلا عنوان\n",
        "talks/de.md": "---\ntitle: Vortrag\nlang: de\n---\n\n# Teil\n\n## A\n\nText\n",
    })
    out = build(load_config(root)).out_dir
    rtl = ' lang="en" dir="ltr"'
    deck = (out / "ar/slides/index.html").read_text()
    assert f'<a class="tb-skip" href="../index.html"{rtl}>' in deck
    assert f'<p class="tb-kicker"{rtl}>Part 1</p>' in deck
    assert '<nav class="tb-controls" id="tb-controls" aria-label="Slide controls" lang="en">' in deck
    assert '<span class="tb-section-name" id="tb-section" lang="ar" dir="rtl"></span>' in deck
    assert '<span class="tb-counter" id="tb-counter" dir="ltr">1 / 4</span>' in deck
    assert f'aria-labelledby="tb-help-title"{rtl}>' in deck
    assert f'<span{rtl}>Slide 4</span>' in deck  # the untitled slide's hidden heading
    handout = (out / "ar/index.html").read_text()
    assert f'<h2 id="tb-toc-title"{rtl}>Contents</h2>' in handout
    assert f'<span class="tb-quiet"{rtl}>4 slides</span>' in handout
    assert f'<span{rtl}>slide 2<span class="tb-visually-hidden"> in the deck</span></span>' in handout
    assert '<time datetime="2024-05-18" dir="auto">2024-05-18</time>' in handout
    assert "<bdi>2024-05-18</bdi>" in handout
    index = (out / "index.html").read_text()
    assert f'<label for="tb-search"{rtl}>Search talks and slides</label>' in index
    assert f'aria-live="polite"{rtl}>2 talks</p>' in index
    assert f'<span{rtl}>Slides</span><span class="tb-visually-hidden">: مقدمة</span>' in index
    german = (out / "de/index.html").read_text()
    assert '<h2 id="tb-toc-title" lang="en">Contents</h2>' in german  # left to right: only the language


def test_an_english_left_to_right_site_is_as_before_apart_from_dir(make_project) -> None:
    root = make_project({"talkbuild.yml": "lang: en-GB\n", "talks/a.md": "---\ntitle: A\nlang: en-GB\n---\n\n# Part\n\n## S\n\nx\n"})
    out = build(load_config(root)).out_dir
    for page in ("a/index.html", "a/slides/index.html", "index.html"):
        text = (out / page).read_text()
        assert text.count("lang=") == 1 and "<bdi>" not in text and 'dir="auto"' not in text, page
        assert text.count('dir="') == 1 and re.search(r'<html lang="[^"]+" dir="ltr">', text), page
    deck = (out / "a/slides/index.html").read_text()
    assert '<span class="tb-counter" id="tb-counter">1 / 3</span>' in deck
    assert 'title="Previous (Left arrow)"' in deck


@pytest.mark.parametrize(("site", "talk", "expected"), [
    ("lang: ar\n", "", ("ar", "rtl")),  # a talk without lang is in the site's language and direction
    ("lang: de\n", "", ("de", "ltr")),
    ("lang: en\ndir: rtl\n", "", ("en", "rtl")),  # the site's written dir too
    ("lang: ar\n", "lang: en\n", ("en", "ltr")),  # a talk's own lang: its own direction, not the site's
    ("lang: en\n", "lang: he\n", ("he", "rtl")),
    ("lang: ar\n", "dir: ltr\n", ("ar", "ltr")),
    ("", "", ("en", "ltr")),
])
def test_a_talk_without_lang_is_in_the_sites_language(make_project, site: str, talk: str,
                                                      expected: tuple[str, str]) -> None:
    """An Arabic lecturer's site (`lang: ar`) had its talks without `lang` built as English, left to right."""
    root = make_project({"talkbuild.yml": "title: T\n" + site, "talks/a.md": f"---\ntitle: A\n{talk}---\n\n## S\n\nx\n"})
    assert run_build(root).returncode == 0
    for page in ("a/index.html", "a/slides/index.html"):
        attrs = html_attrs((root / "_site" / page).read_text(encoding="utf-8"))
        assert (attrs["lang"], attrs["dir"]) == expected, page
    index = (root / "_site/index.html").read_text(encoding="utf-8")
    entry = re.search(r'<li class="tb-talk"[^>]*>', index)
    assert entry and (' lang="' in entry.group(0)) == (talk.startswith("lang: ") and expected[0] not in site)


def test_talkbuilds_words_in_an_entry_of_another_language_are_marked_english(make_project) -> None:
    """On an English site, an Arabic talk's entry is Arabic (lang="ar"): its "Handout" and "Slides" are not."""
    root = make_project({"talkbuild.yml": "title: T\nlang: en\n",
                         "talks/ar.md": "---\ntitle: مقدمة\nlang: ar\ndraft: true\n---\n\n## S\n\nx\n",
                         "talks/en.md": "---\ntitle: Intro\n---\n\n## S\n\nx\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "build", "--drafts", "-C", str(root)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    index = (root / "_site/index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<li class="tb-talk"(.*?)</li>', index, re.S)
    arabic = next(e for e in entries if 'lang="ar"' in e.split(">", 1)[0])
    english = next(e for e in entries if "Intro" in e)
    for word in ("Handout", "Slides", "Draft"):
        assert re.search(rf'lang="en" dir="ltr">{word}<', arabic), word
    assert 'lang="en"' not in english  # on the English page, its English entry needs no marking
