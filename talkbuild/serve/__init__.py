"""`talkbuild serve`: build in memory, watch the sources, serve with live reload, errors and warnings in the page.

Three threads, one job each (the shape of mkdocs' livereload): watchdog's thread only records what kind
of file changed; the rebuild loop waits for a burst of saves to end, asks the incremental Builder for a
new Site and publishes it in the Hub in one step; the HTTP server's threads answer from whatever Site is
current. Nothing is written to `_site` or to a temporary folder, so there is nothing to clean up.
"""

from __future__ import annotations

import logging
import signal
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType

from ..config import Config
from ..incremental import EVERYTHING, Builder, Site
from .hub import Hub
from .livereload import error_lines
from .server import DevServer, bind
from .watcher import Changes, Watcher

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.05
"""A burst of saves is over after this long without another event (editors finish a save in < 10 ms)."""
SETTLE_SECONDS = 0.01
"""... or after this long, when its last event finished a save (a file closed after writing, or renamed into
place): long enough for an editor's "save all" to land in one rebuild, short enough not to be noticed."""
LONGEST_WAIT = 1.0
"""Rebuild at least this often while saves keep coming, so a continuous stream still shows progress."""

MAX_WARNINGS = 10
"""Warnings shown in the terminal per change; errors are always shown in full (and in the page)."""

Report = Callable[[str], None]


class LiveServer:
    """Build, watch and serve one project; `start()` returns once the first build is being served."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, *,
                 report: Report | None = None, quiet: float = QUIET_SECONDS, settle: float = SETTLE_SECONDS) -> None:
        self.root = root.resolve()
        self.host = host
        self.port = port
        self.quiet = quiet
        self.settle = settle
        self.report: Report = report or log.info
        self.hub = Hub()
        self.changes = Changes()
        self.watcher = Watcher(self.changes)
        self.builder = Builder(self.root)
        self._httpd: DevServer | None = None
        self._threads: list[threading.Thread] = []
        self._last_problems: list[str] = []

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() first"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._httpd.port}/"

    def start(self) -> str:
        """Bind, build once, start watching and serving; returns the URL."""
        self._httpd, moved = bind(self.host, self.port, self.hub)
        if moved:
            self.report(moved)
        self.watcher.start()
        self._rebuild(EVERYTHING)
        httpd = self._httpd
        for name, target in (("talkbuild-http", lambda: httpd.serve_forever(poll_interval=0.1)),
                             ("talkbuild-rebuild", self._loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self.url

    def stop(self) -> None:
        """Stop watching, end every live-reload stream, close the socket and wait for the threads."""
        self.watcher.stop()
        self.changes.close()
        self.hub.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        while (kinds := self.changes.take(self.quiet, LONGEST_WAIT, self.settle)) is not None:
            self._rebuild(kinds)

    def _rebuild(self, kinds: frozenset[str]) -> None:
        try:
            site = self.builder.build(kinds)
        except Exception as exc:  # a bug in talkbuild must not take the preview down with it
            log.exception("rebuild failed")
            from ..errors import Diagnostic, Severity, SourceLocation

            previous = self.hub.current.site
            site = replace(previous, errors=(Diagnostic(
                Severity.ERROR, "internal", f"talkbuild failed: {exc!r}", SourceLocation("talkbuild"),
                hint="this is a bug; please report it with the terminal output"),), rendered=(), full=False,
                seconds=0.0)
        snapshot = self.hub.publish(site)
        # Until talkbuild.yml is valid, watch where the defaults say (the config file is always watched).
        for problem in self.watcher.follow(self.builder.config or Config(root=self.root)):
            self.report(f"warning: {problem}")
        self._announce(snapshot.generation, site)

    def _announce(self, generation: int, site: Site) -> None:
        ms = f"{site.seconds * 1000:.0f} ms"
        if generation == 1:
            self.report(f"built {len(site.rendered)} talk(s) in {ms}")
        elif site.rendered:
            more = f" and {len(site.rendered) - 3} more" if len(site.rendered) > 3 else ""
            self.report(f"rebuilt {', '.join(site.rendered[:3])}{more} in {ms}")
        errors, warnings = error_lines(site.errors), error_lines(site.warnings)
        problems = errors + warnings
        if problems != self._last_problems:  # say it once, not on every save
            for line in errors + warnings[:MAX_WARNINGS]:
                self.report(line)
            if len(warnings) > MAX_WARNINGS:
                self.report(f"... and {len(warnings) - MAX_WARNINGS} more warning(s); `talkbuild build` lists them all")
            if self._last_problems and not site.errors:
                self.report("no errors")
            self._last_problems = problems


def serve(root: Path, host: str, port: int, *, open_browser: bool = False, report: Report | None = None) -> None:
    """Run the dev server until Ctrl-C (SIGINT) or SIGTERM; then stop cleanly."""
    server = LiveServer(root, host, port, report=report)
    say = server.report
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        url = server.start()
        if host not in ("127.0.0.1", "localhost", "::1"):
            say(f"warning: serving on {host}: other machines can read this preview, drafts included")
        say(f"serving {url} (Ctrl-C stops)")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url.replace("0.0.0.0", "127.0.0.1"),), daemon=True).start()
        stopped = threading.Event()
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        say("stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
