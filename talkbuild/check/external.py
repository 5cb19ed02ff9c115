"""External links: each URL checked once per run, politely, with retries and a cache of successes.

Scheduling is asyncio (cheap waiting for per-host turns, backoff and Retry-After) around a
thread pool that runs the blocking requests of `http.fetch`. Every URL is one task, so
dedup is structural: no two requests for one URL can race (lychee#1593).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin

from ..config import CheckConfig
from ..errors import ConfigError, Diagnostic, Severity, SourceLocation
from ..models import Reference
from .cache import CachedSuccess, LinkCache
from .http import FetchError, Response, fetch, host_key, normalise

SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "callto", "about"})
CHECKED_SCHEMES = frozenset({"http", "https"})
TRANSIENT_KINDS = frozenset({"rate-limited", "server-error", "timeout", "connection"})

Progress = Callable[[int, int], None]
"""Called with (done, total) as external URLs finish."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict on one external URL."""

    kind: str
    """'ok', 'not-found', 'client-error', 'forbidden', 'rate-limited', 'server-error', 'timeout',
    'connection', 'dns', 'tls', 'redirects' or 'invalid'."""
    detail: str = ""
    status: int | None = None
    moved_to: str | None = None
    """Where a permanent redirect (301/308) leads, for an 'ok' URL that should be updated."""
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class ExternalResult:
    diagnostics: tuple[Diagnostic, ...]
    checked: int
    """Distinct URLs requested in this run."""
    cached: int
    """Distinct URLs answered by the cache."""
    skipped: int
    """References not checked: excluded by config, or not http(s) (mailto:, tel:, ...)."""


def check_external(
    references: Iterable[Reference],
    config: CheckConfig,
    *,
    cache_path: Path | None = None,
    progress: Progress | None = None,
) -> ExternalResult:
    """Check every external http(s) reference; one diagnostic per (problem, place the URL is written)."""
    excludes = _compile_excludes(config.exclude)
    by_url: dict[str, list[Reference]] = {}
    diagnostics: list[Diagnostic] = []
    skipped = 0
    for ref in references:
        if ref.target is not None:
            continue
        scheme = _scheme(ref.url)
        if scheme is None and not ref.url.strip().startswith("//"):
            continue  # in-page '#fragment' or relative: internal checks own it
        if scheme in SKIPPED_SCHEMES or (scheme is not None and scheme not in CHECKED_SCHEMES):
            skipped += 1
            continue
        key = normalise(ref.url)
        if any(p.search(ref.url) or (key and p.search(key)) for p in excludes):
            skipped += 1
            continue
        if key is None:
            invalid = _diagnostic(ref, Outcome("invalid", "not a valid URL (no host)"), config)
            if invalid is not None:
                diagnostics.append(invalid)
            continue
        by_url.setdefault(key, []).append(ref)

    cache = LinkCache(cache_path, config.cache_max_age_days)
    outcomes: dict[str, Outcome] = {}
    to_check: list[str] = []
    for url in sorted(by_url):
        hit = cache.get(url)
        if hit is not None:
            outcomes[url] = Outcome("ok", "cached", hit.status, hit.moved_to)
        else:
            to_check.append(url)
    cached = len(outcomes)

    if to_check:
        outcomes.update(_run_in_own_loop(_Checker(config, progress).run, to_check))
    now = time.time()
    for url in to_check:
        outcome = outcomes[url]
        if outcome.kind == "ok" and outcome.status is not None:
            cache.put(url, CachedSuccess(now, outcome.status, outcome.moved_to))
        else:
            cache.forget(url)
    cache.save()

    for url, refs in by_url.items():
        for ref in refs:
            diag = _diagnostic(ref, outcomes[url], config)
            if diag is not None:
                diagnostics.append(diag)
    diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0, d.location.column or 0, d.code, d.url or ""))
    return ExternalResult(tuple(diagnostics), len(to_check), cached, skipped)


def _scheme(url: str) -> str | None:
    match = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


