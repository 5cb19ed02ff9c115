"""The storage interface every publish target implements, and the layout shared by all of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..manifest import FileEntry

LIVE = "live"

# Keys, relative to the target's root (a folder, or a bucket prefix). See docs/deploy.md "Layout".
RELEASES = "releases/"


def release_prefix(release_id: str) -> str:
    return f"releases/{release_id}/"


def immutable_url(store: Store, release_id: str) -> str:
    """The release's own address, which never shows a later publish (a store's release_url may be a channel's)."""
    if not store.channel_urls:
        return store.release_url("live", release_id)
    return store.url + release_prefix(release_id) + "index.html"


def manifest_key(release_id: str) -> str:
    """The seal: written last, so a release without it is unfinished and never goes live."""
    return f"manifests/{release_id}.json"


def pruning_key(release_id: str) -> str:
    """Prune's tombstone: written (create-only) before it deletes a release's seal, removed when it is done.

    Publish never writes it, so a publish that re-seals the same content (a revert reuses the id) cannot
    hide a prune under way the way it hides the deleted seal. It is a lease the prune renews while it
    deletes (see tombstone.py and lease.py).
    """
    return f"pruning/{release_id}.json"


def pointer_key(channel: str) -> str:
    return f"pointers/{channel}.json"


def history_key(channel: str, seq: int) -> str:
    return f"history/{channel}/{seq:010d}.json"


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What a listing says about one stored object."""

    key: str
    size: int
    modified: float
    """Seconds since the epoch."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the store actually serves for one key, read back in full (for verify)."""

    key: str
    size: int
    sha256: str
    content_type: str | None
    """None where the store keeps no headers (a local folder: the web server decides)."""


class Store(Protocol):
    """A place releases are written to. Keys are POSIX paths relative to the target's root."""

    url: str
    channel_urls: bool
    """True when `release_url` is the channel's own address, which follows every switch (a served link);
    False when it is the release's immutable address, which never shows a later publish."""

    def get(self, key: str) -> tuple[bytes, str] | None:
        """The object's bytes and a version tag for `put_if`, or None when it does not exist."""

    def get_aged(self, key: str) -> tuple[bytes, str, float] | None:
        """Like `get`, plus the seconds since the object was last written, measured by the store's own clock
        (its write stamp against its time now), so that readers on other machines agree with the writer.
        Negative when the object is stamped in the future (a clock that was set back, a file `touch`ed)."""

    def put_if(self, key: str, body: bytes, *, if_match: str | None, content_type: str,
               cache_control: str) -> bool:
        """Write only if the object's version is `if_match` (None: only if it does not exist).

        False means the condition failed (someone else wrote first); the caller re-reads and decides.
        """

    def upload(self, key: str, source: Path, entry: FileEntry) -> int:
        """Write a release file from disk; returns the bytes sent."""

    def copy(self, source_key: str, key: str, entry: FileEntry) -> None:
        """Copy an already stored file server-side (S3 CopyObject, a hard link on disk)."""

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object under `prefix` (recursively)."""

    def list_names(self, prefix: str) -> list[str]:
        """Immediate children of `prefix` (names of folders and files, without the prefix)."""

    def read_back(self, key: str) -> StoredFile | None:
        """Read an object in full and hash it, as a visitor would get it."""

    def delete(self, keys: list[str]) -> None:
        """Delete these objects (missing ones are fine)."""

    def delete_release(self, release_id: str, checkpoint: Callable[[str], None] | None = None) -> None:
        """Delete every file under a release's prefix (its manifest is deleted separately, first).

        `checkpoint` is called before each batch of deletions, and after, with what was deleted so far ("":
        nothing); it raises to stop them (prune's lease). It must never let a prune that stalled past its
        lease delete a release published again meanwhile (see the stores' own notes on how far each can).
        """

    def set_aside(self, release_id: str | None = None) -> list[tuple[str, str]]:
        """(release id, name) of release folders a prune moved aside to delete and has not removed (yet).
        Only a folder target moves releases aside; other stores have none."""

    def put_back(self, release_id: str, name: str) -> str:
        """Move a set-aside folder back to its release, or remove it if the release exists again."""

    def remove_aside(self, name: str) -> None:
        """Remove a set-aside folder."""

    def project(self, channel: str, release_id: str) -> None:
        """Make a channel's release visible where the store serves it directly (symlinks on disk)."""

    def unproject(self, channel: str) -> None:
        """Stop serving a removed channel where the store serves it directly."""

    def projection(self, channel: str) -> str | None:
        """The release a channel's served view shows now, when the store has such a view."""

    def release_url(self, channel: str, release_id: str) -> str:
        """Where to look at a release of a channel."""

    def close(self) -> None:
        """Release connections and locks."""
