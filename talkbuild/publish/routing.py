"""Generated configs that route a site's stable URLs to the release a channel's pointer names.

Each release is browsable as-is under `releases/<id>/` (all site URLs are relative). These generators
give visitors stable URLs on top: see docs/deploy.md "Routing" for the trade-offs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import ConfigError, did_you_mean
from .content_types import is_fingerprinted
from .stores.base import LIVE


@dataclass(frozen=True, slots=True)
class Routed:
    """Where a stable URL goes: a key in the bucket, or a redirect (a folder without its trailing slash)."""

    key: str | None = None
    redirect: str | None = None


def route(uri: str, kvs_value: str, prefix: str = "") -> Routed:
    """The reference of what the generated CloudFront Function does (tests compare the two)."""
    release_id = kvs_value.split(":", 1)[-1]
    last = uri.rsplit("/", 1)[-1]
    if uri.endswith("/"):
        uri += "index.html"
    elif "." not in last:
        return Routed(redirect=uri + "/")
    return Routed(key=f"{prefix}releases/{release_id}{uri}")


_VIEWER_REQUEST = """\
// talkbuild: CloudFront Function (runtime cloudfront-js-2.0), event type viewer-request.
// Associate the KeyValueStore kept in sync from the pointer (see sync-edge.sh). Its key {channel_json}
// holds "<seq>:<release id>". The rewritten URI names the release, so edge caches never mix releases and
// a switch needs no invalidation.
import cf from 'cloudfront';

const kvs = cf.kvs();
const PREFIX = {prefix_json};          // the bucket prefix of the target, '' for the bucket's root
const CHANNEL = {channel_json};        // the channel this distribution serves
const PREVIEW_SUFFIX = {preview_json}; // e.g. '.preview.example.org': pr-42.preview.example.org -> channel pr-42

async function handler(event) {{
  const request = event.request;
  let uri = request.uri;
  let channel = CHANNEL;
  const host = (request.headers.host && request.headers.host.value) || '';
  if (PREVIEW_SUFFIX && host.endsWith(PREVIEW_SUFFIX)) {{
    channel = host.slice(0, -PREVIEW_SUFFIX.length);
  }}
  let value;
  try {{
    value = await kvs.get(channel);
  }} catch (err) {{
    return {{ statusCode: 404, statusDescription: 'Not Found' }};
  }}
  const releaseId = value.slice(value.indexOf(':') + 1);
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  if (uri.endsWith('/')) {{
    uri += 'index.html';
  }} else if (!last.includes('.')) {{
    // a folder without its slash: redirect, so the page's relative links resolve against the folder
    return {{ statusCode: 301, statusDescription: 'Moved Permanently',
             headers: {{ location: {{ value: uri + '/' }} }} }};
  }}
  request.uri = '/' + PREFIX + 'releases/' + releaseId + uri;
  return request;
}}
"""

_VIEWER_RESPONSE = """\
// talkbuild: CloudFront Function (runtime cloudfront-js-2.0), event type viewer-response.
// Release files are immutable under their release URL, but visitors reach them through stable URLs
// that change meaning on every switch: let browsers revalidate, unless the name is fingerprinted with the
// start of the file's own sha256 (x-amz-meta-sha256, which talkbuild stores on every release object).
const FINGERPRINT = /[.-]([0-9a-f]{8,})\\.[a-z0-9]+$/;

