"""The dev server over real HTTP: static serving, safety, rebuilds, bursts of saves, ports."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from serve_support import Live, talk, wait_until

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.incremental import Site
from talkbuild.serve import LiveServer
from talkbuild.serve.livereload import CONFIG_ID, EVENTS_PATH

SECRET = "TOP-SECRET-7d1f"

LiveFactory = Callable[..., Live]


def raw_get(url: str, target: str) -> bytes:
    """Send `GET <target>` exactly as written (no client-side normalisation) and return the whole answer."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_directory_urls_serve_index_and_redirect_without_slash(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    status, body = site.get("/")
    assert status == 200 and "Alpha" in body
    status, body = site.get("/a/slides/")
    assert status == 200 and "third" in body
    answer = raw_get(site.url, "/a/slides?x=1")
    assert answer.startswith(b"HTTP/1.0 301") and b"Location: /a/slides/?x=1\r\n" in answer


@pytest.mark.parametrize(("path", "expected"), [
    ("/a/index.html", "text/html; charset=utf-8"),
    ("/_talkbuild/deck.css", "text/css; charset=utf-8"),
    ("/_talkbuild/deck.js", "text/javascript; charset=utf-8"),
    ("/a/pic.svg", "image/svg+xml"),
    ("/a/photo.png", "image/png"),
])
def test_content_types(live: LiveFactory, path: str, expected: str) -> None:
    site = live({"talks/a/index.md": talk("Alpha", extra="\n![pic](pic.svg) ![photo](photo.png)\n"),
                 "talks/a/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                 "talks/a/photo.png": b"\x89PNG\r\n\x1a\nfake"})
    answer = raw_get(site.url, path)
    assert answer.startswith(b"HTTP/1.0 200")
    assert f"Content-Type: {expected}\r\n".encode() in answer


def test_assets_are_served_from_the_talks_folder_byte_for_byte(live: LiveFactory) -> None:
    data = bytes(range(256)) * 40
    site = live({"talks/a/index.md": talk("Alpha", extra="\n[data](data.bin)\n"), "talks/a/data.bin": data})
    answer = raw_get(site.url, "/a/data.bin")
    assert answer.split(b"\r\n\r\n", 1)[1] == data


def test_unknown_paths_get_the_404_page(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    status, body = site.get("/nope/")
    assert status == 404 and "Page not found" in body  # the theme's 404.html
    status, _ = site.get("/a.md")  # sources are not part of the site
    assert status == 404


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/../../secret.txt", "/a/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/a/..%2f..%2fsecret.txt", "/a%2f..%2f..%2fsecret.txt", "/%2fsecret.txt", "//secret.txt", "/..\\secret.txt",
    "/..%5csecret.txt", "/talkbuild.yml", "/../talkbuild.yml", "/a/%2e%2e/%2e%2e/talkbuild.yml",
    "http://127.0.0.1/../secret.txt", "/%00/../secret.txt", "/.%2e/secret.txt",
])
def test_path_traversal_never_reads_outside_the_site(live: LiveFactory, tmp_path: Path, target: str) -> None:
    site = live({"talks/a.md": talk("Alpha"), "secret.txt": SECRET, "talkbuild.yml": f"description: {SECRET}\n"})
    (tmp_path / "secret.txt").write_text(SECRET)
    absolute = str((site.root / "secret.txt").resolve())
    for each in (target, absolute, "/" + absolute):
        answer = raw_get(site.url, each)
        assert answer.split(b" ", 2)[1] in (b"400", b"404"), each
        assert SECRET.encode() not in answer, each


def test_build_output_has_no_live_reload_script(live: LiveFactory, tmp_path: Path) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    assert CONFIG_ID in site.get("/a/slides/")[1]  # the marker does exist in served pages
    out = tmp_path / "out"
    build(load_config(site.root), BuildOptions(out_dir=out))
    pages = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in pages)
    for page in pages:
        text = page.read_bytes()
        assert CONFIG_ID.encode() not in text and EVENTS_PATH.encode() not in text and b"EventSource" not in text


