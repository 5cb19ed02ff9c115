"""Prune's tombstone, and what publish and rollback check before and right after their switch.

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

The tombstone is a lease (lease.py): its prune rewrites it while it deletes. One that has not been
rewritten for its lease time was left by a prune that stopped; publish and rollback keep refusing that
release (its files may be half gone) and say to run `talkbuild prune`, which takes the lease over and
finishes the deletion. Only a lease expired for STALE_HOURS is ignored, for targets no prune runs on.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from ..errors import TalkbuildError
from .catalog import listing_problems, load_manifest
from .lease import LEASE_SECONDS
from .manifest import Manifest
from .stores.base import Store, pruning_key

STALE_HOURS = 24.0
"""A lease expired longer ago than this is ignored by publish and rollback (and cleared where they may)."""
UNRENEWED_SECONDS = STALE_HOURS * 3600
"""The lease of a tombstone written before tombstones were leases (no `lease_seconds`): those were never
renewed, and their prune was given a day."""
FUTURE_SLACK_SECONDS = 60.0
"""A tombstone stamped further ahead of the store's clock than this is "in the future": it would never
expire while the clock catches up, so it is reported as such (whole-second stamps differ by a second)."""


@dataclass(frozen=True, slots=True)
class LeaseState:
    """A tombstone as read now: how old it is by the store's clock, and for how long it was granted."""

    release_id: str
    etag: str
    age: float
    """Seconds since it was last written (renewed), by the store's own clock."""
    seconds: float
    """Its lease time, as its prune wrote it."""
    who: str | None
    renewed: bool = True
    """False for a tombstone of a talkbuild before leases: its prune never renews it."""

    @property
    def future(self) -> bool:
        """Stamped in the future by the store's clock: it cannot be judged live or expired."""
        return self.age < -FUTURE_SLACK_SECONDS

    @property
    def remaining(self) -> float:
        """Seconds until it expires (negative: since it expired)."""
        return self.seconds - self.age

    @property
    def live(self) -> bool:
        return self.remaining > 0

    @property
    def stale(self) -> bool:
        return -self.remaining > STALE_HOURS * 3600


def read_lease(store: Store, release_id: str) -> LeaseState | None:
    """The tombstone of this release, or None when no prune is removing it (nor left it half done)."""
    got = store.get_aged(pruning_key(release_id))
    if got is None:
        return None
    body, etag, age = got
    seconds, who, renewed = LEASE_SECONDS, None, True
    try:
        data = json.loads(body)
        seconds = float(data.get("lease_seconds", UNRENEWED_SECONDS))
        who = data.get("who") if isinstance(data.get("who"), str) else None
        renewed = "lease_seconds" in data
    except (ValueError, TypeError, AttributeError):
        pass  # unreadable: its age, by the store's clock, still says when it expires
    return LeaseState(release_id, etag, age if age < -FUTURE_SLACK_SECONDS else max(0.0, age), seconds, who,
                      renewed)


def held_message(lease: LeaseState, where: str) -> str:
    """Why a tombstone still blocks its release, and when that ends (for refusals and prune's summary)."""
    if lease.future:
        return (f"its time is in the future: the store stamped it {_duration(-lease.age)} ahead of its clock "
                f"now, so it never expires; delete {where} by hand if no prune is running")
    if not lease.renewed:
        return (f"it was written by a talkbuild older than leases, whose prunes never renew it, and expires "
                f"{_when(lease.remaining, renewing=False)}; if no such prune is running, delete {where} by hand")
    return f"its lease {where} expires {_when(lease.remaining)}"


def pruning_note(store: Store, release_id: str) -> str:
    """What `talkbuild releases` says of a release with a tombstone ("" without one)."""
    lease = read_lease(store, release_id)
    if lease is None:
        return ""
    by = f" (run by {lease.who})" if lease.who else ""
    if lease.live or lease.future:
        return f"a prune is removing it{by}: {held_message(lease, store.url + pruning_key(release_id))}"
    return (f"a prune stopped before it finished removing it{by}: its lease was last renewed "
            f"{_duration(lease.age)} ago; `talkbuild prune` finishes that")


def clear(store: Store, release_id: str) -> None:
    store.delete([pruning_key(release_id)])


def marked(store: Store) -> list[str]:
    """Release ids with a tombstone."""
    return [n.removesuffix(".json") for n in store.list_names("pruning/") if n.endswith(".json")]


def refuse_if_being_pruned(store: Store, release_id: str, *, error: type[TalkbuildError], content: str,
                           nothing: str, wait: str, after_prune: str) -> None:
    """Refuse to publish or roll back to a release a prune is removing, or left half removed.

    A lease expired for STALE_HOURS is ignored and cleared (best effort: the preview role may not delete
    there); the files are checked after the switch all the same. `content` qualifies the release in the
    message, `nothing` says what was left undone, `wait` what to do while a prune runs, `after_prune` what
    follows `talkbuild prune` finishing a stopped prune's deletion.
    """
    lease = read_lease(store, release_id)
    if lease is None:
        return
    if lease.stale:
        try:
            clear(store, release_id)
        except TalkbuildError:
            pass  # may not delete there: ignoring it is what counts
        return
    where = f"{store.url}{pruning_key(release_id)}"
    by = f", run by {lease.who}" if lease.who else ""
    if lease.future or (lease.live and not lease.renewed):
        raise error(
            f"a prune is removing release {release_id}{content}, or was{by}; {nothing}",
            hint=f"{wait}. The tombstone: {held_message(lease, where)}; then run `talkbuild prune`, which "
                 f"finishes the deletion it left{after_prune}")
    if lease.live:
        raise error(
            f"a prune is removing release {release_id}{content} right now{by}; {nothing}",
            hint=f"{wait}. If no prune is running (it was killed), {held_message(lease, where)}: "
                 f"then run `talkbuild prune`, which finishes the deletion it left{after_prune}")
    raise error(
        f"a prune stopped before it finished removing release {release_id}{content} (killed?{by}): its "
        f"lease {where} expired {_duration(-lease.remaining)} ago; {nothing}",
        hint=f"run `talkbuild prune`, which finishes that deletion{after_prune}")


def switch_problem(store: Store, manifest: Manifest) -> str | None:
    """Why the release a channel was just switched to cannot stay live, or None. Read AFTER the switch."""
    rid = manifest.release_id
    lease = read_lease(store, rid)  # first: only once it is gone do the seal and listing mean anything
    if lease is not None and not lease.stale:  # expired or not: its files may be half gone
        return f"a prune was removing release {rid}"
    if load_manifest(store, rid) is None:
        return f"release {rid} was pruned"
    problems = listing_problems(store, manifest)
    if problems:
        return f"release {rid} was pruned (" + "; ".join(problems[:3]) + ")"
    return None


def _when(seconds: float, *, renewing: bool = True) -> str:
    """`in about 4 min 10 s (at 10:03:12 UTC ...)`: the duration is the store's, the time this machine's,
    with the date unless it is today's (a day-long lease read as a time of day looks already past)."""
    now = time.time()
    day = "%H:%M:%S UTC" if time.gmtime(now)[:3] == time.gmtime(now + seconds)[:3] else "%Y-%m-%d %H:%M:%S UTC"
    at = time.strftime(day, time.gmtime(now + seconds))
    unless = ", unless a running prune renews it" if renewing else ""
    return f"in about {_duration(seconds)} (at {at} by this machine's clock){unless}"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s" if seconds % 60 else f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