function handler(event) {
  const response = event.response;
  const name = event.request.uri.slice(event.request.uri.lastIndexOf('/') + 1).toLowerCase();
  const cc = response.headers['cache-control'];
  const sha = response.headers['x-amz-meta-sha256'];
  const hash = FINGERPRINT.exec(name);
  const fingerprinted = Boolean(hash && sha && sha.value.toLowerCase().startsWith(hash[1]));
  if (cc && cc.value.includes('immutable') && !fingerprinted) {
    response.headers['cache-control'] = { value: 'public, max-age=0, must-revalidate' };
  }
  return response;
}
"""

_EDGE_GUARD = """\
TARGET=${{TALKBUILD_TARGET:-{target}}}
TARGET=${{TARGET%/}}
CHANNEL=${{CHANNEL:-{channel}}}
# `make deploy` / `make rollback` run this for every target and channel (make ci's _deploy, previews in
# their own prefix...): only what this edge serves is synced, the rest is left alone.
if [ "$TARGET" != "{target}" ]; then echo "sync-edge: this edge serves {target}, not $TARGET: nothing to do"; exit 0; fi
"""

_SYNC_KVS = """\
#!/bin/sh
# talkbuild: copy a channel's pointer into the CloudFront KeyValueStore. Idempotent; never moves the
# edge backwards (the value carries the pointer's sequence number). Save it as ./sync-edge.sh (chmod +x)
# in the talks repository: `make deploy` and `make rollback` run it after every verified switch, with
# TALKBUILD_TARGET and CHANNEL (default {channel}) set. Run it from a schedule too: it repairs a job that
# died between the pointer switch and the sync.
set -eu
{guard}: "${{KVS_ARN:?set KVS_ARN to the KeyValueStore ARN}}"
NEW=$(aws s3 cp "$TARGET/pointers/$CHANNEL.json" - \\
  | python3 -c 'import json,sys; p=json.load(sys.stdin); print("%d:%s" % (p["seq"], p["release_id"]))')
CUR=$(aws cloudfront-keyvaluestore get-key --kvs-arn "$KVS_ARN" --key "$CHANNEL" --query Value --output text 2>/dev/null || echo "0:")
if [ "${{CUR%%:*}}" -ge "${{NEW%%:*}}" ]; then echo "edge already at $CUR"; exit 0; fi
ETAG=$(aws cloudfront-keyvaluestore describe-key-value-store --kvs-arn "$KVS_ARN" --query ETag --output text)
aws cloudfront-keyvaluestore put-key --kvs-arn "$KVS_ARN" --key "$CHANNEL" --value "$NEW" --if-match "$ETAG" >/dev/null
echo "edge now at $NEW"
"""

_ORIGIN_PATH = """\
#!/bin/sh
# talkbuild: point a CloudFront distribution's S3 origin at the {channel} pointer's release (origin-path
# switch), then invalidate everything. Simple, but takes minutes and serves a mix while edges update.
# Save it as ./sync-edge.sh (chmod +x): `make deploy` and `make rollback` run it after every verified
# switch; it acts only for channel {channel} of {target} (a distribution serves one channel).
set -eu
{guard}if [ "$CHANNEL" != "{channel}" ]; then echo "sync-edge: this distribution serves channel {channel}, not $CHANNEL"; exit 0; fi
: "${{DISTRIBUTION_ID:?set DISTRIBUTION_ID}}"
RELEASE=$(aws s3 cp "$TARGET/pointers/$CHANNEL.json" - | python3 -c 'import json,sys; print(json.load(sys.stdin)["release_id"])')
aws cloudfront get-distribution-config --id "$DISTRIBUTION_ID" > dist.json
ETAG=$(python3 -c 'import json; print(json.load(open("dist.json"))["ETag"])')
python3 - "$RELEASE" <<'PY'
import json, sys
d = json.load(open("dist.json"))["DistributionConfig"]
for origin in d["Origins"]["Items"]:
    origin["OriginPath"] = "/{prefix}releases/" + sys.argv[1]
json.dump(d, open("dist-new.json", "w"))
PY
aws cloudfront update-distribution --id "$DISTRIBUTION_ID" --if-match "$ETAG" \\
  --distribution-config file://dist-new.json >/dev/null
aws cloudfront wait distribution-deployed --id "$DISTRIBUTION_ID"
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths '/*' >/dev/null
echo "origin now at releases/$RELEASE"
"""

_NGINX = """\
# talkbuild: serve the live channel of {root}{at} (the `current` link is swapped atomically by rename).
server {{
    listen 80;
    server_name {host};
    index index.html;
    # the site's own 404 page (its links start from {prefix}, the path of publish.public_url), with status 404
    error_page 404 {prefix}404.html;
    # nginx resolves the link per request; do not cache open files across a switch
    open_file_cache off;
{live}}}
# previews: {root}/channels/<name> links, e.g. pr-42.preview.example.org{prefix_shown}
server {{
    listen 80;
    server_name ~^(?<channel>[a-z0-9][a-z0-9._-]*)\\.preview\\.example\\.org$;
    index index.html;
    error_page 404 {prefix}404.html;
    open_file_cache off;
{preview}}}
"""

_AT_ROOT = """\
    root {folder};
    location / {{
        try_files $uri $uri/ =404;
        add_header Cache-Control "{cache}";
    }}
