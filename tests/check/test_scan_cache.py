"""The scan cache: a re-check rescans only pages whose bytes changed, and never trusts a stale scan."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from support import damage_pages

import talkbuild.check as check_module
from talkbuild.cache import frame
from talkbuild.check import check_project
from talkbuild.check.scancache import SCAN_CACHE_FILE
from talkbuild.config import load_config

HEAD = "---\ntitle: {t}\nauthor: Me\ndate: 2026-01-01\n---\n\n"


def _project(root: Path, talks: dict[str, str]) -> Path:
    (root / "talks").mkdir(parents=True, exist_ok=True)
    for name, body in talks.items():
        (root / "talks" / name).write_text(HEAD.format(t=name) + body)
    return root


def _cache(root: Path) -> Path:
    return root / ".talkbuild" / "cache" / SCAN_CACHE_FILE


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The page paths the scanner really scans (not served from the cache), in order."""
    seen: list[str] = []
    real = check_module.scan

    def counting(path: str, text: str, slide_ids: frozenset[str] = frozenset()) -> check_module.HtmlPage:
        seen.append(path)
        return real(path, text, slide_ids)

    monkeypatch.setattr(check_module, "scan", counting)
    return seen


def _errors(root: Path) -> list[tuple[str, int | None, str]]:
    return [(d.location.path, d.location.line, d.code) for d in check_project(load_config(root)).diagnostics if d.is_error]


