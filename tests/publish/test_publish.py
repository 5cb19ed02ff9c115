"""publish, idempotence, dedup, rollback, history, previews, verify, prune: on disk and on real S3."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from talkbuild.errors import TalkbuildError
from talkbuild.publish import BuildInfo, FileEntry, VerifyFailed, prune, releases, rollback, verify
from talkbuild.publish.events import Done, FileDone, Pruned, Switched
from talkbuild.publish.manifest import file_sha256
from talkbuild.publish.pointer import read_history
from talkbuild.publish.stores.base import manifest_key

from .conftest import Deploy, done, site_files, write_site


def test_publish_makes_the_whole_site_live(deploy: Deploy, tmp_path: Path) -> None:
    files = site_files(1)
    site = write_site(tmp_path / "site", files)
    summary = done(deploy.publish(site))
    assert summary.switched and summary.uploaded == len(files) and summary.copied == 0
    assert summary.bytes_sent == sum(len(v if isinstance(v, bytes) else v.encode()) for v in files.values())
    served = deploy.served()
    assert served == {k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()}
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == summary.release_id and pointer.seq == 1
    assert pointer.previous is None and pointer.who == "test"


def test_publishing_what_is_live_uploads_nothing_and_changes_nothing(deploy: Deploy, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    first = done(deploy.publish(site))
    before = deploy.snapshot()
    again = deploy.publish(site)
    assert not any(isinstance(e, FileDone) for e in again)
    summary = done(again)
    assert not summary.switched and summary.bytes_sent == 0 and summary.release_id == first.release_id
    assert deploy.snapshot() == before


def test_same_content_is_the_same_release_whatever_the_commit(tmp_path: Path, deploy: Deploy) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    a = done(deploy.publish(site, build=BuildInfo(commit="a" * 40)))
    b = done(deploy.publish(site, build=BuildInfo(commit="b" * 40)))
    assert a.release_id == b.release_id and not b.switched


def test_second_publish_uploads_only_the_changed_files(deploy: Deploy, tmp_path: Path) -> None:
    v1, v2 = site_files(1), site_files(2)
    deploy.publish(write_site(tmp_path / "site", v1))
    events = deploy.publish(write_site(tmp_path / "site", v2))
    changed = {k for k in v2 if v1[k] != v2[k]}
    assert changed == {"index.html", "talks/t0/index.html", "talks/t0/handout.html"}
    uploaded = {e.path for e in events if isinstance(e, FileDone) and e.action == "upload"}
    assert uploaded == changed
    summary = done(events)
    assert summary.bytes_sent == sum(len(str(v2[k]).encode()) for k in changed)
    assert summary.copied == len(v2) - len(changed)
    assert deploy.served()["talks/t1/img.png"] == bytes([1]) * 2000


def test_rollback_is_one_switch_back_and_history_records_every_switch(deploy: Deploy, tmp_path: Path) -> None:
    r1 = done(deploy.publish(write_site(tmp_path / "site", site_files(1)))).release_id
    r2 = done(deploy.publish(write_site(tmp_path / "site", site_files(2)))).release_id
    events = list(rollback(deploy.target()))
    assert [e.release_id for e in events if isinstance(e, Switched)] == [r1]
    assert deploy.served()["index.html"] == b"<h1>Talks v1</h1>"
    # forward again to a named release, by a prefix of its id
    list(rollback(deploy.target(), to=r2[:8]))
    assert deploy.served()["index.html"] == b"<h1>Talks v2</h1>"
    store = deploy.store()
    history = read_history(store, "live")
    store.close()
    assert [(h.seq, h.release_id, h.previous, h.reason) for h in history] == [
        (1, r1, None, "publish"), (2, r2, r1, "publish"), (3, r1, r2, "rollback"), (4, r2, r1, "rollback")]


def test_rollback_refuses_an_unsealed_release(deploy: Deploy, tmp_path: Path) -> None:
    r1 = done(deploy.publish(write_site(tmp_path / "site", site_files(1)))).release_id
    deploy.publish(write_site(tmp_path / "site", site_files(2)))
    store = deploy.store()
    store.delete([manifest_key(r1)])
    store.close()
    with pytest.raises(TalkbuildError, match="not sealed"):
        list(rollback(deploy.target(), to=r1))
    assert deploy.served()["index.html"] == b"<h1>Talks v2</h1>"


def test_previews_publish_to_their_own_channel_without_touching_live(deploy: Deploy, tmp_path: Path) -> None:
    done(deploy.publish(write_site(tmp_path / "site", site_files(1))))
    preview = deploy.publish(write_site(tmp_path / "site", site_files(2)), channel="pr-42")
    # the preview copies what live already has instead of uploading it again
    assert done(preview).copied == len(site_files(2)) - 3
    assert deploy.served("pr-42")["index.html"] == b"<h1>Talks v2</h1>"
    assert deploy.served()["index.html"] == b"<h1>Talks v1</h1>"
    infos = {r.release_id: r for r in releases(deploy.target())}
    assert sorted(c for r in infos.values() for c in r.channels) == ["live", "pr-42"]
    assert all(r.sealed for r in infos.values())


def test_invalid_channel_names_are_usage_errors(deploy: Deploy, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    with pytest.raises(TalkbuildError, match="invalid channel name") as err:
        deploy.publish(site, channel="../x")
    assert err.value.exit_code == 2


def test_verify_passes_then_detects_a_corrupted_and_a_missing_file(deploy: Deploy, tmp_path: Path) -> None:
    rid = done(deploy.publish(write_site(tmp_path / "site", site_files(1)))).release_id
    assert done(list(verify(deploy.target()))).message == "verified 12 files"
    store = deploy.store()
    store.put_if(f"releases/{rid}/index.html", b"<h1>Hacked</h1>!!", if_match=store.get(
        f"releases/{rid}/index.html")[1], content_type="text/html; charset=utf-8", cache_control="x")  # type: ignore[index]
    store.delete([f"releases/{rid}/talks/t1/img.png"])
    store.close()
    with pytest.raises(VerifyFailed) as err:
        list(verify(deploy.target()))
    problems = err.value.problems
    assert any(p.startswith("index.html: content differs") for p in problems), problems
    assert "talks/t1/img.png: missing" in problems and len(problems) == 2


def test_prune_keeps_n_and_never_what_a_channel_points_at_or_its_predecessor(deploy: Deploy, tmp_path: Path) -> None:
    ids = [done(deploy.publish(write_site(tmp_path / "site", site_files(v)))).release_id for v in range(1, 6)]
    list(rollback(deploy.target(), to=ids[0]))  # live -> r1, previous r5
    preview = done(deploy.publish(write_site(tmp_path / "site", site_files(9)), channel="pr-1")).release_id
    pruned = [e.release_id for e in prune(deploy.target(), keep=1) if isinstance(e, Pruned)]
    # kept: newest sealed (preview), live r1 and its predecessor r5, preview's nothing-before
    assert sorted(pruned) == sorted([ids[1], ids[2], ids[3]])
    left = {r.release_id for r in releases(deploy.target())}
    assert left == {ids[0], ids[4], preview}
    assert deploy.served()["index.html"] == b"<h1>Talks v1</h1>"
    list(verify(deploy.target()))
    list(rollback(deploy.target()))  # the predecessor is still there to roll back to
    assert deploy.served()["index.html"] == b"<h1>Talks v5</h1>"
    # A pruned release is gone, not "an upload that never finished" (S3 keeps listing its emptied prefix).
    with pytest.raises(TalkbuildError, match=f"no release '{ids[1]}") as gone:
        list(rollback(deploy.target(), to=ids[1]))
    assert "never finished" not in str(gone.value)


def test_prune_removes_abandoned_unsealed_releases_after_the_grace_period(deploy: Deploy, tmp_path: Path) -> None:
    done(deploy.publish(write_site(tmp_path / "site", site_files(1))))
    store = deploy.store()
    crashed = write_site(tmp_path / "x", {"index.html": "<p>half</p>"}) / "index.html"
    entry = FileEntry("index.html", file_sha256(crashed), crashed.stat().st_size, "text/html", "no-cache")
    store.upload("releases/abandoned0000000000000/index.html", crashed, entry)
    store.close()
    young = list(prune(deploy.target(), keep=5))  # young: maybe a publish in progress
    assert [type(e) for e in young] == [Done] and young[0].message.startswith("nothing to prune")  # type: ignore[attr-defined]
    future = time.time() + 25 * 3600
    events = [e for e in prune(deploy.target(), keep=5, now=future) if isinstance(e, Pruned)]
    assert [(e.release_id, e.sealed, e.dry_run) for e in events] == [("abandoned0000000000000", False, False)]
    assert [r.release_id for r in releases(deploy.target())] == [deploy.pointer().release_id]  # type: ignore[union-attr]


def test_older_commit_never_replaces_a_newer_one(deploy: Deploy, tmp_path: Path) -> None:
    import subprocess

    git = ["git", "-C", str(deploy.project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "a"], check=True)
    old = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "b"], check=True)
    new = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    done(deploy.publish(write_site(tmp_path / "site", site_files(2)), build=BuildInfo(commit=new)))
    with pytest.raises(TalkbuildError, match="newer than this build"):
        deploy.publish(write_site(tmp_path / "site", site_files(1)), build=BuildInfo(commit=old))
    assert deploy.served()["index.html"] == b"<h1>Talks v2</h1>"


def test_removing_a_preview_channel_leaves_live_alone_and_makes_its_release_prunable(deploy: Deploy, tmp_path: Path) -> None:
    from talkbuild.errors import TalkbuildError
    from talkbuild.publish.operations import remove_channel
    from talkbuild.publish.pruning import prune

    live = done(deploy.publish(write_site(tmp_path / "live", site_files(1)))).release_id
    preview = done(deploy.publish(write_site(tmp_path / "pr", site_files(2)), channel="pr-7")).release_id
    before = deploy.served("live")
    list(remove_channel(deploy.target(), channel="pr-7"))
    assert deploy.pointer("pr-7") is None
    assert deploy.served("live") == before
    if deploy.kind == "file":
        assert not (Path(deploy.url.removeprefix("file://")) / "channels" / "pr-7").exists()
    deploy.publish(write_site(tmp_path / "live2", site_files(3)))
    list(prune(deploy.target(), keep=1))
    store = deploy.store()
    try:
        assert store.get(f"manifests/{live}.json") is not None
        assert store.get(f"manifests/{preview}.json") is None
    finally:
        store.close()
    with pytest.raises(TalkbuildError, match="refusing to remove the live channel"):
        list(remove_channel(deploy.target(), channel="live"))
    assert done(list(remove_channel(deploy.target(), channel="pr-7"))).message == \
        "no channel named 'pr-7': nothing to remove"


def test_a_rollback_locks_the_channel_until_a_publish_says_unlock(deploy: Deploy, tmp_path: Path) -> None:
    from talkbuild.publish import PublishConflict

    good = done(deploy.publish(write_site(tmp_path / "r1", site_files(1)))).release_id
    done(deploy.publish(write_site(tmp_path / "r2", site_files(2))))
    list(rollback(deploy.target()))
    pointer = deploy.pointer()
    assert pointer is not None and pointer.release_id == good and pointer.locked
    before = deploy.snapshot()
    with pytest.raises(PublishConflict, match="is locked: it was rolled back"):
        deploy.publish(write_site(tmp_path / "r3", site_files(3)))
    assert deploy.snapshot() == before, "a refused publish uploads and switches nothing"
    fixed = done(deploy.publish(write_site(tmp_path / "r3", site_files(3)), unlock=True))
    pointer = deploy.pointer()
    assert fixed.switched and pointer is not None and pointer.release_id == fixed.release_id and not pointer.locked


def test_unchanged_files_with_awkward_names_are_copied_with_their_bytes_and_headers(deploy: Deploy, tmp_path: Path) -> None:
    odd = {"talks/t 1/ünï code+plus.html": "<p>u</p>", "talks/t1/100%.png": b"\x89PNG" * 10,
           "talks/t1/a~b=c&d;e@f.css": "p { }", "talks/t1/[brackets] (1).svg": "<svg/>"}
    v1, v2 = {**site_files(1), **odd}, {**site_files(2), **odd}
    deploy.publish(write_site(tmp_path / "site", v1))
    summary = done(deploy.publish(write_site(tmp_path / "site", v2)))
    assert summary.copied == len(v2) - 3
    served = deploy.served()
    assert {k: served[k] for k in odd} == {k: v.encode() if isinstance(v, str) else v for k, v in odd.items()}
    if deploy.kind == "s3":
        store = deploy.store()
        try:
            pointer = deploy.pointer()
            assert pointer is not None
            stored = store.read_back(f"releases/{pointer.release_id}/talks/t1/a~b=c&d;e@f.css")
            assert stored is not None and stored.content_type == "text/css; charset=utf-8"
        finally:
            store.close()