def _compile_excludes(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"check.exclude: invalid regular expression {pattern!r}: {exc}",
                              SourceLocation("talkbuild.yml"), hint="escape literal dots and '?' with a backslash",
                              code="config") from None
    return compiled


class _Host:
    """Per-host politeness: a concurrency limit and a minimum interval between request starts."""

    def __init__(self, limit: int) -> None:
        self.slots = asyncio.Semaphore(max(1, limit))
        self.lock = asyncio.Lock()
        self.next_at = 0.0

    async def turn(self, interval: float) -> None:
        async with self.lock:
            loop = asyncio.get_running_loop()
            wait = self.next_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_at = loop.time() + interval

    def pause(self, seconds: float) -> None:
        """A 429 slows the whole host down, not just the URL that got it."""
        self.next_at = max(self.next_at, asyncio.get_running_loop().time() + seconds)


class _Checker:
    def __init__(self, config: CheckConfig, progress: Progress | None) -> None:
        self.config = config
        self.progress = progress
        self.hosts: dict[str, _Host] = {}
        self.done = 0

    async def run(self, urls: list[str]) -> dict[str, Outcome]:
        self.slots = asyncio.Semaphore(max(1, self.config.max_concurrency))
        with ThreadPoolExecutor(max_workers=max(1, self.config.max_concurrency),
                                thread_name_prefix="talkbuild-link") as pool:
            self.pool = pool
            results = await asyncio.gather(*(self._one(u, len(urls)) for u in urls))
        return dict(zip(urls, results, strict=True))

    async def _one(self, url: str, total: int) -> Outcome:
        outcome = await self.check(url)
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, total)
        return outcome

    async def check(self, url: str) -> Outcome:
        """Follow redirects hop by hop; fall back from HEAD to GET once when HEAD looks unreliable."""
        method, current, seen = "HEAD", url, {url}
        moved_to: str | None = None
        permanent_run = True  # only a chain that starts with permanent moves says "update your link"
        hops = 0
        attempts = 0
        while True:
            result, tries = await self._with_retries(current, method)
            attempts += tries
            if isinstance(result, FetchError):
                return Outcome(result.kind, result.detail, None, None, attempts)
            status = result.status
            if 300 <= status < 400 and status != 304:
                if not result.location:
                    return Outcome("redirects", f"{status} redirect without a Location header", status, None, attempts)
                nxt = normalise(urljoin(current, result.location))
                if nxt is None:
                    return Outcome("redirects", f"redirects to an invalid URL: {result.location}", status, None,
                                   attempts)
                if nxt in seen:
                    return Outcome("redirects", f"redirect loop at {nxt}", status, None, attempts)
                hops += 1
                if hops > self.config.max_redirects:
                    return Outcome("redirects", f"more than {self.config.max_redirects} redirects", status, None,
                                   attempts)
                if status in (301, 308) and permanent_run:
                    moved_to = nxt
                else:
                    permanent_run = False
                seen.add(nxt)
                current = nxt
                continue
            if method == "HEAD" and _head_unreliable(status):
                method = "GET"
                continue
            return _verdict(result, moved_to, attempts)

    async def _with_retries(self, url: str, method: str) -> tuple[Response | FetchError, int]:
        host = self.hosts.setdefault(host_key(url), _Host(self.config.per_host_concurrency))
        retries = max(0, self.config.retries)
        for attempt in range(retries + 1):
            try:
                response: Response | FetchError = await self._send(host, url, method)
            except FetchError as exc:
                response = exc
            if attempt == retries or not _retryable(response):
                return response, attempt + 1
            delay = self._backoff(attempt)
            if isinstance(response, Response) and response.retry_after is not None:
                delay = min(response.retry_after, self.config.max_backoff)
            if isinstance(response, Response) and response.status == 429:
                host.pause(delay)  # the next turn on this host waits it out
            else:
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _send(self, host: _Host, url: str, method: str) -> Response:
        async with host.slots, self.slots:
            await host.turn(self.config.per_host_interval)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.pool, fetch, url, method, self.config.timeout)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.config.max_backoff, self.config.backoff * (2 ** attempt))
        return float(ceiling) * random.uniform(0.5, 1.0)  # jitter: parallel runs do not retry in lockstep


