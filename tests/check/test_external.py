"""External links against real HTTP servers on 127.0.0.1: requests per URL, retries, redirects, cache."""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from talkbuild.check.external import check_external
from talkbuild.check.http import normalise, parse_retry_after
from talkbuild.config import CheckConfig
from talkbuild.errors import Severity, SourceLocation
from talkbuild.models import Reference

from .conftest import Scripted

FAST = CheckConfig(timeout=0.5, retries=2, backoff=0.01, max_backoff=0.3, per_host_interval=0.0,
                   per_host_concurrency=4, max_concurrency=8)


def ok(method: str, n: int) -> tuple[int, dict[str, str]]:
    return 200, {}


def status(code: int, **headers: str) -> Callable[[str, int], tuple[int, dict[str, str]]]:
    return lambda method, n: (code, dict(headers))


def refs(*items: tuple[str, int]) -> list[Reference]:
    return [Reference("link", url, SourceLocation("talks/a.md", line)) for url, line in items]


def found(result: object) -> list[tuple[str, int | None, str, str]]:
    return [(d.severity.value, d.location.line, d.code, d.url or "") for d in result.diagnostics]  # type: ignore[attr-defined]


def test_each_url_is_requested_once_and_reported_at_every_place(http_server: Callable[..., Scripted],
                                                                 tmp_path: Path) -> None:
    srv = http_server({"/ok": ok, "/gone": status(410)})
    ok_url, gone = srv.url("/ok"), srv.url("/gone")
    result = check_external(refs((ok_url, 1), (ok_url + "#intro", 2), (ok_url.replace("http", "HTTP", 1), 3),
                                 (gone, 4), (gone, 9)), FAST, cache_path=tmp_path / "c.json")
    assert srv.count("/ok") == 1
    # HEAD said 410; a GET confirms before we call it broken (servers get HEAD wrong).
    assert srv.count("/gone", "HEAD") == 1 and srv.count("/gone", "GET") == 1
    assert found(result) == [("error", 4, "external-not-found", gone), ("error", 9, "external-not-found", gone)]
    assert result.checked == 2


