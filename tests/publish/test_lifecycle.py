"""A channel's life as a trial user lived it: lock and unlock on the live release, a channel removed and
reused, a damaged sealed release repaired by publishing it again. On disk and on real S3, read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkbuild.publish import Manifest, PublishConflict, VerifyFailed, rollback, verify
from talkbuild.publish.catalog import load_manifest
from talkbuild.publish.events import FileDone, Switched
from talkbuild.publish.operations import remove_channel
from talkbuild.publish.pointer import read_history
from talkbuild.publish.stores.base import Store

from .conftest import Deploy, done, site_files, write_site


def history(deploy: Deploy, channel: str = "live") -> list[tuple[int, str, str | None, str, bool]]:
    store = deploy.store()
    try:
        return [(h.seq, h.release_id, h.previous, h.reason, h.locked) for h in read_history(store, channel)]
    finally:
        store.close()


def test_unlock_lifts_the_lock_when_the_rolled_back_release_is_the_one_published(deploy: Deploy,
                                                                                  tmp_path: Path) -> None:
    r1_site = write_site(tmp_path / "r1", site_files(1))
    r1 = done(deploy.publish(r1_site)).release_id
    r2 = done(deploy.publish(write_site(tmp_path / "r2", site_files(2)))).release_id
    list(rollback(deploy.target()))
    locked = deploy.pointer()
    assert locked is not None and locked.release_id == r1 and locked.locked

    # Without --unlock: nothing changes, and the summary says the lock stays and how to lift it.
    before = deploy.snapshot()
    summary = done(deploy.publish(r1_site))
    assert not summary.switched and deploy.snapshot() == before
    assert "already live" in summary.message and "stays locked" in summary.message and "--unlock" in summary.message

    events = deploy.publish(r1_site, unlock=True)
    summary = done(events)
    assert summary.switched and summary.bytes_sent == 0 and "unlocked" in summary.message
    assert not any(isinstance(e, FileDone) for e in events), "the same release: nothing to upload"
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == r1 and not pointer.locked and pointer.seq == 4
    assert pointer.previous == r2, "the release before stays the rollback target"
    assert history(deploy) == [(1, r1, None, "publish", False), (2, r2, r1, "publish", False),
                               (3, r1, r2, "rollback", True), (4, r1, r2, "unlock", False)]
    assert deploy.served()["index.html"] == b"<h1>Talks v1</h1>"
    # ...so the next deploy goes through.
    r3 = done(deploy.publish(write_site(tmp_path / "r3", site_files(3)))).release_id
    assert deploy.pointer().release_id == r3  # type: ignore[union-attr]


def test_a_removed_channel_published_again_continues_its_history(deploy: Deploy, tmp_path: Path) -> None:
    a = done(deploy.publish(write_site(tmp_path / "a", site_files(1)), channel="pr-9")).release_id
    b = done(deploy.publish(write_site(tmp_path / "b", site_files(2)), channel="pr-9")).release_id
    list(remove_channel(deploy.target(), channel="pr-9"))
    assert deploy.pointer("pr-9") is None
    # The pull request is reopened: the new pointer counts on from the history, never over it.
    c = done(deploy.publish(write_site(tmp_path / "c", site_files(3)), channel="pr-9")).release_id
    d = done(deploy.publish(write_site(tmp_path / "d", site_files(4)), channel="pr-9")).release_id
    pointer = deploy.pointer("pr-9")
    assert pointer is not None and (pointer.seq, pointer.release_id, pointer.previous) == (5, d, c)
    # The removal is an entry of its own (what was served until then), so history shows it.
    assert history(deploy, "pr-9") == [(1, a, None, "publish", False), (2, b, a, "publish", False),
                                       (3, b, a, "remove", False), (4, c, None, "publish", False),
                                       (5, d, c, "publish", False)]
    assert deploy.served("pr-9")["index.html"] == b"<h1>Talks v4</h1>"


def test_removing_a_channel_that_does_not_exist_is_done_not_an_error(deploy: Deploy, tmp_path: Path) -> None:
    done(deploy.publish(write_site(tmp_path / "live", site_files(1))))
    before = deploy.snapshot()
    summary = done(list(remove_channel(deploy.target(), channel="pr-99")))
    assert summary.message == "no channel named 'pr-99': nothing to remove" and not summary.switched
    assert deploy.snapshot() == before
    done(deploy.publish(write_site(tmp_path / "pr", site_files(2)), channel="pr-7"))
    list(remove_channel(deploy.target(), channel="pr-7"))
    again = done(list(remove_channel(deploy.target(), channel="pr-7")))  # cleaned twice
    assert again.message == "no channel named 'pr-7': nothing to remove" and deploy.pointer("pr-7") is None


@pytest.mark.parametrize("live", [True, False], ids=["live", "not-live"])
def test_publishing_a_sealed_release_restores_its_missing_and_truncated_files(deploy: Deploy, tmp_path: Path,
                                                                              live: bool) -> None:
    r1_site = write_site(tmp_path / "r1", site_files(1))
    rid = done(deploy.publish(r1_site)).release_id
    if not live:
        done(deploy.publish(write_site(tmp_path / "r2", site_files(2))))
    store = deploy.store()
    try:
        store.delete([f"releases/{rid}/talks/t1/img.png"])
        short = write_site(tmp_path / "short", {"f": "x"}) / "f"
        entry = next(f for f in done_manifest(store, rid).files if f.path == "static/style.css")
        store.upload(f"releases/{rid}/static/style.css", short, entry.__class__(
            entry.path, "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", 1,
            entry.content_type, entry.cache_control))
        store.upload(f"releases/{rid}/stray.txt", short, entry.__class__(
            "stray.txt", "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", 1, "text/plain", "x"))
    finally:
        store.close()
    if live:
        with pytest.raises(VerifyFailed) as failed:
            list(verify(deploy.target()))
        assert "`talkbuild publish`" in (failed.value.hint or "")
    events = deploy.publish(r1_site)
    restored = {e.path: e.action for e in events if isinstance(e, FileDone) and e.action != "present"}
    assert set(restored) == {"talks/t1/img.png", "static/style.css"}
    summary = done(events)
    assert summary.release_id == rid
    if live:
        assert not summary.switched and "2 missing or damaged file(s) restored" in summary.message
    else:
        assert summary.switched and any(isinstance(e, Switched) for e in events)
    served = deploy.served()
    assert served["talks/t1/img.png"] == bytes([1]) * 2000 and served["static/style.css"] == b"body { margin: 0 }\n" * 50
    assert "stray.txt" not in served
    assert done(list(verify(deploy.target()))).message == "verified 12 files"


def done_manifest(store: Store, rid: str) -> Manifest:
    manifest = load_manifest(store, rid)
    assert manifest is not None
    return manifest


def test_a_plain_publish_to_a_locked_channel_with_new_content_is_still_refused(deploy: Deploy, tmp_path: Path) -> None:
    done(deploy.publish(write_site(tmp_path / "r1", site_files(1))))
    done(deploy.publish(write_site(tmp_path / "r2", site_files(2))))
    list(rollback(deploy.target()))
    before = deploy.snapshot()
    with pytest.raises(PublishConflict, match="is locked"):
        deploy.publish(write_site(tmp_path / "r3", site_files(3)))
    assert deploy.snapshot() == before
