"""An S3 endpoint without http:// or https:// is a usage error naming where it was written, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TALKBUILD = str(Path(sys.executable).parent / "talkbuild")


def talkbuild(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TALKBUILD, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("written", "fixed"), [("127.0.0.1:23470", "http://127.0.0.1:23470"),
                                                ("ftp://127.0.0.1:23470", "http://127.0.0.1:23470"),
                                                ("localhost:8333", "http://localhost:8333")])
def test_a_bad_endpoint_in_talkbuild_yml_names_its_line_and_the_fix(tmp_path: Path, written: str, fixed: str) -> None:
    (tmp_path / "talkbuild.yml").write_text(
        f"title: T\npublish:\n  target: s3://bucket/site\n  endpoint_url: {written}\n", encoding="utf-8")
    for command in (["releases"], ["publish"], ["rollback"], ["verify"], ["prune", "--keep", "3"]):
        done = talkbuild(*command, cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr and "unreachable" not in done.stderr
        assert f"talkbuild.yml:4: publish.endpoint_url '{written}' is not an http:// or https:// URL" in done.stderr
        assert f"write {fixed}" in done.stderr


@pytest.mark.parametrize("written", ["127.0.0.1:23470", "ftp://127.0.0.1:23470"])
def test_a_bad_endpoint_option_is_a_usage_error(tmp_path: Path, written: str) -> None:
    (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
    done = talkbuild("releases", "--endpoint-url", written, "--json", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"--endpoint-url '{written}' is not an http:// or https:// URL" in done.stderr
    assert '"event": "Error"' in done.stdout


def test_a_good_endpoint_is_accepted(tmp_path: Path) -> None:
    from talkbuild.config import endpoint_url_problem, load_config

    (tmp_path / "talkbuild.yml").write_text("publish:\n  endpoint_url: https://s3.example.org:9000/\n",
                                            encoding="utf-8")
    assert load_config(tmp_path).publish.endpoint_url == "https://s3.example.org:9000/"
    assert endpoint_url_problem("http://127.0.0.1:8333", "x") is None


ODD = [("http://[::1", "is not a valid URL (Invalid IPv6 URL)", "http://[::1]:8333"),
       ("", "is empty", "write the store's address, e.g. http://127.0.0.1:8333"),
       ("http://", "has no host", "write the store's address, e.g. http://127.0.0.1:8333"),
       ("http://127.0.0.1:23470?x=1", "has a query or fragment", "write only scheme, host, port (and path): "
                                                                 "http://127.0.0.1:23470"),
       ("http://127.0.0.1:99999", "is not a valid URL (Port out of range", "a port is a number from 1 to 65535"),
       ("http://h h:1", "has a space in it", "write the store's address, e.g. http://127.0.0.1:8333"),
       ("http://a\\b:1", "has '\\\\' in it", "write the store's address, e.g. http://127.0.0.1:8333")]


def test_an_endpoint_with_credentials_in_it_is_refused_without_echoing_them(tmp_path: Path) -> None:
    (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
    done = talkbuild("releases", "--endpoint-url", "http://user:SEKRIT@127.0.0.1:1", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "has a user name or password in it" in done.stderr and "SEKRIT" not in done.stderr


@pytest.mark.parametrize(("written", "problem", "hint"), ODD)
def test_odd_endpoints_are_usage_errors_with_a_fitting_hint(tmp_path: Path, written: str, problem: str,
                                                            hint: str) -> None:
    (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
    done = talkbuild("releases", "--endpoint-url", written, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert (f"--endpoint-url {written!r} {problem}" if written else "--endpoint-url is empty") in done.stderr
    assert problem in done.stderr and hint in done.stderr and "unreachable" not in done.stderr
    assert "write http://..." not in done.stderr and "write http://\n" not in done.stderr
    if written:  # the same in talkbuild.yml names its line
        (tmp_path / "talkbuild.yml").write_text(
            f"publish:\n  target: s3://bucket/site\n  endpoint_url: '{written}'\n", encoding="utf-8")
        done = talkbuild("releases", cwd=tmp_path)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert "talkbuild.yml:3: publish.endpoint_url" in done.stderr and problem in done.stderr


@pytest.mark.parametrize("name", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"])
def test_a_bad_endpoint_in_the_environment_is_a_usage_error(tmp_path: Path, name: str) -> None:
    import os

    (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env[name] = "127.0.0.1:23470"
    done = subprocess.run([TALKBUILD, "releases"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{name} (environment) '127.0.0.1:23470' is not an http:// or https:// URL" in done.stderr
    assert "write http://127.0.0.1:23470" in done.stderr and f"unset {name}" in done.stderr


@pytest.mark.s3
def test_a_store_named_by_the_environment_is_the_one_summaries_link_to(s3_bucket: str, s3_endpoint: str,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    from talkbuild.publish.stores import open_store

    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_endpoint)
    store = open_store(f"s3://{s3_bucket}/site", tmp_path)
    try:
        assert store.release_url("live", "abc") == f"{s3_endpoint.rstrip('/')}/{s3_bucket}/site/releases/abc/index.html"
    finally:
        store.close()


def test_an_endpoint_that_is_no_s3_store_is_a_one_line_error_not_a_traceback(tmp_path: Path) -> None:
    # A web server (or anything answering 200 to every request) given as the endpoint: its answers have no ETag.
    import http.server
    import threading

    class Everything(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "13")
            self.end_headers()
            self.wfile.write(b"<p>hello</p>\n")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Everything)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
        (tmp_path / "talks").mkdir()
        (tmp_path / "talks" / "a.md").write_text("---\ntitle: A\n---\n\n## One\n\nText.\n", encoding="utf-8")
        assert talkbuild("build", cwd=tmp_path).returncode == 0
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        done = subprocess.run([TALKBUILD, "publish", "--endpoint-url", endpoint], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60,
                              env={**__import__("os").environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"})
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "KeyError" not in done.stderr
    assert "without ETag: it is not an S3-compatible store" in done.stderr
