"""Checking distinct external URLs politely: per-host turns, retries, Retry-After, giving up a dead host.

Scheduling is asyncio (cheap waiting for per-host turns, backoff and Retry-After) around a
thread pool that runs the blocking requests of `http.fetch`. Every URL is one task, so
dedup is structural: no two requests for one URL can race (lychee#1593).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check_options import header_value
from ..config import CheckConfig
from .http import DEFAULT_PORTS, USER_AGENT, FetchError, Response, fetch, host_key, normalise
from .threads import DaemonThreadPool

Progress = Callable[[int, int], None]
"""Called with (done, total) as external URLs finish."""
NO_ANSWER = frozenset({"timeout", "connection"})
"""Failures that count towards giving a host up (check.max_host_failures)."""


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
    """Requests for the last hop (0: not requested, its host was given up)."""


class _GaveUp(FetchError):
    """No request sent: the host was given up for this run (it stopped answering, or asked for a long wait)."""


class _Host:
    """Per-host politeness: a concurrency limit, a minimum interval between request starts, pauses, giving up."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.slots = asyncio.Semaphore(max(1, limit))
        self.lock = asyncio.Lock()
        self.next_at = 0.0
        self.failures = 0
        """Timeouts and failed connections in a row."""
        self.gave_up: _GaveUp | None = None

    async def turn(self, interval: float) -> None:
        async with self.lock:
            loop = asyncio.get_running_loop()
            # A pause (Retry-After) can begin while this turn sleeps: wait again, rather than let a wake-up
            # computed before it through (the trial saw ~25 requests inside a 5 s Retry-After).
            while (wait := self.next_at - loop.time()) > 0:
                await asyncio.sleep(wait)
            self.next_at = loop.time() + interval

    def pause(self, seconds: float) -> None:
        """A Retry-After (or a 429) holds back every request to the host, not just the URL that got it."""
        self.next_at = max(self.next_at, asyncio.get_running_loop().time() + seconds)

    def answered(self, response: Response | FetchError, limit: int) -> None:
        if isinstance(response, _GaveUp):
            return
        if isinstance(response, Response) or response.kind not in NO_ANSWER:
            self.failures = 0
            return
        self.failures += 1
        if limit and self.failures >= limit and self.gave_up is None:
            self.gave_up = _GaveUp(response.kind, f"not requested: {self.name} stopped answering "
                                                  f"({self.failures} timeouts or failed connections in a row)")


