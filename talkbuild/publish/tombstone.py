"""Prune's tombstone, and what publish and rollback check right after their switch.

A seal alone cannot tell publish that a prune is under way: the release id hashes the content, so a
publish of the same content (a revert) finds the release unsealed, re-uploads, seals it again and would
take its own seal for proof the release stands while prune goes on deleting its files. The tombstone is
an object only prune writes (create-only, before it deletes the seal and re-reads the pointers) and
removes when it is done, so:

* prune: write tombstone, delete seal, read pointers (a channel on it: put the seal back, stop);
* publish / rollback: write pointer, read tombstone, then seal and listing (any of them off: switch back).

Of two write-then-read pairs at least one read sees the other's write: prune sees the pointer, or the
switch sees the tombstone. When the tombstone is already gone at that read, prune has finished every
deletion, so the seal and the listing read after it show exactly what is left.
"""

from __future__ import annotations

import json
import time

from .catalog import listing_problems, load_manifest
from .content_types import NO_STORE
from .manifest import Manifest
from .pointer import JSON
from .stores.base import Store, pruning_key

STALE_HOURS = 24.0
"""A tombstone older than this was left by a prune that was killed: publish and prune clear it."""


def mark(store: Store, release_id: str, who: str | None) -> None:
    """Say that a prune is removing this release (create-only: an older mark of a killed prune stays)."""
    body = json.dumps({"schema": 1, "release_id": release_id, "since": time.time(), "who": who},
                      sort_keys=True).encode() + b"\n"
    store.put_if(pruning_key(release_id), body, if_match=None, content_type=JSON, cache_control=NO_STORE)


def since(store: Store, release_id: str) -> float | None:
    """When a prune started removing this release (seconds since the epoch), or None when none is."""
    got = store.get(pruning_key(release_id))
    if got is None:
        return None
    try:
        return float(json.loads(got[0])["since"])
    except (ValueError, KeyError, TypeError):
        return 0.0  # unreadable: as old as can be, so it counts as stale rather than blocking forever


def stale_mark_hint(store: Store, release_id: str, then: str) -> str:
    """What to do about a mark: wait for the prune; or, when a prune was killed, what clears its mark and when."""
    return (f"{then}. If no prune is running (one was killed), its mark {store.url}{pruning_key(release_id)} "
            f"stays until it is {STALE_HOURS:g} h old: then publish ignores it and the next `talkbuild prune` "
            "finishes that prune's work. To go on sooner, delete that object yourself, once you are sure no "
            "prune is running")


def clear(store: Store, release_id: str) -> None:
    store.delete([pruning_key(release_id)])


def is_stale(started: float, grace_hours: float = STALE_HOURS, now: float | None = None) -> bool:
    return (time.time() if now is None else now) - started > grace_hours * 3600


def marked(store: Store) -> list[str]:
    """Release ids with a tombstone."""
    return [n.removesuffix(".json") for n in store.list_names("pruning/") if n.endswith(".json")]


def switch_problem(store: Store, manifest: Manifest) -> str | None:
    """Why the release a channel was just switched to cannot stay live, or None. Read AFTER the switch."""
    rid = manifest.release_id
    started = since(store, rid)  # first: only once it is gone do the seal and listing mean anything
    if started is not None and not is_stale(started):  # a stale one (a killed prune's) publish may not delete
        return f"a prune was removing release {rid}"
    if load_manifest(store, rid) is None:
        return f"release {rid} was pruned"
    problems = listing_problems(store, manifest)
    if problems:
        return f"release {rid} was pruned (" + "; ".join(problems[:3]) + ")"
    return None
