"""rollback, verify, releases and channels: everything after a release exists. One pointer switch at most.

prune lives in pruning.py."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, TalkbuildError
from .catalog import ReleaseInfo, list_releases, listing_problems, load_manifest, resolve_release
from .events import Checked, Done, Event, Switched
from .manifest import build_info
from .pointer import Pointer, check_channel, next_pointer, read_pointer, record_history, restore, try_switch
from .stores import open_store
from .stores.base import LIVE, Store, immutable_url, pointer_key, release_prefix
from .tombstone import marked, pruning_note, refuse_if_being_pruned, switch_problem


class VerifyFailed(TalkbuildError):
    """The served release differs from its manifest."""

    def __init__(self, url: str, problems: list[str]) -> None:
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{url}: {len(problems)} problem(s):\n  {shown}{more}", hint=_repair_hint(problems),
                         code="verify")
        self.problems = tuple(problems)


def _repair_hint(problems: list[str]) -> str:
    """What repairs these problems. Publish compares a sealed release's listing (names and sizes) with its
    manifest, so it restores missing, truncated and stray files, but cannot see bytes changed in place."""
    rollback = "or roll back with `talkbuild rollback`"
    if any("content differs" in p or "Content-Type" in p for p in problems):
        return ("a file changed in place keeps its size, so publish cannot see it: delete the damaged files from "
                "the store, then run `talkbuild publish` on a build of this release to restore them; " + rollback)
    return ("run `talkbuild publish` on a build of this release (same content, same id): it re-uploads what is "
            "missing or the wrong size and removes stray files; " + rollback)


@dataclass(frozen=True, slots=True)
class Target:
    """How to reach a target: the URL and the options of its store."""

    url: str
    project_root: Path
    endpoint_url: str | None = None
    region: str | None = None
    jobs: int = 16
    store_options: tuple[tuple[str, Any], ...] = ()

    def open(self) -> Store:
        return open_store(self.url, self.project_root, endpoint_url=self.endpoint_url, region=self.region,
                          jobs=self.jobs, **dict(self.store_options))


def _published_pointer(store: Store, channel: str) -> tuple[Pointer, str | None]:
    """The channel's pointer and its version tag; an error when nothing was ever published to it."""
    current, etag = read_pointer(store, channel)
    if current is None:
        raise TalkbuildError(f"nothing was ever published to channel '{channel}' in {store.url}",
                             hint="run `talkbuild publish` first")
    return current, etag


def rollback(target: Target, *, channel: str = LIVE, to: str | None = None,
             public_url: str | None = None) -> Iterator[Event]:
    """Point `channel` at release `to` (default: the one it served before). No upload, one switch.

    `public_url` is where visitors see the channel (shown instead of the release's storage URL).
    """
    check_channel(channel)
    store = target.open()
    try:
        current, etag = _published_pointer(store, channel)
        wanted = resolve_release(store, to) if to else current.previous
        if wanted is None:
            raise TalkbuildError(f"channel '{channel}' has no previous release", hint="pass --to RELEASE")
        url = public_url or store.release_url(channel, wanted)
        immutable = public_url is None and not store.channel_urls
        own = immutable_url(store, wanted) if public_url else None
        if wanted == current.release_id:
            record_history(store, current)
            store.project(channel, wanted)
            message = "already live" + (f"; {locked_message(channel)}" if current.locked else "")
            yield Done(channel, wanted, False, url, message=message, locked=current.locked, immutable=immutable,
                       release_url=own)
            return
        refuse_if_being_pruned(store, wanted, error=TalkbuildError, content="", nothing="nothing was switched",
                               wait="pick another release with --to (`talkbuild releases` lists them)",
                               after_prune=" (the release is gone then); pick another release with --to")
        manifest = load_manifest(store, wanted)
        if manifest is None and next(iter(store.list_objects(release_prefix(wanted))), None) is None:
            # No seal and no file (S3 keeps listing an emptied prefix): pruned, not an unfinished upload.
            raise TalkbuildError(f"no release '{wanted}' in {store.url} (it was pruned, or never published)",
                                 hint="`talkbuild releases` lists them")
        if manifest is None:
            raise TalkbuildError(f"release {wanted} is not sealed (its upload never finished)",
                                 hint="only sealed releases can go live; `talkbuild releases` shows them")
        problems = listing_problems(store, manifest)
        if problems:
            raise TalkbuildError(f"release {wanted} is incomplete: " + "; ".join(problems[:5]),
                                 hint="it was partly pruned or damaged; pick another with --to")
        record_history(store, current)
        who = build_info(target.project_root).actor
        new = next_pointer(current, channel, wanted, commit=manifest.build.commit, branch=manifest.build.branch,
                           who=who, reason="rollback", ci_run_url=manifest.build.ci_run_url, locked=True)
        if not try_switch(store, new, etag):
            theirs, _ = read_pointer(store, channel)
            if theirs is None or theirs.nonce != new.nonce:
                raise TalkbuildError(
                    f"channel '{channel}' moved to {theirs.release_id if theirs else 'nothing'} while rolling back; "
                    "nothing was changed", hint="look at `talkbuild releases` and run rollback again")
        problem = switch_problem(store, manifest)  # a prune running at the same time took it (see tombstone.py)
        if problem:
            back = "it is back on " + current.release_id if restore(store, new, current) else "it has moved on since"
            raise TalkbuildError(f"{problem} while channel '{channel}' was switched to it; {back}",
                                 hint="pick another release with --to (`talkbuild releases` lists them)")
        record_history(store, new)
        store.project(channel, wanted)
        yield Switched(channel, wanted, new.seq, new.previous, "rollback")
        verb = "rolled back from" if wanted == current.previous else "switched from"
        yield Done(channel, wanted, True, url, message=f"{verb} {current.release_id}; {locked_message(channel)}",
                   locked=True, immutable=immutable, release_url=own)
    finally:
        store.close()


