"""External links: each URL checked once per run, politely, with retries and a cache of successes.

Which URLs, what the cache knows, and what each verdict means for the author are decided here; how the
distinct URLs are requested (per-host turns, retries, Retry-After, giving a host up) is `checker`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..check_options import VARIABLE_PREFIX, compile_regexes, expand, foreign_variables, header_value, variable_names
from ..config import CheckConfig
from ..errors import Diagnostic, Severity, SourceLocation
from ..models import Reference
from .cache import CachedSuccess, LinkCache
from .checker import Checker, Outcome, Progress
from .http import normalise

__all__ = ["ExternalResult", "Outcome", "Progress", "check_external"]

SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "callto", "about"})
CHECKED_SCHEMES = frozenset({"http", "https"})
TRANSIENT_KINDS = frozenset({"rate-limited", "server-error", "timeout", "connection"})


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
    refresh: bool = False,
) -> ExternalResult:
    """Check every external http(s) reference; one diagnostic per (problem, place the URL is written).

    `refresh` (`check --no-cache`) requests every URL again, ignoring cached successes; this run's results
    still go to the cache.
    """
    excludes = compile_regexes(config.exclude)
    by_url: dict[str, list[Reference]] = {}
    diagnostics: list[Diagnostic] = _header_notes(config)
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
        hit = None if refresh else cache.get(url)
        if hit is not None:
            outcomes[url] = Outcome("ok", "cached", hit.status, hit.moved_to)
        else:
            to_check.append(url)
    cached = len(outcomes)

    if to_check:
        outcomes.update(_run_in_own_loop(Checker(config, progress).run, to_check))
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


def _header_notes(config: CheckConfig) -> list[Diagnostic]:
    """A finding for each check.headers value that is not sent, at its line: its ${VAR} is not set (a note: a
    local run without the CI's token still checks, and the note says why a site may then refuse), or the
    value holds a control character (a warning). Never the value itself: it is usually a token."""
    notes = []
    for rule in config.headers:
        host = ("*." if rule.subdomains else "") + rule.host + (f":{rule.port}" if rule.port else "")
        for name, text, line in rule.headers:
            value, why = header_value(text)
            if value is not None or why is None:
                continue
            unset = expand(text)[1]
            variables = variable_names(text)
            foreign = foreign_variables(text)
            if foreign:
                severity, hint = Severity.WARNING, (
                    f"write ${{{VARIABLE_PREFIX}{foreign[0]}}} and set {VARIABLE_PREFIX}{foreign[0]} in the environment "
                    f"(in CI: {VARIABLE_PREFIX}{foreign[0]}: ${{{{ secrets.{foreign[0]} }}}})")
            elif unset:
                severity, hint = Severity.INFO, f"set {unset[0]} in the environment (in CI, from a secret)"
            else:
                severity = Severity.WARNING
                hint = (f"remove the stray characters from {' and '.join(variables) or 'the value'} (store the "
                        "secret without a line break: printf '%s', not echo)")
            notes.append(Diagnostic(severity, "external-header", f"check.headers: the {name} header for {host} "
                                    f"is not sent: {why}", SourceLocation("talkbuild.yml", line), hint=hint))
    return notes


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
    if outcome.attempts >= 1 and outcome.kind in TRANSIENT_KINDS:
        # Exactly as many as were sent (a host given up cuts a link's retries short); a link never requested
        # (attempts 0) says "not requested" instead.
        detail += f" after {outcome.attempts} attempt{'s' if outcome.attempts > 1 else ''}"
    if outcome.attempts == 0:  # its host was given up before it came up: nothing timed out or failed for it
        prefix = "external link could not be checked"
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