def test_serve_never_writes_the_site_folder(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    site.write("talks/a.md", talk("Alpha", "changed"))
    site.wait_for_page("/a/slides/", "changed")
    assert not (site.root / "_site").exists()


def test_one_changed_talk_rerenders_only_that_talk(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    site.write("talks/b.md", talk("Beta", "edited b"))
    site.wait_for_page("/b/slides/", "edited b")
    status = site.status()
    assert status["rendered"] == ["b.md"] and status["full"] is False


def test_theme_change_rebuilds_everything(live: LiveFactory) -> None:
    base = "{% extends 'base.html' %}{% block body %}<p>custom deck {{ meta.title }}</p>{% endblock %}"
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta"), "themes/default/templates/x.txt": ""})
    site.write("themes/default/templates/deck.html", base)
    site.wait_for_page("/a/slides/", "custom deck Alpha")
    site.wait_for_page("/b/slides/", "custom deck Beta")


def test_config_change_reloads_the_config(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talkbuild.yml": "title: First title\n"})
    assert "First title" in site.get("/")[1]
    site.write("talkbuild.yml", "title: Second title\n")
    site.wait_for_page("/", "Second title")


def test_a_broken_config_is_reported_and_the_last_good_site_stays(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talkbuild.yml": "title: Good\n"})
    site.write("talkbuild.yml", "title: Good\ntitel: typo\n")
    wait_until(lambda: site.status()["errors"], "the config error")
    assert "talkbuild.yml:2" in str(site.status()["errors"]) and "title" in str(site.status()["errors"])
    assert "Good" in site.get("/")[1]
    site.write("talkbuild.yml", "title: Fixed\n")
    site.wait_for_page("/", "Fixed")
    assert site.status()["errors"] == []


def test_editor_rename_over_the_file_is_seen(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    scratch = site.root / "talks" / ".a.md.swp"
    scratch.write_text("swap")
    temp = site.root / "talks" / "a.md.tmp"
    temp.write_text(talk("Alpha", "renamed into place"))
    os.replace(temp, site.root / "talks" / "a.md")
    site.wait_for_page("/a/slides/", "renamed into place")
    assert site.status()["errors"] == []


def test_fifty_saves_in_a_burst_end_with_the_last_content(live: LiveFactory) -> None:
    site = live({"talks/a.md": talk("Alpha"), "talks/b.md": talk("Beta")})
    path = site.root / "talks" / "a.md"
    stop = threading.Event()
    answers: list[int] = []

    def hammer() -> None:  # requests keep being answered during the burst
        while not stop.is_set():
            answers.append(site.get("/a/slides/")[0])

    reader = threading.Thread(target=hammer)
    reader.start()
    try:
        for i in range(50):
            if i % 2:
                path.write_text(talk("Alpha", f"save number {i}"))
            else:  # the other half the way many editors save: write a temp file, rename it over
                tmp = path.with_name(f".a.md.{i}.tmp")
                tmp.write_text(talk("Alpha", f"save number {i}"))
                os.replace(tmp, path)
            stop.wait(0.015)  # spread 50 saves over about 0.8 s
        site.wait_for_page("/a/slides/", "save number 49")
    finally:
        stop.set()
        reader.join()
    assert answers and set(answers) == {200}
    assert "save number 49" in site.get("/a/slides/")[1]
    assert site.status()["errors"] == []


def test_requests_are_answered_while_a_rebuild_runs(live: LiveFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    site = live({"talks/a.md": talk("Alpha")})
    entered, release = threading.Event(), threading.Event()
    real_build: Callable[[frozenset[str]], Site] = site.server.builder.build

    def slow_build(changes: frozenset[str] = frozenset()) -> Site:
        entered.set()
        assert release.wait(30)
        return real_build(changes)

    monkeypatch.setattr(site.server.builder, "build", slow_build)
    site.write("talks/a.md", talk("Alpha", "after the slow build"))
    assert entered.wait(15), "the rebuild did not start"
    status, body = site.get("/a/slides/")  # the old, complete site is still served
    assert status == 200 and "third" in body and "after the slow build" not in body
    release.set()
    site.wait_for_page("/a/slides/", "after the slow build")


def test_a_taken_port_moves_to_the_next_free_one_and_says_so(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": talk("Alpha")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines: list[str] = []
        with LiveServer(root, "127.0.0.1", port, report=lines.append) as server:
            assert not server.url.endswith(f":{port}/")
            assert any(f"port {port} is in use" in line for line in lines)


def test_byte_ranges_let_a_video_seek_before_it_has_loaded(live: LiveFactory) -> None:
    import urllib.error
    import urllib.request

    data = bytes(range(256)) * 40
    site = live({"talks/a/index.md": talk("Alpha", extra="\n[clip](clip.mp4)\n"), "talks/a/clip.mp4": data})

    def get(range_header: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(site.url + "a/clip.mp4", headers={"Range": range_header})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    status, headers, body = get("bytes=100-199")
    assert status == 206 and body == data[100:200] and headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    status, _, body = get("bytes=-10")
    assert status == 206 and body == data[-10:]
    status, _, body = get("bytes=10000-")
    assert status == 206 and body == data[10000:]
    status, headers, _ = get(f"bytes={len(data)}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"
