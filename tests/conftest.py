"""Fixtures shared by every test folder."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM_ARGS, chromium, playwright_api

ProjectFactory = Callable[..., Path]


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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context) that refuses every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.outside_requests = outside
    yield pg
    context.close()
