"""What publish and prune say about a tombstone that still blocks a release, and what --dry-run lists.

A tombstone stamped in the future never expires and says so; one of a talkbuild before leases gives its
date and says it may be deleted by hand; prune names a release another prune holds and when to retry;
--dry-run lists a stopped prune's release once, and never one a channel keeps.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from talkbuild.publish import PublishConflict, prune
from talkbuild.publish.events import Pruned
from talkbuild.publish.stores.base import pruning_key

from .conftest import Deploy, done
from .test_prune_lease import clock_moves_on, tombstone
from .test_prune_race import three_releases
from .test_prune_tombstone import check_live_whole, plant_mark

YEAR = 365 * 24 * 3600.0


def stamp_in_the_future(deploy: Deploy, release_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`touch -d '+1 year'` on disk; on S3, whose stamps cannot be set, the store's clock reads a year earlier."""
    if deploy.kind == "file":
        path = Path(deploy.url.removeprefix("file://")) / pruning_key(release_id)
        os.utime(path, (time.time() + YEAR, time.time() + YEAR))
    else:
        clock_moves_on(monkeypatch, -YEAR)


def test_a_tombstone_stamped_in_the_future_is_reported_as_such_and_never_promised_to_expire(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    plant_mark(deploy, r1, lease_seconds=300)
    stamp_in_the_future(deploy, r1, monkeypatch)
    where = f"{deploy.url.rstrip('/')}/{pruning_key(r1)}"
    for _ in range(2):  # the same answer each time, not "about 5 min" again and again
        with pytest.raises(PublishConflict, match=f"a prune is removing release {r1} \\(this build's content\\), "
                                                  "or was") as refused:
            deploy.publish(tmp_path / "r1")
        hint = refused.value.hint or ""
        assert re.search(r"its time is in the future: the store stamped it 87[56]\d h \d+ min ahead", hint), hint
        assert f"delete {where} by hand if no prune is running" in hint, hint
        assert "expires in" not in hint

    for dry_run in (True, False):
        events = list(prune(deploy.target(), keep=1, dry_run=dry_run))
        assert not [e for e in events if isinstance(e, Pruned)], "nobody takes it over"
        message = done(events).message
        assert f"release {r1} is being removed by another prune (run by killed), or by one that was killed: " \
               "its time is in the future" in message, message
        assert f"delete {where} by hand if no prune is running" in message
    assert tombstone(deploy, r1) is not None
    check_live_whole(deploy, r3)


def test_an_old_format_tombstone_gives_its_date_and_says_it_may_be_deleted_by_hand(
        tmp_path: Path) -> None:
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    store = deploy.store()
    try:  # as the talkbuild of dfe1203 wrote it: no lease, never renewed
        body = json.dumps({"schema": 1, "release_id": r1, "since": time.time(), "who": "old"}).encode()
        assert store.put_if(pruning_key(r1), body, if_match=None, content_type="application/json",
                            cache_control="no-store")
    finally:
        store.close()
    with pytest.raises(PublishConflict, match=f"a prune is removing release {r1} .*, or was, run by old") as refused:
        deploy.publish(tmp_path / "r1")
    hint = refused.value.hint or ""
    assert re.search(r"it was written by a talkbuild older than leases, whose prunes never renew it, and expires in "
                     r"about (23 h 59|24 h 0) min \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by this machine's clock\); if no "
                     r"such prune is running, delete \S+ by hand", hint), hint
    assert "unless a running prune renews it" not in hint


def test_prune_names_a_release_another_prune_holds_and_when_to_run_again(deploy: Deploy, tmp_path: Path) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    plant_mark(deploy, r1, lease_seconds=300)  # a prune killed just now: its lease is live for 5 minutes
    for dry_run in (True, False):
        events = list(prune(deploy.target(), keep=1, dry_run=dry_run))
        assert not [e for e in events if isinstance(e, Pruned)]
        message = done(events).message
        assert re.search(f"release {r1} is being removed by another prune \\(run by killed\\), or by one that was "
                         f"killed: its lease \\S+{pruning_key(r1)} expires in about [45] min.*; run `talkbuild "
                         "prune` again after that to finish it", message), message
    assert tombstone(deploy, r1) is not None
    check_live_whole(deploy, r3)


def test_prune_dry_run_lists_a_stopped_prunes_sealed_release_once(tmp_path: Path) -> None:
    """Killed right after its tombstone: the release is still sealed and also beyond --keep."""
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    plant_mark(deploy, r1, lease_seconds=0)  # expired
    listed = list(prune(deploy.target(), keep=1, dry_run=True))
    assert [(e.release_id, e.resumed) for e in listed if isinstance(e, Pruned)] == [(r1, True)]
    assert done(listed).message.startswith("would finish the deletion of 1 release(s) a stopped prune left; "
                                           "nothing else to prune")
    events = list(prune(deploy.target(), keep=1))
    assert [(e.release_id, e.resumed) for e in events if isinstance(e, Pruned)] == [(r1, True)]
    check_live_whole(deploy, r3)


def test_prune_dry_run_does_not_list_a_stopped_prunes_release_a_channel_keeps(tmp_path: Path) -> None:
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    _r1, r2, r3 = three_releases(deploy, tmp_path)  # r2: live's previous
    plant_mark(deploy, r2, lease_seconds=0)
    for dry_run in (True, False):
        events = list(prune(deploy.target(), keep=1, dry_run=dry_run))
        assert r2 not in [e.release_id for e in events if isinstance(e, Pruned)]
    check_live_whole(deploy, r3)