def test_a_recheck_after_editing_one_talk_scans_only_that_talks_pages(tmp_path: Path, scanned: list[str]) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[b](b.md#s)\n", "b.md": "## S {#s}\n\nhi\n"})
    assert _errors(root) == []
    assert sorted(scanned) == ["404.html", "a/index.html", "a/slides/index.html", "b/index.html", "b/slides/index.html",
                               "index.html"]
    scanned.clear()
    assert _errors(root) == []
    assert scanned == [], "nothing changed: every scan comes from the cache"
    (root / "talks/b.md").write_text(HEAD.format(t="b.md") + "## S {#s}\n\nhello again\n")
    assert _errors(root) == []
    assert sorted(scanned) == ["b/index.html", "b/slides/index.html"]


def test_an_edit_after_a_clean_check_is_checked_not_served_from_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[b](b.md#s)\n", "b.md": "## S {#s}\n\nhi\n"})
    assert _errors(root) == []
    (root / "talks/b.md").write_text(HEAD.format(t="b.md") + "## S {#t}\n\nhi\n")  # the id a.md links to is gone
    assert _errors(root) == [("talks/a.md", 9, "missing-fragment")]
    (root / "talks/a.md").write_text(HEAD.format(t="a.md") + "## A\n\n[b](b.md#t)\n")
    assert _errors(root) == []


_HEADER = 12
"""A frame's length (8 bytes) and CRC-32 (4 bytes), before its contents."""


def _read(root: Path) -> dict[str, Any]:
    """The scan cache's contents (after its frame's length and CRC-32)."""
    data: dict[str, Any] = pickle.loads(_cache(root).read_bytes()[_HEADER:])
    return data


def _write(root: Path, data: dict[str, Any]) -> None:
    _cache(root).write_bytes(frame(pickle.dumps(data)))


def _poison(root: Path, fingerprint: str | None = None) -> None:
    """Rewrite the cache so every page claims to have no links at all (a scan that can never be right)."""
    data = _read(root)
    data["pages"] = {key: (ids, (), duplicates) for key, (ids, _links, duplicates) in data["pages"].items()}
    if fingerprint is not None:
        data["fingerprint"] = fingerprint
    _write(root, data)


def test_a_poisoned_cache_would_hide_a_broken_link(tmp_path: Path) -> None:
    # The control for the next two tests: the cache really is what the check trusts.
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[gone](nope.md)\n"})
    assert ("talks/a.md", 9, "broken-link") in _errors(root)
    _poison(root)
    assert not any(code == "broken-link" for _, _, code in _errors(root))


def test_a_scan_cache_from_another_talkbuild_version_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[gone](nope.md)\n"})
    before = _errors(root)
    assert ("talks/a.md", 9, "broken-link") in before
    _poison(root)
    import talkbuild.check.scancache as scancache

    monkeypatch.setattr(scancache, "__version__", "999.0")
    assert _errors(root) == before


def test_a_scan_cache_from_an_edited_scanner_is_ignored(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[gone](nope.md)\n"})
    before = _errors(root)
    _poison(root, fingerprint="an older scanner's fingerprint")
    assert _errors(root) == before


@pytest.mark.parametrize("damage", [b"", b"ab", b"not a pickle",
                                    # checksums that match, around contents that are not a scan cache:
                                    frame(b"not a pickle"), frame(pickle.dumps(["a", "list"])),
                                    frame(pickle.dumps({"pages": 3})),
                                    frame(b"\x80\x05\x95" + b"\xff" * 8 + b"x" * 20)])  # OverflowError
def test_a_damaged_scan_cache_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[gone](nope.md)\n"})
    before = _errors(root)
    _cache(root).write_bytes(damage)
    assert _errors(root) == before
    assert isinstance(_read(root)["pages"], dict), "a good cache replaced the damaged one"


def test_a_scan_cache_changed_on_disk_is_not_trusted(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[gone](nope.md)\n"})
    before = _errors(root)
    good = _cache(root).read_bytes()
    _poison(root)
    poisoned = _cache(root).read_bytes()
    # The poisoned contents, framed with their own length but the original checksum:
    _cache(root).write_bytes(poisoned[:8] + good[8:_HEADER] + poisoned[_HEADER:])
    assert _errors(root) == before


def test_pages_of_deleted_talks_leave_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {f"t{i}.md": f"## S{i}\n\ntext {i}\n" for i in range(4)})
    _errors(root)
    assert len(_read(root)["pages"]) == 10  # 404.html too
    (root / "talks/t1.md").unlink()
    (root / "talks/t2.md").unlink()
    _errors(root)
    assert len(_read(root)["pages"]) == 6


def test_no_cache_means_no_scan_cache_read_or_written(tmp_path: Path, scanned: list[str]) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n"})
    check_project(load_config(root), use_cache=False)
    assert not _cache(root).exists()
    check_project(load_config(root))
    scanned.clear()
    check_project(load_config(root), use_cache=False)
    assert len(scanned) == 4  # the talk's two pages, the index and 404.html


def test_check_writes_no_site(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n![logo](logo.png)\n"})
    (root / "talks/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert _errors(root) == []
    assert not (root / "_site").exists()


def _build_cache(root: Path) -> Path:
    return root / ".talkbuild" / "cache" / "build"


def test_pages_found_in_the_scan_cache_are_never_read(tmp_path: Path, scanned: list[str]) -> None:
    # A large site must not be held in memory: a page whose digest the scan cache knows stays on disk.
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[b](b.md#nope)\n", "b.md": "## S {#s}\n\nhi\n"})
    first = _errors(root)
    assert [code for _, _, code in first] == ["missing-fragment"]
    for entry in _build_cache(root).glob("*.entry"):
        damage_pages(entry, b"gone")  # any read of these bytes would fail their digest
    entries = {p.name: p.read_bytes() for p in _build_cache(root).glob("*.entry")}
    scanned.clear()
    assert _errors(root) == first
    assert scanned == []
    assert {p.name: p.read_bytes() for p in _build_cache(root).glob("*.entry")} == entries, "nothing was re-rendered"


def test_damaged_page_bytes_read_by_a_check_are_rendered_again(tmp_path: Path, scanned: list[str]) -> None:
    root = _project(tmp_path / "p", {"a.md": "## A\n\n[b](b.md#nope)\n", "b.md": "## S {#s}\n\nhi\n"})
    first = _errors(root)
    for entry in _build_cache(root).glob("*.entry"):
        damage_pages(entry, b"damaged")
    _cache(root).unlink()
    scanned.clear()
    assert _errors(root) == first
    assert sorted(scanned) == ["404.html", "a/index.html", "a/slides/index.html", "b/index.html", "b/slides/index.html",
                               "index.html"]
