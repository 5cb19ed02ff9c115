"""A publish of the same content as a release being pruned (a revert reuses the id) never ends on a pruned release.

Prune runs in a thread and is held inside delete_release (its seal already deleted, its pointer re-read done),
the way a slow listing or a network retry holds it; publish runs in the test's thread. Both orders are forced,
on disk and on S3: publish starting while prune is held is refused; publish that started just before prune's
tombstone re-seals, switches, sees the tombstone and switches back. Either way live stays complete.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import PublishConflict, operations, prune, release, rollback, verify
from talkbuild.publish.catalog import load_manifest
from talkbuild.publish.events import Pruned
from talkbuild.publish.stores.base import Store, pruning_key

from .conftest import Deploy, done
from .test_prune_race import three_releases


def plant_mark(deploy: Deploy, release_id: str, lease_seconds: float) -> None:
    """A tombstone as a prune that was killed just now left it, granted `lease_seconds` (0: expired now;
    below minus a day: expired a day ago). Its age is the store's, so this is how a test makes one old."""
    store = deploy.store()
    try:
        mark = json.dumps({"schema": 2, "release_id": release_id, "since": time.time(), "who": "killed",
                           "token": "planted", "lease_seconds": lease_seconds}).encode()
        assert store.put_if(pruning_key(release_id), mark, if_match=None, content_type="application/json",
                            cache_control="no-store")
    finally:
        store.close()


class HeldPrune:
    """`prune --keep 1` in a thread, held in delete_release until `go` is set."""

    def __init__(self, deploy: Deploy, monkeypatch: pytest.MonkeyPatch) -> None:
        self.held, self.go = threading.Event(), threading.Event()
        self.events: list[Any] = []
        self.error: BaseException | None = None
        real = operations.open_store
        outer = self

        class Holding:
            def __init__(self, store: Store) -> None:
                self._store = store

            def delete_release(self, release_id: str, checkpoint: Any = None) -> None:
                outer.held.set()
                assert outer.go.wait(60)
                self._store.delete_release(release_id, checkpoint)

            def __getattr__(self, name: str) -> Any:
                return getattr(self._store, name)

        monkeypatch.setattr(operations, "open_store", lambda *a, **k: Holding(real(*a, **k)))
        self.thread = threading.Thread(target=self._run, args=(deploy,), daemon=True)

    def _run(self, deploy: Deploy) -> None:
        try:
            self.events = list(prune(deploy.target(), keep=1))
        except BaseException as exc:  # noqa: BLE001 - reported by finish()
            self.error = exc
        finally:
            self.held.set()

    def start(self) -> None:
        self.thread.start()
        assert self.held.wait(60), "prune never reached delete_release"

    def finish(self) -> list[Any]:
        self.go.set()
        self.thread.join(60)
        assert not self.thread.is_alive()
        if self.error:
            raise self.error
        return self.events


def check_live_whole(deploy: Deploy, release_id: str) -> None:
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == release_id
    assert done(list(verify(deploy.target()))).message == "verified 12 files"


