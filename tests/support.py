"""Small helpers the tests share: requirements that skip locally but fail in CI, project paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TALKBUILD_SHARED", REPO.parent / "shared"))
"""Test data outside the repository (seed talk, corpus): ../shared, or $TALKBUILD_SHARED; absent in a user's own clone."""
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def require(condition: object, reason: str) -> None:
    """Skip with `reason` when `condition` is false; under CI=true fail instead, never skip silently."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def shared(*parts: str) -> Path:
    """A path under ../shared/, skipping (or failing in CI) when the folder is not there.

    TALKBUILD_SHARED_OPTIONAL=1 lets a CI that has no ../shared (GitHub Actions on the repository alone)
    skip these tests, saying why, while Chromium and the S3 server stay required there.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists() and os.environ.get("TALKBUILD_SHARED_OPTIONAL") == "1":
        pytest.skip(f"{path} is missing and TALKBUILD_SHARED_OPTIONAL=1 (test data that lives beside the repository)")
    require(path.exists(), f"{path} is missing (test data that lives beside the repository)")
    return path


def chromium() -> str:
    """Path of Debian's chromium, skipping (failing in CI) without it."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    require(exe, "headless Chromium is not installed (apt-get install -y chromium)")
    assert exe
    return exe


def _entry_sections(entry: Path) -> tuple[bytes, bytes, bytes]:
    """A build-cache entry (`<key>.entry`) cut into its framed talk record, framed memo and page bytes."""
    data = entry.read_bytes()
    record_end = 8 + int.from_bytes(data[:8], "big")
    memo_end = record_end + 8 + int.from_bytes(data[record_end:record_end + 8], "big")
    return data[:record_end], data[record_end:memo_end], data[memo_end:]


def damage_pages(entry: Path, tail: bytes) -> None:
    """Replace the page bytes of a build-cache entry, keeping its talk record and memo intact."""
    record, memo, _pages = _entry_sections(entry)
    entry.write_bytes(record + memo + tail)


def replace_memo(entry: Path, memo: bytes) -> None:
    """Replace the memo of a build-cache entry (`memo` unframed), keeping its talk record and page bytes."""
    record, _memo, pages = _entry_sections(entry)
    entry.write_bytes(record + len(memo).to_bytes(8, "big") + memo + pages)
