"""`publish`: upload a release under its content hash, verify, seal, then switch the channel's pointer."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import TalkbuildError
from .catalog import listing_problems, load_manifest
from .content_types import NO_STORE
from .events import Done, Event, FileDone, LivePointer, RaceLost, Sealed, Started, Switched, Verified
from .manifest import BuildInfo, FileEntry, Manifest, build_info, build_manifest, is_ancestor, is_shallow
from .pointer import (
    JSON,
    Pointer,
    check_channel,
    last_recorded_seq,
    next_pointer,
    now,
    read_pointer,
    record_history,
    restore,
    try_switch,
)
from .stores import open_store
from .stores.base import LIVE, Store, immutable_url, manifest_key, release_prefix
from .tombstone import refuse_if_being_pruned, switch_problem

CRASH_ENV = "TALKBUILD_PUBLISH_CRASH_AT"
"""Test hook: SIGKILL this process at the named step (see crash_point) to prove a crash is harmless."""
SWITCH_ATTEMPTS = 5


class PublishConflict(TalkbuildError):
    """Another publisher moved the pointer, or the channel already serves a newer build."""


class ShallowHistory(PublishConflict):
    """A shallow clone cannot show that this build is not older than the channel's: a usage error."""

    exit_code = 2


class Unordered(PublishConflict):
    """A build without a commit (no git, or no commit yet) cannot be ordered against the channel's: usage error."""

    exit_code = 2


def crash_point(step: str) -> None:
    """Die here, without cleanup, when TALKBUILD_PUBLISH_CRASH_AT names this step (tests only)."""
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def publish_site(site_dir: Path, target: str, *, channel: str = LIVE, project_root: Path | None = None,
                 endpoint_url: str | None = None, region: str | None = None, jobs: int = 16,
                 build: BuildInfo | None = None, public_url: str | None = None,
                 store_options: dict[str, Any] | None = None, unlock: bool = False,
                 manifest: Manifest | None = None, allow_no_commit: bool = False) -> Iterator[Event]:
    """Publish a built site to `target` and make it what `channel` serves; yields progress events.

    `manifest` is build_manifest(site_dir) when the caller already made it (publish's check gate
    proves that manifest, so the same hashes are shipped). Publishing what the channel already
    serves uploads nothing and writes nothing. `allow_no_commit` lets a build without a commit replace a
    channel release that has one (it cannot be ordered, so it is refused otherwise).
    """
    check_channel(channel)
    root = project_root or site_dir.parent
    manifest = manifest or build_manifest(site_dir, build or build_info(root))
    options = {"endpoint_url": endpoint_url, "region": region, "jobs": jobs, **(store_options or {})}
    store = open_store(target, root, **options)
    try:
        yield from publish_manifest(store, manifest, site_dir, channel=channel, project_root=root, jobs=jobs,
                                    public_url=public_url, unlock=unlock, allow_no_commit=allow_no_commit)
    finally:
        store.close()