def test_a_publish_of_a_release_being_pruned_is_refused_until_the_prune_is_done(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    held = HeldPrune(deploy, monkeypatch)
    held.start()  # r1: tombstone written, seal deleted, pointers read; its files about to go
    with pytest.raises(PublishConflict, match=f"a prune is removing release {r1}"):
        deploy.publish(tmp_path / "r1")
    with pytest.raises(TalkbuildError, match=f"a prune is removing release {r1}"):
        list(rollback(deploy.target(), to=r1))
    pruned = [e.release_id for e in held.finish() if isinstance(e, Pruned)]
    assert pruned == [r1]
    check_live_whole(deploy, r3)
    store = deploy.store()
    try:
        assert store.get(pruning_key(r1)) is None, "the tombstone goes with the prune"
    finally:
        store.close()
    assert done(deploy.publish(tmp_path / "r1")).release_id == r1, "once it is done, publishing works again"
    check_live_whole(deploy, r1)


def test_a_publish_that_resealed_a_release_being_pruned_switches_back(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data-loss race: publish passes its tombstone check, then prune starts on the same id; publish finds
    the seal gone, uploads, seals again, switches, and must not take its own seal for proof."""
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    held = HeldPrune(deploy, monkeypatch)
    real = release.open_store

    class StartPruneAfterCheck:
        def __init__(self, store: Store) -> None:
            self._store = store

        def get_aged(self, key: str) -> Any:
            got = self._store.get_aged(key)
            if key == pruning_key(r1) and not held.thread.is_alive() and not held.held.is_set():
                held.start()  # the check said "no prune"; now one starts on r1 and is held mid-way
            return got

        def __getattr__(self, name: str) -> Any:
            return getattr(self._store, name)

    monkeypatch.setattr(release, "open_store", lambda *a, **k: StartPruneAfterCheck(real(*a, **k)))
    with pytest.raises(PublishConflict, match=f"a prune was removing release {r1} while this publish switched "
                                              f"to it; channel 'live' is back on {r3}"):
        deploy.publish(tmp_path / "r1")
    assert held.held.is_set()
    pruned = [e.release_id for e in held.finish() if isinstance(e, Pruned)]
    assert pruned == [r1]
    pointer = deploy.pointer()
    assert pointer is not None and pointer.reason == "restore"
    check_live_whole(deploy, r3)
    store = deploy.store()
    try:
        assert load_manifest(store, r1) is None, "no seal left over files that are gone"
    finally:
        store.close()
    monkeypatch.undo()
    assert done(deploy.publish(tmp_path / "r1")).release_id == r1
    check_live_whole(deploy, r1)


def test_a_tombstone_whose_lease_expired_a_day_ago_no_longer_blocks_publish(deploy: Deploy, tmp_path: Path) -> None:
    """For a target no prune runs on any more: the way on without `talkbuild prune` (or deleting it by hand)."""
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    plant_mark(deploy, r1, lease_seconds=-25 * 3600)
    assert done(deploy.publish(tmp_path / "r1")).release_id == r1, "a stale tombstone does not block"
    check_live_whole(deploy, r1)
    store = deploy.store()
    try:
        assert store.get(pruning_key(r1)) is None, "and publish clears it"
    finally:
        store.close()


def test_a_killed_prunes_mark_on_a_release_a_channel_keeps_is_cleared_by_the_next_prune(
        deploy: Deploy, tmp_path: Path) -> None:
    _r1, r2, _r3 = three_releases(deploy, tmp_path)  # r2: live's previous, which no prune deletes
    plant_mark(deploy, r2, lease_seconds=0)  # expired: that prune stopped
    with pytest.raises(PublishConflict, match=f"a prune stopped before it finished removing release {r2}") as refused:
        deploy.publish(tmp_path / "r2")  # a revert to the previous release
    assert refused.value.hint is not None and "run `talkbuild prune`" in refused.value.hint
    events = list(prune(deploy.target(), keep=1))  # takes the lease over, finds r2 is a channel's: keeps it
    assert r2 not in [e.release_id for e in events if isinstance(e, Pruned)]
    store = deploy.store()
    try:
        assert store.get(pruning_key(r2)) is None and load_manifest(store, r2) is not None, "cleared, seal back"
    finally:
        store.close()
    assert done(deploy.publish(tmp_path / "r2")).release_id == r2
    check_live_whole(deploy, r2)


def test_a_stale_tombstone_that_publish_may_not_delete_does_not_block_it(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview role has no s3:DeleteObject on pruning/: a lease expired a day ago is ignored all the same."""
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    plant_mark(deploy, r1, lease_seconds=-25 * 3600)
    real = release.open_store

    class NoDelete:
        def __init__(self, inner: Store) -> None:
            self._store = inner

        def delete(self, keys: list[str]) -> None:
            if any(k.startswith("pruning/") for k in keys):
                raise TalkbuildError("AccessDenied: s3:DeleteObject")
            self._store.delete(keys)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._store, name)

    monkeypatch.setattr(release, "open_store", lambda *a, **k: NoDelete(real(*a, **k)))
    assert done(deploy.publish(tmp_path / "r1")).release_id == r1
    check_live_whole(deploy, r1)
