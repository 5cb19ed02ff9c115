"""Serve answers only requests for this machine's names: a page elsewhere cannot read the preview (drafts
included) by DNS rebinding, as it could when any `Host:` got a 200."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import Live, talk, wait_until
from support import CHROMIUM_ARGS, chromium, playwright_api

from talkbuild.serve import LiveServer
from talkbuild.serve.livereload import EVENTS_PATH, STATUS_PATH

LiveFactory = Callable[..., Live]
DRAFT = "---\ntitle: Secret plans\ndraft: true\n---\n\n## Plans\n\nTOP-SECRET-7d1f\n"


def request(port: int, host_lines: list[str], target: str = "/", method: str = "GET",
            version: str = "HTTP/1.1") -> tuple[int, dict[str, str], bytes]:
    """Send a request with exactly these `Host:` lines (maybe none, maybe two); (status, headers, body)."""
    head = "".join(f"Host: {line}\r\n" for line in host_lines)
    stream = target.startswith(EVENTS_PATH)
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{method} {target} {version}\r\n{head}Connection: close\r\n\r\n".encode())
        while chunk := sock.recv(65536):
            data += chunk
            if stream and data.startswith(b"HTTP/1.0 200") and b"retry:" in data.partition(b"\r\n\r\n")[2]:
                break  # an open event stream, which never ends by itself
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def port_of(site: Live) -> int:
    return int(site.url.rstrip("/").rsplit(":", 1)[1])


REFUSED = ["evil.example", "evil.example:{port}", "EVIL.example.:{port}", "127.0.0.1.evil.example:{port}",
           "localhost.evil.example", "evillocalhost:{port}"]
ANSWERED = ["127.0.0.1:{port}", "127.0.0.1", "localhost:{port}", "LocalHost.:{port}", "[::1]:{port}",
            "talk.localhost:{port}", "localhost:9000", "10.1.2.3:{port}"]
MALFORMED = ["localhost:port", "[::1", "[evil.example]:80", "a b", "<script>:80", ""]


@pytest.mark.parametrize("host", REFUSED)
def test_a_request_for_another_name_gets_403_naming_the_fix(live: LiveFactory, host: str) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/plans.md": DRAFT})
    port = port_of(site)
    for target in ("/", "/plans/", STATUS_PATH, EVENTS_PATH + "?page=index.html&v=x"):
        status, headers, body = request(port, [host.format(port=port)], target)
        assert status == 403, target
        assert headers["content-type"] == "text/plain; charset=utf-8"
        text = body.decode()
        assert "TOP-SECRET" not in text and "Alpha" not in text
        assert "DNS rebinding" in text
        assert f"Open http://127.0.0.1:{port}/" in text
        name = host.format(port=port).rsplit(":", 1)[0].lower().rstrip(".")
        assert f"start serve with --allow-host {name}\n" in text
    assert request(port, [host.format(port=port)], "/", method="HEAD")[::2] == (403, b"")


@pytest.mark.parametrize("host", ANSWERED)
def test_this_machines_names_and_addresses_are_answered(live: LiveFactory, host: str) -> None:
    # A port forward (ssh -L 9000:localhost:8000) sends the port the browser used: only the name counts.
    site = live({"talks/a.md": talk("Alpha"), "talks/plans.md": DRAFT})
    port = port_of(site)
    status, _, body = request(port, [host.format(port=port)], "/plans/")
    assert status == 200 and b"TOP-SECRET" in body
    status, headers, body = request(port, [host.format(port=port)], EVENTS_PATH + "?page=index.html&v=x")
    assert status == 200 and headers["content-type"] == "text/event-stream" and body.startswith(b"retry:")


@pytest.mark.parametrize("host", MALFORMED)
def test_a_malformed_host_is_a_bad_request(live: LiveFactory, host: str) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    status, _, body = request(port_of(site), [host])
    assert status == 400 and b"Alpha" not in body


def test_two_hosts_are_a_bad_request_and_none_is_answered(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    port = port_of(site)
    assert request(port, [f"127.0.0.1:{port}", "evil.example"])[0] == 400
    assert request(port, [f"localhost:{port}", f"localhost:{port}"])[0] == 400
    # HTTP/1.0 allows no Host, and a browser always sends one: no web page can be behind such a request.
    status, _, body = request(port, [], version="HTTP/1.0")
    assert status == 200 and b"Alpha" in body


@pytest.fixture
def serving(make_project: Callable[..., Path]) -> Iterator[Callable[..., tuple[LiveServer, int]]]:
    """serving(host, allowed_hosts) -> a started LiveServer on `host` (port 0) and its port."""
    started: list[LiveServer] = []

    def start(host: str, allowed: tuple[str, ...] = ()) -> tuple[LiveServer, int]:
        root = make_project({"talks/a.md": talk("Alpha")})
        server = LiveServer(root, host, 0, allowed_hosts=allowed, report=lambda line: None)
        server.start()
        started.append(server)
        return server, int(server.local_url.rstrip("/").rsplit(":", 1)[1])

    yield start
    for server in started:
        server.stop()


def test_on_the_network_on_purpose_this_machines_host_name_is_answered(
        serving: Callable[..., tuple[LiveServer, int]]) -> None:
    _, port = serving("0.0.0.0")
    machine = socket.gethostname().lower()
    short = machine.split(".")[0]
    for host in (f"{machine}:{port}", f"{short}.local:{port}", f"192.0.2.7:{port}", f"localhost:{port}"):
        assert request(port, [host])[0] == 200, host
    status, _, body = request(port, [f"evil.example:{port}"])
    assert status == 403 and f"Open http://127.0.0.1:{port}/".encode() in body


def test_allowed_hosts_adds_names_and_a_star_allows_any(serving: Callable[..., tuple[LiveServer, int]]) -> None:
    _, port = serving("127.0.0.1", ("Preview.Example.",))
    assert request(port, [f"preview.example:{port}"])[0] == 200
    assert request(port, [f"other.example:{port}"])[0] == 403
    _, port = serving("127.0.0.1", ("*",))
    assert request(port, [f"anything.example:{port}"])[0] == 200


def test_the_name_serve_listens_on_is_answered(serving: Callable[..., tuple[LiveServer, int]]) -> None:
    server, port = serving("localhost")
    assert request(port, [f"localhost:{port}"])[0] == 200
    assert request(port, [f"evil.example:{port}"])[0] == 403
    assert server.local_url.startswith(("http://127.0.0.1:", "http://[::1]:"))


# --- in a browser whose DNS says evil.example is this machine, as a rebinding attacker makes it say -----------

@pytest.fixture(scope="module")
def rebound_browser(browser: Any) -> Iterator[Any]:
    """Another headless Chromium (from the session's playwright, of which a process can run one) that resolves
    evil.example to 127.0.0.1, and no other name beyond localhost."""
    rules = "MAP evil.example 127.0.0.1, MAP localhost 127.0.0.1, MAP * ~NOTFOUND"
    rebound = browser.browser_type.launch(executable_path=chromium(), headless=True,
                                          args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"])
    yield rebound
    rebound.close()


@pytest.fixture
def tab(rebound_browser: Any) -> Iterator[Any]:
    context = rebound_browser.new_context()
    page = context.new_page()
    yield page
    for open_page in context.pages:  # leave the page first: its event stream would hold the close (see conftest)
        with contextlib.suppress(playwright_api().Error):
            open_page.goto("about:blank", timeout=10_000)
    context.close()


@pytest.mark.browser
def test_a_rebound_name_gets_the_refusal_and_localhost_gets_the_live_preview(live: LiveFactory, tab: Any) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta"), "talks/plans.md": DRAFT})
    port = port_of(site)

    response = tab.goto(f"http://evil.example:{port}/plans/")
    assert response.status == 403
    assert "TOP-SECRET" not in tab.content() and "--allow-host evil.example" in tab.inner_text("body")
    # The attacker's script, same-origin with the rebound name, reads nothing either.
    read = tab.evaluate("async () => { const r = await fetch('/__talkbuild__/status'); return [r.status, await r.text()]; }")
    assert read[0] == 403 and "generation" not in read[1]

    # The normal flow under the name `localhost`: the page loads, its event stream connects, an edit reloads it.
    tab.goto(f"http://localhost:{port}/a/slides/")
    tab.wait_for_function("() => window.__tbLive !== undefined")
    tab.evaluate("window.__tbMark = 'still here'")
    generation = site.status()["generation"]
    site.write("talks/b.md", talk("Beta", "edited"))  # another talk: this page only hears `state`, and stays
    tab.wait_for_function(f"() => window.__tbLive.generation > {generation}")
    assert tab.evaluate("window.__tbMark") == "still here"
    site.write("talks/a.md", talk("Alpha", "third, edited"))
    tab.wait_for_function("() => window.__tbMark === undefined", timeout=15000)  # reloaded by the stream
    wait_until(lambda: "third, edited" in tab.content(), "the reloaded deck to show the edit")
