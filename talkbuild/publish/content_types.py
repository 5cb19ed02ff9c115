"""Content-Type and Cache-Control for release files, from explicit tables (never the OS MIME database)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# Versioned on purpose: changing an entry changes release ids, so treat edits as a format change.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".zip": "application/zip",
    ".gz": "application/gzip",
}

DEFAULT_CONTENT_TYPE = "application/octet-stream"

IMMUTABLE = "public, max-age=31536000, immutable"
"""Release files live under a prefix named by their content hash, so they never change."""
REVALIDATE = "public, max-age=0, must-revalidate"
"""HTML is the entry point visitors reach through stable URLs: browsers must ask again each time."""
NO_STORE = "no-store"
"""The pointer and other control objects: never cached by anyone."""

_REVALIDATED_NAMES = frozenset({"robots.txt", "sitemap.xml", "feed.xml", "atom.xml", "rss.xml", "manifest.webmanifest"})
_FINGERPRINT = re.compile(r"[.-][0-9a-f]{8,}\.[a-z0-9]+$")


def content_type_for(path: str) -> str:
    """The Content-Type for a site-relative POSIX path, by its extension (case-insensitive)."""
    suffix = PurePosixPath(path).suffix.lower()
    return CONTENT_TYPES.get(suffix, DEFAULT_CONTENT_TYPE)


def cache_control_for(path: str, content_type: str) -> str:
    """HTML (and other entry points whose URL never changes) revalidate; everything else is immutable."""
    name = PurePosixPath(path).name.lower()
    if content_type.startswith("text/html") or name in _REVALIDATED_NAMES:
        return REVALIDATE
    return IMMUTABLE


def is_fingerprinted(path: str) -> bool:
    """True for names like `app.3f2a9c1d.css` whose URL changes whenever their bytes do."""
    return bool(_FINGERPRINT.search(PurePosixPath(path).name.lower()))