class Checker:
    def __init__(self, config: CheckConfig, progress: Progress | None) -> None:
        self.config = config
        self.progress = progress
        self.hosts: dict[str, _Host] = {}
        self.done = 0
        self.base_headers = {"User-Agent": config.user_agent or USER_AGENT, "Accept": "*/*"}
        # ${VAR}s are filled in once, here; the values are only ever handed to the request, never printed.
        # A value that cannot be sent (unset variable, control character) is left out: check_external says why.
        self.host_headers = [(rule, {name: value for name, value in
                                     ((name, header_value(text)[0]) for name, text, _line in rule.headers)
                                     if value is not None}) for rule in config.headers]

    async def run(self, urls: list[str]) -> dict[str, Outcome]:
        self.slots = asyncio.Semaphore(max(1, self.config.max_concurrency))
        # Daemon threads: a check stopped (SIGTERM, Ctrl-C) while requests wait on a slow server leaves at
        # once, instead of waiting check.timeout for them (see threads.py).
        self.pool = DaemonThreadPool(self.config.max_concurrency, "talkbuild-link")
        try:
            results = await asyncio.gather(*(self._one(u, len(urls)) for u in urls))
        except BaseException:
            self.pool.shutdown(wait=False, cancel_futures=True)
            raise
        self.pool.shutdown(wait=True)
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
        chain = [url]
        moved_to: str | None = None
        permanent_run = True  # only a chain that starts with permanent moves says "update your link"
        while True:
            result, tries = await self._with_retries(current, method)
            if isinstance(result, FetchError):
                return Outcome(result.kind, _via(chain, result.detail), None, None, tries)
            status = result.status
            if 300 <= status < 400 and status != 304:
                if not result.location:
                    return Outcome("redirects", _via(chain, f"{status} redirect without a Location header"), status)
                nxt = normalise(urljoin(current, result.location))
                if nxt is None:
                    return Outcome("redirects", _via(chain, f"redirects to an invalid URL: {result.location}"), status)
                if nxt in seen:
                    return Outcome("redirects", _via([*chain, nxt], "redirect loop"), status)
                if len(chain) > self.config.max_redirects:
                    return Outcome("redirects", f"more than {self.config.max_redirects} redirects", status)
                if status in (301, 308) and permanent_run:
                    moved_to = nxt
                else:
                    permanent_run = False
                seen.add(nxt)
                chain.append(nxt)
                current = nxt
                continue
            if self._accepted(status):
                return Outcome("ok", f"{status} {result.reason} (accepted by check.accept)".replace("  ", " "),
                               status, moved_to, tries)
            if method == "HEAD" and _head_unreliable(status):
                method = "GET"
                continue
            return _verdict(result, moved_to, tries, chain)

    async def _with_retries(self, url: str, method: str) -> tuple[Response | FetchError, int]:
        key = host_key(url)
        host = self.hosts.setdefault(key, _Host(key, self.config.per_host_concurrency))
        retries = max(0, self.config.retries)
        last: Response | FetchError | None = None
        for attempt in range(retries + 1):
            if host.gave_up is not None:  # also a retry in flight when another URL made the host give up
                return (host.gave_up, 0) if last is None else (last, attempt)
            try:
                response: Response | FetchError = await self._send(host, url, method)
            except _GaveUp as exc:  # given up while this request waited for its turn: it was never sent
                return (exc, 0) if last is None else (last, attempt)
            except FetchError as exc:
                response = exc
            host.answered(response, self.config.max_host_failures)
            if attempt == retries or not self._retryable(response):
                return response, attempt + 1
            last = response
            if isinstance(response, Response) and response.retry_after is not None:
                if response.retry_after > self.config.max_backoff:
                    # Waiting less than asked only earns another refusal; waiting longer stalls the run.
                    asked = (f"asked to wait {response.retry_after:.0f} s (Retry-After), longer than "
                             f"check.max_backoff ({self.config.max_backoff:g} s)")
                    kind = "rate-limited" if response.status == 429 else "server-error"
                    host.gave_up = _GaveUp(kind, f"not requested: {host.name} {asked}")
                    return FetchError(kind, f"{response.status} {response.reason}: {asked}"), attempt + 1
                host.pause(response.retry_after)
            elif isinstance(response, Response) and response.status == 429:
                host.pause(self._backoff(attempt))  # the next turn on this host waits it out
            else:
                await asyncio.sleep(self._backoff(attempt))
        raise AssertionError("unreachable")

    async def _send(self, host: _Host, url: str, method: str) -> Response:
        async with host.slots, self.slots:
            await host.turn(self.config.per_host_interval)
            if host.gave_up is not None:  # given up while this request waited for its turn
                raise host.gave_up
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.pool, fetch, url, method, self.config.timeout, self._headers(url))

    def _headers(self, url: str) -> dict[str, str]:
        """The request headers for `url`: check.user_agent, and check.headers for its host only (never for
        another host a redirect leads to: each hop is looked up on its own)."""
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        out = dict(self.base_headers)
        for rule, values in self.host_headers:
            if rule.matches(parts.hostname or "", port):
                out.update(values)
        return out

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.config.max_backoff, self.config.backoff * (2 ** attempt))
        return float(ceiling) * random.uniform(0.5, 1.0)  # jitter: parallel runs do not retry in lockstep

    def _accepted(self, status: int) -> bool:
        return any(first <= status <= last for first, last in self.config.accept)

    def _retryable(self, response: Response | FetchError) -> bool:
        if isinstance(response, _GaveUp):
            return False
        if isinstance(response, FetchError):
            return response.kind in NO_ANSWER
        if self._accepted(response.status):
            return False
        # Only real server errors: a 999 (LinkedIn) or other invented status is a refusal, not a hiccup.
        return response.status == 429 or (500 <= response.status < 600 and response.status != 501)


def _head_unreliable(status: int) -> bool:
    """Many servers answer HEAD wrongly (405, 501, 403, even 404, 999); confirm any 4xx or odd status with a GET."""
    return status == 501 or (400 <= status < 500 and status != 429) or status >= 600


def _verdict(response: Response, moved_to: str | None, attempts: int, chain: list[str]) -> Outcome:
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
    return Outcome(kind, _via(chain, detail), status, None, attempts)


def _via(chain: list[str], detail: str) -> str:
    """`detail`, after the redirects that led there: `/old → /gone: 404 Not Found` (each URL shown as its path
    when it stays on the previous one's host)."""
    if len(chain) < 2:
        return detail
    shown, previous = [], None
    for url in chain:
        parts = urlsplit(url)
        same = previous is None or (parts.scheme, parts.netloc) == previous
        shown.append((parts.path + (f"?{parts.query}" if parts.query else "")) if same else url)
        previous = (parts.scheme, parts.netloc)
    return " → ".join(shown) + f": {detail}"