def publish_manifest(store: Store, manifest: Manifest, site_dir: Path, *, channel: str, project_root: Path,
                     jobs: int = 16, public_url: str | None = None, unlock: bool = False,
                     allow_no_commit: bool = False) -> Iterator[Event]:
    rid = manifest.release_id
    yield Started(store.url, channel, rid, len(manifest.files), manifest.total_bytes)
    crash_point("start")
    current, etag = read_pointer(store, channel)
    yield LivePointer(channel, current.release_id if current else None, current.seq if current else 0)
    url = public_url or store.release_url(channel, rid)
    immutable = public_url is None and not store.channel_urls
    own = immutable_url(store, rid) if public_url else None
    if current is None or current.release_id != rid:  # what a channel serves, prune keeps anyway
        # Re-sealing a release a prune is removing would make its deletion look like someone else's.
        refuse_if_being_pruned(store, rid, error=PublishConflict, content=" (this build's content)",
                               nothing="nothing was uploaded or switched",
                               wait="rerun `talkbuild publish` once the prune is done",
                               after_prune=", and publish again (the release is uploaded and sealed anew)")
    sealed = load_manifest(store, rid) is not None
    live_already = current is not None and current.release_id == rid and sealed
    if not live_already:
        _refuse_if_locked(current, unlock)
        _refuse_if_older(current, manifest.build, project_root, allow_no_commit)
    counts = {"upload": 0, "copy": 0, "present": 0, "bytes": 0}
    # A sealed release is checked too (one LIST): what `verify` finds missing or truncated in it is
    # uploaded again. Same id, same bytes, so this repairs a release without changing its content.
    problems = listing_problems(store, manifest) if sealed else None
    if problems is None or problems:
        previous = [m for m in _previous_manifests(store, current, channel) if m.release_id != rid]
        for event in _upload(store, manifest, site_dir, previous, jobs):
            counts[event.action] += 1
            counts["bytes"] += event.bytes_sent
            yield event
            crash_point(f"upload:{event.done}")
        crash_point("before-verify")
        problems = listing_problems(store, manifest)
    if problems:
        raise TalkbuildError(f"release {rid} in {store.url} is incomplete: " + "; ".join(problems[:5]),
                             hint="rerun `talkbuild publish`; nothing was switched")
    yield Verified(rid, len(manifest.files))
    if not sealed:
        crash_point("before-seal")
        _seal(store, manifest)
        yield Sealed(rid)
        crash_point("after-seal")
    repaired = counts["upload"] + counts["copy"]
    if live_already and current is not None and not (current.locked and unlock):
        _repair(store, current)
        message = "already live" + (f", {repaired} missing or damaged file(s) restored" if repaired else "")
        if current.locked:
            message += (f"; channel '{channel}' stays locked (rolled back at {current.time} by "
                        f"{current.who or 'unknown'}): publish with --unlock (make deploy UNLOCK=1) to lift the lock")
        yield Done(channel, rid, False, url, counts["upload"], counts["copy"], len(manifest.files) - repaired,
                   counts["bytes"], message, locked=current.locked, immutable=immutable, release_url=own)
        return
    switched = False
    # Lifting a rollback's lock on the release it left live is a switch like any other: a new pointer
    # (locked false) through the same conditional write and history, so the audit trail shows who did it.
    reason = "unlock" if live_already else "publish"
    for step in _switch(store, manifest, channel, current, etag, project_root, unlock, reason):
        switched = switched or isinstance(step, Switched)
        yield step
    if not switched:
        message = "the same release was made live by another publisher"
    elif live_already:
        message = "unlocked: the same release stays live" + (
            f", {repaired} missing or damaged file(s) restored" if repaired else "")
    else:
        message = "published"
    yield Done(channel, rid, switched, url, counts["upload"], counts["copy"], counts["present"],
               counts["bytes"], message, immutable=immutable, release_url=own)


def _repair(store: Store, pointer: Pointer) -> None:
    """Finish what a crashed run may have left undone after its switch (both steps are idempotent)."""
    record_history(store, pointer)
    store.project(pointer.channel, pointer.release_id)


def _refuse_if_locked(current: Pointer | None, unlock: bool) -> None:
    if current is None or not current.locked or unlock:
        return
    raise PublishConflict(
        f"channel '{current.channel}' is locked: it was rolled back to {current.release_id} at {current.time} "
        f"by {current.who or 'unknown'}, so publishes are paused; nothing was uploaded or switched",
        hint="once the fix is in, publish with --unlock (make deploy UNLOCK=1), or roll back again")


