"""`talkbuild check --external` stopped while a request waits on a slow server: SIGTERM exits 143 and Ctrl-C
130, without waiting for the server, without a traceback, and with the link cache and the report file left
exactly as they were (a stopped run writes neither; what it had found is not half-written anywhere)."""

from __future__ import annotations

import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talkbuild.check.cache import CACHE_DIR, CACHE_FILE

SERVER_HOLDS = 300.0
"""How long the slow server keeps a request waiting (the test releases it at the end)."""
STOP_BOUND = 30
"""A liveness bound, not a speed target: far below check.timeout and SERVER_HOLDS, so a check that waited
for the server (the bug) fails here instead of passing late."""


class SlowServer:
    """A server on 127.0.0.1 that holds every request until released; `arrived` is set by the first one."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_HEAD(self) -> None:
                if self.path != "/fast":  # answered at once: what draws check's progress bar
                    outer.arrived.set()
                    outer.release.wait(SERVER_HOLDS)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the check went away, as it should

            do_GET = do_HEAD

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def slow_server() -> Iterator[SlowServer]:
    server = SlowServer()
    yield server
    server.stop()


def _project(make_project: Any, base: str) -> tuple[Path, bytes]:
    """A talk linking to the slow server (and to a URL the cache already knows); returns root and cache bytes."""
    root = make_project({
        "talkbuild.yml": f"check:\n  timeout: {SERVER_HOLDS}\n  retries: 0\n",
        "talks/a.md": f"---\ntitle: A\n---\n\n## One\n\nSee [slow]({base}/slow) and [known]({base}/known).\n",
    })
    cache = json.dumps({"schema": 1, "entries": {f"{base}/known": {"checked_at": time.time(), "status": 200,
                                                                    "moved_to": None}}}, indent=1) + "\n"
    path = root / CACHE_DIR / CACHE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cache)
    return root, path.read_bytes()


@pytest.mark.parametrize(("how", "status", "said"), [(signal.SIGTERM, 143, "talkbuild: stopped by SIGTERM"),
                                                     (signal.SIGINT, 130, "talkbuild: interrupted")],
                         ids=["SIGTERM", "Ctrl-C"])
def test_a_stopped_external_check_exits_at_once_and_writes_nothing(make_project: Any, slow_server: SlowServer,
                                                                   how: signal.Signals, status: int, said: str) -> None:
    root, cache_before = _project(make_project, slow_server.base)
    (root / "report.json").write_text("the last report\n")
    check = subprocess.Popen([sys.executable, "-m", "talkbuild.cli", "check", "--external", "--format", "json",
                              "-o", "report.json"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not slow_server.arrived.wait(0.1):
            if check.poll() is not None:
                pytest.fail(f"check ended before it requested the slow link: {check.communicate()[1].decode()}")
        check.send_signal(how)
        try:
            _out, err = check.communicate(timeout=STOP_BOUND)
        except subprocess.TimeoutExpired:
            pytest.fail(f"check did not stop on {how.name}: it waits for the slow server")
    finally:
        if check.poll() is None:
            check.kill()
            check.communicate()
    text = err.decode()
    assert check.returncode == status, text
    assert "Traceback" not in text and "Aborted!" not in text
    assert text.strip().splitlines()[-1] == said
    cache_dir = root / CACHE_DIR
    assert (cache_dir / CACHE_FILE).read_bytes() == cache_before, "a stopped run must not rewrite the link cache"
    assert (root / "report.json").read_text() == "the last report\n", "a stopped run writes no report"
    left = [p.name for p in [*cache_dir.rglob("*"), *root.iterdir()] if p.name.endswith(".tmp")]
    assert left == [], "no temporary file is left behind"


def test_a_finished_external_check_still_saves_the_cache(make_project: Any, slow_server: SlowServer) -> None:
    # The other side of the same coin: the daemon request threads do not cut a normal run short.
    slow_server.release.set()
    root, cache_before = _project(make_project, slow_server.base)
    done = subprocess.run([sys.executable, "-m", "talkbuild.cli", "check", "--external"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    entries = json.loads((root / CACHE_DIR / CACHE_FILE).read_text())["entries"]
    assert sorted(entries) == [f"{slow_server.base}/known", f"{slow_server.base}/slow"]


def test_on_a_terminal_the_stop_is_said_on_a_line_of_its_own_not_after_the_progress_bar(make_project: Any,
                                                                                        slow_server: SlowServer) -> None:
    import os
    import pty
    import select

    root = make_project({
        "talkbuild.yml": f"check:\n  timeout: {SERVER_HOLDS}\n  retries: 0\n",
        "talks/a.md": f"---\ntitle: A\n---\n\n## One\n\n[fast]({slow_server.base}/fast), [slow]({slow_server.base}/slow)\n",
    })
    leader, follower = pty.openpty()
    check = subprocess.Popen([sys.executable, "-m", "talkbuild.cli", "check", "--external"], cwd=root,
                             stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""

    def read(until: float) -> None:
        nonlocal seen
        while time.monotonic() < until and select.select([leader], [], [], 0.1)[0]:
            try:
                seen += os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                return

    try:
        deadline = time.monotonic() + STOP_BOUND
        while b"external links [" not in seen and time.monotonic() < deadline:
            read(time.monotonic() + 0.2)
        assert b"external links [" in seen, seen
        check.send_signal(signal.SIGTERM)
        check.wait(timeout=STOP_BOUND)
        read(time.monotonic() + 2)
    finally:
        if check.poll() is None:
            check.kill()
        os.close(leader)
    assert check.returncode == 143, seen
    shown = [line.rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in seen.decode().replace("\r\n", "\n").split("\n")]
    assert "talkbuild: stopped by SIGTERM" in shown, seen
