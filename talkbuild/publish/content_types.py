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
_FINGERPRINT = re.compile(r"[.-][0-9a-f]{8,}\.[a-z0-9]+$")


def cache_control_for(path: str, content_type: str) -> str:
    """HTML (and other entry points whose URL never changes) revalidate; everything else is immutable."""
    name = PurePosixPath(path).name.lower()
    if content_type.startswith("text/html") or name in _REVALIDATED_NAMES:
        return REVALIDATE
    return IMMUTABLE


def is_fingerprinted(path: str) -> bool:
    """True for names like `app.3f2a9c1d.css` whose URL changes whenever their bytes do."""
    return bool(_FINGERPRINT.search(PurePosixPath(path).name.lower()))
