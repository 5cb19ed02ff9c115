"""A prune that stalls after its last lease check never deletes a release published again meanwhile.

The trial's data loss: prune A passes its check, is suspended (laptop lid, SIGSTOP), its lease expires, prune
B takes it over and finishes, a publish re-creates and verifies the same content (a revert reuses the id),
then A wakes. Here A runs in a thread held right after (or right before) a check inside delete_release, with
renewals off (a stopped process renews nothing), and the store's clock is moved on for everyone else, so
nothing waits. On S3 (SeaweedFS) a lease lost during a batch stops the prune, saying what it deleted.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from talkbuild.publish import lease, prune, releases, verify
from talkbuild.publish.events import Pruned
from talkbuild.publish.lease import Lease, LeaseLost
from talkbuild.publish.stores import s3 as s3_module
from talkbuild.publish.stores.base import pruning_key, release_prefix
from talkbuild.publish.stores.local import SET_ASIDE, LocalStore
from talkbuild.publish.stores.s3 import S3Store
from talkbuild.publish.tombstone import read_lease

from .conftest import FAST_S3, Deploy, done, site_files, write_site
from .test_prune_lease import clock_moves_on, files_of, kill_prune_at, tombstone
from .test_prune_race import three_releases
from .test_prune_tombstone import check_live_whole


def set_aside(deploy: Deploy) -> list[str]:
    base = Path(deploy.url.removeprefix("file://")) / "releases"
    return sorted(n for n in os.listdir(base) if n.startswith(SET_ASIDE)) if base.is_dir() else []


class Suspended:
    """The first prune's delete_release, held at one of its checks (a suspended process) until `wake`."""

    def __init__(self, deploy: Deploy, monkeypatch: pytest.MonkeyPatch, *, after_rename: bool) -> None:
        self.held, self.wake = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.events: list[Any] = []
        real = LocalStore.delete_release
        outer = self
        used: list[str] = []

        def delete_release(store: LocalStore, release_id: str, checkpoint: Any = None) -> None:
            if used:
                return real(store, release_id, checkpoint)
            used.append(release_id)
            calls = 0

            def suspended_check(done: str = "") -> None:
                nonlocal calls
                calls += 1
                if after_rename and calls == 2:  # renamed aside, not yet checked again
                    outer.sleep()
                checkpoint(done)
                if not after_rename and calls == 1:  # checked: the trial's gap before the deletion
                    outer.sleep()

            return real(store, release_id, suspended_check)

        monkeypatch.setattr(LocalStore, "delete_release", delete_release)
        monkeypatch.setattr(lease, "RENEW_SECONDS", 3600.0)  # a suspended prune renews nothing
        self.thread = threading.Thread(target=self._run, args=(deploy,), daemon=True)

    def sleep(self) -> None:
        self.held.set()
        assert self.wake.wait(60)

    def _run(self, deploy: Deploy) -> None:
        try:
            self.events = list(prune(deploy.target(), keep=1))
        except BaseException as exc:  # noqa: BLE001 - reported by resume()
            self.error = exc
        finally:
            self.held.set()

    def start(self) -> None:
        self.thread.start()
        assert self.held.wait(60), "prune never reached its check"

    def resume(self) -> BaseException | None:
        self.wake.set()
        self.thread.join(60)
        assert not self.thread.is_alive()
        return self.error


@pytest.mark.parametrize("after_rename", [False, True], ids=["stalled-after-check", "stalled-after-rename"])
def test_a_suspended_prune_that_wakes_after_a_takeover_and_republish_deletes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_rename: bool) -> None:
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    zombie = Suspended(deploy, monkeypatch, after_rename=after_rename)
    zombie.start()  # A holds r1's lease, its seal deleted, and sleeps

    clock_moves_on(monkeypatch, lease.LEASE_SECONDS + 60)  # 6 minutes later, by the store's clock
    events = list(prune(deploy.target(), keep=1))  # B takes A's expired lease over and finishes
    assert [(e.release_id, e.resumed) for e in events if isinstance(e, Pruned)] == [(r1, True)]
    assert tombstone(deploy, r1) is None and files_of(deploy, r1) == 0 and set_aside(deploy) == []
    assert done(deploy.publish(write_site(tmp_path / "again", site_files(1)), channel="pr-1")).release_id == r1
    assert done(list(verify(deploy.target(), channel="pr-1"))).message == "verified 12 files"

    error = zombie.resume()  # the laptop opens
    assert isinstance(error, LeaseLost), error
    assert error.message.startswith(f"prune stopped deleting release {r1}: another prune took its lease over")
    if after_rename:  # B removed what A had set aside (the old files); A finds nothing to put back
        assert "aside" not in error.message
    else:  # A set the republished release aside before its check failed, and put it back
        assert error.message.endswith(f"it had already moved releases/{r1} aside and put it back untouched")
    assert done(list(verify(deploy.target(), channel="pr-1"))).message == "verified 12 files"
    assert set_aside(deploy) == []
    check_live_whole(deploy, r3)


