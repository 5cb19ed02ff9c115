"""The build cache: an unchanged talk is not re-rendered.

An entry is keyed by everything a talk's pages depend on (its source, the list of files under talks/,
the theme, the config, talkbuild's version) and remembers the fingerprints of the assets it referenced,
so editing an image invalidates the talks that show it.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from .models import Page, Talk
from .write import write_atomic

CACHE_DIR = ".talkbuild/cache/build"


@dataclass(frozen=True)
class CacheEntry:
    talk: Talk
    pages: tuple[Page, ...]
    asset_stamps: tuple[tuple[str, int, int], ...]
    """(talks-relative path, size, mtime_ns) of each referenced asset when rendered."""


def asset_stamps(talks_dir: Path, assets: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for rel in assets:
        try:
            st = (talks_dir / rel).stat()
            stamps.append((rel, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((rel, -1, -1))
    return tuple(stamps)


class BuildCache:
    """Pickled entries under `<project>/.talkbuild/cache/build/`, written atomically."""

    def __init__(self, project_root: Path, enabled: bool = True) -> None:
        self.dir = project_root / CACHE_DIR
        self.enabled = enabled

    @staticmethod
    def key(*parts: bytes | str) -> str:
        h = hashlib.sha256()
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
        return h.hexdigest()

    def get(self, key: str, talks_dir: Path) -> CacheEntry | None:
        if not self.enabled:
            return None
        try:
            with open(self.dir / f"{key}.pickle", "rb") as f:
                entry = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        if not isinstance(entry, CacheEntry) or entry.asset_stamps != asset_stamps(talks_dir, entry.talk.assets):
            return None
        return entry

    def retain(self, keys: set[str]) -> None:
        """Delete every entry but these: each edit of a talk would otherwise leave one behind, forever."""
        if not self.enabled or not self.dir.is_dir():
            return
        for path in self.dir.glob("*.pickle"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)

    def put(self, key: str, entry: CacheEntry) -> None:
        if not self.enabled:
            return
        write_atomic(self.dir / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