def _refuse_if_older(current: Pointer | None, build: BuildInfo, project_root: Path,
                     allow_no_commit: bool = False) -> None:
    if current is not None and current.commit and not build.commit and not allow_no_commit:
        # "An older build never replaces a newer one" needs a commit to compare; without one (a copy made by
        # `git archive`, a folder that is no git repository, `git init` with nothing committed yet) this
        # build may be older than what is live, so it is refused unless asked for by name.
        raise Unordered(
            f"channel '{current.channel}' serves commit {current.commit[:12]}, and this build has no commit "
            f"(no git repository, nothing committed, or a --prebuilt site no build here vouches for), so it "
            "cannot be shown not to be older; nothing was uploaded or switched",
            hint="publish from a clone of the repository (commit first; with --prebuilt, name the commit that "
                 "built the site with --commit SHA), or, to replace it on purpose, pass --allow-no-commit; a "
                 "preview to a new channel (--channel NAME) needs neither")
    if current is None or not current.commit or not build.commit or current.commit == build.commit:
        return
    if is_ancestor(project_root, build.commit, current.commit):
        raise PublishConflict(
            f"channel '{current.channel}' serves commit {current.commit[:12]}, which is newer than this build's "
            f"{build.commit[:12]}; refusing to replace a newer build with an older one",
            hint=f"to go back on purpose, run `talkbuild rollback --channel {current.channel} --to RELEASE`")
    # A shallow clone lacks the history that would show the live commit is newer (it is usually not in
    # the clone at all), so "not proven older" proves nothing there. Only ancestry found in the clone is
    # evidence (a cut history loses edges, never invents them): publish when the live commit is an
    # ancestor of this build, refuse otherwise. A full clone keeps the old rule: refuse what git shows older.
    if is_shallow(project_root) and not is_ancestor(project_root, current.commit, build.commit):
        raise ShallowHistory(
            f"channel '{current.channel}' serves commit {current.commit[:12]}, and this shallow clone cannot show "
            f"that this build ({build.commit[:12]}) is not older; nothing was uploaded or switched",
            hint="fetch the whole history and publish again: `git fetch --unshallow` (GitHub Actions: "
                 "actions/checkout with `fetch-depth: 0`)")


def _previous_manifests(store: Store, current: Pointer | None, channel: str) -> list[Manifest]:
    """Releases whose files can be copied server-side: the channel's current one and, for previews, live's."""
    ids = [current.release_id] if current else []
    if channel != LIVE:
        live, _ = read_pointer(store, LIVE)
        if live is not None and live.release_id not in ids:
            ids.append(live.release_id)
    return [m for m in (load_manifest(store, rid) for rid in ids) if m is not None]


def _upload(store: Store, manifest: Manifest, site_dir: Path, previous: list[Manifest],
            jobs: int) -> Iterator[FileDone]:
    prefix = release_prefix(manifest.release_id)
    present = {o.key[len(prefix):]: o.size for o in store.list_objects(prefix)}
    # The release is unfinished (or, sealed, is being repaired) work on exactly this content: anything in it
    # that the manifest does not list is debris (a temporary file of a run killed by an older talkbuild, say).
    wanted = {f.path for f in manifest.files}
    debris = [prefix + path for path in present if path not in wanted]
    if debris:
        store.delete(debris)
    known: dict[str, str] = {}
    for old in previous:
        for f in old.files:
            known.setdefault(f.sha256, release_prefix(old.release_id) + f.path)
    total = len(manifest.files)

    def one(entry: FileEntry) -> tuple[str, str, int]:
        key = prefix + entry.path
        # Writes of one release id are always the same bytes (the id hashes them), and each write
        # is atomic, so a file of the right size left by a crashed run is complete.
        if present.get(entry.path) == entry.size:
            return entry.path, "present", 0
        if entry.sha256 in known:
            store.copy(known[entry.sha256], key, entry)
            return entry.path, "copy", 0
        return entry.path, "upload", store.upload(key, site_dir / entry.path, entry)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(one, entry) for entry in manifest.files]
        try:
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                path, action, sent = future.result()
                yield FileDone(path, action, sent, done, total)
        finally:
            for pending in futures:
                pending.cancel()


