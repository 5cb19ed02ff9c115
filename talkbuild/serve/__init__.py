"""`talkbuild serve`: build in memory, watch the sources, serve with live reload, errors and warnings in the page.

Three threads, one job each (the shape of mkdocs' livereload): watchdog's thread only records what kind
of file changed; the rebuild loop waits for a burst of saves to end, asks the incremental Builder for a
new Site and publishes it in the Hub in one step; the HTTP server's threads answer from whatever Site is
current. Nothing is written to `_site` or to a temporary folder, so there is nothing to clean up.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType

from ..check_ignores import quiet_build_warnings
from ..config import Config
from ..incremental import EVERYTHING, Builder, Site
from .hosts import ANY, LOOPBACK_NAMES, host_check, network_urls
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

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, *, allowed_hosts: tuple[str, ...] = (),
                 report: Report | None = None, quiet: float = QUIET_SECONDS, settle: float = SETTLE_SECONDS) -> None:
        self.root = root.resolve()
        self.host = host
        self.port = port
        self.hosts = host_check(host, allowed_hosts)
        """The `Host:` names answered (hosts.py: the guard against DNS rebinding)."""
        self.quiet = quiet
        self.settle = settle
        self.report: Report = report or log.info
        self.hub = Hub()
        self.changes = Changes()
        with signals_to_this_thread():  # watchdog starts its inotify thread here
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

    @property
    def bound_port(self) -> int:
        """The port it listens on (`port`, or the next free one after it, or any for 0)."""
        assert self._httpd is not None, "start() first"
        return self._httpd.port

    @property
    def local_url(self) -> str:
        """The URL for a browser on this machine (`url` with a wildcard address replaced by loopback)."""
        assert self._httpd is not None, "start() first"
        return self._httpd.local_url

    def start(self) -> str:
        """Bind, build once, start watching and serving; returns the URL."""
        self._httpd, moved = bind(self.host, self.port, self.hub, self.hosts)
        if moved:
            self.report(moved)
        with signals_to_this_thread():
            self.watcher.start()
        self._rebuild(EVERYTHING)
        httpd = self._httpd
        with signals_to_this_thread():
            for name, target in (("talkbuild-http", lambda: httpd.serve_forever(poll_interval=0.1)),
                                 ("talkbuild-rebuild", self._loop)):
                thread = threading.Thread(target=target, name=name, daemon=True)
                self._threads.append(thread)
                thread.start()
        return self.url

    def stop(self) -> None:
        """Stop watching, end every live-reload stream, close the socket and wait for the threads; also after a
        start() that was interrupted halfway (a Ctrl-C during the first build)."""
        self.watcher.stop()
        self.changes.close()
        self.hub.close()
        if self._httpd is not None:
            self._httpd.close()
        for thread in self._threads:
            if thread.ident is not None:
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
        with signals_to_this_thread():  # watching a new folder starts a watchdog thread
            problems = self.watcher.follow(self.builder.config or Config(root=self.root))
        for problem in problems:
            self.report(f"warning: {problem}")
        self._announce(snapshot.generation, site)

    def _announce(self, generation: int, site: Site) -> None:
        ms = f"{site.seconds * 1000:.0f} ms"
        if generation == 1:
            self.report(f"built {len(site.rendered)} talk(s) in {ms}")
        elif site.rendered:
            more = f" and {len(site.rendered) - 3} more" if len(site.rendered) > 3 else ""
            self.report(f"rebuilt {', '.join(site.rendered[:3])}{more} in {ms}")
        config = self.builder.config  # the warnings as `talkbuild build` prints them
        shown, note = quiet_build_warnings(config.check.per_file_ignores if config else (), site.warnings)
        errors, warnings = error_lines(site.errors), error_lines(shown)
        problems = errors + warnings
        if problems != self._last_problems:  # say it once, not on every save
            for line in errors + warnings[:MAX_WARNINGS]:
                self.report(line)
            if len(warnings) > MAX_WARNINGS:
                self.report(f"... and {len(warnings) - MAX_WARNINGS} more warning(s); `talkbuild build` lists them all")
            if note:
                self.report(note)
            if self._last_problems and not site.errors:
                self.report("no errors")
            self._last_problems = problems


def serve(root: Path, host: str, port: int, *, open_browser: bool = False, allowed_hosts: tuple[str, ...] = (),
          report: Report | None = None) -> None:
    """Run the dev server until Ctrl-C (SIGINT) or SIGTERM, even one that comes during the first build; then
    stop cleanly. `allowed_hosts`: more `Host:` names to answer (hosts.py), `*` for any."""
    server = LiveServer(root, host, port, allowed_hosts=allowed_hosts, report=report)
    say = server.report
    with _StopSignals() as stop:
        try:
            url = server.start()
            if stop.requested:  # its KeyboardInterrupt was lost on the way (see _StopSignals)
                raise KeyboardInterrupt
            if host not in LOOPBACK_NAMES:
                say(f"warning: serving on {host}: other machines can read this preview, drafts included")
                if ANY not in server.hosts.names:
                    names = ", ".join(sorted(server.hosts.names))
                    say(f"it answers requests for numeric addresses, localhost and {names}; --allow-host NAME adds a name")
            say(f"serving {url} (Ctrl-C stops)")
            for address in network_urls(host, server.bound_port):
                say(f"on this network: {address}")
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(server.local_url,), daemon=True).start()
            stop.wait()
        except KeyboardInterrupt:
            say("stopping")
        finally:
            server.stop()


@contextlib.contextmanager
def signals_to_this_thread() -> Iterator[None]:
    """Threads started inside never take SIGINT or SIGTERM; one that comes meanwhile is delivered on leaving.

    The kernel hands a signal to any thread not blocking it. Taken by another thread, it only sets a flag for
    the main thread to act on, and a main thread blocked in a system call (reading a large talk, a pipe)
    never looks: Ctrl-C did nothing until the read ended. Threads inherit the blocked set of their creator.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: signals only ever reach the main thread
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _StopSignals.SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _StopSignals:
    """While inside: the first SIGINT or SIGTERM raises KeyboardInterrupt in the main thread, which unwinds
    whatever it is doing (the first build of a large talk, too), and is remembered: Python only prints an
    exception raised inside a finalizer or callback, so `requested` still says to stop after such a build.
    A second signal ends the process at once, in case stopping hangs.

    SIGINT is taken even when it was inherited ignored (`talkbuild serve &` in a script, a harness): a dev server
    that `kill -INT` cannot stop runs forever, and "Ctrl-C stops" is what serve promises.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._previous: dict[int, object] = {}

    @property
    def requested(self) -> bool:
        return self._stop.is_set()

    def wait(self) -> None:
        """Until a signal comes (which raises KeyboardInterrupt here)."""
        while not self._stop.wait(1.0):
            pass
        raise KeyboardInterrupt

    def __enter__(self) -> _StopSignals:
        self._previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            # None: a handler set outside Python, which cannot be put back; the default is the nearest.
            signal.signal(sig, signal.SIG_DFL if previous is None else previous)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        for sig in self.SIGNALS:  # a second one: the default action, which ends the process
            signal.signal(sig, signal.SIG_DFL)
        raise KeyboardInterrupt
