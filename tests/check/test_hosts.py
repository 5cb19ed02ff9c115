"""Per-host politeness against real servers on 127.0.0.1: Retry-After pauses the host, a dead host is given up."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from talkbuild.check.external import check_external
from talkbuild.config import CheckConfig
from talkbuild.errors import SourceLocation
from talkbuild.models import Reference

from .conftest import Scripted


class Hanging:
    """A host that accepts connections and never answers (the trial's stalled CI)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.accepted: list[socket.socket] = []
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # held open, never answered

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def hanging() -> Iterator[Hanging]:
    server = Hanging()
    yield server
    server.close()

FAST = CheckConfig(timeout=0.5, retries=2, backoff=0.01, max_backoff=5, per_host_interval=0.05,
                   per_host_concurrency=2, max_concurrency=8)


def ok(method: str, n: int) -> tuple[int, dict[str, str]]:
    return 200, {}


def refs(urls: list[str]) -> list[Reference]:
    return [Reference("link", url, SourceLocation("talks/a.md", i + 1)) for i, url in enumerate(urls)]


def test_a_429_with_retry_after_pauses_every_queued_link_to_the_host(http_server: Callable[..., Scripted]) -> None:
    # The trial's server: the first request to /a gets 429 Retry-After: 2, the rest 200; /b1../b40 are queued
    # behind it on the same host. Before, ~25 requests reached the host inside the window.
    wait = 2
    routes = {"/a": lambda m, n: (429, {"Retry-After": str(wait)}) if n == 0 else (200, {})}
    routes.update({f"/b{i}": ok for i in range(1, 41)})
    srv = http_server(routes)
    result = check_external(refs([srv.url(p) for p in routes]), FAST)
    assert result.diagnostics == ()
    first, retried = srv.times("/a")
    assert retried >= first + wait, "the 429'd URL itself waits the whole Retry-After"
    inside = [(p, t - first) for _, p, t in srv.requests if first < t < first + wait]
    # At most one request could already be on its way when the 429 came back (2 per host at once).
    assert len(inside) <= FAST.per_host_concurrency - 1, inside
    assert len(srv.requests) == 42


def test_a_retry_waiting_on_its_own_backoff_also_waits_for_the_hosts_retry_after(
        http_server: Callable[..., Scripted]) -> None:
    # /x got a 503 (no Retry-After) and sleeps its own backoff while /a's 429 pauses the host: its retry
    # must not slip in before the pause ends.
    wait = 2
    srv = http_server({"/a": lambda m, n: (429, {"Retry-After": str(wait)}) if n == 0 else (200, {}),
                       "/x": lambda m, n: (503, {}) if n == 0 else (200, {})})
    config = dataclasses.replace(FAST, backoff=0.3, per_host_interval=0.0)
    result = check_external(refs([srv.url("/a"), srv.url("/x")]), config)
    assert result.diagnostics == ()
    first_a = srv.times("/a")[0]
    assert all(t >= first_a + wait for t in srv.times("/x")[1:]), srv.requests


def test_a_retry_after_beyond_the_cap_gives_the_host_up_for_the_run(http_server: Callable[..., Scripted]) -> None:
    routes = {"/a": lambda m, n: (429, {"Retry-After": "3600"})}
    routes.update({f"/b{i}": ok for i in range(1, 6)})
    srv = http_server(routes)
    config = dataclasses.replace(FAST, per_host_concurrency=1)
    result = check_external(refs([srv.url(p) for p in routes]), config)
    assert srv.counts() == {"/a": 1}, "no request after being asked to wait an hour"
    assert [(d.severity.value, d.code) for d in result.diagnostics] == [("warning", "external-rate-limited")] * 6
    assert "Retry-After" in result.diagnostics[0].message and "3600" in result.diagnostics[0].message
    assert all("not requested" in d.message for d in result.diagnostics[1:])


def test_a_host_that_stops_answering_is_given_up_after_max_host_failures(hanging: Hanging) -> None:
    # Each URL used to cost (retries + 1) x timeout: 500 links to such a host stalled CI for hours.
    config = dataclasses.replace(FAST, timeout=0.2, retries=1, max_host_failures=3)
    urls = [f"{hanging.base}/p{i}" for i in range(20)]
    result = check_external(refs(urls), config)
    # The third timeout in a row gives the host up; one more request may already have been on its way.
    assert len(hanging.accepted) <= config.max_host_failures + config.per_host_concurrency - 1
    assert [(d.severity.value, d.code) for d in result.diagnostics] == [("warning", "external-timeout")] * 20
    skipped = [d for d in result.diagnostics if "stopped answering" in d.message]
    assert len(skipped) >= 20 - len(hanging.accepted)
    assert all("not requested" in d.message and hanging.base in d.message for d in skipped)


def test_refused_connections_give_the_host_up_too() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()  # nothing listens there now
    config = dataclasses.replace(FAST, retries=2, max_host_failures=2, per_host_concurrency=1)
    result = check_external(refs([f"{base}/x{i}" for i in range(5)]), config)
    assert [d.code for d in result.diagnostics] == ["external-connection"] * 5
    # Two failures in a row give the host up: at most two links were requested (a link whose retry was
    # waiting then says how many requests it did send), the others were not requested at all.
    requested = [d.message for d in result.diagnostics if "stopped answering" not in d.message]
    assert 1 <= len(requested) <= 2
    assert all(m.endswith(("Connection refused after 1 attempt", "Connection refused after 2 attempts"))
               for m in requested), requested


def test_max_host_failures_0_never_gives_up(hanging: Hanging) -> None:
    config = dataclasses.replace(FAST, timeout=0.2, retries=0, max_host_failures=0, per_host_concurrency=4)
    result = check_external(refs([f"{hanging.base}/p{i}" for i in range(6)]), config)
    assert len(hanging.accepted) == 6
    assert not any("stopped answering" in d.message for d in result.diagnostics)


def test_each_dead_host_message_is_exact_requested_links_count_their_attempts_the_rest_say_not_requested(
        hanging: Hanging) -> None:
    # Before: "not requested: ... stopped answering ... after 2 attempts" (a retry that waited for its turn
    # while the host was given up counted as an attempt), and requested links "timed out" without a count.
    config = dataclasses.replace(FAST, timeout=0.2, retries=1, max_host_failures=3)
    result = check_external(refs([f"{hanging.base}/p{i}" for i in range(20)]), config)
    sent = 0
    for d in result.diagnostics:
        if "not requested" in d.message:
            assert "attempt" not in d.message and "timed out" not in d.message, d.message
        else:
            assert d.message.startswith("external link could not be checked (timed out): timed out after "), d.message
            count = d.message.rsplit(" after ", 1)[1]
            assert count in ("1 attempt", "2 attempts"), d.message
            sent += int(count.split()[0])
    assert sent == len(hanging.accepted), "every request sent is counted once, and only those"
    assert any("not requested" in d.message for d in result.diagnostics)
