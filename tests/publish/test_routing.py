"""The generated edge routing does what its Python reference says (run in node when it is installed)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from talkbuild.errors import ConfigError
from talkbuild.publish.routing import Routed, generate, route, viewer_cache_control

from ..support import require

CASES = ["/", "/talks/intro/", "/talks/intro", "/static/style.css", "/talks/intro/img.png", "/a.b/c"]


@pytest.mark.parametrize(("uri", "expected"), [
    ("/", Routed(key="site/releases/abc/index.html")),
    ("/talks/intro/", Routed(key="site/releases/abc/talks/intro/index.html")),
    ("/talks/intro", Routed(redirect="/talks/intro/")),
    ("/static/style.css", Routed(key="site/releases/abc/static/style.css")),
])
def test_stable_urls_map_into_the_pointer_release(uri: str, expected: Routed) -> None:
    assert route(uri, "7:abc", "site/") == expected


IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
SHA = "3f2a9c1d" + "0" * 56


def test_browsers_revalidate_unfingerprinted_files_behind_stable_urls() -> None:
    assert viewer_cache_control("style.css", IMMUTABLE, SHA) == REVALIDATE
    assert viewer_cache_control("style.3f2a9c1d.css", IMMUTABLE, SHA) == IMMUTABLE
    # a name that only looks hashed (a date, another file's hash) can be edited in place: it must revalidate
    assert viewer_cache_control("house-20261130.css", IMMUTABLE, SHA) == REVALIDATE
    assert viewer_cache_control("style.3f2a9c1e.css", IMMUTABLE, SHA) == REVALIDATE
    assert viewer_cache_control("style.3f2a9c1d.css", IMMUTABLE, None) == REVALIDATE
    assert viewer_cache_control("index.html", REVALIDATE, SHA) == REVALIDATE


RESPONSE_CASES = [("style.3f2a9c1d.css", IMMUTABLE, SHA), ("style.3F2A9C1D.css", IMMUTABLE, SHA.upper()),
                  ("house-20261130.css", IMMUTABLE, SHA), ("style.3f2a9c1d.css", IMMUTABLE, None),
                  ("logo.png", IMMUTABLE, SHA), ("index.html", REVALIDATE, SHA)]


def test_the_viewer_response_function_matches_the_reference(tmp_path: Path) -> None:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed; the Python reference is tested above")
    code = generate("cloudfront-kvs", "s3://bucket/site").split("// ===== viewer-response.js =====")[1]
    code = code.split("# ===== sync-edge.sh =====")[0]
    runner = code + f"""
const cases = {json.dumps(RESPONSE_CASES)};
const out = cases.map(([name, cc, sha]) => {{
  const headers = {{ 'cache-control': {{ value: cc }} }};
  if (sha) headers['x-amz-meta-sha256'] = {{ value: sha }};
  return handler({{ request: {{ uri: '/talks/t/' + name }}, response: {{ headers }} }}).headers['cache-control'].value;
}});
console.log(JSON.stringify(out));
"""
    script = tmp_path / "fn.mjs"
    script.write_text(runner)
    got = json.loads(subprocess.run([node, str(script)], check=True, capture_output=True, text=True).stdout)
    assert got == [viewer_cache_control(name, cc, sha) for name, cc, sha in RESPONSE_CASES]
    assert got == [IMMUTABLE, IMMUTABLE, REVALIDATE, REVALIDATE, REVALIDATE, REVALIDATE]


@pytest.mark.s3
def test_release_objects_carry_what_the_edge_needs_to_decide_caching(s3_bucket: str, s3_endpoint: str,
                                                                      tmp_path: Path) -> None:
    """The viewer-response function reads each object's Cache-Control and x-amz-meta-sha256 as S3 serves
    them, for uploaded and for server-side copied files alike."""
    import boto3
    from botocore.config import Config

    from talkbuild.publish import BuildInfo, publish_site
    from talkbuild.publish.pointer import read_pointer
    from talkbuild.publish.stores import open_store

    css = b"p { color: red }\n"
    fingerprinted = f"app.{hashlib.sha256(css).hexdigest()[:10]}.css"
    site = {"index.html": b"<h1>v1</h1>", f"static/{fingerprinted}": css, "static/house-20261130.css": css}
    prefix = f"edge-{uuid.uuid4().hex[:8]}"
    for version in (1, 2):  # the second publish copies both stylesheets from the first release
        site["index.html"] = f"<h1>v{version}</h1>".encode()
        root = tmp_path / f"site{version}"
        for rel, data in site.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        list(publish_site(root, f"s3://{s3_bucket}/{prefix}", project_root=tmp_path, endpoint_url=s3_endpoint,
                          build=BuildInfo(actor="test")))
    store = open_store(f"s3://{s3_bucket}/{prefix}", tmp_path, endpoint_url=s3_endpoint)
    try:
        pointer = read_pointer(store, "live")[0]
    finally:
        store.close()
    assert pointer is not None
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}))
    viewer = {}
    for rel in site:
        got = client.get_object(Bucket=s3_bucket, Key=f"{prefix}/releases/{pointer.release_id}/{rel}")
        headers = got["ResponseMetadata"]["HTTPHeaders"]
        viewer[rel] = viewer_cache_control(rel.rsplit("/", 1)[-1], headers["cache-control"],
                                           headers.get("x-amz-meta-sha256"))
    assert viewer == {"index.html": REVALIDATE, f"static/{fingerprinted}": IMMUTABLE,
                      "static/house-20261130.css": REVALIDATE}


def test_the_cloudfront_function_matches_the_reference(tmp_path: Path) -> None:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed; the Python reference is tested above")
    code = generate("cloudfront-kvs", "s3://bucket/site").split("// ===== viewer-response.js =====")[0]
    code = code.replace("import cf from 'cloudfront';",
                        "const cf = { kvs: () => ({ get: async (k) => { if (k !== 'live') throw new Error(k);"
                        " return '7:abc'; } }) };")
    runner = code + f"""