"""

# `alias`, not `root`: the release's files are at the folder's top, not under the prefix. No try_files, which
# misreads $uri with alias; the static module answers a folder without its slash with a redirect by itself.
_UNDER_PREFIX = """\
    location = {bare} {{ return 301 {encoded}; }}
    location {prefix} {{
        alias {folder}/;
        add_header Cache-Control "{cache}";
    }}
"""


_NGINX_SPECIAL = set(" \t\n;{}\"'$\\#")
"""Characters of a path that nginx's config would read as syntax (or a variable) rather than as the path."""


def _nginx(root: Path, site_url: str | None) -> str:
    """The nginx config for a folder target; with publish.public_url (`site_url`), its host and its path."""
    parts = urlsplit(site_url) if site_url else None
    # nginx matches locations (and error_page's URI) against the percent-decoded path: /rse-wörkshop/, in UTF-8
    prefix = unquote(parts.path) if parts and parts.path.strip("/") else "/"
    if any(c in prefix for c in _NGINX_SPECIAL):
        raise ConfigError(f"the path of publish.public_url ({prefix}) has a character that nginx reads as syntax",
                          hint="serve the site under a path of letters, digits, '-', '_', '.' and '/'")
    host = parts.hostname if parts and parts.hostname else "talks.example.org"
    block = _AT_ROOT if prefix == "/" else _UNDER_PREFIX

    def serve(folder: str, cache: str) -> str:
        return block.format(folder=folder, cache=cache, prefix=prefix, bare=prefix.rstrip("/"),
                            encoded=parts.path if parts else prefix)

    return _NGINX.format(root=root, at=f" at {site_url}" if site_url else "", host=host, prefix=prefix,
                         prefix_shown=f", under {prefix} as live is" if prefix != "/" else "",
                         live=serve(f"{root}/current", "public, max-age=0, must-revalidate"),
                         preview=serve(f"{root}/channels/$channel", "no-cache"))


KINDS = ("cloudfront-kvs", "origin-path", "nginx")


def generate(kind: str, target: str, *, channel: str = LIVE, preview_suffix: str = "",
             project_root: Path | None = None, site_url: str | None = None) -> str:
    """The config (or script) for one routing kind, for this target and channel; `site_url`: publish.public_url
    as config's `site_url` has it (the site is served under its path, as the 404 page's links expect)."""
    if kind not in KINDS:
        raise ConfigError(f"unknown routing kind '{kind}'", hint=did_you_mean(kind, KINDS) or ", ".join(KINDS))
    parts = urlsplit(target if "://" in target else "file://" + target)
    if kind == "nginx":
        if parts.scheme != "file":
            raise ConfigError("the nginx config is for a file:// target", hint="use --kind cloudfront-kvs for S3")
        path = Path(parts.netloc + parts.path) if parts.netloc else Path(parts.path)
        root = path if path.is_absolute() else (project_root or Path.cwd()) / path
        return _nginx(root.resolve(), site_url)
    if parts.scheme != "s3":
        raise ConfigError(f"'{kind}' routing is for an s3:// target", hint="use --kind nginx for a folder")
    prefix = parts.path.strip("/") + "/" if parts.path.strip("/") else ""
    bare = f"s3://{parts.netloc}/{prefix}".rstrip("/")
    guard = _EDGE_GUARD.format(target=bare, channel=channel)
    if kind == "origin-path":
        return _ORIGIN_PATH.format(channel=channel, target=bare, prefix=prefix, guard=guard)
    function = _VIEWER_REQUEST.format(prefix_json=json.dumps(prefix), channel_json=json.dumps(channel),
                                      preview_json=json.dumps(preview_suffix))
    return ("// ===== viewer-request.js =====\n" + function + "\n// ===== viewer-response.js =====\n"
            + _VIEWER_RESPONSE + "\n# ===== sync-edge.sh =====\n"
            + _SYNC_KVS.format(channel=channel, guard=guard))


def viewer_cache_control(name: str, cache_control: str, sha256: str | None) -> str:
    """The reference of the generated viewer-response function (`sha256`: the object's x-amz-meta-sha256)."""
    if "immutable" in cache_control and not is_fingerprinted(name, sha256):
        return "public, max-age=0, must-revalidate"
    return cache_control
