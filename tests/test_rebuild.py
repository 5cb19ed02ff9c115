"""Rebuilds from the caches (build cache, page digests, spare tree, code/formula memo, compiled templates)
give exactly what a cold build gives, and every cache is dropped when what it depends on changes."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from support import damage_pages, flip_byte, replace_memo

import talkbuild.render_talks
from talkbuild.build import BuildOptions, build
from talkbuild.cache import CACHE_DIR, FORMAT, OLD_MEMO_DIR, TALK_KEYS_FILE, TEMPLATE_CACHE_DIR, BuildCache, packages_stamp
from talkbuild.cache_pickle import LazySlides
from talkbuild.check import check_project
from talkbuild.config import Config, load_config
from talkbuild.errors import ContentError
from talkbuild.incremental import TALKS, Builder

TALK = """---
title: {title}
date: 2024-01-0{n}
---

# Part

## Code {{#code}}

```python
def f(x):
    return x * {n}
```

```bash
echo hi {n}
```

## Maths

Inline $a^{n} + b$ and [the other](other.md#s).

$$
\\frac{{1}}{{{n}}}
$$

![pic](pic.png)

{extra}
"""

OTHER = "---\ntitle: Other\n---\n\n## S {#s}\n\n```rust\nfn main() {}\n```\n"


def project(make_project, **extra: str) -> Path:
    files: dict[str, str | bytes] = {"talks/a.md": TALK.format(title="A", n=1, extra=""), "talks/other.md": OTHER,
                                     "talks/pic.png": b"\x89PNG one"}
    files.update(extra)
    return make_project(files)


def snapshot(site: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `site`."""
    return {p.relative_to(site).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(site.rglob("*"))}


def cold(root: Path, tmp_path: Path, name: str = "cold") -> dict[str, bytes | None]:
    out = tmp_path / name
    shutil.rmtree(out, ignore_errors=True)
    build(load_config(root), BuildOptions(out_dir=out, use_cache=False, jobs=1))
    return snapshot(out)


def this_stamp() -> str:
    """The memo stamp of the talkbuild under test: its code and the installed rendering packages."""
    return talkbuild.render_talks.memo_stamp()


def memo_of(root: Path, rel: str) -> dict[tuple[str, str, str], str]:
    """The memo a re-render of talk `rel` would start from (kept in its current cache entry)."""
    cache = BuildCache(root)
    return cache.memo(cache.talk_keys().get(rel), this_stamp(), rel)


def entry_of(root: Path, rel: str) -> Path:
    return root / CACHE_DIR / f"{BuildCache(root).talk_keys()[rel]}.entry"


FORGED = "<p>forged</p>"


def forge_memo(root: Path, rel: str, keys: Iterable[tuple[str, str, str]], *, stamp: str | None = None,
               kept_for: str | None = None) -> None:
    """Make talk `rel`'s memo claim FORGED as the output of `keys`, stamped `stamp` (default: this talkbuild's)
    and kept for talk `kept_for` (default: `rel`)."""
    replace_memo(entry_of(root, rel), pickle.dumps((FORMAT, stamp or this_stamp(), kept_for or rel,
                                                     dict.fromkeys(keys, FORGED))))


def edit(root: Path, n: int, extra: str) -> None:
    (root / "talks/a.md").write_text(TALK.format(title="A", n=n, extra=extra), encoding="utf-8")


def memo_filled(make_project) -> tuple[Path, Config]:
    """A project built, then built again after an edit of a.md: its cache entry now holds its memo."""
    root = project(make_project)
    config = load_config(root)
    build(config)
    edit(root, 1, "memo filled")
    build(config)
    return root, config


def test_a_run_of_incremental_builds_equals_a_cold_build_byte_for_byte(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    for i, (n, extra) in enumerate([(1, "edited"), (1, "edited again"), (2, "new code"), (2, "new code")]):
        edit(root, n, extra)
        result = build(config)
        assert result.rebuilt == (0 if i == 3 else 1)
        assert snapshot(root / "_site") == cold(root, tmp_path), f"after edit {i}"
    assert (root / ".talkbuild/spare-site").is_dir(), "the replaced site is kept to be updated next time"


def test_cached_talks_keep_their_slides_unread_until_used_and_then_equal_a_fresh_render(make_project,
                                                                                        tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    fresh = {t.source.path: t for t in build(config).talks}
    edit(root, 1, "edited, with [a missing slide](other.md#nope)")
    again = build(config, BuildOptions(keep_going=True))
    cached = next(t for t in again.talks if t.source.path.endswith("other.md"))
    assert isinstance(cached.slides, LazySlides) and not cached.slides.loaded, "a build does not read them"
    assert len(cached.slides) == len(fresh[cached.source.path].slides) and not cached.slides.loaded
    assert cached == fresh[cached.source.path] and hash(cached.slides) == hash(fresh[cached.source.path].slides)
    assert cached.slides.loaded and [s.id for s in cached.slides] == ["title", "s"] and cached.slides[1].id == "s"
    assert pickle.loads(pickle.dumps(cached)).slides == cached.slides  # a plain tuple anywhere else
    edited = next(t for t in again.talks if t.source.path.endswith("a.md"))
    assert isinstance(edited.slides, tuple) and "edited" in edited.slides[-1].body_html
    # check reads the slides of every talk, cached or not, and finds what it finds without the cache
    found = check_project(config)
    assert [d.message for d in found.diagnostics if "nope" in d.message], "other.md's slide ids were read"
    assert found == check_project(config, use_cache=False)


def test_strict_and_plain_builds_share_the_cache(make_project, tmp_path: Path) -> None:
    # `make ci` builds with --strict and then without: the second must not render everything again.
    root = project(make_project)
    config = load_config(root)
    assert build(config).rebuilt == 2
    assert build(config, BuildOptions(strict=True)).rebuilt == 0
    edit(root, 1, "edited")
    assert build(config, BuildOptions(strict=True)).rebuilt == 1
    assert build(config).rebuilt == 0
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_removing_adding_and_renaming_talks_leave_no_stale_file_or_folder(make_project, tmp_path: Path) -> None:
    root = project(make_project, **{"talks/deep/er/c.md": "---\ntitle: C\n---\n\n## C\n\n![x](img/x.png)\n",
                                    "talks/deep/er/img/x.png": b"x"})
    config = load_config(root)
    for _ in range(3):  # fill the spare tree
        build(config)
        edit(root, 1, f"{_}")
    shutil.rmtree(root / "talks/deep")
    build(config)
    assert not (root / "_site/deep").exists()
    assert snapshot(root / "_site") == cold(root, tmp_path)
    (root / "talks/other.md").rename(root / "talks/renamed.md")
    (root / "talks/a.md").write_text(TALK.format(title="A", n=1, extra="").replace("other.md", "renamed.md"))
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)
    (root / "talks/deep/er/img").mkdir(parents=True)
    (root / "talks/deep/er/img/x.png").write_bytes(b"y")
    (root / "talks/deep/er/c.md").write_text("---\ntitle: C\n---\n\n![x](img/x.png)\n")
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_failed_rebuild_leaves_the_good_site_and_the_next_one_recovers(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    edit(root, 1, "one")
    build(config)
    good = snapshot(root / "_site")
    (root / "talks/a.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(ContentError):
        build(config)
    assert snapshot(root / "_site") == good
    edit(root, 1, "fixed")
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_an_error_while_writing_keeps_the_live_site_and_a_clean_spare(make_project, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(make_project)
    config = load_config(root)
    for n in range(3):
        edit(root, 1, f"v{n}")
        build(config)
    good = snapshot(root / "_site")
    import talkbuild.write

    def broken(path: Path, content: bytes) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(talkbuild.write, "_write_new", broken)
    edit(root, 1, "doomed")
    with pytest.raises(OSError):
        build(config)
    assert snapshot(root / "_site") == good
    monkeypatch.undo()
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_damaged_cache_files_are_ignored_never_served(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    for n in range(3):
        edit(root, 1, f"v{n}")
        build(config)
    cache = root / CACHE_DIR
    for path in sorted(cache.iterdir()):
        path.write_bytes(b"garbage")  # (damaged page bytes alone: test_lost_page_bytes_of_a_cached_talk...)
    for path in (root / TEMPLATE_CACHE_DIR).rglob("*.cache"):
        path.write_bytes(b"j2" + b"\x00" * 40)
    (root / ".talkbuild/last-build.json").write_text("{not json")
    edit(root, 1, "after damage")
    result = build(config)
    assert result.rebuilt == 2
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_lost_page_bytes_of_a_cached_talk_are_rendered_again(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    for path in (root / CACHE_DIR).glob("*.entry"):
        damage_pages(path, pickle.dumps((b"wrong", b"bytes")))
    shutil.rmtree(root / "_site")  # nothing to lend: the pages' bytes must come from the cache
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)
    out = tmp_path / "elsewhere"
    build(config, BuildOptions(out_dir=out))
    assert snapshot(out) == cold(root, tmp_path)


def test_a_tampered_spare_tree_or_live_site_is_not_trusted(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    for n in range(3):
        edit(root, 1, f"v{n}")
        build(config)
    spare = root / ".talkbuild/spare-site"
    handout = spare / "other/index.html"
    handout.unlink()  # a hard link to the live file: replace it, as an editor saving a copy would
    handout.write_text("tampered")
    os.utime(handout, ns=(0, 0))
    (spare / "stray.html").write_text("x")
    (root / "_site/extra.txt").write_text("added by hand")
    edit(root, 1, "next")
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)
    edit(root, 1, "and next")
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_theme_and_config_changes_reach_every_page_through_the_template_cache(make_project, tmp_path: Path) -> None:
    root = project(make_project, **{"themes/mine/templates/index.html": "<p>one {{ talks|length }}</p>\n",
                                    "talkbuild.yml": "title: First\ntheme: mine\n"})
    config = load_config(root)
    build(config)
    assert (root / "_site/index.html").read_text() == "<p>one 2</p>\n"
    (root / "themes/mine/templates/index.html").write_text("<p>two {{ talks|length }}</p>\n")
    assert build(config).rebuilt == 2
    assert (root / "_site/index.html").read_text() == "<p>two 2</p>\n"
    (root / "themes/mine/templates/handout.html").write_text("{{ meta.title }} by override\n")
    build(config)
    assert (root / "_site/a/index.html").read_text() == "A by override\n"
    (root / "talkbuild.yml").write_text("title: Second\ntheme: mine\n")
    config = load_config(root)
    assert build(config).rebuilt == 2
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_changed_talkbuild_drops_every_cache(make_project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, config = memo_filled(make_project)
    templates = {p.name for p in (root / TEMPLATE_CACHE_DIR).iterdir()}
    monkeypatch.setattr(talkbuild.render_talks, "_code_fingerprint", lambda: "another talkbuild")
    assert build(config).rebuilt == 2
    assert {p.name for p in (root / TEMPLATE_CACHE_DIR).iterdir()}.isdisjoint(templates)
    assert len(list((root / CACHE_DIR).glob("*.entry"))) == 2
    edit(root, 1, "memo of the old code is not used")
    assert build(config).rebuilt == 1
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_the_memo_keeps_each_talks_code_and_formulas_and_only_those(make_project, tmp_path: Path) -> None:
    root, config = memo_filled(make_project)
    kinds = sorted((k[0], k[1]) for k in memo_of(root, "a.md"))
    assert kinds == [("fence", "bash"), ("fence", "python"), ("math", "block"), ("math", "inline")]
    # A memo claiming other output for the same code is believed only with the same stamp: forge one that is not.
    filled = list(memo_of(root, "a.md"))
    forge_memo(root, "a.md", filled, stamp="some other talkbuild")
    assert memo_of(root, "a.md") == {}
    edit(root, 1, "y")
    build(config)
    assert b"forged" not in b"".join(v for v in snapshot(root / "_site").values() if v)
    # ...and only for the talk it was kept for (a talk's key index could point at another talk's entry).
    forge_memo(root, "a.md", filled, kept_for="other.md")
    assert memo_of(root, "a.md") == {}
    # With the right stamp and talk, the next render of the talk takes its code and formulas from the memo.
    forge_memo(root, "a.md", filled)
    edit(root, 1, "z")
    build(config)
    assert (root / "_site/a/index.html").read_text().count(FORGED) == 4
    edit(root, 2, "code changed")
    build(config)
    entries = memo_of(root, "a.md")
    assert ("fence", "bash", "echo hi 2\n") in entries and ("fence", "bash", "echo hi 1\n") not in entries
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_damaged_memo_is_ignored_and_the_talk_still_served_from_the_cache(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    overflow = b"\x80\x05\x95" + b"\xff" * 8 + b"x" * 20  # pickle raises OverflowError on this frame length
    for memo in (b"\x80\x05garbage", b"", pickle.dumps("not a memo"), overflow):
        replace_memo(entry_of(root, "a.md"), memo)
        assert build(config).rebuilt == 0, "the talk record and pages are intact: nothing to render"
        assert memo_of(root, "a.md") == {}
        edit(root, 1, f"after a damaged memo {memo!r}")
        assert build(config).rebuilt == 1
        assert snapshot(root / "_site") == cold(root, tmp_path)
    (root / TALK_KEYS_FILE).write_text("{not json")
    edit(root, 1, "after a damaged key index")
    assert build(config).rebuilt == 1
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_an_entry_damaged_on_disk_is_never_served(make_project, tmp_path: Path) -> None:
    root, config = memo_filled(make_project)
    assert memo_of(root, "a.md")
    # One changed byte in the memo: its checksum fails, so it is ignored (its HTML never reaches a page).
    intact = entry_of(root, "a.md").read_bytes()
    for offset in (0, 50, 10**6):
        flip_byte(entry_of(root, "a.md"), 1, offset)
        assert memo_of(root, "a.md") == {}
        entry_of(root, "a.md").write_bytes(intact)
    # One changed byte in the talk record or the page bytes: the talk is rendered again.
    for section in (0, 2):
        flip_byte(entry_of(root, "a.md"), section, 1000)
        shutil.rmtree(root / "_site")  # nothing to lend: the page bytes would have to come from the entry
        assert build(config).rebuilt == 1
        assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_talk_that_fails_keeps_its_memo_for_when_it_is_fixed(make_project, tmp_path: Path) -> None:
    root, config = memo_filled(make_project)
    kept = memo_of(root, "a.md")
    assert len(kept) == 4
    (root / "talks/a.md").write_text(TALK.format(title="A", n=1, extra="").replace("title: A", "title: [unclosed"))
    with pytest.raises(ContentError):
        build(config)
    assert memo_of(root, "a.md") == kept, "the failed talk's previous entry (and memo) are kept"
    # Prove the fixed talk starts from it: forge the kept memo, and the forged HTML shows.
    forge_memo(root, "a.md", kept)
    edit(root, 1, "fixed")
    build(config)
    assert (root / "_site/a/index.html").read_text().count(FORGED) == 4


def test_a_partial_render_as_serve_does_keeps_the_key_index_true(make_project, tmp_path: Path) -> None:
    from talkbuild.discover import discover
    from talkbuild.render_talks import render_talks
    from talkbuild.themes import find_theme

    root = project(make_project)
    config = load_config(root)
    build(config)
    edit(root, 1, "rendered by serve")
    sources, _problems = discover(config.talks_path, config.root, config.exclude)
    render_talks(config, find_theme(config.theme, root), sources, BuildOptions(drafts=True), only={"a.md"})
    assert entry_of(root, "a.md").exists(), "serve's entry is what the index points at"
    assert build(config).rebuilt == 0
    kept = memo_of(root, "a.md")
    assert len(kept) == 4
    (root / "talks/a.md").write_text(TALK.format(title="A", n=1, extra="").replace("title: A", "title: [unclosed"))
    with pytest.raises(ContentError):
        build(config)
    assert memo_of(root, "a.md") == kept


def test_workers_that_are_not_forked_still_get_and_keep_each_talks_memo(make_project, tmp_path: Path) -> None:
    extra = {f"talks/t{i}.md": TALK.format(title=f"T{i}", n=i % 9 + 1, extra="").replace("other.md", "a.md")
             for i in range(10)}
    root = project(make_project, **extra)
    config = load_config(root)
    previous = multiprocessing.get_start_method()
    multiprocessing.set_start_method("forkserver", force=True)  # Python 3.14's default for process pools
    try:
        assert build(config, BuildOptions(jobs=2)).rebuilt == 12
        for i in range(10):
            rel = f"t{i}.md"
            assert ("fence", "bash", f"echo hi {i % 9 + 1}\n") in memo_of(root, rel)
            forge_memo(root, rel, memo_of(root, rel))
            (root / "talks" / rel).write_text(TALK.format(title=f"T{i}", n=i % 9 + 1, extra="edited")
                                              .replace("other.md", "a.md"))
        assert build(config, BuildOptions(jobs=2)).rebuilt == 10
    finally:
        multiprocessing.set_start_method(previous, force=True)
    for i in range(10):
        assert (root / f"_site/t{i}/index.html").read_text().count(FORGED) == 4


def _build_in_child(root: str, rounds: int, conn: Any) -> None:
    try:
        for _ in range(rounds):
            build(load_config(Path(root)))
        conn.send(None)
    except BaseException:  # reported to the parent, which fails the test
        conn.send(traceback.format_exc())


def test_builds_running_at_the_same_time_take_turns_with_the_spare_tree(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    build(load_config(root))
    ctx = multiprocessing.get_context("fork")
    children = []
    for _ in range(2):
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_build_in_child, args=(str(root), 4, child))
        children.append((process, parent))
        process.start()
    for n in range(4):  # edits while they build, replaced in one step so a build reads one version or the other
        staged = root / f"a.md.{n}"
        staged.write_text(TALK.format(title="A", n=1, extra=f"concurrent {n}"), encoding="utf-8")
        os.replace(staged, root / "talks/a.md")
    for process, parent in children:
        process.join(120)
        assert parent.recv() is None
    build(load_config(root))
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_parallel_cold_build_leaves_each_talk_its_memo_in_one_file_per_talk(make_project, tmp_path: Path) -> None:
    extra = {f"talks/t{i}.md": TALK.format(title=f"T{i}", n=i % 9 + 1, extra="").replace("other.md", "a.md")
             for i in range(10)}
    root = project(make_project, **extra)
    (root / OLD_MEMO_DIR).mkdir(parents=True)
    (root / OLD_MEMO_DIR / "0123.pickle").write_bytes(b"left by an earlier talkbuild")
    config = load_config(root)
    assert build(config, BuildOptions(jobs=2)).rebuilt == 12
    for i in range(10):
        assert ("fence", "bash", f"echo hi {i % 9 + 1}\n") in memo_of(root, f"t{i}.md")
    assert memo_of(root, "other.md").keys() == {("fence", "rust", "fn main() {}\n")}
    # A cold build writes one cache file per talk and the key index: no memo files beside them.
    cache_files = sorted(p.relative_to(root).as_posix() for p in (root / ".talkbuild/cache").rglob("*")
                         if p.is_file() and TEMPLATE_CACHE_DIR not in p.as_posix())
    assert len(cache_files) == 13 and TALK_KEYS_FILE in cache_files
    assert not (root / OLD_MEMO_DIR).exists()
    edit(root, 1, "first edit after a cold build")
    build(config)
    assert snapshot(root / "_site") == cold(root, tmp_path)


def test_a_build_leaves_the_half_written_entry_of_a_build_running_beside_it_alone(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    cache = root / CACHE_DIR
    in_flight = cache / f".{'0' * 64}.entry.abcd1234.tmp"  # as write_atomic names it, mid-write
    abandoned = cache / f".{'1' * 64}.entry.efgh5678.tmp"
    foreign = cache / "notes.txt"
    for path in (in_flight, abandoned, foreign):
        path.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    os.utime(abandoned, (hours_ago, hours_ago))
    edit(root, 1, "a build that tidies the cache")
    build(config)
    assert in_flight.exists(), "deleting it would make the other build's rename fail"
    assert not abandoned.exists() and not foreign.exists()
    assert len(list(cache.glob("*.entry"))) == 2


def test_a_cache_entry_with_a_damaged_header_is_ignored(make_project, tmp_path: Path) -> None:
    root = project(make_project)
    config = load_config(root)
    build(config)
    for path in (root / CACHE_DIR).glob("*.entry"):
        data = path.read_bytes()
        path.write_bytes(b"\xff" * 8 + data[8:])  # a talk record "longer" than any file
    shutil.rmtree(root / "_site")
    assert build(config).rebuilt == 2
    assert snapshot(root / "_site") == cold(root, tmp_path)


@pytest.mark.parametrize("package", ["pygments", "markdown_it", "jinja2"])
def test_upgrading_a_rendering_package_renders_every_talk_again(make_project, monkeypatch: pytest.MonkeyPatch,
                                                               package: str) -> None:
    # New highlighting or a parser fix changes the pages' bytes: cached pages from the old version are stale.
    import talkbuild.cache

    root = project(make_project)
    config = load_config(root)
    build(config)
    assert build(config).rebuilt == 0
    real = talkbuild.cache._package_stamp
    # An upgrade rewrites the package's files: its stamp (path, size, mtime) changes for the next process
    # (a process works its stamp out once: clearing it stands for a new `talkbuild build`).
    monkeypatch.setattr(talkbuild.cache, "_package_stamp", lambda name: real(name) + ("+upgraded" if name == package else ""))
    packages_stamp.cache_clear()
    try:
        assert build(config).rebuilt == 2
        assert build(config).rebuilt == 0
    finally:
        monkeypatch.undo()
        packages_stamp.cache_clear()


def test_a_running_serve_neither_trusts_nor_is_fooled_by_an_upgrade_on_disk(make_project,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import talkbuild.cache

    root, config = memo_filled(make_project)
    filled = list(memo_of(root, "a.md"))
    builder = Builder(root)
    builder.build()  # serve starts, running this code and these packages
    # Pygments is upgraded on disk while serve runs, and a `talkbuild build` of the new code leaves a memo.
    real = talkbuild.cache._package_stamp
    monkeypatch.setattr(talkbuild.cache, "_package_stamp", lambda name: real(name) + ("+upgraded" if name == "pygments" else ""))
    upgraded = BuildCache.key(talkbuild.render_talks._code_fingerprint(), packages_stamp.__wrapped__())
    assert upgraded != this_stamp()
    forge_memo(root, "a.md", filled, stamp=upgraded)
    edit(root, 1, "edited in serve after the upgrade")
    handout = builder.build(frozenset({TALKS})).files["a/index.html"]
    assert isinstance(handout, bytes) and b"after the upgrade" in handout and FORGED.encode() not in handout
    # ...while a memo made by the code serve runs is still its to use.
    forge_memo(root, "a.md", filled)
    other = Builder(root)
    other.build()
    edit(root, 1, "edited in a second serve")
    handout = other.build(frozenset({TALKS})).files["a/index.html"]
    assert isinstance(handout, bytes) and handout.count(FORGED.encode()) == 4


def test_serve_starts_an_edit_from_the_cached_memo_then_keeps_its_own(make_project) -> None:
    root, config = memo_filled(make_project)
    forge_memo(root, "a.md", list(memo_of(root, "a.md")))
    builder = Builder(root)
    assert builder.build().rendered == ("a.md", "other.md")  # serve's first build (everything from the cache)
    edit(root, 1, "first edit in serve")
    site = builder.build(frozenset({TALKS}))
    assert site.rendered == ("a.md",)
    handout = site.files["a/index.html"]
    assert isinstance(handout, bytes) and handout.count(FORGED.encode()) == 4
    shutil.rmtree(root / ".talkbuild")  # from now on only what serve remembers can give the forged output
    edit(root, 1, "second edit in serve")
    handout = builder.build(frozenset({TALKS})).files["a/index.html"]
    assert isinstance(handout, bytes) and b"second edit in serve" in handout and handout.count(FORGED.encode()) == 4
    edit(root, 2, "code changed")
    handout = builder.build(frozenset({TALKS})).files["a/index.html"]
    assert isinstance(handout, bytes) and FORGED.encode() not in handout and b"code changed" in handout
