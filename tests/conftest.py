"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import signal
import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM_ARGS, chromium, playwright_api

ProjectFactory = Callable[..., Path]

# A suite started in the background of a non-interactive shell (`make test &` in a script) inherits SIGINT
# ignored, and exec keeps an ignored signal ignored: every talkbuild the tests start would then shrug off the
# Ctrl-C the signal tests send it. With a handler here, children start with the default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Write a small project: make_project({"talks/a.md": "...", "talkbuild.yml": "..."}) -> its root."""

    def make(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or tmp_path / "project"
        for rel, content in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        (base / "talks").mkdir(parents=True, exist_ok=True)
        return base

    return make


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def static_server() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 (ephemeral port); returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        urllib.request.urlopen(url, timeout=5).close()
        return url

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian chromium driven by playwright)."""
    exe = chromium()
    with playwright_api().sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


LOCAL = ("http://127.0.0.1", "file:", "data:", "blob:", "about:")
"""What a test page may load; everything else is recorded in `page.outside_requests` and refused."""


@pytest.fixture(scope="session")
def dead_proxy() -> Iterator[str]:
    """A proxy address that refuses every connection: a port held by a socket that never listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


@pytest.fixture
def page(browser: Any, dead_proxy: str) -> Iterator[Any]:
    """A fresh page (own context) that cannot reach beyond 127.0.0.1 and records every request that tries.

    Requests go through a proxy that refuses them, 127.0.0.1 excepted (the bypass list), and are only
    watched, not intercepted (closing a context waits for route handlers still running).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 720}, proxy={"server": dead_proxy, "bypass": "127.0.0.1"})
    outside: list[str] = []
    context.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))
    pg = context.new_page()
    pg.outside_requests = outside
    yield pg
    # Leave every page first. A live-reload that began just before the close loads the page again while its
    # context is being disposed; Chromium then holds the dispose until that page's event stream ends, which
    # is only when the dev server stops: after this teardown (it hung CI for an hour, here 1 run in 30-80).
    for open_page in context.pages:
        with contextlib.suppress(playwright_api().Error):
            open_page.goto("about:blank", timeout=10_000)
    context.close()
