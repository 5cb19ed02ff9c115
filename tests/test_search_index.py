"""The site's full-text search index (_talkbuild/search-index.js): what it holds, in which order, and that every
way of building makes the same bytes without reading cached talks' slides again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from talkbuild.build import BuildOptions, build
from talkbuild.cache_pickle import LazySlides
from talkbuild.config import load_config
from talkbuild.incremental import TALKS, Builder
from talkbuild.search_index import TEXT_CAP, capped, plain_text, slide_text

INDEX = "_talkbuild/search-index.js"
PREFIX = "window.talkbuildSearch = "

CAFE = """---
title: Café & Crème
date: 2024-05-01
---

## Première   diapositive

Le mot <em>zan</em>zibar est ici, avec &amp; et &eacute;.<br>Puis
une ligne.

- un
- deux

::: notes
Les notes parlent de quokka.
:::

## Code

```python
def secret_word():  # tucked away in a comment
    return 1
```

<script>var never = "scripttext";</script>
<!-- commenttext -->

---

Only text here, no heading: platypus.
"""

TALK_FILES = {
    "talks/cafe.md": CAFE,
    "talks/w1/ar.md": "---\ntitle: مُقَدِّمَةٌ\ndate: 2023-01-01\n---\n\n## الخَوارِزْمِيّات\n\nنصٌّ عن الخَوارِزْمِيّات.\n",
    "talks/b c.md": "---\ntitle: Spaced out\ndate: 2025-01-01\n---\n\n## One\n\nwombat\n",
    "talks/wip.md": "---\ntitle: Work in progress\ndate: 2030-01-01\ndraft: true\n---\n\n## Secret\n\nnarwhal\n",
}


def search_data(content: bytes) -> dict[str, Any]:
    text = content.decode("utf-8")
    assert text.startswith("// talkbuild search index") and text.endswith("};\n")
    start = text.index(PREFIX) + len(PREFIX)
    data = json.loads(text[start:-2])
    assert isinstance(data, dict)
    return data


def built(root: Path, out: str = "_site", **options: Any) -> bytes:
    build(load_config(root), BuildOptions(out_dir=root / out, jobs=1, **options))
    return (root / out / INDEX).read_bytes()


def slides_of(data: dict[str, Any], slug: str) -> list[list[Any]]:
    return next(t["slides"] for t in data["talks"] if t["slug"] == slug)


def test_each_slide_is_listed_with_its_plain_text_title_anchor_and_number(make_project: Callable[..., Path]) -> None:
    data = search_data(built(make_project(TALK_FILES)))
    assert data["format"] == 1
    cafe = next(t for t in data["talks"] if t["slug"] == "cafe")
    assert (cafe["title"], cafe["href"]) == ("Café & Crème", "cafe")
    first, code, untitled = cafe["slides"]
    # tags gone (an inline one inside a word joins it), entities decoded, whitespace collapsed, notes included
    assert first == ["premi%C3%A8re-diapositive", "Première diapositive",
                     "Le mot zanzibar est ici, avec & et é. Puis une ligne. un deux Les notes parlent de quokka.", 2]
    assert code[1] == "Code" and "def secret_word(): # tucked away in a comment return 1" in code[2]
    assert "scripttext" not in code[2] and "commenttext" not in code[2], "scripts and comments are not text"
    assert untitled == ["slide-4", "", "Only text here, no heading: platypus.", 4]  # shown as "Slide 4"
    # the title slide, which has no text of its own, is left out; an Arabic id is percent-encoded as hrefs are
    ar = slides_of(data, "w1/ar")
    assert ar == [["%D8%A7%D9%84%D8%AE%D9%88%D8%A7%D8%B1%D8%B2%D9%85%D9%8A%D8%A7%D8%AA", "الخَوارِزْمِيّات",
                   "نصٌّ عن الخَوارِزْمِيّات.", 2]]
    assert next(t["href"] for t in data["talks"] if t["slug"] == "b c") == "b%20c"


def test_talks_come_by_folder_whatever_order_the_index_lists_them_in(make_project: Callable[..., Path]) -> None:
    # index.js orders the slides found as the page lists their talks (a browser test checks it)
    root = make_project(TALK_FILES)
    assert [t["slug"] for t in search_data(built(root))["talks"]] == ["b c", "cafe", "w1/ar"]
    (root / "talkbuild.yml").write_text("index_order: oldest\n", encoding="utf-8")
    assert [t["slug"] for t in search_data(built(root))["talks"]] == ["b c", "cafe", "w1/ar"]


def test_drafts_are_searchable_only_in_a_build_that_shows_them(make_project: Callable[..., Path]) -> None:
    root = make_project(TALK_FILES)
    assert "narwhal" not in built(root).decode() and "wip" not in [t["slug"] for t in search_data(built(root))["talks"]]
    assert slides_of(search_data(built(root, drafts=True)), "wip") == [["secret", "Secret", "narwhal", 2]]


def test_a_long_slide_is_capped_at_a_word_boundary(make_project: Callable[..., Path]) -> None:
    words = " ".join(f"word{n}" for n in range(2000))
    root = make_project({"talks/long.md": f"---\ntitle: Long\n---\n\n## Long\n\n{words}\n\n## After\n\nthe end\n"})
    long, after = slides_of(search_data(built(root)), "long")
    assert len(long[2]) <= TEXT_CAP and words.startswith(long[2]) and words[len(long[2])] == " "
    assert after[2] == "the end", "the next slide is whole"
    assert capped("x" * (TEXT_CAP + 5)) == "x" * TEXT_CAP, "a text without spaces is cut at the cap"


def test_notes_after_a_long_body_and_the_end_of_a_long_slide_stay_searchable(make_project: Callable[..., Path]) -> None:
    # Before: 1,000 characters per slide, body first, so a corpus slide of 1,689 characters lost its only
    # mentions of CERN and MathWorks, and the notes of any long slide were never searched.
    body = " ".join(f"word{n}" for n in range(250)) + " CERN at the end"  # some 1,700 characters
    notes = " ".join(f"note{n}" for n in range(1500)) + " MathWorks"  # longer than the cap on its own
    root = make_project({"talks/long.md": f"---\ntitle: Long\n---\n\n## Long\n\n{body}\n\n::: notes\n{notes}\n:::\n"})
    [long] = slides_of(search_data(built(root)), "long")
    assert len(long[2]) <= TEXT_CAP
    assert long[2].startswith(body + " note0 note1"), "the whole body, then the notes from their start"
    assert "CERN" in long[2]
    assert slide_text("n " * 5000, "the notes") == capped("n " * 5000, TEXT_CAP - 10) + " the notes"
    both = slide_text("b " * 5000, "n " * 5000)  # both long: half each
    assert len(both) <= TEXT_CAP and abs(both.count("b") - both.count("n")) <= 1 and both.count("n") >= TEXT_CAP // 4 - 1
    assert slide_text("body", "") == "body" and slide_text("", "notes") == "notes"


def test_link_text_code_formulas_and_image_alt_text_are_indexed(make_project: Callable[..., Path]) -> None:
    talk = ("---\ntitle: T\n---\n\n## S\n\nSee [the wiki](https://example.org) and `grep -r`; "
            "Euler $e^{i\\pi}+1=0$.\n\n![A red bicycle](bike.png)\n\n<img src='q.png' alt='raw quokka'>\n")
    [slide] = slides_of(search_data(built(make_project({"talks/t.md": talk}))), "t")
    assert slide[2] == "See the wiki and grep -r; Euler eiπ+1=0. A red bicycle raw quokka"
    assert "example.org" not in slide[2] and "bike.png" not in slide[2], "addresses are not text"


def test_plain_text_separates_blocks_and_keeps_words_whole() -> None:
    assert plain_text("<p>one</p><p>two</p><li>three</li>") == "one two three"
    assert plain_text('<p>wo<strong>r</strong>d <a href="x>y">link</a>&nbsp;&lt;tag&gt;</p>') == "word link\u00a0<tag>".replace("\u00a0", " ")
    assert plain_text('<style>p{}</style><template><p>hidden</p></template>ok') == "ok"


def test_the_same_talks_make_the_same_bytes_cold_cached_and_elsewhere(make_project: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    root = make_project(TALK_FILES)
    cold = built(root)
    assert built(root) == cold, "from the cache"
    other = make_project(TALK_FILES, root=tmp_path / "elsewhere")
    assert built(other, use_cache=False) == cold


def test_a_cached_no_op_build_joins_the_parts_without_reading_any_slides(make_project: Callable[..., Path]) -> None:
    root = make_project(TALK_FILES)
    config = load_config(root)
    build(config)
    (root / "talks/cafe.md").write_text(CAFE.replace("platypus", "echidna"), encoding="utf-8")
    again = build(config)
    assert again.rebuilt == 1
    cached = [t for t in again.talks if t.slug != "cafe"]
    assert cached and all(isinstance(t.slides, LazySlides) and not t.slides.loaded for t in cached), \
        "the index of the unchanged talks came from their cache entries, not from their slides"
    text = (root / "_site" / INDEX).read_text(encoding="utf-8")
    assert "echidna" in text and "platypus" not in text and "wombat" in text
    noop = build(config)
    assert noop.rebuilt == 0 and not any(t.slides.loaded for t in noop.talks if isinstance(t.slides, LazySlides))
    assert all(isinstance(t.slides, LazySlides) for t in noop.talks)
    assert (root / "_site" / INDEX).read_text(encoding="utf-8") == text


def test_serve_makes_the_same_bytes_and_rebuilds_only_the_edited_talk(make_project: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    root = make_project(TALK_FILES)
    builder = Builder(root, drafts=False)
    site = builder.build()
    assert site.files[INDEX] == built(root)
    (root / "talks/b c.md").write_text(TALK_FILES["talks/b c.md"].replace("wombat", "bandicoot"), encoding="utf-8")
    again = builder.build(frozenset({TALKS}))
    assert again.rendered == ("b c.md",) and not again.full
    assert again.files[INDEX] == built(root, out="_site2")
    assert "bandicoot" in again.files[INDEX].decode()  # type: ignore[union-attr]
    assert again.versions["index.html"] == site.versions["index.html"], "an open index is not reloaded for a slide"
    with_drafts = Builder(root, drafts=True).build()
    assert with_drafts.files[INDEX] == built(root, out="_site3", drafts=True)


def test_a_theme_index_without_the_hook_still_builds_and_the_file_is_talkbuilds(make_project: Callable[..., Path]) -> None:
    root = make_project(TALK_FILES | {
        "talkbuild.yml": "theme: plain\n",
        "themes/plain/templates/index.html": "<!doctype html><title>x</title><ul>{% for t in talks %}<li>{{ t.meta.title }}"
                                             "{% endfor %}</ul>\n",
        "themes/plain/static/search-index.js": "// the theme's own file of that name\n",
    })
    data = search_data(built(root))
    assert [t["slug"] for t in data["talks"]] == ["b c", "cafe", "w1/ar"]
    assert b"tb-slide-results" not in (root / "_site/index.html").read_bytes()