def _retryable(response: Response | FetchError) -> bool:
    if isinstance(response, FetchError):
        return response.kind in ("timeout", "connection")
    return response.status == 429 or (response.status >= 500 and response.status != 501)


def _head_unreliable(status: int) -> bool:
    """Many servers answer HEAD wrongly (405, 501, 403, even 404); confirm any 4xx with a GET."""
    return status == 501 or (400 <= status < 500 and status != 429)


def _verdict(response: Response, moved_to: str | None, attempts: int) -> Outcome:
    status = response.status
    detail = f"{status} {response.reason}".strip()
    if 200 <= status < 400:
        return Outcome("ok", detail, status, moved_to, attempts)
    if status in (404, 410):
        kind = "not-found"
    elif status in (401, 403) or status >= 600:
        kind = "forbidden"
    elif status == 429:
        kind = "rate-limited"
    elif status >= 500:
        kind = "server-error"
    else:
        kind = "client-error"
    return Outcome(kind, detail, status, None, attempts)


_CODES: dict[str, tuple[str, str, str]] = {
    # kind: (code, message prefix, hint)
    "not-found": ("external-not-found", "broken external link", "fix or remove the link"),
    "client-error": ("external-client-error", "external link refused", "fix or remove the link"),
    "dns": ("external-dns", "external link to a host that does not exist", "check the spelling of the domain"),
    "redirects": ("external-redirect", "external link does not resolve", "link to the final URL directly"),
    "invalid": ("external-invalid", "external link is not a valid URL", "fix the URL"),
    "forbidden": ("external-forbidden", "external link refused access to the checker",
                  "the site may block bots; open it in a browser, and add it to check.exclude if it works"),
    "tls": ("external-tls", "external link has a TLS problem", "use http:// only if the site has no valid certificate"),
    "rate-limited": ("external-rate-limited", "external link could not be checked (rate limited)",
                     "usually temporary; rerun later or lower check.per_host_concurrency"),
    "server-error": ("external-server-error", "external link could not be checked (server error)",
                     "usually temporary; rerun later"),
    "timeout": ("external-timeout", "external link could not be checked (timed out)",
                "usually temporary; rerun later or raise check.timeout"),
    "connection": ("external-connection", "external link could not be checked (connection failed)",
                   "usually temporary; rerun later"),
}
_WARNING_KINDS = frozenset({"forbidden", "tls"})


def _diagnostic(ref: Reference, outcome: Outcome, config: CheckConfig) -> Diagnostic | None:
    if outcome.kind == "ok":
        if outcome.moved_to is None:
            return None
        return Diagnostic(Severity.INFO, "external-moved", f"permanently redirected to {outcome.moved_to}",
                          ref.location, url=ref.url, hint="update the link to the new URL")
    code, prefix, hint = _CODES[outcome.kind]
    if outcome.kind in TRANSIENT_KINDS:
        severity = Severity.ERROR if config.transient_is_error else Severity.WARNING
    elif outcome.kind in _WARNING_KINDS:
        severity = Severity.WARNING
    else:
        severity = Severity.ERROR
    detail = outcome.detail
    if outcome.attempts > 1 and outcome.kind in TRANSIENT_KINDS:
        detail += f" after {outcome.attempts} attempts"
    return Diagnostic(severity, code, f"{prefix}: {detail}", ref.location, url=ref.url, hint=hint)


_T = TypeVar("_T")


def _run_in_own_loop(run: Callable[[list[str]], Coroutine[Any, Any, _T]], urls: list[str]) -> _T:
    """asyncio.run, also when the caller's thread already runs an event loop (e.g. Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run(urls))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run(urls))).result()
