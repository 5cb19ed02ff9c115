"""Watch talks/, themes/ and talkbuild.yml with watchdog; callbacks only record what kind of thing changed.

Editors save in many ways (write in place, write a temp file and rename it over the original, rename the
original away and write a new one, several writes per save, swap and backup files): every event is reduced
to a kind of change (talks, theme, config) and recorded; `Changes.take` waits until the burst is over.

A burst is over almost at once when every file written in it was finished: closed after writing, or a file
renamed into its place (inotify reports both). Otherwise it waits for a quiet period, since nothing says
when the writer is done: a file still being written, deleted, or renamed away (an editor may be about to
write a new one there). The builder then compares contents, so a missed or extra event costs at most one
cheap rebuild, never a stale page.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from ..config import CONFIG_NAME, Config
from ..discover import is_scratch_file
from ..incremental import CONFIG, TALKS, THEME
from ..themes import builtin_themes_dir

log = logging.getLogger(__name__)

_IGNORED_EVENTS = frozenset({EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE})
"""Reading a file (the build itself does) must not trigger a build."""
_ATTRIB = "attrib"
"""watchdog's event type for a change of mode or times only (older versions report it as 'modified')."""

WRITING = "writing"
"""The path changed and nothing says its writer is done: created, deleted or renamed away."""
WRITTEN = "written"
"""The path's content was written and its writer has not closed it yet (nor, so far, said it is done)."""
FINISHED = "finished"
"""The path's writer is done: the file was closed after writing, or another file was renamed into its place."""
TOUCHED = "touched"
"""Only the path's mode or times changed (vim does this after closing): says nothing about a write."""
RENAMED_AWAY = "renamed away"
"""The path was renamed: a file just finished there was being put into place (done); any other may be about
to be written again (an editor renaming the original to its backup first)."""


OPEN_QUIET = 1.0
"""With closes reported (inotify), a file written to and not yet closed holds the rebuild until it is closed or
this long passes without a write: a slow copy (a large image, a download) is shown once, complete, not once
per chunk as a half-drawn picture."""
OPEN_LONGEST = 10.0
"""... and at most this long after the burst's first change, so a file kept open for good (a log) still lets
the preview move on."""

STOP_SECONDS = 10
"""How long `Watcher.stop` waits for watchdog's threads before leaving them behind."""


