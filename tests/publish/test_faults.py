"""S3 misbehaving (500, 503 SlowDown, resets, stalls, lost responses): retries, then success or a clean stop."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import verify
from talkbuild.publish.events import FileDone

from .conftest import Deploy, done, site_files, write_site
from .faultproxy import FaultProxy, Plan

pytestmark = pytest.mark.s3


class Proxied(NamedTuple):
    deploy: Deploy
    direct: Deploy
    plan: list[Plan]
    proxy: FaultProxy
OPTIONS = {"max_attempts": 5, "connect_timeout": 1.0, "read_timeout": 1.0}


@pytest.fixture
def through_proxy(s3_endpoint: str, s3_bucket: str, tmp_path: Path) -> Iterator[Proxied]:
    """(a deploy that goes through the proxy, the same target reached directly, the proxy's plan slot)."""
    plan: list[Plan] = [lambda method, path, n: None]
    project = tmp_path / "project"
    project.mkdir()
    url = f"s3://{s3_bucket}/{uuid.uuid4().hex[:10]}"
    with FaultProxy(s3_endpoint, lambda m, p, n: plan[0](m, p, n), stall_seconds=2.5) as proxy:
        yield Proxied(Deploy("s3", url, project, proxy.url, dict(OPTIONS)), Deploy("s3", url, project, s3_endpoint),
                      plan, proxy)


def first_try_fails(faults: dict[str, str]) -> Plan:
    """Each listed key fails on its first PUT with the given fault; everything else passes.

    Keys are site paths inside the release, or "pointers/live.json"."""
    def key_of(path: str) -> str:
        if "/releases/" in path:
            return path.split("/releases/", 1)[1].split("/", 1)[1]
        return "pointers/live.json" if path.endswith("/pointers/live.json") else ""

    tried: set[str] = set()

    def plan(method: str, path: str, n: int) -> str | None:
        if method != "PUT" or path in tried:
            return None
        tried.add(path)
        return faults.get(key_of(path))
    return plan


def test_transient_faults_are_retried_and_the_publish_succeeds(
        through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, direct, plan, proxy = through_proxy
    done(deploy.publish(write_site(tmp_path / "v1", site_files(1))))
    plan[0] = first_try_fails({
        "index.html": "503", "static/style.css": "reset", "talks/t0/index.html": "stall",
        "talks/t0/handout.html": "500",
        # the pointer write lands but its answer is lost: the retry gets 412 and must recognise its own write
        "pointers/live.json": "drop-response",
    })
    start = len(proxy.seen)
    summary = done(deploy.publish(write_site(tmp_path / "v2", site_files(2))))
    assert summary.switched
    pointer = direct.pointer()
    assert pointer is not None and pointer.release_id == summary.release_id and pointer.seq == 2
    assert direct.served()["index.html"] == b"<h1>Talks v2</h1>"
    list(verify(direct.target()))
    seen = proxy.seen[start:]
    faulted = [s for s in seen if s.fault]
    assert len(faulted) == 5, [(s.path[-30:], s.fault) for s in faulted]
    for s in faulted:  # each was tried again, and the retry went through
        assert [t.fault for t in seen if t.method == "PUT" and t.path == s.path] == [s.fault, None]


def test_transient_faults_on_server_side_copies_are_retried(through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, direct, plan, proxy = through_proxy
    done(deploy.publish(write_site(tmp_path / "v1", site_files(1))))
    copies = {"static/style.css": "503", "static/deck.js": "reset", "talks/t1/img.png": "stall",
              "talks/t1/index.html": "500", "talks/t2/img.png": "drop-response"}
    plan[0] = first_try_fails(copies)
    start = len(proxy.seen)
    events = deploy.publish(write_site(tmp_path / "v2", site_files(2)))
    assert set(copies) <= {e.path for e in events if isinstance(e, FileDone) and e.action == "copy"}
    assert direct.served() == {k: v.encode() if isinstance(v, str) else v for k, v in site_files(2).items()}
    list(verify(direct.target()))
    seen = proxy.seen[start:]
    for s in [s for s in seen if s.fault]:
        assert [t.fault for t in seen if t.method == "PUT" and t.path == s.path] == [s.fault, None]


def test_a_copy_that_keeps_failing_stops_cleanly_with_the_pointer_untouched(
        through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, direct, plan, _ = through_proxy
    r1 = done(deploy.publish(write_site(tmp_path / "v1", site_files(1)))).release_id
    before = direct.snapshot()
    plan[0] = lambda method, path, n: "500" if method == "PUT" and path.endswith("/static/deck.js") else None
    deploy.options["max_attempts"] = 2
    with pytest.raises(TalkbuildError, match="copy .*deck.js failed") as err:
        deploy.publish(write_site(tmp_path / "v2", site_files(2)), jobs=2)
    assert "nothing was switched" in str(err.value)
    assert direct.pointer().release_id == r1  # type: ignore[union-attr]
    assert direct.served() == {k: v.encode() if isinstance(v, str) else v for k, v in site_files(1).items()}
    assert {k for k in direct.snapshot() if k.startswith("pointers/")} == {k for k in before if k.startswith("pointers/")}


def test_a_store_that_keeps_failing_stops_cleanly_with_the_pointer_untouched(
        through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, direct, plan, _ = through_proxy
    r1 = done(deploy.publish(write_site(tmp_path / "v1", site_files(1)))).release_id
    before = direct.snapshot()
    plan[0] = lambda method, path, n: "503" if method == "PUT" and "/releases/" in path else None
    deploy.options["max_attempts"] = 3
    with pytest.raises(TalkbuildError, match="failed") as err:
        deploy.publish(write_site(tmp_path / "v2", site_files(2)), jobs=2)
    assert "nothing was switched" in str(err.value)
    assert direct.pointer().release_id == r1  # type: ignore[union-attr]
    assert direct.snapshot() == before


def test_a_pointer_write_that_keeps_failing_leaves_the_old_release_live(
        through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, direct, plan, _ = through_proxy
    r1 = done(deploy.publish(write_site(tmp_path / "v1", site_files(1)))).release_id
    plan[0] = lambda method, path, n: "stall" if method == "PUT" and path.endswith("/pointers/live.json") else None
    deploy.options["max_attempts"] = 2
    with pytest.raises(TalkbuildError):
        deploy.publish(write_site(tmp_path / "v2", site_files(2)))
    assert direct.pointer().release_id == r1  # type: ignore[union-attr]
    assert direct.served()["index.html"] == b"<h1>Talks v1</h1>"


def test_bytes_on_the_wire_are_only_the_changed_files(
        through_proxy: Proxied, tmp_path: Path) -> None:
    deploy, proxy = through_proxy.deploy, through_proxy.proxy
    v1, v2 = site_files(1), site_files(2)
    done(deploy.publish(write_site(tmp_path / "v1", v1)))
    start = len(proxy.seen)
    events = deploy.publish(write_site(tmp_path / "v2", v2))
    rid = done(events).release_id
    puts = [s for s in proxy.seen[start:] if s.method == "PUT" and f"/releases/{rid}/" in s.path]
    changed = {k for k in v2 if v1[k] != v2[k]}
    assert {s.path.split(f"/releases/{rid}/")[1] for s in puts if s.body_bytes} == changed
    assert sum(s.body_bytes for s in puts) == sum(len(str(v2[k]).encode()) for k in changed)
    assert {e.path for e in events if isinstance(e, FileDone) and e.action == "copy"} == set(v2) - changed

