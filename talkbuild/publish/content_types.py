"""Cache-Control for release files; Content-Type comes from talkbuild.content_types (never the OS MIME database)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..content_types import CONTENT_TYPES, DEFAULT_CONTENT_TYPE, content_type_for

__all__ = ["CONTENT_TYPES", "DEFAULT_CONTENT_TYPE", "cache_control_for", "content_type_for", "is_fingerprinted"]


IMMUTABLE = "public, max-age=31536000, immutable"
"""Release files live under a prefix named by their content hash, so they never change."""
REVALIDATE = "public, max-age=0, must-revalidate"
"""HTML is the entry point visitors reach through stable URLs: browsers must ask again each time."""
NO_STORE = "no-store"
"""The pointer and other control objects: never cached by anyone."""

_REVALIDATED_NAMES = frozenset({"robots.txt", "sitemap.xml", "feed.xml", "atom.xml", "rss.xml", "manifest.webmanifest"})
_FINGERPRINT = re.compile(r"[.-]([0-9a-f]{8,})\.[a-z0-9]+$")


def cache_control_for(path: str, content_type: str) -> str:
    """HTML (and other entry points whose URL never changes) revalidate; everything else is immutable."""
    name = PurePosixPath(path).name.lower()
    if content_type.startswith("text/html") or name in _REVALIDATED_NAMES:
        return REVALIDATE
    return IMMUTABLE


def is_fingerprinted(path: str, sha256: str | None) -> bool:
    """True when the name carries the start of the file's own sha256 (`app.3f2a9c1d.css` for bytes whose
    sha256 begins 3f2a9c1d), so its URL changes whenever its bytes do.

    A name that only looks hashed (`talk-20261130.css`, `IMG-20240512.jpg`) proves nothing: that file can be
    edited in place, and an `immutable` copy would stay in browsers for a year.
    """
    found = _FINGERPRINT.search(PurePosixPath(path).name.lower())
    return bool(found and sha256 and sha256.lower().startswith(found.group(1)))
