"""Successful external checks remembered between runs (`.talkbuild/cache/external-links.json`).

Only successes are stored: a failure is always re-checked, so a fixed link or a
transient outage never sticks (ripple/dactyl#60, lychee `--cache-exclude-status`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..write import write_atomic

CACHE_DIR = Path(".talkbuild") / "cache"
CACHE_FILE = "external-links.json"
SCHEMA = 1


@dataclass(frozen=True, slots=True)
class CachedSuccess:
    """A URL that answered 2xx at `checked_at` (epoch seconds), possibly after a permanent move."""

    checked_at: float
    status: int
    moved_to: str | None = None


class LinkCache:
    """Load once, look up during the run, save once at the end (atomically)."""

    def __init__(self, path: Path | None, max_age_days: float, *, now: float | None = None) -> None:
        self.path = path
        self.max_age = max_age_days * 86400.0
        self.now = time.time() if now is None else now
        self._entries: dict[str, CachedSuccess] = {}
        if path is not None and self.max_age > 0:
            self._entries = _load(path)

    def get(self, url: str) -> CachedSuccess | None:
        """The cached success for a normalised URL, if it is still fresh."""
        entry = self._entries.get(url)
        if entry is None or not self._fresh(url, entry):
            return None
        return entry

    def put(self, url: str, entry: CachedSuccess) -> None:
        self._entries[url] = entry

    def forget(self, url: str) -> None:
        self._entries.pop(url, None)

    def save(self) -> None:
        """Write the fresh entries back; a no-op without a path or with caching disabled."""
        if self.path is None or self.max_age <= 0:
            return
        fresh = {u: e for u, e in sorted(self._entries.items()) if self._fresh(u, e)}
        data = {
            "schema": SCHEMA,
            "entries": {
                u: {"checked_at": e.checked_at, "status": e.status, "moved_to": e.moved_to} for u, e in fresh.items()
            },
        }
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def _fresh(self, url: str, entry: CachedSuccess) -> bool:
        # Spread expiry over the last fifth of the maximum age (deterministically per URL), so a site
        # checked all at once is not re-checked all at once; never trusted beyond the configured age.
        spread = int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        return self.now - entry.checked_at <= self.max_age * (0.8 + 0.2 * spread)


def _load(path: Path) -> dict[str, CachedSuccess]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: the cache is an optimisation, start afresh
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("entries"), dict):
        return {}
    entries: dict[str, CachedSuccess] = {}
    for url, raw in data["entries"].items():
        try:
            moved = raw.get("moved_to")
            entries[str(url)] = CachedSuccess(float(raw["checked_at"]), int(raw["status"]),
                                              str(moved) if moved else None)
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return entries