def _seal(store: Store, manifest: Manifest) -> None:
    sealed = dataclasses.replace(manifest, created=now())
    # Create-only: if another publisher of the same content sealed first, its manifest stands.
    store.put_if(manifest_key(manifest.release_id), sealed.to_json(), if_match=None, content_type=JSON,
                 cache_control=NO_STORE)


def _switch(store: Store, manifest: Manifest, channel: str, current: Pointer | None, etag: str | None,
            project_root: Path, unlock: bool = False, reason: str = "publish") -> Iterator[Event]:
    """Compare-and-swap the pointer; on a lost race re-read and decide (retry only if ours is newer)."""
    rid, build = manifest.release_id, manifest.build
    for _ in range(SWITCH_ATTEMPTS):
        if current is not None:
            record_history(store, current)  # the state we replace is in the history before it is gone
        after = last_recorded_seq(store, channel) if current is None else 0
        new = next_pointer(current, channel, rid, commit=build.commit, branch=build.branch, who=build.actor,
                           reason=reason, ci_run_url=build.ci_run_url, after_seq=after)
        crash_point("before-switch")
        won = try_switch(store, new, etag)
        if not won:
            theirs, etag = read_pointer(store, channel)
            won = theirs is not None and theirs.nonce == new.nonce  # our write landed; its answer was lost
            if not won:
                if theirs is not None and theirs.release_id == rid and theirs.locked and unlock:
                    yield RaceLost(channel, rid, theirs.seq, "the same release was locked again: lifting it")
                    current = theirs
                    continue
                if theirs is not None and theirs.release_id == rid:
                    _repair(store, theirs)
                    yield RaceLost(channel, theirs.release_id, theirs.seq, "the same release is live: done")
                    return
                _refuse_if_locked(theirs, unlock)  # a rollback landed meanwhile
                decision = _after_lost_race(theirs, build, project_root)
                yield RaceLost(channel, theirs.release_id if theirs else "", theirs.seq if theirs else 0, decision)
                current = theirs
                continue
        problem = switch_problem(store, manifest)
        if problem:
            _undo_pruned(store, new, current, problem)
        crash_point("after-switch")
        record_history(store, new)
        crash_point("after-history")
        store.project(channel, rid)
        crash_point("after-project")
        yield Switched(channel, rid, new.seq, new.previous, new.reason)
        return
    raise PublishConflict(f"channel '{channel}' kept moving; gave up after {SWITCH_ATTEMPTS} attempts",
                          hint=f"release {rid} is sealed; rerun `talkbuild publish` when other publishers are done")


def _undo_pruned(store: Store, new: Pointer, before: Pointer | None, problem: str) -> None:
    """A concurrent prune took (or is taking) the release we just switched to: put the channel back, say so."""
    restored = restore(store, new, before)
    back = (f"channel '{new.channel}' is back on {before.release_id if before else 'nothing'}" if restored
            else f"channel '{new.channel}' has moved on since")
    raise PublishConflict(f"{problem} while this publish switched to it; {back}",
                          hint="publish again once the prune is done: the release is uploaded and sealed anew")


def _after_lost_race(theirs: Pointer | None, build: BuildInfo, project_root: Path) -> str:
    """Retry only when git proves our build descends from theirs; otherwise refuse, loudly."""
    if theirs is None:
        return "the pointer was deleted: retrying as the first release"
    if theirs.commit and build.commit and theirs.commit != build.commit \
            and is_ancestor(project_root, theirs.commit, build.commit):
        return f"ours is newer than commit {theirs.commit[:12]}: retrying"
    raise PublishConflict(
        f"channel '{theirs.channel}' was switched to {theirs.release_id} (seq {theirs.seq}, commit "
        f"{(theirs.commit or 'unknown')[:12]}, by {theirs.who or 'unknown'}) while this publish was running; "
        f"not replacing it",
        hint=f"this release ({build.commit[:12] if build.commit else 'no commit'}) is sealed: make it live on "
             f"purpose with `talkbuild rollback --channel {theirs.channel} --to RELEASE`, or rerun publish")
