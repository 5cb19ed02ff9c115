"""`prune`: delete old releases, each under a lease on its tombstone, and finish what a stopped prune left."""

from __future__ import annotations

import time
from collections.abc import Iterator

from ..errors import TalkbuildError
from .catalog import all_pointers, list_releases
from .content_types import NO_STORE
from .events import Done, Event, Pruned
from .lease import Lease
from .manifest import build_info
from .operations import Target
from .pointer import JSON
from .release import crash_point
from .stores.base import Store, manifest_key, pruning_key, release_prefix
from .tombstone import held_message, marked, read_lease


def prune(target: Target, *, keep: int, grace_hours: float = 24.0, dry_run: bool = False,
          now: float | None = None) -> Iterator[Event]:
    """Delete sealed releases beyond the newest `keep` and unsealed ones older than the grace period.

    Never deletes a release a channel points at, or the one it pointed at before (the rollback target).
    First it finishes the deletions of prunes that stopped half-way (their lease expired).
    """
    if keep < 1:
        raise TalkbuildError("--keep must be at least 1")
    store = target.open()
    try:
        now = time.time() if now is None else now
        who = build_info(target.project_root).actor
        if not dry_run:
            _settle_set_aside(store)
        resumed = 0
        tombstoned: set[str] = set()
        busy: list[str] = []
        for event in _finish_abandoned(store, who, dry_run, tombstoned, busy):
            resumed += 1
            yield event
        pruned = 0
        sealed_kept = 0
        for info in list_releases(store):
            if info.release_id in tombstoned:
                # Finished above (or would be with --dry-run), kept as a channel's, or another prune's to
                # finish: never listed twice, and never counted among the releases kept.
                continue
            if info.sealed:
                sealed_kept += 1
                if sealed_kept <= keep:
                    continue
            elif now - info.modified < grace_hours * 3600:
                continue  # maybe still being uploaded by a publisher that is running right now
            # Re-read the pointers just before deleting: a release that became referenced is kept.
            if info.release_id in _protected(store):
                continue
            if not dry_run:
                lease = Lease(store, info.release_id, who)
                if not lease.acquire():
                    continue  # another prune is removing it (a running one: its lease is live)
                if not _retire(store, lease):
                    continue  # a channel was switched to it meanwhile: its seal is back, its files untouched
            pruned += 1
            yield Pruned(info.release_id, info.sealed, info.files, dry_run)
        yield Done("", "", False, store.url, message="; ".join([_summary(pruned, resumed, keep, dry_run), *busy]))
    finally:
        store.close()


def _summary(pruned: int, resumed: int, keep: int, dry_run: bool) -> str:
    verb = "would prune" if dry_run else "pruned"
    finished = (f"{'would finish' if dry_run else 'finished'} the deletion of {resumed} release(s) a stopped "
                "prune left") if resumed else ""
    if not pruned:
        nothing = (f"nothing {'else ' if resumed else ''}to prune: every release is among the newest {keep}, "
                   "a channel's, or the one before it")
        return f"{finished}; {nothing}" if finished else nothing
    message = f"{verb} {pruned} release(s), kept the newest {keep}"
    return f"{finished}; {message}" if finished else message


def _finish_abandoned(store: Store, who: str | None, dry_run: bool, tombstoned: set[str],
                      busy: list[str]) -> Iterator[Pruned]:
    """Take over the tombstones whose lease expired (their prune stopped) and finish those deletions.

    A live lease is a running prune's and is never touched: `busy` gets a sentence on each (which release,
    and when to run prune again). `tombstoned` gets every release with a tombstone, which the main pass
    leaves alone. The takeover is one conditional write on the version just read, so of two prunes doing
    this at once one goes on, and a lease renewed meanwhile stays.
    """
    for rid in marked(store):
        state = read_lease(store, rid)
        if state is None:
            continue
        tombstoned.add(rid)
        if state.live:
            by = f" (run by {state.who})" if state.who else ""
            busy.append(f"release {rid} is being removed by another prune{by}, or by one that was killed: "
                        f"{held_message(state, store.url + pruning_key(rid))}; run `talkbuild prune` again "
                        "after that to finish it")
            continue
        sealed = store.get(manifest_key(rid)) is not None
        files = sum(1 for _ in store.list_objects(release_prefix(rid)))
        if dry_run:
            if rid not in _protected(store):  # a channel's: the real run keeps its files, clears the tombstone
                yield Pruned(rid, sealed, files, True, resumed=True)
            continue
        lease = Lease(store, rid, who)
        if not lease.acquire(replacing=state.etag):
            continue  # renewed after all, or another prune took it over first
        if _retire(store, lease):
            yield Pruned(rid, sealed, files, resumed=True)


def _retire(store: Store, lease: Lease) -> bool:
    """Delete a release under its (acquired) lease: seal (a release without one is never made live), then,
    unless a channel points at it now, its files. False (seal put back, tombstone gone, nothing deleted)
    when one does.

    The pointers are read again after the tombstone is written, and publish and rollback read the tombstone
    after their switch (tombstone.switch_problem): whichever goes second sees the other, so the two can run
    at once. Publish never writes the tombstone, so re-sealing the same content cannot hide it. The lease
    is renewed in the background and checked before each batch of deletions: a prune that cannot renew
    it stops deleting before another may take it over (see lease.py).
    """
    rid = lease.release_id
    lease.start()
    try:
        key = manifest_key(rid)
        seal = store.get(key)
        lease.check()
        store.delete([key])
        if rid in _protected(store):
            if seal is not None:
                store.put_if(key, seal[0], if_match=None, content_type=JSON, cache_control=NO_STORE)
            lease.release()
            return False
        crash_point("prune-deleting")
        store.delete_release(rid, checkpoint=lease.check)
        # A publish of the same content may have sealed it again meanwhile; it sees the tombstone and switches
        # back, so its seal must not outlive the files.
        lease.check("all its files")
        store.delete([key])
        crash_point("prune-deleted")
    except BaseException:
        lease.stop()  # the tombstone stays, and expires: the next prune finishes the deletion
        raise
    lease.release()
    return True


def _settle_set_aside(store: Store) -> None:
    """Deal with release folders a prune renamed aside and did not remove (a folder target only).

    One whose release has a tombstone is left to that tombstone's prune, or to the one that takes its lease
    over: delete_release removes it under the lease. With no tombstone, its prune is gone (taken over and
    finished, or its tombstone cleared as stale) or is a stalled prune that lost its lease and will only
    put it back: a release sealed now was published again and set aside by such a prune, so it goes back
    (or is dropped if `releases/<id>` exists again); an unsealed one is what a prune was deleting.

    Racing a prune that takes a new lease on the release just after the tombstone was read here is harmless:
    that prune deletes the release anyway, and at worst a folder put back here outlives it unsealed, to be
    pruned after the grace period.
    """
    for rid, name in store.set_aside():
        if store.get(pruning_key(rid)) is not None:
            continue
        if store.get(manifest_key(rid)) is not None:
            store.put_back(rid, name)
        else:
            store.remove_aside(name)


def _protected(store: Store) -> set[str]:
    keep: set[str] = set()
    for pointer in all_pointers(store).values():
        keep.add(pointer.release_id)
        if pointer.previous:
            keep.add(pointer.previous)
    return keep