def locked_message(channel: str) -> str:
    """What a locked channel means and how to lift the lock, for the summary line."""
    how = ("make deploy UNLOCK=1, or the ci workflow with \"unlock\"" if channel == LIVE
           else f"make deploy CHANNEL={channel} UNLOCK=1")
    return f"{channel} is now locked: the next publish is refused until one runs with --unlock ({how})"


def remove_channel(target: Target, *, channel: str) -> Iterator[Event]:
    """Delete a preview channel's pointer (its history stays); its releases become prunable.

    Removing a channel that does not exist is not an error (exit 0, says so); `live` is always refused.
    """
    check_channel(channel)
    if channel == LIVE:
        raise ConfigError("refusing to remove the live channel", hint="roll it back instead")
    store = target.open()
    try:
        current, _ = read_pointer(store, channel)
        if current is None:
            # Idempotent like `aws s3 rm`: a pull request that never got a preview, or one cleaned twice,
            # is not a failure of the cleanup job. A stale served link (on disk) goes all the same.
            if store.projection(channel) is not None:
                store.unproject(channel)
            yield Done(channel, "", False, store.url, message=f"no channel named '{channel}': nothing to remove")
            return
        # Its last state stays in the history, so a later publish to the same name continues after it, and
        # the removal itself is one more entry (same shape; reason "remove"), so history tells a preview that
        # was removed from one merely superseded, and `history --at` shows nothing served after it.
        record_history(store, current)
        who = build_info(target.project_root).actor
        record_history(store, next_pointer(current, channel, current.release_id, commit=None, branch=None, who=who,
                                           reason="remove", ci_run_url=None))
        store.unproject(channel)
        store.delete([pointer_key(channel)])
        yield Done(channel, current.release_id, True, store.url, message=f"removed channel '{channel}'")
    finally:
        store.close()


def verify(target: Target, *, channel: str = LIVE) -> Iterator[Event]:
    """Read the channel's release back from the store; raise VerifyFailed unless every file is right."""
    check_channel(channel)
    store = target.open()
    try:
        current, _ = _published_pointer(store, channel)
        rid = current.release_id
        manifest = load_manifest(store, rid)
        if manifest is None:
            raise VerifyFailed(store.url, [f"channel '{channel}' points at release {rid}, which is not sealed"])
        problems: list[str] = []
        served = store.projection(channel)
        if served is not None and served != rid:
            problems.append(f"the served link for '{channel}' shows {served}, the pointer says {rid} "
                            "(rerun `talkbuild publish` or `talkbuild rollback --to` to repair)")
        prefix = release_prefix(rid)
        expected = {prefix + f.path for f in manifest.files}
        problems.extend(f"{o.key[len(prefix):]}: not in the manifest" for o in store.list_objects(prefix)
                        if o.key not in expected)
        total = len(manifest.files)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, target.jobs)) as pool:
            futures = {pool.submit(store.read_back, prefix + f.path): f for f in manifest.files}
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                entry = futures[future]
                got = future.result()
                problem = None
                if got is None:
                    problem = "missing"
                elif got.size != entry.size:
                    problem = f"{got.size} bytes, expected {entry.size}"
                elif got.sha256 != entry.sha256:
                    problem = f"content differs (sha256 {got.sha256[:12]}, expected {entry.sha256[:12]})"
                elif got.content_type is not None and got.content_type != entry.content_type:
                    problem = f"Content-Type {got.content_type!r}, expected {entry.content_type!r}"
                if problem:
                    problems.append(f"{entry.path}: {problem}")
                yield Checked(entry.path, problem is None, problem, done, total)
        if problems:
            raise VerifyFailed(f"{store.url}{prefix}", sorted(problems))
        yield Done(channel, rid, False, store.release_url(channel, rid), message=f"verified {total} files")
    finally:
        store.close()


def releases(target: Target) -> list[ReleaseInfo]:
    """Every release in the target, newest first, then those of which nothing but a prune's tombstone is left;
    those a prune is removing (or left half removed) say so."""
    store = target.open()
    try:
        infos = list_releases(store)
        notes = {rid: note for rid in marked(store) if (note := pruning_note(store, rid))}
        listed = {r.release_id for r in infos}
        gone = [ReleaseInfo(rid, sealed=False, time="", modified=0.0, commit=None, files=0, channels=())
                for rid in sorted(notes) if rid not in listed]
        return [replace(r, pruning=notes.get(r.release_id, "")) for r in infos + gone]
    finally:
        store.close()
