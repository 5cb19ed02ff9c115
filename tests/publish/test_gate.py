"""publish's check gate: it passes only when _site is, byte for byte, the build it just checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from talkbuild.build import build
from talkbuild.check import check_site
from talkbuild.config import load_config
from talkbuild.errors import TalkbuildError
from talkbuild.publish import publish_site
from talkbuild.publish.gate import check_before_publish
from talkbuild.publish.manifest import build_manifest

HEAD = "---\ntitle: {t}\nauthor: Me\ndate: 2026-01-01\n---\n\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture
def root(make_project) -> Path:  # type: ignore[no-untyped-def]
    root: Path = make_project({
        "talks/a.md": HEAD.format(t="A") + "## One\n\n[b](b.md#two) ![logo](logo.png)\n",
        "talks/b.md": HEAD.format(t="B") + "## Two\n\ntext\n",
        "talks/logo.png": PNG,
    })
    build(load_config(root))
    return root


def _gate(root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    config = load_config(root)
    result = check_before_publish(config, build_manifest(config.out_path))
    return result.errors, result.stale


def test_a_fresh_build_passes_and_its_manifest_is_exactly_the_checked_site(root: Path) -> None:
    assert _gate(root) == ((), ())
    config = load_config(root)
    shipped = {f.path: f.sha256 for f in build_manifest(config.out_path).files}
    assert check_site(config).digests() == shipped


def test_a_talk_edited_since_the_build_is_refused_as_stale(root: Path) -> None:
    (root / "talks/b.md").write_text(HEAD.format(t="B") + "## Two\n\nnew text\n")
    # the talk's pages, and the slide search's index, which holds its text
    assert _gate(root) == ((), ("_talkbuild/search-index.js", "b/index.html", "b/slides/index.html"))
    build(load_config(root))
    assert _gate(root) == ((), ())


def test_a_page_edited_in_site_after_the_build_is_not_trusted(root: Path) -> None:
    _gate(root)  # warm every cache first
    page = root / "_site/b/index.html"
    st = page.stat()
    text = page.read_text()
    page.write_text(text.replace("text", "txet"))  # same size, and the old mtime put back
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _gate(root) == ((), ("b/index.html",))


def test_a_changed_image_an_extra_file_and_a_missing_file_are_all_stale(root: Path) -> None:
    (root / "_site/a/logo.png").write_bytes(PNG + b"!")
    (root / "_site/extra.html").write_text("<p>not built from the talks</p>")
    (root / "_site/b/slides/index.html").unlink()
    assert _gate(root) == ((), ("a/logo.png", "b/slides/index.html", "extra.html"))


def test_a_broken_link_fails_the_gate(root: Path) -> None:
    (root / "talks/a.md").write_text(HEAD.format(t="A") + "## One\n\n[b](b.md#nope)\n")
    build(load_config(root))
    errors, _ = _gate(root)
    assert len(errors) == 1 and "talks/a.md:9: error[missing-fragment]" in errors[0]


def test_bytes_changed_after_the_gate_are_never_published(root: Path) -> None:
    config = load_config(root)
    manifest = build_manifest(config.out_path)
    assert check_before_publish(config, manifest) == check_before_publish(config, manifest)
    assert check_before_publish(config, manifest).stale == ()
    (root / "_site/b/index.html").write_text("<p>edited after the check</p>")
    with pytest.raises(TalkbuildError, match="changed while it was being published"):
        list(publish_site(config.out_path, "file://_deploy", project_root=root, manifest=manifest))
    assert not (root / "_deploy/current").exists() and not (root / "_deploy/pointers").exists()
