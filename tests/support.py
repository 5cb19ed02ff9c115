"""Small helpers the tests share: requirements that skip locally but fail in CI, project paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

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


def playwright_api() -> Any:
    """Playwright's sync API, skipping (failing in CI) without the Python package: never a silent skip."""
    try:
        import playwright.sync_api as api
    except ImportError:
        require(False, "the Python package playwright is not installed (pip install -e '.[test]')")
    return api


def _entry_sections(entry: Path) -> tuple[bytes, bytes, bytes]:
    """A build-cache entry (`<key>.entry`) cut into its three framed sections: talk record, memo, page bytes.

    Each section is framed as its length (8 bytes), its CRC-32 (4 bytes), then its bytes.
    """
    data = entry.read_bytes()
    sections, at = [], 0
    for _ in range(3):
        end = at + 12 + int.from_bytes(data[at:at + 8], "big")
        sections.append(data[at:end])
        at = end
    return sections[0], sections[1], sections[2]


def damage_pages(entry: Path, pages: bytes) -> None:
    """Replace the page bytes of a build-cache entry (`pages` unframed, framed here with a valid CRC),
    keeping its talk record and memo intact."""
    from talkbuild.cache import frame

    record, memo, _pages = _entry_sections(entry)
    entry.write_bytes(record + memo + frame(pages))


def replace_memo(entry: Path, memo: bytes) -> None:
    """Replace the memo of a build-cache entry (`memo` unframed, framed here with a valid CRC), keeping its
    talk record and page bytes."""
    from talkbuild.cache import frame

    record, _memo, pages = _entry_sections(entry)
    entry.write_bytes(record + frame(memo) + pages)


def flip_byte(entry: Path, section: int, offset: int = 0) -> None:
    """Change one byte inside section `section` (0 talk record, 1 memo, 2 page bytes) of a build-cache entry,
    leaving its CRC as it was: what a damaged disk would do."""
    parts = list(_entry_sections(entry))
    body = bytearray(parts[section])
    body[12 + offset % (len(body) - 12)] ^= 0x01
    parts[section] = bytes(body)
    entry.write_bytes(b"".join(parts))
