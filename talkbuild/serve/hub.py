"""The one place the latest complete site lives; request threads read it, the rebuild loop replaces it."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..incremental import Site


@dataclass(frozen=True)
class Snapshot:
    """A finished site and its number; a request uses one snapshot from start to end."""

    generation: int
    site: Site


class Hub:
    """Holds the current Snapshot; publishing wakes every waiting live-reload stream."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._snapshot = Snapshot(0, Site({}, {}))
        self._closed = False

    @property
    def current(self) -> Snapshot:
        # Replacing one reference is atomic: readers see the old snapshot or the new one, never a mix.
        return self._snapshot

    @property
    def closed(self) -> bool:
        return self._closed

    def publish(self, site: Site) -> Snapshot:
        with self._cond:
            self._snapshot = Snapshot(self._snapshot.generation + 1, site)
            self._cond.notify_all()
            return self._snapshot

    def wait_newer(self, generation: int, timeout: float) -> Snapshot | None:
        """The first snapshot after `generation` (or the current one on timeout); None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._snapshot.generation > generation, timeout=timeout)
            return None if self._closed else self._snapshot

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