const cases = {json.dumps(CASES)};
(async () => {{
  const out = [];
  for (const uri of cases) {{
    const r = await handler({{ request: {{ uri, headers: {{ host: {{ value: 'talks.example.org' }} }} }} }});
    out.push(r.statusCode ? {{ redirect: r.headers.location.value }} : {{ key: r.uri }});
  }}
  console.log(JSON.stringify(out));
}})();
"""
    script = tmp_path / "fn.mjs"
    script.write_text(runner)
    got = json.loads(subprocess.run([node, str(script)], check=True, capture_output=True, text=True).stdout)
    want = []
    for uri in CASES:
        r = route(uri, "7:abc", "site/")
        want.append({"redirect": r.redirect} if r.redirect else {"key": "/" + str(r.key)})
    assert got == want


def test_routing_kinds_and_targets_must_match() -> None:
    with pytest.raises(ConfigError, match="did you mean 'nginx'"):
        generate("ngnix", "file:///srv/talks")
    with pytest.raises(ConfigError, match="is for an s3:// target"):
        generate("origin-path", "file:///srv/talks")
    assert "OriginPath" in generate("origin-path", "s3://b/p") and "/p/releases/" in generate("origin-path", "s3://b/p")


FAKE_AWS = """#!{python}
import json, os, sys
with open(os.environ["AWS_LOG"], "a", encoding="utf-8") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
if args[:2] == ["s3", "cp"]:
    channel = args[2].rsplit("/", 1)[1].removesuffix(".json")
    print(json.dumps({{"seq": int(os.environ["POINTER_SEQ"]), "release_id": "rel-" + channel}}))
elif "get-key" in args:
    print(os.environ["EDGE_VALUE"])
elif "describe-key-value-store" in args:
    print("ETAG1")
