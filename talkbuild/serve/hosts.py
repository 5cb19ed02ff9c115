"""Which `Host:` names the dev server answers: a guard against DNS rebinding (as Vite and webpack-dev-server have).

A web page on `evil.example` can make its own name resolve to 127.0.0.1 a moment after it loaded; the
browser then lets the page read whatever answers there as "same origin", the preview and its drafts
included. Such a request names the attacker's host in `Host:`, so only names that are this machine's are
answered: `localhost` (and `*.localhost`, which browsers resolve to this machine themselves), the name
serve was started with, and, when it listens on the network on purpose (`--host 0.0.0.0`), this machine's
own host name. A numeric address is always answered: a browser sends one only when the page's URL is that
address, and then it connects to that address, never to a name an attacker rebinds. The port is not
compared: a port forward (`ssh -L 9000:localhost:8000`, `docker run -p`) sends the port the browser used.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
"""A host name or IPv4 address as a browser sends it (international names are sent as xn--...)."""

ANY = "*"
"""In `allowed`: answer every name (behind a proxy that checks names itself)."""

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
"""Addresses for `--host` that only this machine can reach."""


@dataclass(frozen=True)
class HostCheck:
    """The names the server answers to, besides `localhost`, `*.localhost` and numeric addresses."""

    names: frozenset[str]

    def allows(self, name: str) -> bool:
        """Whether a request for `name` (a `Host:` header's `host_name`) may be answered."""
        if ANY in self.names or name == "localhost" or name.endswith(".localhost") or name in self.names:
            return True
        return _is_address(name)


def refusal(name: str, local_url: str) -> bytes:
    """The short plain-text answer to a request for a name not allowed, saying how to reach the preview."""
    return (f"talkbuild serve refused this request for {name!r}, which is not a name of this machine: answering "
            "it would let a web page read the preview (drafts included) through DNS rebinding.\n"
            f"Open {local_url}, or, if {name!r} is yours (a proxy, a tunnel), start serve with "
            f"--allow-host {name}\n").encode()


def host_check(host: str, allowed: tuple[str, ...] = ()) -> HostCheck:
    """The check for a server listening on `host` (its --host), with the extra names of `allowed`."""
    names = {_fold(n) for n in allowed}
    bound = _fold(host.strip("[]"))
    if bound and not _is_address(bound):
        names.add(bound)  # `--host mybox.lan`: the name serve was told to listen on is this machine's
    if host not in LOOPBACK_NAMES:  # on the network on purpose: this machine's names are how others reach it
        names |= set(_machine_names())
    return HostCheck(frozenset(names))


def _machine_names() -> tuple[str, ...]:
    """This machine's host name, its short form and `<short>.local` (how phones and Macs find a laptop: mDNS)."""
    machine = _fold(socket.gethostname())
    if not machine:
        return ()
    short = machine.split(".")[0]
    return machine, short, f"{short}.local"


def host_name(host: str) -> str | None:
    """The name of a `Host:` header without its port, lower case, without a trailing dot; None if malformed."""
    host = host.strip()
    if host.startswith("["):  # [v6 address] or [v6 address]:port
        end = host.find("]")
        rest = host[end + 1:]
        if end < 0 or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        inner = host[1:end].lower()
        return inner if _is_address(inner) else None
    if host.count(":") > 1:  # a v6 address without brackets, which no browser sends
        return host.lower() if _is_address(host) else None
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return None
    name = _fold(name)
    return name if _NAME.fullmatch(name) else None


def _fold(name: str) -> str:
    name = name.strip().lower()
    return name[:-1] if name.endswith(".") else name


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def network_urls(host: str, port: int) -> list[str]:
    """Addresses a tablet or a phone on the same network can open, for a server listening on every interface
    (`--host 0.0.0.0` prints `http://0.0.0.0:PORT/`, which no other machine can open): this machine's `.local` name
    and the address of the interface its traffic leaves by (found by connecting a UDP socket, which sends nothing)."""
    if host not in ("0.0.0.0", "::", ""):
        return []
    found = [f"http://{name}:{port}/" for name in _machine_names()[2:]]
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a route is looked up, no packet is sent
            address = probe.getsockname()[0]
        if not address.startswith("127."):
            found.append(f"http://{address}:{port}/")
    except OSError:  # no network at all
        pass
    return found
