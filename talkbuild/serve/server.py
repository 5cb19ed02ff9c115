"""HTTP for the dev server: files from the current in-memory snapshot, the live-reload stream, a status page.

A request path is looked up as a key in the snapshot's file map and never joined onto a folder, so no
spelling of `..`, encoded slash or absolute path can reach a file outside the built site; such requests
are refused outright anyway. Each request thread reads one snapshot, so it never sees a half-built site,
and rebuilds (on another thread) never block it.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..content_types import content_type_for
from ..errors import ConfigError
from .badge import page_warnings
from .hosts import HostCheck, host_name, refusal
from .hub import Hub, Snapshot
from .livereload import EVENTS_PATH, STATUS_PATH, error_lines, inject, not_found_page, to_json

log = logging.getLogger(__name__)

PING_SECONDS = 15.0
"""A comment on idle live-reload streams, so closed tabs are noticed and their threads end."""

NEXT_PORTS = 10
"""How many following ports to try when the asked-for one is taken."""

_UNSAFE = re.compile(r"%(2f|5c|00)", re.IGNORECASE)


def site_key(path: str) -> str | None:
    """The site file a URL path asks for ('' + '/' -> 'index.html'), or None when the path is not acceptable."""
    if not path.startswith("/") or _UNSAFE.search(path):
        return None
    decoded = unquote(path)
    if "\\" in decoded or "\x00" in decoded:
        return None
    parts = decoded[1:].split("/")
    if any(part in (".", "..") for part in parts) or any(part == "" for part in parts[:-1]):
        return None
    key = "/".join(parts)
    return key + "index.html" if key == "" or key.endswith("/") else key


class DevServer(ThreadingHTTPServer):
    """A threading HTTP server answering from `hub`; every request and stream on its own thread."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], hub: Hub, hosts: HostCheck) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.hub = hub
        self.hosts = hosts
        self._state_lock = threading.Lock()
        self._serving = self._closing = False
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def local_url(self) -> str:
        """The URL a browser on this machine opens (a wildcard address is not one it can open)."""
        address = str(self.server_address[0])
        address = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(address, address)
        return f"http://[{address}]:{self.port}/" if ":" in address else f"http://{address}:{self.port}/"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        with self._state_lock:
            if self._closing:  # stopped before it started (a Ctrl-C during the first build)
                return
            self._serving = True
        super().serve_forever(poll_interval)

    def close(self) -> None:
        """Stop serving (if it started) and close the socket; never waits for a `serve_forever` that never ran.

        `shutdown()` alone waits until `serve_forever` has ended, forever when it has not started: a SIGTERM
        during the first build printed "stopping" and hung there.
        """
        with self._state_lock:
            self._closing = True
            serving = self._serving
        if serving:
            self.shutdown()
        self.server_close()

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser dropping a connection mid-answer (a reload, a closed tab) is normal, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            log.debug("client %s went away", client_address)
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def bind(host: str, port: int, hub: Hub, hosts: HostCheck) -> tuple[DevServer, str | None]:
    """Listen on host:port, or on the next free port after it, answering the names `hosts` allows; the second
    value says when it moved."""
    last: OSError | None = None
    for candidate in [port] if port == 0 else range(port, min(port + NEXT_PORTS, 65536)):
        try:
            server = DevServer((host, candidate), hub, hosts)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ConfigError(f"cannot listen on {host}:{candidate}: {exc.strerror or exc}",
                                  hint="check --host; 127.0.0.1 is this machine only") from None
            last = exc
            continue
        moved = None if candidate == port else f"port {port} is in use; serving on port {server.port} instead"
        return server, moved
    reason = last.strerror if last else "in use"
    raise ConfigError(f"ports {port}-{port + NEXT_PORTS - 1} on {host} are all taken ({reason})",
                      hint="stop the other server, choose one with --port, or use --port 0 for any free port")


