"""A scripted HTTP server on 127.0.0.1 for external-link tests: each path answers as the test says."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

Answer = tuple[int, dict[str, str]]
Route = Callable[[str, int], Answer | tuple[int, dict[str, str], float]]
"""(method, how many requests this path had before) -> (status, headers[, delay seconds])."""


@dataclass
class Scripted:
    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, str, float]] = field(default_factory=list)
    headers: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(path, request headers) of every request, in order."""
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, method: str | None = None) -> int:
        return sum(1 for m, p, _ in self.requests if p == path and (method is None or m == method))

    def counts(self) -> Counter[str]:
        return Counter(p for _, p, _ in self.requests)

    def times(self, path: str | None = None) -> list[float]:
        return [t for _, p, t in self.requests if path is None or p == path]


def _handler(server: Scripted) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def _answer(self) -> None:
            path = self.path
            with server.lock:
                before = server.count(path)
                server.requests.append((self.command, path, time.monotonic()))
                server.headers.append((path, dict(self.headers.items())))
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                route = server.routes.get(path)
                answer: Any = route(self.command, before) if route else (404, {})
                status, headers = answer[0], answer[1]
                if len(answer) > 2:
                    time.sleep(answer[2])
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the checker gave up waiting (timeout test)
            finally:
                with server.lock:
                    server.in_flight -= 1

        do_HEAD = do_GET = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[Callable[[dict[str, Route]], Scripted]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(routes: dict[str, Route]) -> Scripted:
        scripted = Scripted("", routes)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(scripted))
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(httpd)
        scripted.base = f"http://127.0.0.1:{httpd.server_address[1]}"
        return scripted

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
