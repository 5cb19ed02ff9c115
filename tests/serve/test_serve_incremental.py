"""The in-memory incremental Builder behind `serve`: what gets re-rendered, what a failure leaves visible."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from serve_support import talk

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.incremental import CONFIG, TALKS, THEME, Builder, Site

TALKS_ONLY = frozenset({TALKS})


def changed_pages(before: Site, after: Site) -> set[str]:
    return {page for page in after.versions if before.versions.get(page) != after.versions[page]}


def test_first_build_renders_everything_then_nothing_is_redone(make_project: Callable[..., Path]) -> None:
    builder = Builder(make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")}))
    first = builder.build()
    assert first.full and sorted(first.rendered) == ["a.md", "b.md"]
    assert {"index.html", "a/index.html", "a/slides/index.html", "b/slides/index.html"} <= set(first.files)
    again = builder.build(TALKS_ONLY)
    assert again.rendered == () and not again.full and changed_pages(first, again) == set()


def test_one_edited_talk_changes_only_its_own_pages(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    (root / "talks/a.md").write_text(talk("Alpha", "edited"))
    second = builder.build(TALKS_ONLY)
    assert second.rendered == ("a.md",) and not second.full
    assert changed_pages(first, second) == {"a/index.html", "a/slides/index.html"}
    assert b"edited" in second.files["a/slides/index.html"]  # type: ignore[operator]


def test_a_new_title_also_changes_the_index(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    (root / "talks/a.md").write_text(talk("Alpha Renamed"))
    assert "index.html" in changed_pages(first, builder.build(TALKS_ONLY))


def test_a_failing_talk_keeps_its_last_good_pages_and_reports_where(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    (root / "talks/a.md").write_text("---\ntitle: Alpha\nduration: soon\n---\n")
    broken = builder.build(TALKS_ONLY)
    assert [str(e.location) for e in broken.errors] == ["talks/a.md:3"]
    assert broken.files["a/slides/index.html"] == first.files["a/slides/index.html"]
    (root / "talks/b.md").write_text(talk("Beta", "still building b"))
    other = builder.build(TALKS_ONLY)  # the error stays listed while other talks move on
    assert [str(e.location) for e in other.errors] == ["talks/a.md:3"]
    assert b"still building b" in other.files["b/slides/index.html"]  # type: ignore[operator]
    (root / "talks/a.md").write_text(talk("Alpha", "fixed"))
    fixed = builder.build(TALKS_ONLY)
    assert fixed.errors == () and b"fixed" in fixed.files["a/slides/index.html"]  # type: ignore[operator]


def test_a_talk_broken_from_the_start_has_no_pages_but_the_rest_is_served(make_project: Callable[..., Path]) -> None:
    builder = Builder(make_project({"talks/a.md": "---\ntitle: [\n---\n", "talks/b.md": talk("Beta")}))
    site = builder.build()
    assert "b/slides/index.html" in site.files and "a/slides/index.html" not in site.files
    assert [e.location.path for e in site.errors] == ["talks/a.md"]


def test_an_added_talk_rerenders_all_so_links_to_it_resolve(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta", extra="\n[next](c.md)\n")})
    builder = Builder(root)
    first = builder.build()
    assert any("c.md" in d.message for d in first.errors + first.warnings)
    (root / "talks/c.md").write_text(talk("Gamma"))
    second = builder.build(TALKS_ONLY)
    assert second.full and "c/slides/index.html" in second.files
    assert not any("c.md" in d.message for d in second.errors + second.warnings)


def test_editor_scratch_files_change_nothing(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha")})
    builder = Builder(root)
    builder.build()
    for name in (".a.md.swp", "a.md~", "4913", "#a.md#", "a.md___jb_tmp___"):
        (root / "talks" / name).write_text("scratch")
    site = builder.build(TALKS_ONLY)
    assert site.rendered == () and not site.full


def test_an_edited_image_changes_the_version_of_the_pages_that_show_it(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a/index.md": talk("Alpha", extra="\n![pic](pic.svg)\n"),
                         "talks/a/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                         "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    assert first.files["a/pic.svg"] == root / "talks/a/pic.svg"
    (root / "talks/a/pic.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='10'/>")
    assert changed_pages(first, builder.build(TALKS_ONLY)) == {"a/index.html", "a/slides/index.html"}


def test_drafts_are_shown_while_serving(make_project: Callable[..., Path]) -> None:
    builder = Builder(make_project({"talks/a.md": talk("Alpha").replace("title: Alpha", "title: Alpha\ndraft: true")}))
    assert "a/slides/index.html" in builder.build().files


def test_a_broken_config_at_start_gives_an_empty_site_with_the_error(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talkbuild.yml": "title: x\nthem: dark\n"})
    builder = Builder(root)
    site = builder.build()
    assert site.files == {} and [str(e.location) for e in site.errors] == ["talkbuild.yml:2"]
    (root / "talkbuild.yml").write_text("title: x\n")
    assert "a/slides/index.html" in builder.build(frozenset({CONFIG})).files


def test_a_theme_override_changes_every_page_that_uses_the_file(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    (root / "themes/default/static").mkdir(parents=True)
    (root / "themes/default/static/deck.css").write_text("body { color: red }\n")
    second = builder.build(frozenset({THEME}))
    assert second.full and second.files["_talkbuild/deck.css"] == b"body { color: red }\n"
    assert changed_pages(first, second) == {"a/slides/index.html", "b/slides/index.html"}  # only decks load it
    (root / "themes/default/static/talkbuild.css").write_text("body { color: blue }\n")
    assert changed_pages(second, builder.build(frozenset({THEME}))) == set(first.versions)  # every page does


def test_a_theme_file_no_page_uses_changes_no_page(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "themes/default/static/deck.css": "@import 'fonts.css';\n"})
    builder = Builder(root)
    first = builder.build()
    (root / "themes/default/static/unused.png").write_bytes(b"not linked from anywhere")
    second = builder.build(frozenset({THEME}))
    assert "_talkbuild/unused.png" in second.files and changed_pages(first, second) == set()
    (root / "themes/default/static/fonts.css").write_text("/* imported by deck.css */\n")
    assert changed_pages(second, builder.build(frozenset({THEME}))) == {"a/slides/index.html"}


def test_a_site_theme_file_does_not_change_a_talk_in_its_own_theme(make_project: Callable[..., Path]) -> None:
    root = make_project({"talkbuild.yml": "theme: site\n", "themes/site/static/theme.css": "body { }\n",
                         "themes/alt/static/theme.css": "body { }\n",
                         "talks/a.md": talk("Alpha").replace("title: Alpha", "title: Alpha\ntheme: alt"),
                         "talks/b.md": talk("Beta")})
    builder = Builder(root)
    first = builder.build()
    (root / "themes/site/static/theme.css").write_text("body { color: red }\n")
    second = builder.build(frozenset({THEME}))
    assert changed_pages(first, second) == {"b/index.html", "b/slides/index.html", "index.html"}
    (root / "themes/alt/static/theme.css").write_text("body { color: blue }\n")
    assert changed_pages(second, builder.build(frozenset({THEME}))) == {"a/index.html", "a/slides/index.html"}


def test_the_served_site_matches_what_build_writes(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """Same files, same bytes: serve must never preview something `build` would not publish."""
    root = make_project({
        "talks/a/index.md": talk("Alpha", extra="\n![pic](pic.svg)\n\n[b](../b.md)\n"),
        "talks/a/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "talks/b.md": talk("Beta").replace("title: Beta", "title: Beta\ntheme: dark"),
        "themes/dark/static/dark.css": "body { background: black }\n",
    })
    site = Builder(root).build()
    assert site.errors == ()
    out = tmp_path / "out"
    build(load_config(root), BuildOptions(out_dir=out))
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    served = {key: value if isinstance(value, bytes) else value.read_bytes() for key, value in site.files.items()}
    assert "_talkbuild/themes/dark/dark.css" in served
    assert served == written


def test_a_big_batch_of_edits_in_serve_keeps_links_to_unchanged_talks_and_a_sound_cache(make_project) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config
    from talkbuild.incremental import TALKS

    files = {f"talks/t{i}.md": f"---\ntitle: T{i}\n---\n\n## S\n\n[b](b.md#s)\n" for i in range(10)}
    files["talks/b.md"] = "---\ntitle: B\n---\n\n## S\n"
    root = make_project(files)
    builder = Builder(root)
    builder.build()
    for i in range(9):
        (root / f"talks/t{i}.md").write_text(f"---\ntitle: T{i} edited\n---\n\n## S\n\n[b](b.md#s)\n")
    site = builder.build(frozenset({TALKS}))
    assert b'href="../b/index.html#s"' in bytes(site.files["t0/index.html"])  # type: ignore[arg-type]
    build(load_config(root))  # takes what serve left in the shared cache
    assert 'href="../b/index.html#s"' in (root / "_site/t0/index.html").read_text()
    assert not (root / "_site/b.md").exists()


def test_a_talk_that_keeps_failing_does_not_pile_up_highlighted_code(make_project: Callable[..., Path]) -> None:
    # The handout template fails after the Markdown (and its code) has been rendered: every save fails.
    root = make_project({"talks/a.md": talk("Alpha"),
                         "themes/default/templates/handout.html": "{{ no_such_value }}\n"})
    builder = Builder(root)
    builder.build()
    for i in range(20):
        (root / "talks/a.md").write_text(talk("Alpha", f"```python\nx = {i}\n```\n\n$a^{{{i}}}$\n"))
        site = builder.build(TALKS_ONLY)
        assert site.errors and site.rendered == ()
    state = builder._state
    assert state is not None
    assert sorted(key[2] for key in state.memos["a.md"]) == ["a^{19}", "x = 19\n"]  # the last render's, no more


def test_a_document_no_talk_links_is_warned_of_as_build_does_until_a_talk_links_it(
        make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talks/keynote.pdf": b"%PDF-1.4\n"})
    builder = Builder(root)
    codes = [(w.code, w.location.path) for w in builder.build().warnings if w.code == "unlinked-document"]
    assert codes == [("unlinked-document", "talks/keynote.pdf")]
    (root / "talks/a.md").write_text(talk("Alpha", "[Slides (PDF)](keynote.pdf)"))
    assert not [w for w in builder.build(TALKS_ONLY).warnings if w.code == "unlinked-document"]
    (root / "talks/spare.pptx").write_bytes(b"PK")
    assert [w.location.path for w in builder.build(TALKS_ONLY).warnings
            if w.code == "unlinked-document"] == ["talks/spare.pptx"]


def test_serve_keeps_quiet_about_warnings_check_per_file_ignores_accepts_as_build_does(live) -> None:
    # An integration trial: `build` had stopped printing a 60-speaker site's accepted warnings; serve still did.
    server = live({"talkbuild.yml": 'check:\n  per_file_ignores:\n    "talks/day1/**": [missing-image]\n',
                   "talks/day1/morning.md": talk("Morning", "![gone](nope.png)"),
                   "talks/day2/noon.md": talk("Noon", "![gone](nope.png)")})
    said = [line for line in server.lines if "warning" in line]
    assert [line.split(": warning")[0] for line in said if "[missing-file]" in line] == ["talks/day2/noon.md:11"]
    assert ("1 warning(s) not shown: in files check.per_file_ignores accepts them "
            "(`talkbuild check --show-ignored` lists them)") in server.lines
