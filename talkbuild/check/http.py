"""One blocking HTTP request, with redirects NOT followed, and its failure classified.

The standard library is enough here: we only need a status line and two headers, and
following redirects ourselves (to rate-limit each hop and spot permanent moves) rules
out the automatic handling that makes third-party clients attractive.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import http.client
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .. import __version__

USER_AGENT = f"Mozilla/5.0 (compatible; talkbuild-linkcheck/{__version__})"
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Response:
    """What a server answered: only what the checker needs."""

    status: int
    reason: str
    location: str | None = None
    retry_after: float | None = None
    """Seconds the server asked us to wait (Retry-After), already converted from an HTTP-date."""


class FetchError(Exception):
    """A request that got no HTTP answer. `kind` decides whether it is retried and how it is reported."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        """'dns' (host does not exist), 'timeout', 'connection', 'tls' or 'invalid'."""
        self.detail = detail


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to the caller, which follows redirects itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def normalise(url: str) -> str | None:
    """The key one URL is checked under: scheme and host lower-cased, default port and fragment dropped.

    Returns None when the URL has no host (it cannot be checked).
    """
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in DEFAULT_PORTS:
        return None
    scheme = parts.scheme.lower()
    try:
        host_ascii = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host_ascii:  # IPv6 literal
        host_ascii = f"[{host_ascii}]"
    netloc = host_ascii if port in (None, DEFAULT_PORTS[scheme]) else f"{host_ascii}:{port}"
    if parts.username is not None:
        cred = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{cred}@{netloc}"
    # Percent-encode what a browser would, so non-ASCII paths reach http.client as valid request targets.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((scheme, netloc, path, query, ""))


def host_key(url: str) -> str:
    """The unit rate limits apply to: scheme://host:port of a normalised URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def parse_retry_after(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date; None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max(0.0, (when - now).total_seconds())


def fetch(url: str, method: str, timeout: float, headers: Mapping[str, str] | None = None) -> Response:
    """Send one request to a normalised URL; never follows redirects and never reads the body."""
    sent = dict(headers or {"User-Agent": USER_AGENT, "Accept": "*/*"})
    parts = urlsplit(url)
    if "@" in parts.netloc:
        # urllib would take `user:pass@host` for the host name (a DNS failure for `user`); a browser sends the
        # credentials as Basic authentication to the host after the `@`, and so does this.
        userinfo, host = parts.netloc.rsplit("@", 1)
        url = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
        sent.setdefault("Authorization", "Basic " + base64.b64encode(unquote(userinfo).encode()).decode("ascii"))
    request = urllib.request.Request(url, method=method, headers=sent)
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            return Response(resp.status, resp.reason or "")
    except urllib.error.HTTPError as exc:
        answered = exc.headers
        response = Response(
            exc.code, str(exc.reason or ""),
            location=answered.get("Location") if answered else None,
            retry_after=parse_retry_after(answered.get("Retry-After")) if answered else None,
        )
        exc.close()
        return response
    except urllib.error.URLError as exc:
        raise _without_values(_classify(exc.reason), request.header_items()) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _without_values(_classify(exc), request.header_items()) from None


HEADER_REFUSED = "a request header was refused before sending (check.headers; its value is not shown)"


def _without_values(error: FetchError, headers: list[tuple[str, str]]) -> FetchError:
    """`error`, unless its text quotes one of the request's header values (http.client's `Invalid header
    value b'Bearer ...'` does): those are tokens, and the text goes to every report and the link cache."""
    words = {word for _name, value in headers for word in (value, repr(value)[1:-1], *value.split())
             if len(word) >= 4}
    if error.detail.startswith("invalid URL: Invalid header") or any(word in error.detail for word in words):
        return FetchError("connection", HEADER_REFUSED)
    return error


def _classify(reason: object) -> FetchError:
    if isinstance(reason, socket.gaierror):
        # Only "no such name" is permanent; EAI_AGAIN and friends are resolver hiccups worth a retry.
        if reason.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            return FetchError("dns", "host not found (DNS)")
        return FetchError("connection", f"name resolution failed: {reason.strerror or reason}")
    if isinstance(reason, TimeoutError | socket.timeout):
        return FetchError("timeout", "timed out")
    if isinstance(reason, ssl.SSLError):
        return FetchError("tls", f"TLS problem: {getattr(reason, 'verify_message', None) or reason.reason or reason}")
    if isinstance(reason, ValueError | http.client.InvalidURL):
        return FetchError("invalid", f"invalid URL: {reason}")
    if isinstance(reason, http.client.HTTPException):
        return FetchError("connection", f"bad HTTP answer: {type(reason).__name__}")
    if isinstance(reason, OSError):
        return FetchError("connection", reason.strerror or type(reason).__name__)
    return FetchError("connection", str(reason))
