"""Prune may run while a publish or rollback switches a channel to an old release: never leave it on a pruned one.

Prune writes a tombstone, deletes a release's seal, re-reads the pointers, then deletes its files; publish and
rollback read the tombstone, the seal and the listing right after their switch (test_prune_tombstone.py holds
prune mid-way with the same content being published). The two interleavings that matter are forced here, on disk and on S3:
prune sees the switch (the seal is put back, nothing deleted), or the switch sees the prune (it is undone).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import PublishConflict, operations, prune, release, rollback, verify
from talkbuild.publish.catalog import load_manifest
from talkbuild.publish.events import Pruned
from talkbuild.publish.pointer import next_pointer, read_pointer, try_switch
from talkbuild.publish.stores.base import Store, manifest_key, pointer_key

from .conftest import Deploy, done, site_files, write_site


class Hooked:
    """The real store, with a callback run once around one kind of call (what the other process did then)."""

    def __init__(self, store: Store, when: str, key: str, action: Callable[[Store], None]) -> None:
        self._store, self._when, self._key, self._action = store, when, key, action
        self.fired = False

    def _fire(self) -> None:
        if not self.fired:
            self.fired = True
            self._action(self._store)

    def delete(self, keys: list[str]) -> None:
        self._store.delete(keys)
        if self._when == "after-delete" and self._key in keys:
            self._fire()

    def put_if(self, key: str, body: bytes, **kwargs: Any) -> bool:
        if self._when == "before-put" and key == self._key:
            self._fire()
        return self._store.put_if(key, body, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def three_releases(deploy: Deploy, tmp_path: Path) -> list[str]:
    """r1, r2, r3 published to live in turn: live is r3, its previous r2, so with --keep 1 r1 is prunable."""
    return [done(deploy.publish(write_site(tmp_path / f"r{n}", site_files(n)))).release_id for n in (1, 2, 3)]


def hook(monkeypatch: pytest.MonkeyPatch, module: Any, when: str, key: str,
         action: Callable[[Store], None]) -> list[Hooked]:
    made: list[Hooked] = []
    real = module.open_store

    def opened(*args: Any, **kwargs: Any) -> Hooked:
        made.append(Hooked(real(*args, **kwargs), when, key, action))
        return made[-1]

    monkeypatch.setattr(module, "open_store", opened)
    return made


def test_prune_keeps_a_release_a_channel_was_switched_to_while_it_was_deleting(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, _r3 = three_releases(deploy, tmp_path)

    def rollback_lands(store: Store) -> None:
        # A rollback that checked r1 (sealed, complete) before prune took its seal switches now.
        current, etag = read_pointer(store, "live")
        assert current is not None
        new = next_pointer(current, "live", r1, commit=None, branch=None, who="other", reason="rollback",
                           ci_run_url=None, locked=True)
        assert try_switch(store, new, etag)
        store.project("live", r1)

    stores = hook(monkeypatch, operations, "after-delete", manifest_key(r1), rollback_lands)
    events = list(prune(deploy.target(), keep=1))
    assert stores[0].fired and not [e for e in events if isinstance(e, Pruned)]
    monkeypatch.undo()
    store = deploy.store()
    try:
        assert load_manifest(store, r1) is not None, "the seal is back"
    finally:
        store.close()
    assert done(list(verify(deploy.target()))).message == "verified 12 files", "live on r1, every file there"


def prune_r1(r1: str) -> Callable[[Store], None]:
    def pruned(store: Store) -> None:
        # Prune passed its re-read of the pointers before this switch: seal and files go.
        store.delete([manifest_key(r1)])
        store.delete_release(r1)
    return pruned


def test_a_rollback_that_lands_on_a_release_being_pruned_is_undone(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    stores = hook(monkeypatch, operations, "before-put", pointer_key("live"), prune_r1(r1))
    with pytest.raises(TalkbuildError, match=f"release {r1} was pruned while channel 'live' was switched to it; "
                                             f"it is back on {r3}"):
        list(rollback(deploy.target(), to=r1))
    assert stores[0].fired
    monkeypatch.undo()
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == r3 and pointer.reason == "restore" and not pointer.locked
    assert done(list(verify(deploy.target()))).release_id == r3


def test_a_publish_that_lands_on_a_release_being_pruned_is_undone(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    stores = hook(monkeypatch, release, "before-put", pointer_key("live"), prune_r1(r1))
    with pytest.raises(PublishConflict, match=f"release {r1} was pruned while this publish switched to it; "
                                              f"channel 'live' is back on {r3}"):
        deploy.publish(tmp_path / "r1")  # the same content as r1: already sealed, so nothing is uploaded
    assert stores[0].fired
    monkeypatch.undo()
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == r3 and pointer.reason == "restore"
    assert done(list(verify(deploy.target()))).release_id == r3
    # Publishing again uploads r1 anew and makes it live.
    assert done(deploy.publish(tmp_path / "r1")).release_id == r1
    assert done(list(verify(deploy.target()))).release_id == r1
