"""Internal checks on fixture projects: the exact (file, line, code) findings, mapped to the Markdown."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support import shared

from talkbuild.check import check_project
from talkbuild.check.htmlscan import scan
from talkbuild.check.internal import Site, check_internal, resolve
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]

TALK_A = """\
---
title: A
author: Ann
date: 2024-01-01
---

## First {#first}

[to b](b.md#second-slide)
[bad frag](b.md#nope)
[missing](nothere.html)
![pic](img/Pic.png)
![](img/pic.png)
![gone](img/gone.png)
[in page](#first)
[in page bad](#nowhere)
[outside](../outside.md)
[talk b](b.md)

<img src="img/pic.png">

---

---

#### Deep

text [mail](mailto:x@y.z) [web](https://example.org/) [pdf](docs/paper.pdf#page=3)
"""

TALK_B = """\
---
title: B
---

## Second slide

text [back](a.md#first) [top](#top)
"""


def findings(root: Path, **kwargs: object) -> list[tuple[str, int | None, str]]:
    result = check_project(load_config(root), **kwargs)  # type: ignore[arg-type]
    return [(d.location.path, d.location.line, d.code) for d in result.diagnostics]


def test_every_kind_of_problem_is_found_where_it_is_written(make_project: ProjectFactory) -> None:
    root = make_project({"talks/a.md": TALK_A, "talks/b.md": TALK_B, "talks/img/pic.png": b"PNG",
                         "talks/docs/paper.pdf": b"%PDF"})
    assert findings(root) == [
        ("talks/a.md", 10, "missing-fragment"),
        ("talks/a.md", 11, "broken-link"),
        ("talks/a.md", 12, "case-mismatch"),
        ("talks/a.md", 13, "missing-alt"),
        ("talks/a.md", 14, "missing-image"),
        ("talks/a.md", 16, "missing-fragment"),
        ("talks/a.md", 17, "outside-talks"),
        ("talks/a.md", 20, "missing-alt"),
        ("talks/a.md", 22, "empty-slide"),
        ("talks/a.md", 26, "heading-skip"),
        ("talks/b.md", 1, "no-author"),
        ("talks/b.md", 1, "no-date"),
    ]
    assert not (root / "_site").exists()  # the check builds elsewhere


def test_messages_name_the_url_and_the_real_file(make_project: ProjectFactory) -> None:
    root = make_project({"talks/a.md": TALK_A, "talks/b.md": TALK_B, "talks/img/pic.png": b"PNG",
                         "talks/docs/paper.pdf": b"%PDF"})
    diagnostics = check_project(load_config(root)).diagnostics
    by_code = {d.code: d for d in diagnostics}
    assert by_code["case-mismatch"].url == "img/Pic.png"
    assert "'img/pic.png'" in by_code["case-mismatch"].message
    fragments = [(d.url, d.message) for d in diagnostics if d.code == "missing-fragment"]
    assert fragments == [("b.md#nope", "'#nope' is not an id in 'b/index.html'"),
                         ("#nowhere", "'#nowhere' is not an id in this page")]
    assert by_code["broken-link"].is_error and not by_code["missing-alt"].is_error


def test_a_link_to_a_draft_says_it_is_a_draft(make_project: ProjectFactory) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n[soon](d.md)\n",
                         "talks/d.md": "---\ntitle: D\ndraft: true\n---\n"})
    broken = [d for d in check_project(load_config(root)).diagnostics if d.code == "broken-link"]
    assert [(d.location.path, d.location.line, d.message, d.hint) for d in broken] == [
        ("talks/a.md", 7, "'d.md' leads to the talk 'd', a draft (`draft: true`) left out of the site",
         "remove `draft: true` from that talk when it is ready, or remove this link")]


def test_a_talk_with_errors_does_not_hide_the_others(make_project: ProjectFactory) -> None:
    root = make_project({
        "talks/bad.md": "---\ntitle: [unclosed\n---\n\n## X\n",
        "talks/good.md": "---\ntitle: G\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n[bad](bad.md) [gone](nope.md)\n",
    })
    found = findings(root)
    assert ("talks/good.md", 9, "broken-link") in found
    assert sum(1 for f in found if f[0] == "talks/good.md") == 1  # the link to bad.md is not blamed
    assert any(f[0] == "talks/bad.md" for f in found)


def test_a_front_matter_error_does_not_hide_the_problems_in_the_body(make_project: ProjectFactory) -> None:
    # All at once: fixing the date must not reveal a broken link the first run could have named.
    root = make_project({
        "talks/d.md": "---\ntitle: D\ndate: 2024-02-31\n---\n\n## S\n\n[b](nosuch2.md) ![x](gone.png)\n",
        "talks/e.md": "---\ntitle: [a, b]\n---\n\n## S\n\n[ok](d.md)\n",
        "talks/y.md": "---\nauthor: [a\n---\n\n## S\n\n[bad](nope.md)\n",  # not YAML at all, but closed
    })
    errors = [f for f in findings(root) if f[2] in ("front-matter", "broken-link", "missing-image")]
    assert not [f for f in findings(root) if f[0] == "talks/d.md" and f[2] == "no-date"], "the date is an error, once"
    assert errors == [("talks/d.md", 3, "front-matter"), ("talks/d.md", 8, "broken-link"),
                      ("talks/d.md", 8, "missing-image"), ("talks/e.md", 2, "front-matter"),
                      ("talks/y.md", 2, "front-matter"), ("talks/y.md", 7, "broken-link")]
    from talkbuild.build import build
    from talkbuild.errors import ContentError

    with pytest.raises(ContentError):  # the build still refuses the talk, and writes nothing
        build(load_config(root))
    assert not (root / "_site").exists()


def test_a_decks_own_addresses_are_valid_links_to_it(make_project: ProjectFactory) -> None:
    # docs/themes.md: #/7 is the 7th slide, #/7/2 and #<id>/2 its 2nd step; reveal.js users write them.
    root = make_project({
        "talks/a.md": ("---\ntitle: A\n---\n\n## S\n\n[n](o/slides/index.html#/2) [s](o/slides/index.html#/2/1) "
                       "[i](o/slides/index.html#res/1) [r](o/slides/#/res) [rs](o/slides/#/res/1/) [t](o/slides/#/2/)\n\n"
                       "[far](o/slides/index.html#/9) [h](o.md#/2) [x](o/slides/index.html#nope/1) "
                       "[rh](o.md#/res) [rn](o/slides/#/nope)\n"),
        "talks/o.md": "---\ntitle: O\n---\n\n## Results {#res}\n\nOne\n\n. . .\n\nTwo\n",
    })
    found = sorted((d.location.line, d.message, d.hint or "") for d in check_project(load_config(root)).diagnostics
                   if d.code == "missing-fragment")
    assert found == sorted([
        (9, "'#/9': the deck 'o/slides/index.html' has 2 slides", "count from 1, the title slide; or link the slide by its id"),
        (9, "'#/2' is a deck address, and 'o/index.html' is not a deck",
         "link the slide by its id (#res): that works in the deck and the handout"),
        (9, "'#nope/1' is not an id in 'o/slides/index.html'", ""),
        (9, "'#/res' is a deck address, and 'o/index.html' is not a deck",
         "link the slide by its id (#<slide-id>): that works in the deck and the handout"),
        (9, "'#/nope' is not an id in 'o/slides/index.html'", ""),
    ])


def test_a_missing_file_with_letters_beyond_ascii_is_named_as_written(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## S\n\n![Missing](figs/café.png) [doc](docs/résumé.pdf#page=2)\n"})
    found = sorted((d.code, d.message) for d in check_project(load_config(root)).diagnostics if d.is_error)
    assert found == [("broken-link", "'docs/résumé.pdf#page=2' does not exist (looked for docs/résumé.pdf in the site)"),
                     ("missing-image", "'figs/café.png' does not exist (looked for figs/café.png in the site)")]


def test_theme_links_are_reported_against_the_html_file() -> None:
    page = scan("t/index.html", '<html>\n<a href="../../up.html">x</a>\n<link href="../missing.css">\n'
                '<img src="../logo.png">\n<!-- <a href="nope.html"> -->\n'
                '<script>var s = "<a href=\'bad.html\'>";</script>\n</html>\n')
    site = Site(frozenset({"t/index.html", "logo.png"}), frozenset(), {"t/index.html": page}, {}, "_site")
    assert [(d.location.path, d.location.line, d.code) for d in check_internal(site)] == [
        ("_site/t/index.html", 2, "outside-site"),
        ("_site/t/index.html", 3, "broken-link"),
        ("_site/t/index.html", 4, "missing-alt"),
    ]


def test_resolve_like_a_static_host() -> None:
    assert resolve("a/index.html", "b/") == resolve("a/index.html", "b/index.html")
    assert resolve("a/slides/index.html", "../#x").path == "a/index.html"  # type: ignore[union-attr]
    assert resolve("a/index.html", "#frag").path == "a/index.html"  # type: ignore[union-attr]
    assert resolve("a/index.html", "/x%20y.png").path == "x y.png"  # type: ignore[union-attr]
    assert resolve("a/index.html", "../../x").path is None  # type: ignore[union-attr]
    assert resolve("a/index.html", "https://example.org/") is None
    assert resolve("a/index.html", "mailto:x@y.z") is None


def test_scan_collects_ids_and_slides_in_one_pass() -> None:
    page = scan("p.html", '<section id="s1" class="slide"><section><a href="a">x</a></section>'
                '<a name="n1" href="b"></a></section><a href="c" id="top2"></a>', {"s1"})
    assert page.ids == {"s1", "n1", "top2"}
    assert [(link.value, link.slide) for link in page.links] == [("a", "s1"), ("b", "s1"), ("c", None)]


def _seed_project(make_project: ProjectFactory) -> Path:
    root = make_project({})
    shutil.copy(shared("seed-talk.md"), root / "talks" / "seed-talk.md")
    return root


def test_seed_talk_reports_exactly_its_four_missing_images(make_project: ProjectFactory) -> None:
    root = _seed_project(make_project)
    result = check_project(load_config(root))
    errors = [(d.location.path, d.location.line) for d in result.diagnostics if d.is_error]
    assert errors == [("talks/seed-talk.md", line) for line in (78, 109, 153, 193)]
    assert {d.code for d in result.diagnostics if d.is_error} == {"broken-link"}


def test_seed_talk_with_its_images_is_clean(make_project: ProjectFactory) -> None:
    root = _seed_project(make_project)
    shutil.copytree(shared("corpus", "UCL__rsd-talks", "technical", "assets"), root / "talks" / "assets")
    assert check_project(load_config(root)).diagnostics == ()


def test_the_scanner_finds_ids_in_any_spelling_and_skips_tags_with_nothing_to_check() -> None:
    from talkbuild.check.htmlscan import scan

    page = scan("p.html", '<p class="x"><span ID = "a">x</span><a NAME=b></a><span data-id="c"></span>'
                          '<div id=\'d\'><img src="i.png" alt=""></div>')
    assert page.ids == frozenset({"a", "b", "d"})
    assert [(link.tag, link.value, link.alt) for link in page.links] == [("img", "i.png", "")]


def test_scanning_pages_in_parallel_finds_exactly_what_a_serial_scan_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import talkbuild.check as check_module
    from talkbuild.check import check_project
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    for i in range(6):
        (root / f"talks/t{i}.md").write_text(f"---\ntitle: T{i}\n---\n\n## S\n\n[next](t{(i + 1) % 6}.md#nope) ![x](missing{i}.png)\n")
    serial = check_project(load_config(root)).diagnostics
    monkeypatch.setattr(check_module, "SCAN_PARALLEL_THRESHOLD", 0)
    parallel = check_project(load_config(root)).diagnostics
    assert parallel == serial and len([d for d in serial if d.is_error]) == 12


def test_a_link_written_without_https_gets_a_hint(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/a.md").write_text("---\ntitle: A\nauthor: Me\ndate: 2026-01-01\n---\n\n## S\n\n[Drive][2]\n\n[2]: drive.google.com\n")
    (problem,) = [d for d in check_project(load_config(root)).diagnostics if d.is_error]
    assert problem.code == "broken-link" and problem.hint == "for a web address write the scheme: https://drive.google.com"