class Changes:
    """Kinds of change seen since the last rebuild; the watcher adds, the rebuild loop takes."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._kinds: set[str] = set()
        self._writing: set[str] = set()
        """Paths with a change in this burst that no close or rename into place has finished since."""
        self._open: set[str] = set()
        """Of those, paths written to and not closed since (a copy in progress)."""
        self.closes_reported = False
        """Whether the watcher reports a file closed after writing (Linux's inotify does): only then can a file
        still open for writing be waited for."""
        self._finished: set[str] = set()
        """Paths finished in this burst (a temporary file closed, then renamed away into place, is done)."""
        self._last = 0.0
        self._closed = False

    def add(self, kind: str, path: str = "", state: str = WRITING) -> None:
        """Record a change of `kind` at `path`; `state` is WRITING, WRITTEN, FINISHED, TOUCHED or RENAMED_AWAY."""
        with self._cond:
            self._kinds.add(kind)
            self._last = time.monotonic()
            if state != TOUCHED:
                self._open.discard(path)
            if state == FINISHED:
                self._writing.discard(path)
                self._finished.add(path)
            elif state in (WRITING, WRITTEN) or (state == RENAMED_AWAY and path not in self._finished):
                self._writing.add(path)
                if state == WRITTEN:
                    self._open.add(path)
            self._cond.notify_all()

    def take(self, quiet: float, longest: float, settle: float) -> frozenset[str] | None:
        """Block until something changed and then `quiet` seconds passed without a change (only `settle`
        seconds once every file written in the burst was finished; at most `longest` seconds after the first
        change); the kinds seen, or None once closed. A file still open for writing, when closes are reported,
        waits OPEN_QUIET and OPEN_LONGEST instead."""
        with self._cond:
            self._cond.wait_for(lambda: self._kinds or self._closed)
            first = time.monotonic()
            while not self._closed:
                copying = self.closes_reported and bool(self._open)
                wait = settle if self._finished and not self._writing else OPEN_QUIET if copying else quiet
                remaining = min(self._last + wait, first + (OPEN_LONGEST if copying else longest)) - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if self._closed:
                return None
            kinds = frozenset(self._kinds)
            self._kinds.clear()
            self._writing.clear()
            self._open.clear()
            self._finished.clear()
            return kinds

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Watcher:
    """One watchdog observer over the folders a project's site is made from."""

    def __init__(self, changes: Changes) -> None:
        self.changes = changes
        self._observer: BaseObserver = Observer()
        # watchdog picks inotify on Linux (polling where it is missing); only inotify reports closes.
        changes.closes_reported = type(self._observer).__module__.endswith(".inotify")
        self._watches: dict[tuple[str, bool], ObservedWatch] = {}
        self._classify: Callable[[str], str | None] = lambda path: None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        """Stop watching, waiting at most STOP_SECONDS: watchdog joins its own threads without a timeout, and one
        stuck in the kernel must not keep `serve` (or Ctrl-C) from ending; its threads are daemons."""
        if not self._observer.is_alive():
            return
        stopper = threading.Thread(target=self._stop_observer, name="talkbuild-unwatch", daemon=True)
        stopper.start()
        stopper.join(timeout=STOP_SECONDS)
        if stopper.is_alive():
            log.warning("the file watcher did not stop within %d s; leaving it behind", STOP_SECONDS)

    def _stop_observer(self) -> None:
        self._observer.stop()
        self._observer.join()

    def follow(self, config: Config) -> list[str]:
        """Watch what `config` builds from (again after a config change); returns problems worth a warning."""
        root = config.root
        talks = config.talks_path.resolve()
        themes = [(root / "themes").resolve(), builtin_themes_dir().resolve()]
        config_file = root / CONFIG_NAME
        self._classify = lambda path: _classify(Path(path), config_file, talks, themes)
        wanted = [(str(root), False), (str(talks), True)] + [(str(t), True) for t in themes]
        problems: list[str] = []
        with self._lock:
            for key in [k for k in self._watches if k not in wanted]:
                self._observer.unschedule(self._watches.pop(key))
            for path, recursive in wanted:
                if (path, recursive) in self._watches or not os.path.isdir(path):
                    continue
                try:
                    self._watches[(path, recursive)] = self._observer.schedule(
                        _Handler(self), path, recursive=recursive)
                except OSError as exc:  # e.g. the inotify watch limit; serving still works, without reload
                    problems.append(f"cannot watch {path}: {exc.strerror or exc}")
        return problems

    def saw(self, path: str, state: str) -> None:
        """Record the kind of change at `path` (called on watchdog's thread, so it only records)."""
        kind = self._classify(path)
        if kind is not None:
            self.changes.add(kind, path, state)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in _IGNORED_EVENTS or (event.is_directory and kind == EVENT_TYPE_MODIFIED):
            return
        path = os.fsdecode(event.src_path)
        if kind == EVENT_TYPE_MOVED:
            # A rename onto a talk (how many editors save) finishes it; the old name is gone.
            self.watcher.saw(path, RENAMED_AWAY)
            self.watcher.saw(os.fsdecode(event.dest_path), FINISHED)
        elif kind == EVENT_TYPE_CLOSED:
            self.watcher.saw(path, FINISHED)
        else:
            self.watcher.saw(path, TOUCHED if kind == _ATTRIB else WRITTEN if kind == EVENT_TYPE_MODIFIED else WRITING)


def _classify(path: Path, config_file: Path, talks: Path, themes: list[Path]) -> str | None:
    if path == config_file:
        return CONFIG
    for folder, kind in [(talks, TALKS)] + [(t, THEME) for t in themes]:
        if path == folder or folder in path.parents:
            rel = path.relative_to(folder).parts
            if any(is_scratch_file(part) for part in rel):
                return None
            return kind
    return None
