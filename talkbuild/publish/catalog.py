"""Reading what a target holds: release manifests, completeness of a release, the list of releases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import TalkbuildError
from .manifest import Manifest
from .pointer import Pointer, channels, read_pointer
from .stores.base import RELEASES, Store, manifest_key, release_prefix


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """One release in a target, for `talkbuild releases` and prune."""

    release_id: str
    sealed: bool
    time: str
    """When it was sealed (UTC, ISO 8601), or when its newest file was written if unsealed."""
    modified: float
    """Seconds since the epoch of its newest object (for the unsealed grace period)."""
    commit: str | None
    files: int
    channels: tuple[str, ...]
    locked: tuple[str, ...] = ()
    """Those of `channels` that a rollback locked (publishes refused until one passes --unlock)."""
    pruning: str = ""
    """When a prune is removing it (or stopped half-way), what `releases` says of that; else ""."""


def load_manifest(store: Store, release_id: str) -> Manifest | None:
    """The sealed manifest of a release, or None if the release is not sealed (or does not exist)."""
    got = store.get(manifest_key(release_id))
    if got is None:
        return None
    manifest = Manifest.from_json(got[0], store.url + manifest_key(release_id))
    if manifest.release_id != release_id:
        raise TalkbuildError(f"manifest {manifest_key(release_id)} names release {manifest.release_id}",
                             hint=f"inspect {store.url}{manifest_key(release_id)}")
    return manifest


def listing_problems(store: Store, manifest: Manifest) -> list[str]:
    """Compare the stored file list and sizes of a release with its manifest (one LIST, no reads)."""
    prefix = release_prefix(manifest.release_id)
    stored = {o.key[len(prefix):]: o.size for o in store.list_objects(prefix)}
    problems = []
    for entry in manifest.files:
        size = stored.pop(entry.path, None)
        if size is None:
            problems.append(f"{entry.path}: missing")
        elif size != entry.size:
            problems.append(f"{entry.path}: {size} bytes stored, {entry.size} expected")
    problems.extend(f"{path}: not in the manifest" for path in sorted(stored))
    return problems


def all_pointers(store: Store) -> dict[str, Pointer]:
    out = {}
    for channel in channels(store):
        pointer, _ = read_pointer(store, channel)
        if pointer is not None:
            out[channel] = pointer
    return out


def resolve_release(store: Store, wanted: str) -> str:
    """A full release id from an id or a unique prefix of one."""
    known = set(store.list_names(RELEASES)) | {n.removesuffix(".json") for n in store.list_names("manifests/")}
    if wanted in known:
        return wanted
    matches = sorted(r for r in known if r.startswith(wanted))
    if len(matches) == 1:
        return str(matches[0])
    if not matches:
        raise TalkbuildError(f"no release '{wanted}' in {store.url}", hint="`talkbuild releases` lists them")
    raise TalkbuildError(f"'{wanted}' matches {len(matches)} releases: {', '.join(matches)}",
                         hint="give more digits of the id")


def list_releases(store: Store) -> list[ReleaseInfo]:
    """Every release (sealed or not), newest first, with the channels that point at it."""
    pointers = all_pointers(store)
    ids = set(store.list_names(RELEASES)) | {n.removesuffix(".json") for n in store.list_names("manifests/")}
    out = []
    for rid in ids:
        manifest = load_manifest(store, rid)
        objects = list(store.list_objects(release_prefix(rid)))
        modified = max((o.modified for o in objects), default=0.0)
        names = tuple(sorted(c for c, p in pointers.items() if p.release_id == rid))
        locked = tuple(c for c in names if pointers[c].locked)
        if manifest is not None:
            out.append(ReleaseInfo(rid, True, manifest.created, modified, manifest.build.commit,
                                   len(manifest.files), names, locked))
        elif objects:  # some stores (SeaweedFS) keep listing a folder whose objects are all deleted
            when = datetime.fromtimestamp(modified, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            out.append(ReleaseInfo(rid, False, when, modified, None, len(objects), names, locked))
    return sorted(out, key=lambda r: (r.time, r.release_id), reverse=True)
