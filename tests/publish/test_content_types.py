"""Content-Type and Cache-Control come from explicit tables; the manifest and release id are stable."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import build_info, build_manifest
from talkbuild.publish.content_types import IMMUTABLE, REVALIDATE, cache_control_for, content_type_for

from .conftest import site_files, write_site


@pytest.mark.parametrize(("path", "expected"), [
    ("index.html", "text/html; charset=utf-8"),
    ("talks/a/INDEX.HTM", "text/html; charset=utf-8"),
    ("static/style.css", "text/css; charset=utf-8"),
    ("static/deck.js", "text/javascript; charset=utf-8"),
    ("static/mod.mjs", "text/javascript; charset=utf-8"),
    ("data/talks.json", "application/json; charset=utf-8"),
    ("feed.xml", "application/xml; charset=utf-8"),
    ("logo.svg", "image/svg+xml"),
    ("a.png", "image/png"), ("a.jpg", "image/jpeg"), ("a.jpeg", "image/jpeg"), ("a.webp", "image/webp"),
    ("a.avif", "image/avif"), ("favicon.ico", "image/x-icon"), ("a.gif", "image/gif"),
    ("fonts/x.woff2", "font/woff2"), ("fonts/x.woff", "font/woff"), ("fonts/x.ttf", "font/ttf"),
    ("slides.pdf", "application/pdf"), ("robots.txt", "text/plain; charset=utf-8"),
    ("site.webmanifest", "application/manifest+json; charset=utf-8"), ("talk.vtt", "text/vtt; charset=utf-8"),
    ("clip.mp4", "video/mp4"), ("app.wasm", "application/wasm"),
    ("LICENSE", "application/octet-stream"), ("weird.xyz123", "application/octet-stream"),
])
def test_content_type_table(path: str, expected: str) -> None:
    assert content_type_for(path) == expected


def test_the_os_mime_database_is_never_consulted(monkeypatch: pytest.MonkeyPatch) -> None:
    # aws-cli#3367: a Windows registry made .js text/plain. Poison the database; nothing may change.
    monkeypatch.setattr(mimetypes, "guess_type", lambda *a, **k: ("text/plain", None))
    assert content_type_for("deck.js") == "text/javascript; charset=utf-8"


@pytest.mark.parametrize(("path", "expected"), [
    ("index.html", REVALIDATE), ("talks/a/handout.html", REVALIDATE), ("sitemap.xml", REVALIDATE),
    ("robots.txt", REVALIDATE), ("static/style.css", IMMUTABLE), ("img/a.png", IMMUTABLE),
    ("fonts/x.woff2", IMMUTABLE), ("slides.pdf", IMMUTABLE),
])
def test_cache_control_html_revalidates_release_files_are_immutable(path: str, expected: str) -> None:
    assert cache_control_for(path, content_type_for(path)) == expected


def test_manifest_lists_every_file_with_headers_and_the_id_ignores_build_metadata(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    a = build_manifest(site, build_info(tmp_path, {"GITHUB_SHA": "a" * 40, "GITHUB_REF_NAME": "main",
                                                   "GITHUB_RUN_ID": "7", "GITHUB_REPOSITORY": "o/r"}))
    b = build_manifest(site, build_info(tmp_path, {"GITHUB_SHA": "b" * 40}))
    assert a.release_id == b.release_id and len(a.release_id) == 20
    assert a.build.commit == "a" * 40 and a.build.branch == "main"
    assert a.build.ci_run_url == "https://github.com/o/r/actions/runs/7"
    entry = a.by_path()["talks/t1/img.png"]
    assert (entry.size, entry.content_type, entry.cache_control) == (2000, "image/png", IMMUTABLE)
    (site / "talks" / "t1" / "img.png").write_bytes(b"\x00" * 2000)
    assert build_manifest(site).release_id != a.release_id  # same size, other bytes: another release


def test_an_empty_or_missing_site_is_an_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(TalkbuildError, match="no built site"):
        build_manifest(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TalkbuildError, match="empty"):
        build_manifest(tmp_path / "empty")