"""


def run_sync_edge(tmp_path: Path, env: dict[str, str], edge: str = "3:old", seq: int = 5) -> list[list[str]]:
    script = generate("cloudfront-kvs", "s3://bucket/site").split("# ===== sync-edge.sh =====\n")[1]
    (tmp_path / "sync-edge.sh").write_text(script, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "aws").write_text(FAKE_AWS.format(python=sys.executable), encoding="utf-8")
    (bin_dir / "aws").chmod(0o755)
    log = tmp_path / "aws.jsonl"
    log.unlink(missing_ok=True)
    full = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "AWS_LOG": str(log), "EDGE_VALUE": edge,
            "POINTER_SEQ": str(seq), **env}
    subprocess.run(["sh", str(tmp_path / "sync-edge.sh")], check=True, env=full, capture_output=True, text=True)
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def test_sync_edge_follows_the_channel_and_target_it_is_run_for_and_only_moves_forward(tmp_path: Path) -> None:
    arn = {"KVS_ARN": "arn:aws:cloudfront::1:key-value-store/x"}
    calls = run_sync_edge(tmp_path, {**arn, "TALKBUILD_TARGET": "s3://bucket/site/", "CHANNEL": "pr-4"})
    assert calls[0] == ["s3", "cp", "s3://bucket/site/pointers/pr-4.json", "-"]
    assert calls[-1] == ["cloudfront-keyvaluestore", "put-key", "--kvs-arn", arn["KVS_ARN"], "--key", "pr-4",
                         "--value", "5:rel-pr-4", "--if-match", "ETAG1"]
    # by default: the channel and target it was generated for
    assert run_sync_edge(tmp_path, arn)[0] == ["s3", "cp", "s3://bucket/site/pointers/live.json", "-"]
    # never backwards: the edge already has a newer seq
    assert not any("put-key" in c for c in run_sync_edge(tmp_path, arn, edge="9:newer"))
    # another target (make ci's folder, previews in their own prefix) is not what this edge serves
    assert run_sync_edge(tmp_path, {"TALKBUILD_TARGET": "file://_deploy"}) == []
    assert run_sync_edge(tmp_path, {"TALKBUILD_TARGET": "s3://bucket/previews", "CHANNEL": "pr-4"}) == []


PREFIX = "/rse-w%C3%B6rkshop/2026/"


def test_the_nginx_config_serves_the_site_under_the_public_urls_path(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from talkbuild.cli import main as cli
    from talkbuild.config import site_url

    config = generate("nginx", "/srv/talks", site_url=site_url("https://events.example.org/rse-wörkshop/2026"))
    # nginx matches locations and error_page against the percent-decoded path
    assert config.count("location /rse-wörkshop/2026/ {") == 2  # live and previews
    assert config.count("error_page 404 /rse-wörkshop/2026/404.html;") == 2
    assert "alias /srv/talks/current/;" in config and "alias /srv/talks/channels/$channel/;" in config
    assert "server_name events.example.org;" in config and "location / " not in config
    # `talkbuild routing` takes the path and host from the project's publish.public_url
    project = tmp_path / "p"
    project.mkdir()
    (project / "talkbuild.yml").write_text("title: S\npublish:\n  public_url: https://events.example.org/rse-wörkshop/"
                                           "2026\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["routing", "-C", str(project), "--target", "file:///srv/talks"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and result.output == config
    with pytest.raises(ConfigError, match="nginx reads as syntax"):
        generate("nginx", "/srv/talks", site_url=site_url("https://events.example.org/a b;/"))


def _get(port: int, host: str, path: str) -> tuple[int, str, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize("public_url", ["https://events.example.org/rse-wörkshop/2026", None])
def test_nginx_serves_the_site_and_its_404_page_from_the_generated_config(
        make_project: Callable[..., Path], tmp_path: Path, public_url: str | None) -> None:
    """A real nginx with the generated config: the 404 page's stylesheet and "All talks" link lead somewhere,
    for the live channel and a preview, under the path of publish.public_url or at the root."""
    import re
    import socket

    from talkbuild.build import BuildOptions, build
    from talkbuild.config import load_config

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    require(nginx, "nginx is not installed (apt-get install nginx-light; .ci/run does)")
    assert nginx
    yml = "title: S\n" + (f"publish:\n  public_url: {public_url}\n" if public_url else "")
    root = make_project({"talkbuild.yml": yml, "talks/a.md": "---\ntitle: A\n---\n\n## S\n\nx\n"}, tmp_path / "p")
    deploy = tmp_path / "deploy"
    build(load_config(root), BuildOptions(out_dir=deploy / "releases/r1", jobs=1, use_cache=False))
    (deploy / "current").symlink_to("releases/r1")
    (deploy / "channels").mkdir()
    (deploy / "channels/pr-4").symlink_to("../releases/r1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    servers = generate("nginx", f"file://{deploy}", site_url=load_config(root).publish.site_url)
    (tmp_path / "nginx.conf").write_text(
        f"daemon on; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; user root;\n"
        f"events {{}}\nhttp {{\n  access_log off; client_body_temp_path {tmp_path}/tmp;\n"
        + servers.replace("listen 80;", f"listen 127.0.0.1:{port};") + "}\n", encoding="utf-8")
    # In daemon mode nginx listens before its first process returns: no waiting for the port.
    subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], check=True)
    try:
        prefix = PREFIX if public_url else "/"
        for host in ("events.example.org" if public_url else "talks.example.org", "pr-4.preview.example.org"):
            status, _, body = _get(port, host, prefix)
            assert status == 200 and ">A</a>" in body
            assert _get(port, host, prefix + "a/slides/")[0] == 200
            assert _get(port, host, prefix + "a")[:2] == (301, f"http://{host}:{port}{prefix}a/")
            status, _, missing = _get(port, host, prefix + "gone/talk/")
            assert status == 404 and "Page not found" in missing
            hrefs = re.findall(r'href="(/[^"]*)"', missing)
            assert f"{prefix}_talkbuild/talkbuild.css" in hrefs and f"{prefix}index.html" in hrefs
            assert all(_get(port, host, href)[0] == 200 for href in hrefs), hrefs
            if public_url:
                assert _get(port, host, PREFIX.rstrip("/"))[:2] == (301, f"http://{host}:{port}{PREFIX}")
                assert _get(port, host, "/elsewhere/")[0] == 404
    finally:
        subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-s", "stop"], check=True)
