"""The build stage end to end: structure, assets, links, determinism, cache, CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import shared

from talkbuild.build import BuildOptions, build
from talkbuild.check import check_project
from talkbuild.config import load_config


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args], capture_output=True, text=True, timeout=120)


def test_seed_talk_builds_into_7_sections_and_26_slides_with_highlighted_code(make_project) -> None:
    root = make_project({})
    shutil.copy(shared("seed-talk.md"), root / "talks" / "continuous.md")
    result = build(load_config(root))
    (talk,) = result.talks
    assert len(talk.sections) == 7
    assert len(talk.content_slides) == 26
    assert talk.meta.authors == ("James Hetherington",) and talk.meta.date is not None
    deck = soup(root / "_site/continuous/slides/index.html")
    assert len(deck.select("section.slide-section")) == 7
    assert len(deck.select("section.slide-slide")) == 26
    assert len(deck.select("section.slide")) == 1 + 7 + 26
    assert deck.select('div.highlight[data-lang="bash"] span.w, div.highlight[data-lang="python"] span.k')
    handout = soup(root / "_site/continuous/index.html")
    assert [a["href"] for a in handout.select(".tb-toc > ol > li > a")][:2] == ["#systems-programming", "#programming-practices"]
    deck_ids = {s["id"] for s in deck.select("section.slide")} - {"title"}
    handout_ids = {s["id"] for s in handout.select("main section.tb-part")}
    assert deck_ids == handout_ids


def test_same_input_gives_byte_identical_output(make_project, tmp_path: Path) -> None:
    root = make_project({})
    shutil.copy(shared("seed-talk.md"), root / "talks" / "continuous.md")
    (root / "talks" / "more").mkdir()
    for i in range(10):
        (root / "talks" / "more" / f"t{i}.md").write_text(f"---\ntitle: T{i}\ndate: 2020-01-{i + 1:02d}\n---\n\n## S\n\n[x](../continuous.md#repetition)\n")
    config = load_config(root)
    build(config, BuildOptions(out_dir=tmp_path / "a", jobs=1, use_cache=False))
    build(config, BuildOptions(out_dir=tmp_path / "b", jobs=2, use_cache=False))
    build(config, BuildOptions(out_dir=tmp_path / "c"))  # from the cache
    def snapshot(d: Path) -> dict[str, bytes]:
        return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}
    a = snapshot(tmp_path / "a")
    assert a == snapshot(tmp_path / "b") == snapshot(tmp_path / "c")
    assert len(a) > 20


def test_assets_are_copied_and_work_from_both_views(make_project) -> None:
    root = make_project({
        "talks/2024/deep/intro.md": "---\ntitle: Intro\n---\n\n## S\n\n![A cat](img/cat.png)\n\n<img src=\"img/dog.png\" alt=\"dog\">\n\n[data](../../shared/data.csv)\n",
        "talks/2024/deep/img/cat.png": b"\x89PNG cat",
        "talks/2024/deep/img/dog.png": b"\x89PNG dog",
        "talks/shared/data.csv": "a,b\n",
        "talks/2024/deep/img/unused.png": b"unused",
    })
    build(load_config(root))
    site = root / "_site"
    assert (site / "2024/deep/img/cat.png").read_bytes() == b"\x89PNG cat"
    assert (site / "shared/data.csv").exists()
    assert not (site / "2024/deep/img/unused.png").exists(), "only referenced files are published"
    for page in ("2024/deep/intro/index.html", "2024/deep/intro/slides/index.html"):
        doc = soup(site / page)
        for tag, attr in (("img", "src"), ("a", "href")):
            for el in doc.find_all(tag):
                url = el.get(attr)
                if url and not url.startswith(("#", "http")):
                    assert not url.startswith("/"), f"{page}: absolute URL {url}"
                    target = (site / page).parent / url.split("#")[0]
                    assert target.exists() or (target / "index.html").exists(), f"{page}: {url} is broken"


def test_links_to_other_talks_are_rewritten_with_their_fragment(make_project) -> None:
    root = make_project({
        "talks/a.md": "---\ntitle: A\n---\n\n## S\n\n[b](b.md#second) and [c](sub/) and [c2](sub/index.md)\n",
        "talks/b.md": "---\ntitle: B\n---\n\n## First\n\n## Second\n",
        "talks/sub/index.md": "---\ntitle: C\n---\n",
    })
    build(load_config(root))
    deck_links = [a["href"] for a in soup(root / "_site/a/slides/index.html").select("section.slide .tb-slide-body a, section.slide p a")]
    assert deck_links == ["../../b/index.html#second", "../../sub/index.html", "../../sub/index.html"]
    handout_links = [a["href"] for a in soup(root / "_site/a/index.html").select("main .tb-slide-content a")]
    assert handout_links == ["../b/index.html#second", "../sub/index.html", "../sub/index.html"]


def test_links_to_decks_and_handouts_by_their_published_url_resolve(make_project) -> None:
    # Authors coming from reveal.js link to the HTML page, not to the Markdown: the build knows those pages.
    root = make_project({
        "talks/2026/a.md": ("---\ntitle: A\n---\n\n## S\n\n[deck slide](../2025/b/slides/index.html#code), "
                            "[deck](../2025/b/slides/), [handout](../2025/b/), [all talks](../index.html)\n\n"
                            "[gone](../2025/b/slides/index.html#nope)\n"),
        "talks/2025/b.md": "---\ntitle: B\n---\n\n## Code {#code}\n",
    })
    result = build(load_config(root), BuildOptions(strict=True))
    assert result.diagnostics == ()
    links = [a["href"] for a in soup(root / "_site/2026/a/index.html").select("main .tb-slide-content a")]
    assert links == ["../../2025/b/slides/index.html#code", "../../2025/b/slides/index.html", "../../2025/b/index.html",
                     "../../index.html", "../../2025/b/slides/index.html#nope"]
    found = [(d.location.path, d.location.line, d.code) for d in check_project(load_config(root)).diagnostics
             if d.is_error]
    assert found == [("talks/2026/a.md", 9, "missing-fragment")], "check proves the fragments of those pages"


def test_a_link_or_image_whose_address_has_a_space_is_a_warning_not_silent_text(make_project) -> None:
    # CommonMark takes no address with a space: the Markdown would be shown as written, and nothing said so.
    root = make_project({
        "talks/u.md": ("---\ntitle: U\n---\n\n## S\n\n![Chart](img/my chart.png)\n\n"
                       "[a page](other page.md), [titled](https://127.0.0.1:9/x \"A title\"), `![x](a b)`, "
                       "![fine](<img/my chart.png>)\n"),
        "talks/img/my chart.png": b"PNG"})
    found = [(d.location.line, d.code, d.hint) for d in build(load_config(root)).diagnostics]
    assert found == [(7, "unparsed-link", "write it <img/my chart.png> or img/my%20chart.png"),
                     (9, "unparsed-link", "write it <other page.md> or other%20page.md")]


def test_a_rule_right_before_a_slide_heading_makes_no_empty_slide(make_project) -> None:
    # remark and Marp talks separate every slide with --- and also start it with a heading; pandoc drops the rule.
    root = make_project({"talks/t.md": ("---\ntitle: T\n---\n\n# Sec\n\n## A\n\ntext a\n\n---\n\n## B\n\ntext b\n\n"
                                        "---\n<!-- a comment -->\n\n## C\n\ntext c\n\n---\n\nno heading: a slide of its own\n")})
    result = build(load_config(root))
    talk = result.talks[0]
    assert [(s.kind, s.title) for s in talk.slides] == [("title", "T"), ("section", "Sec"), ("slide", "A"), ("slide", "B"),
                                                        ("slide", "C"), ("slide", "")]
    assert "no heading" in talk.slides[-1].body_html


def test_a_slide_of_nothing_but_comments_or_a_trailing_rule_is_not_a_slide(make_project) -> None:
    # Marp: a directive comment before the first heading; many talks end with a last ---.
    root = make_project({"talks/t.md": ("---\ntitle: T\n---\n\n<!-- footer: My course -->\n\n# Lesson 1\n\n---\n\n"
                                        "## First slide\n\ntext\n\n---\n\n---\n\n## After a doubled rule\n\nx\n\n---\n")})
    talk = build(load_config(root)).talks[0]
    assert [(s.kind, s.title) for s in talk.slides] == [("title", "T"), ("section", "Lesson 1"), ("slide", "First slide"),
                                                        ("slide", ""), ("slide", "After a doubled rule")]


def test_index_lists_talks_newest_first_and_escapes_front_matter(make_project) -> None:
    root = make_project({
        "talks/old.md": "---\ntitle: Old\ndate: 18 May 2016\n---\n",
        "talks/new.md": "---\ntitle: New <script>alert(1)</script>\ndate: 2024-01-02\nauthor: [A, B]\n---\n",
        "talks/undated.md": "---\ntitle: Undated\n---\n",
        "talks/draft.md": "---\ntitle: Draft\ndraft: true\n---\n",
    })
    build(load_config(root))
    index = soup(root / "_site/index.html")
    titles = [h.get_text() for h in index.select(".tb-talk h2")]
    assert titles == ["New <script>alert(1)</script>", "Old", "Undated"]
    assert "<script>alert(1)" not in (root / "_site/index.html").read_text()
    assert not (root / "_site/draft").exists()
    build(load_config(root), BuildOptions(drafts=True))
    assert (root / "_site/draft/slides/index.html").exists()


def test_cache_rerenders_only_the_edited_talk(make_project) -> None:
    root = make_project({f"talks/t{i}.md": f"---\ntitle: T{i}\n---\n\n## S\n" for i in range(4)})
    config = load_config(root)
    assert build(config).rebuilt == 4
    assert build(config).rebuilt == 0
    (root / "talks/t2.md").write_text("---\ntitle: T2 changed\n---\n\n## S\n")
    result = build(config)
    assert result.rebuilt == 1
    assert "T2 changed" in (root / "_site/t2/index.html").read_text()


def test_editing_an_image_invalidates_the_talk_that_shows_it(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n![x](x.png)\n", "talks/x.png": b"one"})
    config = load_config(root)
    build(config)
    (root / "talks/x.png").write_bytes(b"two, longer")
    assert build(config).rebuilt == 1
    assert (root / "_site/x.png").read_bytes() == b"two, longer"


def test_every_talk_of_the_corpus_builds_without_a_crash(tmp_path: Path) -> None:
    corpus = shared("corpus")
    for repo in sorted(p for p in corpus.iterdir() if p.is_dir()):
        project = tmp_path / repo.name
        shutil.copytree(repo, project / "talks")
        result = cli("build", "-C", str(project))
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 1:
            assert re.search(r"^talks/\S+:\d+: error\[", result.stderr, re.M), result.stderr


def test_cli_version_usage_errors_and_new(make_project) -> None:
    assert re.match(r"talkbuild, version \d+\.\d+", cli("--version").stdout)
    assert cli("build", "--jobs", "0").returncode == 2
    assert cli("bulid").returncode == 2
    root = make_project({})
    created = cli("new", "-C", str(root), "2026/my-first-talk")
    assert created.returncode == 0, created.stderr
    assert (root / "talks/2026/my-first-talk.md").exists()
    assert cli("new", "-C", str(root), "2026/my-first-talk").returncode == 1
    for outside in ("../../etc/x", "/abs/x", ""):  # a usage error, like every other (README: exit 2)
        refused = cli("new", "-C", str(root), outside)
        assert refused.returncode == 2 and "is not a path inside talks/" in refused.stderr, outside
    built = cli("build", "-C", str(root))
    assert built.returncode == 0, built.stderr
    assert (root / "_site/2026/my-first-talk/slides/index.html").exists()


def test_bom_crlf_and_pandoc_title_block_are_accepted(make_project) -> None:
    root = make_project({
        "talks/bom.md": "\ufeff---\r\ntitle: Bom\r\nslidelink: True\r\n---\r\n\r\n## One\r\n\r\ntext\r\n".encode(),
        "talks/pandoc.md": "% Pandoc talk\n% Ann; Bob\n% 2015-10-25\n\n# One\n\ntext\n",
    })
    result = build(load_config(root))
    by_slug = {t.slug: t for t in result.talks}
    assert by_slug["bom"].meta.title == "Bom"
    assert [s.id for s in by_slug["bom"].slides] == ["title", "one"]
    assert by_slug["pandoc"].meta.authors == ("Ann", "Bob")
    assert by_slug["pandoc"].meta.date is not None


def test_the_projects_own_talks_build_cleanly_under_strict(tmp_path: Path) -> None:
    from support import REPO

    result = build(load_config(REPO), BuildOptions(out_dir=tmp_path / "site", strict=True, use_cache=False))
    assert len(result.talks) >= 3
    assert result.diagnostics == ()
    assert (tmp_path / "site/images/pipeline.svg").exists()


def test_a_noop_build_writes_nothing_but_repairs_a_tampered_site(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n"})
    config = load_config(root)
    build(config)
    deck = root / "_site/a/slides/index.html"
    inode = deck.stat().st_ino
    build(config)
    assert deck.stat().st_ino == inode, "an unchanged site is left as it is"
    deck.unlink()
    build(config)
    assert deck.exists(), "a site changed by hand is rebuilt"


def test_raw_html_inside_a_paragraph_reports_its_own_line(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\nfirst line\nsecond <img src=\"nope.png\"> line\n"})
    result = build(load_config(root))
    assert [(d.code, d.location.line) for d in result.diagnostics] == [("missing-file", 8)]


def test_a_link_to_a_folder_with_an_index_html_publishes_that_page(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n[docs](docs/)\n", "talks/docs/index.html": "<p>docs</p>"})
    build(load_config(root))
    assert (root / "_site/docs/index.html").read_text() == "<p>docs</p>"


def test_a_talks_own_theme_publishes_its_static_files_beside_the_site_themes(make_project) -> None:
    root = make_project({
        "themes/dark/static/deck.css": "body { background: black }",
        "talks/a.md": "---\ntitle: A\ntheme: dark\n---\n\n## S\n",
        "talks/b.md": "---\ntitle: B\n---\n\n## S\n",
    })
    build(load_config(root))
    site = root / "_site"
    assert (site / "_talkbuild/themes/dark/deck.css").read_text() == "body { background: black }"
    assert (site / "_talkbuild/deck.css").read_text() != "body { background: black }"
    dark = soup(site / "a/slides/index.html").find("link", href=re.compile(r"deck\.css$"))["href"]
    plain = soup(site / "b/slides/index.html").find("link", href=re.compile(r"deck\.css$"))["href"]
    assert dark == "../../_talkbuild/themes/dark/deck.css"
    assert plain == "../../_talkbuild/deck.css"
    assert (site / "a/slides" / dark).resolve().exists()


def test_out_never_replaces_a_folder_that_is_not_a_talkbuild_site(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n", "themes/mine/templates/deck.html": "x", "notes/todo.txt": "keep me"})
    for out in ("themes", ".git", "talks/sub", "notes", str(tmp_path)):
        (root / ".git").mkdir(exist_ok=True)
        result = cli("build", "-C", str(root), "--out", out)
        assert result.returncode == 2, (out, result.stderr)
        assert "refusing to" in result.stderr and "Traceback" not in result.stderr
    assert (root / "notes/todo.txt").read_text() == "keep me"
    assert (root / "themes/mine/templates/deck.html").exists()
    assert cli("build", "-C", str(root), "--out", "elsewhere").returncode == 0
    assert cli("build", "-C", str(root), "--out", "elsewhere").returncode == 0, "its own earlier output is replaced"


def test_a_build_never_writes_into_a_published_release(make_project) -> None:
    # `_deploy/current` is a symlink to the live, sealed release: building there would change what is live.
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## One\n\nHello\n"})
    assert cli("build", "-C", str(root)).returncode == 0
    assert cli("publish", "-C", str(root)).returncode == 0
    live = {p.relative_to(root / "_deploy/current"): p.read_bytes() for p in (root / "_deploy/current").rglob("*") if p.is_file()}
    (root / "talks/a.md").write_text("---\ntitle: A\n---\n\n## One\n\nHello v2\n")
    releases = sorted((root / "_deploy/releases").iterdir())
    for out in ("_deploy/current", f"_deploy/releases/{releases[0].name}", "_deploy/releases/new", "_deploy/x"):
        result = cli("build", "-C", str(root), "--out", out)
        assert result.returncode == 2 and "it is in the publish target" in result.stderr, (out, result.stderr)
    assert {p.relative_to(root / "_deploy/current"): p.read_bytes()
            for p in (root / "_deploy/current").rglob("*") if p.is_file()} == live
    assert cli("verify", "-C", str(root)).returncode == 0


def test_a_file_where_the_site_goes_is_refused_not_deleted(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n", "_site": "precious"})
    result = cli("build", "-C", str(root))
    assert result.returncode == 2 and "refusing to replace" in result.stderr and "it is a file" in result.stderr
    assert (root / "_site").read_text() == "precious"


def test_a_talk_published_where_another_publishes_its_slides_is_a_slug_clash(make_project) -> None:
    root = make_project({"talks/b.md": "---\ntitle: B\n---\n\n## S\n",
                         "talks/b/slides.md": "---\ntitle: Over B's deck\n---\n"})
    result = cli("build", "-C", str(root))
    assert result.returncode == 1
    assert ("talks/b/slides.md: error[slug-clash]: 'b/slides.md' would be published at 'b/slides/', where 'b.md' "
            "publishes its slides (rename it)") in result.stderr
    assert not (root / "_site").exists()


@pytest.mark.parametrize("name", ["q?x.md", "x#y.md", "100%.md"])
def test_a_talk_whose_name_would_cut_its_address_short_is_refused(make_project, name: str, tmp_path: Path) -> None:
    root = make_project({f"talks/{name}": "---\ntitle: Q\n---\n", "talks/ok.md": "---\ntitle: OK\n---\n"})
    result = cli("build", "-C", str(root))
    assert result.returncode == 1 and f"talks/{name}: error[bad-name]: the talk's name has" in result.stderr
    assert "(rename it with letters, digits, '-', '_' and '/')" in result.stderr
    alone = make_project({f"talks/{name}": "---\ntitle: Q\n---\n"}, tmp_path / "alone")
    assert "no-talks" not in cli("build", "-C", str(alone)).stderr, "the talk was found, and refused"


def test_talks_that_differ_only_in_case_are_a_warning(make_project) -> None:
    root = make_project({"talks/Intro.md": "---\ntitle: A\n---\n", "talks/intro.md": "---\ntitle: B\n---\n"})
    result = cli("build", "-C", str(root))
    assert result.returncode == 0
    assert "talks/intro.md: warning[case-clash]: 'intro.md' and 'Intro.md' differ only in case" in result.stderr


def test_talks_and_pictures_that_look_alike_are_a_warning(make_project) -> None:
    # café.md written twice: composed (NFC) and as e + a combining accent (NFD), two folders that look like one;
    # and two pictures that are one file in a clone on macOS or Windows.
    nfc, nfd = "caf\u00e9", "cafe\u0301"
    root = make_project({f"talks/{nfc}.md": "---\ntitle: A\n---\n\n## x\n\n![one](img/Case.png)\n",
                         f"talks/{nfd}.md": "---\ntitle: B\n---\n\n## y\n\n![two](img/case.png)\n",
                         "talks/img/Case.png": b"\x89PNG\r\n\x1a\n", "talks/img/case.png": b"\x89PNG\r\n\x1a\n"})
    result = cli("build", "-C", str(root))
    assert result.returncode == 0, result.stderr
    assert "differ only in how their accents are encoded (NFC and NFD)" in result.stderr
    pictures = [line for line in result.stderr.splitlines() if "'img/" in line]
    assert len(pictures) == 1 and ".md:7: warning[case-clash]: 'img/" in pictures[0], result.stderr
    assert {"'img/case.png'", "'img/Case.png'"} <= set(pictures[0].split()) and "differ only in case:" in pictures[0]


def test_the_summary_counts_drafts_apart(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n", "talks/d.md": "---\ntitle: D\ndraft: true\n---\n"})
    first = cli("build", "-C", str(root))
    assert "built 1 talk(s) and left out 1 draft(s) (--drafts builds them), " in first.stderr
    assert "(2 rendered, 0 from cache)" in first.stderr, "drafts are rendered too (check reads them)"
    again = cli("build", "-C", str(root))
    assert "(0 rendered, 2 from cache)" in again.stderr


def test_an_unclosed_notes_div_is_a_warning_at_its_line(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## Hello\n\n::: notes\nsecret\n\n## Next\n\nvisible?\n",
                         "talks/b.md": "---\ntitle: B\n---\n\n## S\n\n::: notes\nfine\n:::\n\n::: {.columns}\n::: column\nx\n:::\n:::\n"})
    result = build(load_config(root))
    found = [(d.location.path, d.location.line, d.code) for d in result.diagnostics]
    assert found == [("talks/a.md", 7, "unclosed-div")]


def test_raw_html_srcset_candidates_are_published(make_project) -> None:
    root = make_project({
        "talks/a.md": "---\ntitle: A\n---\n\n## S\n\n<picture><source srcset=\"p.webp 1x, p2.webp 2x\"><img src=\"p.png\" alt=\"p\"></picture>\n",
        "talks/p.webp": b"w1", "talks/p2.webp": b"w2", "talks/p.png": b"png",
    })
    result = build(load_config(root))
    assert result.diagnostics == ()
    for name in ("p.webp", "p2.webp", "p.png"):
        assert (root / "_site" / name).exists()
    assert 'srcset="../../p.webp 1x, ../../p2.webp 2x"' in (root / "_site/a/slides/index.html").read_text()


def test_new_quotes_titles_that_yaml_would_misread(make_project) -> None:
    root = make_project({})
    assert cli("new", "-C", str(root), "x", "--title", "Foo: Bar #1").returncode == 0
    assert build(load_config(root)).talks[0].meta.title == "Foo: Bar #1"


def test_the_build_cache_keeps_only_what_the_last_build_used(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n", "talks/b.md": "---\ntitle: B\n---\n"})
    config = load_config(root)
    for i in range(3):
        (root / "talks/a.md").write_text(f"---\ntitle: A{i}\n---\n")
        build(config)
    assert len(list((root / ".talkbuild/cache/build").glob("*.entry"))) == 2


def test_after_editing_one_talk_the_other_pages_are_not_rewritten(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n", "talks/b.md": "---\ntitle: B\n---\n\n## S\n"})
    config = load_config(root)
    build(config)
    untouched, edited = root / "_site/b/slides/index.html", root / "_site/a/slides/index.html"
    before = (untouched.stat().st_ino, edited.stat().st_ino)
    (root / "talks/a.md").write_text("---\ntitle: A2\n---\n\n## S\n")
    build(config)
    assert untouched.stat().st_ino == before[0], "an unchanged page is linked into the new site, not rewritten"
    assert edited.stat().st_ino != before[1] and "A2" in edited.read_text()


def test_check_in_between_does_not_spoil_the_next_noop_build(make_project) -> None:
    from talkbuild.check import check_project

    root = make_project({"talks/a.md": "---\ntitle: A\nauthor: Me\ndate: 2026-01-01\n---\n\n## S\n"})
    config = load_config(root)
    build(config)
    inode = (root / "_site/a/index.html").stat().st_ino
    check_project(config)
    build(config)
    assert (root / "_site/a/index.html").stat().st_ino == inode


def test_a_footnote_cited_on_two_slides_keeps_every_id_unique_in_the_handout(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## One\n\nx[^n]\n\n## Two\n\ny[^n]\n\n[^n]: the note\n"})
    build(load_config(root))
    for page in ("a/index.html", "a/slides/index.html"):
        doc = soup(root / "_site" / page)
        ids = [el["id"] for el in doc.select("[id]")]
        assert len(ids) == len(set(ids)), page
        for ref in doc.select("sup.footnote-ref a"):
            assert doc.select_one(ref["href"]) is not None, f"{page}: {ref['href']} leads nowhere"


def test_slidelink_false_hides_only_the_prominent_link_to_the_deck(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\nslidelink: True\n---\n\n## S\n",
                         "talks/b.md": "---\ntitle: B\nslidelink: false\n---\n\n## S\n"})
    build(load_config(root))
    shown = soup(root / "_site/a/index.html")
    hidden = soup(root / "_site/b/index.html")
    assert shown.select('a.tb-button[href="slides/index.html"]')
    assert not hidden.select('a.tb-button[href="slides/index.html"]')
    assert hidden.select('a[href="slides/index.html"]'), "the deck is always linked"


def test_verbose_shows_talkbuilds_timings_and_not_its_libraries_debug_lines(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n# One\n\nSome *text*.\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "-v", "build", "-C", str(root)],
                          capture_output=True, text=True, check=True)
    assert re.search(r"^render\s+1\s+\d+ ms$", done.stderr, re.M)
    assert "entering" not in done.stderr and "markdown_it" not in done.stderr


@pytest.mark.parametrize(("written", "minutes"), [("45", "45"), ("010", "10"), ("1:30", "90"), ("'20 min'", "20")])
def test_duration_is_read_as_written(make_project, written: str, minutes: str) -> None:
    # YAML 1.1 reads 010 as octal 8: the presenter view would pace a 10-minute talk as an 8-minute one.
    root = make_project({"talks/a.md": f"---\ntitle: A\nduration: {written}\n---\n\n## S\n"})
    build(load_config(root))
    assert soup(root / "_site/a/slides/index.html").select_one("#tb-stage")["data-duration"] == minutes


def test_every_standard_log_like_operator_converts_including_arg(make_project) -> None:
    # latex2mathml lacks \arg alone; a talk using it stopped the whole build with 'unknown LaTeX command'.
    ops = ("arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf limsup ln "
           "log max min Pr sec sin sinh sup tan tanh").split()
    body = "\n\n".join(f"${{\\{op}}} x$" for op in ops)
    root = make_project({"talks/m.md": f"---\ntitle: M\n---\n\n## Ops\n\n{body}\n\n$\\arg\\min_x f(x)$ and $\\argh x$\n"})
    found = [(d.code, d.message) for d in build(load_config(root), BuildOptions(keep_going=True)).diagnostics]
    assert found == [("math", "unknown LaTeX command \\argh: $\\argh x$")]
    html = (root / "_site/m/index.html").read_text(encoding="utf-8")
    assert "<mo>arg</mo><msub><mo>min</mo>" in html


def test_a_missing_file_is_named_as_written_even_when_it_is_not_ascii(make_project) -> None:
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## S\n\ntext\n\n![x](./figs/焼売.jpg)\n"})
    found = [(d.location.line, d.message) for d in build(load_config(root)).diagnostics if d.code == "missing-file"]
    assert found == [(9, "'./figs/焼売.jpg' does not exist")]


def test_markdown_right_under_an_html_tag_is_a_warning(make_project) -> None:
    # CommonMark passes it through as text (pandoc and kramdown parse it): four corpus talks showed raw Markdown.
    root = make_project({"talks/t.md": ("---\ntitle: T\n---\n\n## Look\n\n<h4>Look beyond</h4>\n![ancient](a.png)\n\n"
                                        "<div>\n* item one\n</div>\n\n<div>\n\n* fine: a blank line\n\n</div>\n\n"
                                        "<!--\n* commented out\n-->\n\n<pre>\n- as written\n</pre>\n\n"
                                        "<div>\n**bold text** here\n</div>\n\n<div>\nRun `make test` first\n</div>\n\n"
                                        "<div>\n5 * 3 and snake_case\n</div>\n")})
    found = [(d.location.line, d.code) for d in build(load_config(root)).diagnostics if d.code == "markdown-in-html"]
    assert found == [(8, "markdown-in-html"), (11, "markdown-in-html"), (29, "markdown-in-html"),
                     (33, "markdown-in-html")]


def test_a_url_in_an_inline_style_is_rewritten_copied_and_checked(make_project) -> None:
    # The trial: <div style="background-image:url(../images/python.png)"> kept its URL as written, relative to the
    # Markdown file: from the built handout and deck it led nowhere, the image was not copied, check was silent.
    from urllib.parse import unquote

    talk = ('---\ntitle: R\n---\n\n## S\n\n<div style="background-image:url(../images/python.png);width:50px"></div>\n\n'
            "<div style='background: url(\"gone.png\") no-repeat'></div>\n\n"
            '<p style="color: red">no URL here</p>\n')
    root = make_project({"talks/images/python.png": "png", "talks/week01/raw.md": talk})
    result = cli("build", "-C", str(root))
    assert result.returncode == 0, result.stderr
    assert "talks/week01/raw.md:9: warning[missing-file]: 'gone.png' does not exist" in result.stderr
    assert (root / "_site/images/python.png").read_text() == "png"
    for page in ("week01/raw/index.html", "week01/raw/slides/index.html"):
        html = (root / "_site" / page).read_text(encoding="utf-8")
        found = re.search(r"background-image:url\(&quot;([^&]*)&quot;\)", html)
        assert found, html
        target = (root / "_site" / page).parent / unquote(found.group(1))
        assert target.resolve() == (root / "_site/images/python.png").resolve(), (page, found.group(1))
        assert 'style="color: red"' in html