class _Handler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "talkbuild-serve"

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _answer(self, head: bool) -> None:
        if not self._host_allowed(head):  # before anything, the live-reload stream too
            return
        url = urlsplit(self.path)
        if url.scheme or url.netloc:  # absolute-form request target: only origin-form is served
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad request\n", head)
            return
        if url.path == EVENTS_PATH:
            self._events(parse_qs(url.query))
            return
        snapshot = self.server.hub.current
        if url.path == STATUS_PATH:
            self._status(snapshot, head)
            return
        key = site_key(url.path)
        if key is None:
            self._not_found(snapshot, "", head)
            return
        files = snapshot.site.files
        if key not in files and f"{key}/index.html" in files:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        content = files.get(key)
        if content is None:
            self._not_found(snapshot, key, head)
        elif isinstance(content, bytes):
            self._send(HTTPStatus.OK, content_type_for(key), self._page(snapshot, key, content), head)
        else:
            self._send_file(snapshot, key, content, head)

    def _host_allowed(self, head: bool) -> bool:
        """Whether the request names a host this server answers (hosts.py); if not, it has been answered."""
        hosts = self.headers.get_all("Host") or []
        if not hosts:
            return True  # HTTP/1.0 allows none, and a browser always sends one: no page can be behind this
        name = host_name(hosts[0]) if len(hosts) == 1 else None  # RFC 9112: more than one is a bad request
        if name is None:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad request: malformed Host\n", head)
            return False
        if not self.server.hosts.allows(name):
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", refusal(name, self.server.local_url), head)
            return False
        return True

    def _page(self, snapshot: Snapshot, key: str, content: bytes) -> bytes:
        if not key.endswith((".html", ".htm")):
            return content
        site = snapshot.site
        return inject(content, key, site.versions.get(key, ""), snapshot.generation, site.errors,
                      page_warnings(site, key))

    def _not_found(self, snapshot: Snapshot, key: str, head: bool) -> None:
        own = snapshot.site.files.get("404.html")
        body = own if isinstance(own, bytes) else not_found_page(key)
        # The 404 page reloads by itself once the page it stands for exists (its version is then not "").
        html = inject(body, key, "", snapshot.generation, snapshot.site.errors)
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", html, head)

    def _status(self, snapshot: Snapshot, head: bool) -> None:
        site = snapshot.site
        body = to_json({"generation": snapshot.generation, "errors": error_lines(site.errors),
                        "warnings": error_lines(site.warnings), "rendered": list(site.rendered),
                        "full": site.full}).encode()
        self._send(HTTPStatus.OK, "application/json", body, head)

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_file(self, snapshot: Snapshot, key: str, path: Path, head: bool) -> None:
        try:
            f = open(path, "rb")
        except OSError:  # deleted since the build: the next rebuild will notice
            self._not_found(snapshot, key, head)
            return
        with f:
            size = f.seek(0, 2)
            wanted = _byte_range(self.headers.get("Range"), size)
            if isinstance(wanted, str):  # "unsatisfiable"
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = wanted or (0, size - 1)
            # Ranges let a <video> in a talk seek before it has loaded (browsers ask for them).
            self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
            self.send_header("Content-Type", content_type_for(key))
            self.send_header("Accept-Ranges", "bytes")
            if wanted:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(max(0, end - start + 1)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                f.seek(start)
                remaining = end - start + 1
                while remaining > 0:
                    chunk = f.read(min(1 << 16, remaining))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)

    def _events(self, query: dict[str, list[str]]) -> None:
        """Server-Sent Events for one open page: `state` on every build (errors, the page's warnings), `reload`
        once its output changed."""
        page = query.get("page", [""])[0]
        version = query.get("v", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        hub = self.server.hub
        snapshot: Snapshot | None = hub.current
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while snapshot is not None:
                if snapshot.generation != seen:
                    seen = snapshot.generation
                    if snapshot.site.versions.get(page, "") != version:
                        self._event("reload", {"generation": seen})
                        return
                    self._event("state", {"generation": seen, "errors": error_lines(snapshot.site.errors),
                                          "warnings": error_lines(page_warnings(snapshot.site, page))})
                else:
                    self.wfile.write(b": ping\n\n")
                snapshot = hub.wait_newer(seen, PING_SECONDS)
        except OSError:
            return  # the tab was closed or reloaded

    def _event(self, name: str, data: object) -> None:
        self.wfile.write(f"event: {name}\ndata: {to_json(data)}\n\n".encode())


def _byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(first, last) byte of a single `Range: bytes=...` request, None to send everything, or "unsatisfiable"."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None  # no range, another unit, or several ranges: the whole file is a valid answer
    first, _, last = header[len("bytes="):].strip().partition("-")
    try:
        if first:
            start, end = int(first), (int(last) if last else size - 1)
        elif last:
            start, end = max(0, size - int(last)), size - 1
        else:
            return None
    except ValueError:
        return None
    if start >= size or start > end:
        return "unsatisfiable"
    return start, min(end, size - 1)
