"""Prune's tombstone is a lease: a prune killed mid-way blocks its release for minutes, not a day.

A prune is SIGKILLed in a child process between its tombstone and its deletions; time is moved on by
making the store's clock read later (the lease's age is the store's, never this machine's), so no test
waits minutes. A prune that is alive renews its lease, and no other prune takes it over. On disk and on S3.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import PublishConflict, lease, operations, prune, release, rollback
from talkbuild.publish.catalog import load_manifest
from talkbuild.publish.events import Pruned
from talkbuild.publish.lease import Lease, LeaseLost
from talkbuild.publish.release import CRASH_ENV
from talkbuild.publish.stores.base import Store, pruning_key, release_prefix
from talkbuild.publish.stores.local import LocalStore
from talkbuild.publish.stores.s3 import S3Store
from talkbuild.publish.tombstone import read_lease

from .conftest import Deploy, done
from .test_prune_race import three_releases
from .test_prune_tombstone import HeldPrune, check_live_whole

REPO = Path(__file__).resolve().parents[2]


def kill_prune_at(deploy: Deploy, step: str) -> None:
    """`prune --keep 1` in a child process, SIGKILLed at `step` (its tombstone written, its seal gone)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), CRASH_ENV: step}
    child = subprocess.run(
        [sys.executable, "-m", "tests.publish.prune_child", deploy.url, str(deploy.project),
         deploy.endpoint_url or "", json.dumps(deploy.options)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert child.returncode == -9, child.stderr[-2000:]


class Later:
    """The real store, whose clock reads `seconds` later when it says how old an object is."""

    def __init__(self, store: Store, seconds: float) -> None:
        self._store, self._seconds = store, seconds

    def get_aged(self, key: str) -> tuple[bytes, str, float] | None:
        got = self._store.get_aged(key)
        return None if got is None else (got[0], got[1], got[2] + self._seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def clock_moves_on(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """From now on, every publish, rollback and prune sees the store's clock `seconds` later."""
    for module in (operations, release):
        real = module.open_store
        monkeypatch.setattr(module, "open_store", lambda *a, _real=real, **k: Later(_real(*a, **k), seconds))


def files_of(deploy: Deploy, release_id: str) -> int:
    store = deploy.store()
    try:
        return sum(1 for _ in store.list_objects(release_prefix(release_id)))
    finally:
        store.close()


def listed(deploy: Deploy, release_id: str) -> tuple[str, list[str]]:
    """`talkbuild releases`: the state column of `release_id`'s row, and the lines after the table about it."""
    from .test_cli import run

    code, out, err = run("releases", "-C", str(deploy.project), "--target", deploy.url,
                         *(["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else []))
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()[1:] if line.startswith(release_id + " ")]
    notes = [line for line in out.splitlines() if line.startswith(release_id + ": ")]
    return (rows[0][1] if rows else ""), notes


def tombstone(deploy: Deploy, release_id: str) -> dict[str, Any] | None:
    store = deploy.store()
    try:
        got = store.get(pruning_key(release_id))
        return None if got is None else dict(json.loads(got[0]))
    finally:
        store.close()


@pytest.mark.parametrize("step", ["prune-deleting", "prune-deleted"])
def test_a_killed_prunes_lease_expires_and_the_next_prune_finishes_its_deletion(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    kill_prune_at(deploy, step)  # r1: tombstone written, seal deleted; its files all there, or all gone
    assert tombstone(deploy, r1) is not None
    assert files_of(deploy, r1) == (12 if step == "prune-deleting" else 0)

    # While the lease is live, that prune may still be running: publish and rollback wait, saying until when.
    with pytest.raises(PublishConflict, match=f"a prune is removing release {r1} \\(this build's content\\) "
                                              "right now") as refused:
        deploy.publish(tmp_path / "r1")
    hint = refused.value.hint or ""
    assert f"{pruning_key(r1)} expires in about 5 min" in hint or f"{pruning_key(r1)} expires in about 4 min" in hint
    assert "then run `talkbuild prune`, which finishes the deletion it left, and publish again" in hint
    # Rollback finds a release by its files or seal: with all gone, it may not find it at all (on disk).
    gone = f"a prune is removing release {r1} right now" + ("|no release" if step == "prune-deleted" else "")
    with pytest.raises(TalkbuildError, match=gone):
        list(rollback(deploy.target(), to=r1))
    events = list(prune(deploy.target(), keep=1))
    assert not [e for e in events if isinstance(e, Pruned)], "a live lease is not taken over"
    assert tombstone(deploy, r1) is not None
    # `releases` shows it, even with nothing left of it but the tombstone
    state, notes = listed(deploy, r1)
    assert state == "PRUNING" and len(notes) == 1, notes
    assert re.fullmatch(rf"{r1}: a prune is removing it \(run by [^)]+\): its lease .*{pruning_key(r1)} expires in "
                        r"about [45] min( \d+ s)? \(at (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d UTC by this machine's clock\), "
                        r"unless a running prune renews it", notes[0]), notes  # the date when it is another day

    # Six minutes later by the store's clock, the lease has expired: the refusal says what to run.
    clock_moves_on(monkeypatch, lease.LEASE_SECONDS + 60)
    with pytest.raises(PublishConflict, match=f"a prune stopped before it finished removing release {r1} "
                                              r"\(this build's content\) \(killed\?, run by [^)]+\): its lease "
                                              f".*{pruning_key(r1)} expired 1 min( \\d+ s)? ago; nothing was "
                                              "uploaded or switched") as refused:
        deploy.publish(tmp_path / "r1")
    assert refused.value.hint == ("run `talkbuild prune`, which finishes that deletion, and publish again "
                                  "(the release is uploaded and sealed anew)")
    gone = f"a prune stopped before it finished removing release {r1}" + (
        "|no release" if step == "prune-deleted" else "")
    with pytest.raises(TalkbuildError, match=gone):
        list(rollback(deploy.target(), to=r1))

    state, notes = listed(deploy, r1)
    assert state == "PRUNING" and re.fullmatch(rf"{r1}: a prune stopped before it finished removing it \(run by "
                                               r"[^)]+\): its lease was last renewed 6 min( \d+ s)? ago; `talkbuild "
                                               r"prune` finishes that", notes[0]), notes
    events = list(prune(deploy.target(), keep=1))
    assert [(e.release_id, e.resumed) for e in events if isinstance(e, Pruned)] == [(r1, True)]
    assert listed(deploy, r1) == ("", []), "gone, and said no more"
    assert "finished the deletion of 1 release(s) a stopped prune left" in done(events).message
    assert tombstone(deploy, r1) is None and files_of(deploy, r1) == 0
    check_live_whole(deploy, r3)

    assert done(deploy.publish(tmp_path / "r1")).release_id == r1, "after the takeover, publishing works again"
    check_live_whole(deploy, r1)


def test_prune_dry_run_names_a_stopped_prunes_release_and_changes_nothing(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    kill_prune_at(deploy, "prune-deleting")
    before = deploy.snapshot()
    clock_moves_on(monkeypatch, lease.LEASE_SECONDS + 1)
    events = list(prune(deploy.target(), keep=1, dry_run=True))
    assert [(e.release_id, e.resumed, e.dry_run) for e in events if isinstance(e, Pruned)] == [(r1, True, True)]
    assert deploy.snapshot() == before


def test_a_live_renewed_lease_is_never_taken_over(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real time, a short lease: the held prune's first write is older than the lease, its renewals are not."""
    monkeypatch.setattr(lease, "LEASE_SECONDS", 5.0)
    monkeypatch.setattr(lease, "RENEW_SECONDS", 0.2)
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    held = HeldPrune(deploy, monkeypatch)
    held.start()
    first = tombstone(deploy, r1)
    assert first is not None
    store = deploy.store()
    try:
        got = store.get(pruning_key(r1))
        assert got is not None
        first_etag = got[1]
    finally:
        store.close()
    # Wait (not a speed assertion: the test is about outliving the lease) until the tombstone's first
    # version would have expired, checking all along that it is being renewed.
    deadline = time.monotonic() + 6.5
    renewals = 0
    while time.monotonic() < deadline:
        now = tombstone(deploy, r1)
        assert now is not None and now["token"] == first["token"]
        assert now["renewals"] >= renewals
        renewals = now["renewals"]
        time.sleep(0.2)
    assert renewals >= 5

    events = list(prune(deploy.target(), keep=1))  # another prune, now: it finds the lease live
    assert not [e for e in events if isinstance(e, Pruned)]
    store = deploy.store()
    try:
        state = read_lease(store, r1)
        assert state is not None and state.live, state
        assert not Lease(store, r1, "other").acquire(replacing=first_etag), "its first version is long replaced"
    finally:
        store.close()
    after = tombstone(deploy, r1)
    assert after is not None and after["token"] == first["token"], "still the running prune's"
    with pytest.raises(PublishConflict, match=f"a prune is removing release {r1}"):
        deploy.publish(tmp_path / "r1")

    assert [e.release_id for e in held.finish() if isinstance(e, Pruned)] == [r1]
    assert tombstone(deploy, r1) is None
    check_live_whole(deploy, r3)


def test_a_prune_that_cannot_renew_its_lease_stops_deleting_and_leaves_it_to_expire(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store fails every renewal and the prune is stalled past half its lease: it must not delete on,
    since another prune may take over once the lease expires."""
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    monkeypatch.setattr(lease, "RENEW_SECONDS", 0.05)
    renewals_fail, failed = threading.Event(), threading.Event()
    store_class = LocalStore if deploy.kind == "file" else S3Store
    real_put = store_class.put_if

    def put_if(self: Any, key: str, body: bytes, **kwargs: Any) -> bool:
        if key == pruning_key(r1) and renewals_fail.is_set():
            failed.set()
            raise TalkbuildError("the store is unreachable")
        return bool(real_put(self, key, body, **kwargs))

    monkeypatch.setattr(store_class, "put_if", put_if)
    held = HeldPrune(deploy, monkeypatch)
    held.start()
    renewals_fail.set()
    assert failed.wait(30), "the lease was never renewed"
    stalled = lease.elapsed() + lease.LEASE_SECONDS  # the prune wakes up a whole lease later
    monkeypatch.setattr(lease, "elapsed", lambda: stalled)
    with pytest.raises(LeaseLost, match=f"prune stopped deleting release {r1}: its lease could not be renewed "
                                        r"for \d+ s \(the store is unreachable\)"):
        held.finish()
    assert files_of(deploy, r1) == 12, "nothing deleted after the lease could not be kept"
    assert tombstone(deploy, r1) is not None, "its tombstone stays, to expire"
    monkeypatch.undo()
    check_live_whole(deploy, r3)
    store = deploy.store()
    try:
        assert load_manifest(store, r1) is None
    finally:
        store.close()


def test_a_prune_taken_over_while_stalled_leaves_the_new_holders_tombstone(
        deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old holder wakes after another prune took its expired lease over: it removes nothing of the new one's."""
    monkeypatch.setattr(lease, "RENEW_SECONDS", 3600.0)  # the held prune never renews on its own here
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    held = HeldPrune(deploy, monkeypatch)
    held.start()
    store = deploy.store()
    try:
        state = read_lease(store, r1)
        assert state is not None
        taker = Lease(store, r1, "taker")
        assert taker.acquire(replacing=state.etag)  # what the next prune does once the lease expired
        # The old holder reads its tombstone back before deleting: it is the taker's, so it deletes nothing.
        with pytest.raises(LeaseLost, match=f"prune stopped deleting release {r1}: another prune took its "
                                            "lease over"):
            held.finish()
        assert files_of(deploy, r1) == 12, "the taker deletes them, under its lease"
        after = tombstone(deploy, r1)
        assert after is not None and after["who"] == "taker", "the old holder left the taker's tombstone alone"
        taker.release()
        assert tombstone(deploy, r1) is None
    finally:
        store.close()


def test_a_lease_write_whose_answer_was_lost_is_still_recognised_as_ours(deploy: Deploy, tmp_path: Path) -> None:
    """A retried conditional write answers "failed" when its first attempt landed: the lease reads and decides."""
    r1, _r2, _r3 = three_releases(deploy, tmp_path)

    class LostAnswers:
        def __init__(self, store: Store) -> None:
            self._store = store

        def put_if(self, key: str, body: bytes, **kwargs: Any) -> bool:
            self._store.put_if(key, body, **kwargs)
            return False

        def __getattr__(self, name: str) -> Any:
            return getattr(self._store, name)

    store = deploy.store()
    try:
        held = Lease(LostAnswers(store), r1, "test")  # type: ignore[arg-type]
        assert held.acquire() and held.renew() and held.renew()
        held.check()
        other = Lease(LostAnswers(store), r1, "other")  # type: ignore[arg-type]
        assert not other.acquire(), "a write that did not land is not taken for ours"
        assert tombstone(deploy, r1) is not None and tombstone(deploy, r1)["renewals"] == 2  # type: ignore[index]
        held.release()
        assert tombstone(deploy, r1) is None
    finally:
        store.close()
