"""The generated edge routing does what its Python reference says (run in node when it is installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from talkbuild.errors import ConfigError
from talkbuild.publish.routing import Routed, generate, route, viewer_cache_control

CASES = ["/", "/talks/intro/", "/talks/intro", "/static/style.css", "/talks/intro/img.png", "/a.b/c"]


@pytest.mark.parametrize(("uri", "expected"), [
    ("/", Routed(key="site/releases/abc/index.html")),
    ("/talks/intro/", Routed(key="site/releases/abc/talks/intro/index.html")),
    ("/talks/intro", Routed(redirect="/talks/intro/")),
    ("/static/style.css", Routed(key="site/releases/abc/static/style.css")),
])
def test_stable_urls_map_into_the_pointer_release(uri: str, expected: Routed) -> None:
    assert route(uri, "7:abc", "site/") == expected


def test_browsers_revalidate_unfingerprinted_files_behind_stable_urls() -> None:
    immutable = "public, max-age=31536000, immutable"
    assert viewer_cache_control("style.css", immutable) == "public, max-age=0, must-revalidate"
    assert viewer_cache_control("style.3f2a9c1d.css", immutable) == immutable


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
