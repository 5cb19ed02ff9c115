"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the S3 server: 500/503 SlowDown, resets, stalls."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
ERRORS = {
    500: ("InternalError", "We encountered an internal error. Please try again."),
    503: ("SlowDown", "Please reduce your request rate."),
}


@dataclass(frozen=True)
class Seen:
    """One request as the proxy saw it, and what it did to it."""

    method: str
    path: str
    fault: str | None
    body_bytes: int


Plan = Callable[[str, str, int], "str | None"]
"""(method, path, how many times this method+path was seen before) -> a fault name or None.

Faults: "500", "503" (answer with that S3 error), "reset" (close the connection with RST, request not
forwarded), "stall" (hold the connection, then close it), "drop-response" (forward, then reset: the
write happened but the client never hears so)."""


class FaultProxy:
    def __init__(self, upstream: str, plan: Plan, stall_seconds: float = 3.0) -> None:
        self.upstream = urlsplit(upstream)
        self.plan = plan
        self.stall_seconds = stall_seconds
        self.seen: list[Seen] = []
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _any(self) -> None:
                try:
                    proxy.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (its read timeout); so do we

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        body = _read_body(req)
        path = urlsplit(req.path).path
        with self._lock:
            n = self._counts.get((req.command, path), 0)
            self._counts[(req.command, path)] = n + 1
            fault = self.plan(req.command, path, n)
            self.seen.append(Seen(req.command, path, fault, len(body)))
        if fault == "reset":
            return _reset(req)
        if fault == "stall":
            time.sleep(self.stall_seconds)
            return _reset(req)
        if fault in ("500", "503"):
            code, message = ERRORS[int(fault)]
            xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}"
                   "</Message></Error>").encode()
            req.send_response_only(int(fault))
            req.send_header("Content-Type", "application/xml")
            req.send_header("Content-Length", str(len(xml)))
            req.end_headers()
            req.wfile.write(xml)
            return None
        conn = http.client.HTTPConnection(self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30)
        try:
            headers = {k: v for k, v in req.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(body))
            conn.request(req.command, req.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        if fault == "drop-response":
            return _reset(req)
        req.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                req.send_header(k, v)
        length = resp.getheader("Content-Length") if req.command == "HEAD" else str(len(data))
        req.send_header("Content-Length", length or "0")
        req.end_headers()
        if req.command != "HEAD":
            req.wfile.write(data)
        return None


def _read_body(req: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in req.headers.get("Transfer-Encoding", "").lower():
        out = b""
        while True:
            size = int(req.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while req.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return out
            out += req.rfile.read(size)
            req.rfile.readline()
    length = int(req.headers.get("Content-Length") or 0)
    return req.rfile.read(length) if length else b""


def _reset(req: BaseHTTPRequestHandler) -> None:
    # SO_LINGER 0: close() sends RST, which the client sees as "connection reset by peer"
    req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    req.close_connection = True
    req.connection.close()