@pytest.mark.parametrize("step", ["prune-set-aside", "prune-removing-aside"])
def test_a_prune_killed_after_setting_a_release_aside_is_cleaned_up_by_the_next_prune(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    kill_prune_at(deploy, step)
    assert [n.removeprefix(SET_ASIDE).rsplit("-", 1)[0] for n in set_aside(deploy)] == [r1]
    assert tombstone(deploy, r1) is not None
    # What lists, verifies and serves releases never sees the folder set aside; releases shows r1 as being pruned.
    listed = {r.release_id: r for r in releases(deploy.target())}
    assert not [r for r in listed if r.startswith(".")]
    assert listed[r1].files == 0 and not listed[r1].sealed and listed[r1].pruning.startswith("a prune is removing it")
    check_live_whole(deploy, r3)
    assert done(list(verify(deploy.target()))).message == "verified 12 files"

    events = list(prune(deploy.target(), keep=1))  # its lease is live: left alone
    assert not [e for e in events if isinstance(e, Pruned)] and len(set_aside(deploy)) == 1

    clock_moves_on(monkeypatch, lease.LEASE_SECONDS + 1)
    events = list(prune(deploy.target(), keep=1))
    assert [(e.release_id, e.resumed) for e in events if isinstance(e, Pruned)] == [(r1, True)]
    assert set_aside(deploy) == [] and tombstone(deploy, r1) is None and files_of(deploy, r1) == 0
    check_live_whole(deploy, r3)


def test_a_republished_release_a_killed_prune_set_aside_is_put_back_by_the_next_prune(tmp_path: Path) -> None:
    """A stalled prune woke, renamed a release published again aside and was killed before its check: no
    tombstone stands and the release is sealed, so the next prune renames it back."""
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    r1, _r2, _r3 = three_releases(deploy, tmp_path)
    assert done(deploy.publish(write_site(tmp_path / "pr", site_files(1)), channel="pr-1")).release_id == r1
    base = Path(deploy.url.removeprefix("file://")) / "releases"
    os.rename(base / r1, base / f"{SET_ASIDE}{r1}-{uuid.uuid4().hex}")  # what the killed zombie left
    with pytest.raises(Exception, match="missing"):
        list(verify(deploy.target(), channel="pr-1"))

    list(prune(deploy.target(), keep=1))
    assert set_aside(deploy) == []
    assert done(list(verify(deploy.target(), channel="pr-1"))).message == "verified 12 files"


@pytest.fixture
def s3_deploy(request: pytest.FixtureRequest, tmp_path: Path) -> Deploy:
    project = tmp_path / "project"
    project.mkdir()
    bucket = request.getfixturevalue("s3_bucket")
    endpoint = request.getfixturevalue("s3_endpoint")
    return Deploy("s3", f"s3://{bucket}/{uuid.uuid4().hex[:10]}", project, endpoint, dict(FAST_S3))


def test_one_s3_delete_call_is_bounded_well_below_the_margin_a_lease_check_leaves() -> None:
    assert s3_module.DELETE_WORST_SECONDS == 95.0
    assert s3_module.DELETE_WORST_SECONDS < lease.LEASE_SECONDS / 2 - 30, "a check leaves half a lease"


@pytest.mark.s3
def test_an_s3_prune_deletes_with_the_bounded_client_and_stops_when_its_lease_is_lost_during_a_batch(
        s3_deploy: Deploy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deploy = s3_deploy
    r1, _r2, r3 = three_releases(deploy, tmp_path)
    monkeypatch.setattr(s3_module, "DELETE_BATCH", 5)  # 12 files: batches of 5, 5 and 2
    real_delete = S3Store.delete
    batches: list[int] = []

    def delete(self: S3Store, keys: list[str], *, client: Any = None) -> None:
        real_delete(self, keys, client=client)
        if not keys[0].startswith(release_prefix(r1)):
            return
        assert client is self.delete_client, "release files go through the bounded client"
        config = client.meta.config
        assert config.retries == {"mode": "standard", "total_max_attempts": s3_module.DELETE_ATTEMPTS}
        assert (config.connect_timeout, config.read_timeout) == (s3_module.DELETE_CONNECT_TIMEOUT,
                                                                 s3_module.DELETE_READ_TIMEOUT)
        batches.append(len(keys))
        if len(batches) == 1:  # while this batch was under way, the lease expired and another prune took it
            state = read_lease(self, r1)
            assert state is not None
            assert Lease(self, r1, "taker").acquire(replacing=state.etag)

    monkeypatch.setattr(S3Store, "delete", delete)
    with pytest.raises(LeaseLost) as lost:
        list(prune(deploy.target(), keep=1))
    assert lost.value.message.startswith(
        f"prune lost its lease on release {r1} after it had deleted 5 of its 12 files, and deleted nothing "
        "more: another prune took its lease over")
    assert batches == [5] and files_of(deploy, r1) == 7
    got = tombstone(deploy, r1)
    assert got is not None and got["who"] == "taker", "the taker's tombstone stands"
    check_live_whole(deploy, r3)
    store = deploy.store()
    try:
        assert pruning_key(r1) in {o.key for o in store.list_objects("pruning/")}
    finally:
        store.close()
