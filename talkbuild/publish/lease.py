"""A prune's hold on the tombstone of the release it deletes: a lease it renews while it works.

The tombstone (tombstone.py) blocks publishing and rolling back to a release while its files go. Written
once and removed at the end, it outlived a prune that was killed half-way and blocked that release for a
day. As a lease it says "alive" only while it is rewritten: every RENEW_SECONDS a thread of the prune
rewrites it (conditionally, on the version it wrote last, so it never overwrites another prune's), and one
not rewritten for LEASE_SECONDS was left by a prune that stopped. The next prune takes it over (conditional
write on the version it read) and finishes the deletion.

Taking over is safe only if the old holder no longer deletes. Each holder checks, before each batch of
deletions, that its last confirmed renewal *began* less than half a lease ago on its own elapsed-time clock
(which counts a suspended machine's sleep). The taker judges expiry by the store's clock alone (the age of
the object by its own write stamp), so no two machines' clocks are ever compared, and the time from the
holder's last confirmed write to the takeover is a real duration longer than the lease: the holder has
stopped. Each check also reads the tombstone back: once another prune took it over (or a publish cleared
it as stale) the holder learns it at once instead of at its next renewal.

A time-based lease cannot fence a process that is suspended *after* its check and wakes after a takeover,
a finished deletion and a republish of the same content (a revert reuses the id). So the delete step itself
must not depend on the check being fresh: on disk a release is renamed aside first and only deleted when a
check made after the rename proves the lease still ours (stores/local.py); on S3, where nothing can be
renamed, one DeleteObjects call is bounded in time well below the margin each check leaves
(stores/s3.py), and the lease is checked again after each batch. docs/deploy.md says what is left.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

from ..errors import TalkbuildError
from .content_types import NO_STORE
from .pointer import JSON
from .stores.base import Store, pruning_key

LEASE_SECONDS = 300.0
"""How long a tombstone counts as a running prune's after its last renewal. Tests may lower it (in process)."""
RENEW_SECONDS = 30.0
"""How often the holder rewrites it. Tests may lower it (in process)."""


def elapsed() -> float:
    """Seconds on a clock that never goes back and, unlike time.monotonic on Linux, counts suspended sleep:
    a laptop closed mid-prune must find its lease expired when it wakes, not carry on deleting."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boottime) if boottime is not None else time.monotonic()


class LeaseLost(TalkbuildError):
    """A prune could not keep its lease on a release, so it stopped deleting it."""


class Lease:
    """The tombstone of one release, held by this process; `start()` renews it until `release()`."""

    def __init__(self, store: Store, release_id: str, who: str | None, seconds: float | None = None) -> None:
        self.store, self.release_id, self.who = store, release_id, who
        self.seconds = LEASE_SECONDS if seconds is None else seconds
        self.token = uuid.uuid4().hex
        self._since = time.time()
        self._renewals = 0
        self._etag: str | None = None
        self._confirmed = elapsed()  # when the last write that is known to have landed was sent
        self._lost: str | None = None
        self._problem: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def key(self) -> str:
        return pruning_key(self.release_id)

    def _body(self) -> bytes:
        # "since" stays what older talkbuild versions read; times in the body are for people: expiry is
        # judged by the store's stamp on the object, never by these.
        return json.dumps({"schema": 2, "release_id": self.release_id, "since": self._since, "who": self.who,
                           "token": self.token, "lease_seconds": self.seconds, "renewals": self._renewals,
                           "renewed": time.time()}, sort_keys=True).encode() + b"\n"

    def acquire(self, replacing: str | None = None) -> bool:
        """Write the tombstone: create-only, or over the expired version `replacing` (a takeover).

        False when another prune holds it (or took it over first): leave that release alone.
        """
        sent = elapsed()
        # Its answer may say "failed" for a write that landed (a retry after a lost answer): the read decides.
        self.store.put_if(self.key, self._body(), if_match=replacing, content_type=JSON, cache_control=NO_STORE)
        return self._confirm(sent)

    def _confirm(self, sent: float) -> bool:
        """Learn the version just written (the next renewal is conditional on it), and that it is ours."""
        got = self.store.get(self.key)
        if got is None or _token(got[0]) != self.token:
            self._lost = "another prune took its lease over, or removed its tombstone (it was not renewed in time)"
            return False
        self._etag = got[1]
        self._confirmed = sent
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"prune-lease-{self.release_id[:12]}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(RENEW_SECONDS):
            if not self.renew():
                return

    def renew(self) -> bool:
        """Rewrite the tombstone on the version we wrote last. False once it is lost for good."""
        with self._lock:
            if self._lost or self._stop.is_set():
                return False
            self._renewals += 1
            sent = elapsed()
            try:
                # A "failed" answer may be our own write retried after its answer was lost: the read decides.
                self.store.put_if(self.key, self._body(), if_match=self._etag, content_type=JSON,
                                  cache_control=NO_STORE)
                return self._confirm(sent)
            except TalkbuildError as exc:
                # A failing store: try again next time; check() stops the deletions if this goes on.
                self._problem = exc.message
                return True

    def check(self, done: str = "") -> None:
        """Raise LeaseLost unless this prune may go on deleting: called before (and after) each batch.

        It reads the tombstone back (taken over or removed: lost at once), then requires the last confirmed
        renewal to have been *sent* less than half a lease ago by the elapsed clock, measured after that
        read: from now on, at least half a lease passes before anyone may take over (the store stamps a
        renewal no earlier than it was sent). `done` says what this prune already deleted of the release,
        so that the message never claims it stopped before deleting what it did delete.
        """
        got = self.store.get(self.key)
        with self._lock:
            if self._lost is None and (got is None or _token(got[0]) != self.token):
                self._lost = ("another prune took its lease over, or its tombstone was removed (it was not "
                              "renewed in time)")
            late = elapsed() - self._confirmed
            if self._lost is None and late > self.seconds / 2:
                self._lost = (f"its lease could not be renewed for {late:.0f} s"
                              + (f" ({self._problem})" if self._problem else ""))
            lost = self._lost
        if lost is None:
            return
        what = (f"prune stopped deleting release {self.release_id}" if not done else
                f"prune lost its lease on release {self.release_id} after it had deleted {done}, and deleted "
                "nothing more")
        raise LeaseLost(
            f"{what}: {lost}",
            hint=f"its tombstone {self.store.url}{self.key} is another prune's or expires within "
                 f"{self.seconds:g} s; run `talkbuild prune` again: it finishes the deletion")

    def release(self) -> None:
        """Stop renewing and remove the tombstone, if it is still ours (after a takeover it is not)."""
        self.stop()
        if self._lost is not None:
            return
        got = self.store.get(self.key)
        if got is not None and _token(got[0]) == self.token:
            self.store.delete([self.key])

    def stop(self) -> None:
        """Stop renewing (the tombstone stays and expires). Not waiting for a renewal under way is safe: it is
        conditional on a version that a removal or takeover has replaced, so it fails instead of reviving it."""
        self._stop.set()


def _token(body: bytes) -> str | None:
    try:
        token = json.loads(body).get("token")
    except (ValueError, AttributeError):
        return None
    return token if isinstance(token, str) else None