def test_404_is_an_error(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({})
    result = check_external(refs((srv.url("/missing"), 5)), FAST)
    assert found(result) == [("error", 5, "external-not-found", srv.url("/missing"))]
    assert srv.count("/missing") == 2


def test_server_error_then_success_is_retried(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/flaky": lambda m, n: (500, {}) if n == 0 else (200, {})})
    result = check_external(refs((srv.url("/flaky"), 1)), FAST)
    assert found(result) == []
    assert srv.count("/flaky") == 2


def test_server_error_that_survives_retries_is_a_warning_or_configured_error(
        http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/down": status(503)})
    result = check_external(refs((srv.url("/down"), 1)), FAST)
    assert found(result) == [("warning", 1, "external-server-error", srv.url("/down"))]
    assert srv.count("/down") == 1 + FAST.retries
    assert "after 3 attempts" in result.diagnostics[0].message
    strict = CheckConfig(**{**FAST.__dict__, "transient_is_error": True})
    assert found(check_external(refs((srv.url("/down"), 1)), strict))[0][0] == "error"


def test_429_honours_retry_after_up_to_the_cap(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/busy": lambda m, n: (429, {"Retry-After": "1"}) if n == 0 else (200, {})})
    result = check_external(refs((srv.url("/busy"), 1)), CheckConfig(**{**FAST.__dict__, "max_backoff": 2}))
    assert found(result) == []
    first, second = srv.times("/busy")
    assert second - first >= 1.0  # waited what the server asked (within max_backoff); beyond it: test_hosts.py
    assert srv.count("/busy") == 2


def test_429_that_persists_is_a_warning(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/limited": status(429, **{"Retry-After": "0"})})
    result = check_external(refs((srv.url("/limited"), 3)), FAST)
    assert found(result) == [("warning", 3, "external-rate-limited", srv.url("/limited"))]
    assert srv.count("/limited") == 3


def test_redirect_chain_is_followed(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({
        "/r1": status(302, Location="/r2"), "/r2": status(307, Location="/r3"),
        "/r3": lambda m, n: (303, {"Location": srv.url("/final")}), "/final": ok,
    })
    result = check_external(refs((srv.url("/r1"), 1)), FAST)
    assert found(result) == []
    assert srv.counts() == {"/r1": 1, "/r2": 1, "/r3": 1, "/final": 1}


def test_too_long_a_chain_and_a_loop_are_errors(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/a": status(302, Location="/b"), "/b": status(302, Location="/c"),
                       "/c": status(302, Location="/d"), "/d": ok,
                       "/loop1": status(302, Location="/loop2"), "/loop2": status(302, Location="/loop1")})
    config = CheckConfig(**{**FAST.__dict__, "max_redirects": 2})
    result = check_external(refs((srv.url("/a"), 1), (srv.url("/loop1"), 2)), config)
    assert found(result) == [("error", 1, "external-redirect", srv.url("/a")),
                             ("error", 2, "external-redirect", srv.url("/loop1"))]
    assert "loop" in result.diagnostics[1].message
    assert srv.count("/d") == 0


def test_permanent_redirect_is_information_with_the_new_url(http_server: Callable[..., Scripted],
                                                           tmp_path: Path) -> None:
    srv = http_server({"/old": status(301, Location="/new"), "/new": ok,
                       "/old308": status(308, Location="/new")})
    cache = tmp_path / "c.json"
    result = check_external(refs((srv.url("/old"), 7), (srv.url("/old308"), 8)), FAST, cache_path=cache)
    assert found(result) == [("info", 7, "external-moved", srv.url("/old")),
                             ("info", 8, "external-moved", srv.url("/old308"))]
    assert srv.url("/new") in result.diagnostics[0].message
    # The cached success remembers the move, so the next run still tells the author.
    again = check_external(refs((srv.url("/old"), 7)), FAST, cache_path=cache)
    assert found(again) == [("info", 7, "external-moved", srv.url("/old"))]
    assert srv.count("/old") == 1


def test_slower_than_the_timeout_is_a_warning_after_retries(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/slow": lambda m, n: (200, {}, 1.0)})
    config = CheckConfig(**{**FAST.__dict__, "timeout": 0.2, "retries": 1})
    result = check_external(refs((srv.url("/slow"), 4)), config)
    assert found(result) == [("warning", 4, "external-timeout", srv.url("/slow"))]
    assert srv.count("/slow") == 2


def test_head_not_allowed_falls_back_to_get(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/nohead": lambda m, n: (405, {}) if m == "HEAD" else (200, {}),
                       "/nohead501": lambda m, n: (501, {}) if m == "HEAD" else (200, {})})
    result = check_external(refs((srv.url("/nohead"), 1), (srv.url("/nohead501"), 2)), FAST)
    assert found(result) == []
    assert (srv.count("/nohead", "HEAD"), srv.count("/nohead", "GET")) == (1, 1)
    assert (srv.count("/nohead501", "HEAD"), srv.count("/nohead501", "GET")) == (1, 1)


def test_forbidden_is_a_warning_not_an_error(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/bots": status(403)})
    assert found(check_external(refs((srv.url("/bots"), 1)), FAST)) == [
        ("warning", 1, "external-forbidden", srv.url("/bots"))]


def test_cache_prevents_a_second_request_until_it_expires(http_server: Callable[..., Scripted],
                                                          tmp_path: Path) -> None:
    srv = http_server({"/ok": ok, "/bad": status(404)})
    cache = tmp_path / ".talkbuild" / "cache" / "external-links.json"
    items = refs((srv.url("/ok"), 1), (srv.url("/bad"), 2))
    check_external(items, FAST, cache_path=cache)
    second = check_external(items, FAST, cache_path=cache)
    assert srv.count("/ok") == 1  # cached
    assert srv.count("/bad") == 4  # failures are never cached: checked (HEAD + GET) in both runs
    assert (second.checked, second.cached) == (1, 1)
    data = json.loads(cache.read_text())
    assert list(data["entries"]) == [normalise(srv.url("/ok"))]
    # An entry older than the maximum age is checked again.
    data["entries"][normalise(srv.url("/ok"))]["checked_at"] = time.time() - 8 * 86400
    cache.write_text(json.dumps(data))
    check_external(items, FAST, cache_path=cache)
    assert srv.count("/ok") == 2
    # cache_max_age_days: 0 turns the cache off.
    check_external(items, CheckConfig(**{**FAST.__dict__, "cache_max_age_days": 0}), cache_path=cache)
    assert srv.count("/ok") == 3


def test_a_damaged_cache_is_ignored(http_server: Callable[..., Scripted], tmp_path: Path) -> None:
    srv = http_server({"/ok": ok})
    cache = tmp_path / "c.json"
    cache.write_text("{not json")
    assert found(check_external(refs((srv.url("/ok"), 1)), FAST, cache_path=cache)) == []
    assert json.loads(cache.read_text())["schema"] == 1


def test_skipped_schemes_and_exclusions_send_nothing(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({})
    config = CheckConfig(**{**FAST.__dict__, "exclude": (r"/private/",)})
    result = check_external(refs(("mailto:a@b.org", 1), ("tel:+441234", 2), ("javascript:void(0)", 3),
                                 ("data:image/png;base64,AAAA", 4), (srv.url("/private/x"), 5),
                                 ("#local", 6), ("other.md", 7)), config)
    assert found(result) == [] and srv.requests == []
    assert result.skipped == 5


def test_invalid_exclude_pattern_is_a_config_error() -> None:
    from talkbuild.errors import ConfigError

    with pytest.raises(ConfigError, match="check.exclude"):
        check_external(refs(("https://example.org/", 1)), CheckConfig(exclude=("(",)))


def test_per_host_concurrency_and_interval_are_respected(http_server: Callable[..., Scripted]) -> None:
    routes = {f"/p{i}": (lambda m, n: (200, {}, 0.05)) for i in range(6)}
    srv = http_server(routes)
    config = CheckConfig(**{**FAST.__dict__, "per_host_concurrency": 2, "per_host_interval": 0.05})
    check_external(refs(*[(srv.url(p), i) for i, p in enumerate(routes)]), config)
    assert srv.max_in_flight <= 2
    starts = sorted(srv.times())
    assert len(starts) == 6
    # Arrival times are seen by the server: under load one gap can shrink (two requests queue while its
    # thread waits for a core), so judge the spacing as a whole. Without the interval, three of the five
    # gaps would be ~0 and the six starts would span ~0.1 s.
    gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
    assert gaps[len(gaps) // 2] >= 0.04, gaps
    assert starts[-1] - starts[0] >= 0.2, starts


def test_progress_reports_every_url(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/a": ok, "/b": ok})
    seen: list[tuple[int, int]] = []
    check_external(refs((srv.url("/a"), 1), (srv.url("/b"), 2), (srv.url("/a"), 3)), FAST,
                   progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_connection_refused_is_retried_then_a_warning() -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    url = f"http://127.0.0.1:{port}/x"
    result = check_external(refs((url, 1)), FAST)
    assert found(result) == [("warning", 1, "external-connection", url)]


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime.datetime(2024, 5, 18, 12, 0, 0, tzinfo=datetime.UTC)
    later = email.utils.format_datetime(now + datetime.timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(later, now) == 90.0
    assert parse_retry_after(email.utils.format_datetime(now - datetime.timedelta(hours=1), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_normalise_dedups_what_servers_treat_alike() -> None:
    assert normalise("HTTPS://Example.ORG:443/a b#frag") == "https://example.org/a%20b"
    assert normalise("//example.org/x") == "https://example.org/x"
    assert normalise("http://example.org") == "http://example.org/"
    assert normalise("https://bücher.example/ä") == "https://xn--bcher-kva.example/%C3%A4"
    assert normalise("https:///nohost") is None


def test_severity_of_dns_failure_is_error() -> None:
    # No network in tests: the classification of resolver errors is checked directly.
    import socket

    from talkbuild.check.http import _classify

    assert _classify(socket.gaierror(socket.EAI_NONAME, "Name or service not known")).kind == "dns"
    assert _classify(socket.gaierror(socket.EAI_AGAIN, "Temporary failure")).kind == "connection"
    from talkbuild.check.external import Outcome, _diagnostic

    diag = _diagnostic(refs(("https://nope.invalid/", 1))[0], Outcome("dns", "host not found (DNS)"), FAST)
    assert diag is not None and diag.severity is Severity.ERROR and diag.code == "external-dns"
