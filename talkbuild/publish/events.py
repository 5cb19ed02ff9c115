"""Events yielded by long publish operations; the CLI decides how to show them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    def to_dict(self) -> dict[str, Any]:
        return {"event": type(self).__name__, **asdict(self)}


@dataclass(frozen=True, slots=True)
class Started(Event):
    target: str
    channel: str
    release_id: str
    files: int
    bytes: int


@dataclass(frozen=True, slots=True)
class LivePointer(Event):
    """What the channel served when the operation started (release None: never published)."""

    channel: str
    release_id: str | None
    seq: int


@dataclass(frozen=True, slots=True)
class FileDone(Event):
    path: str
    action: str
    """"upload" (bytes sent), "copy" (server-side, from the previous release) or "present" (already there)."""
    bytes_sent: int
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Verified(Event):
    release_id: str
    files: int


@dataclass(frozen=True, slots=True)
class Sealed(Event):
    release_id: str


@dataclass(frozen=True, slots=True)
class RaceLost(Event):
    """The pointer moved while we were working; what we found and what we do about it."""

    channel: str
    theirs: str
    seq: int
    decision: str


@dataclass(frozen=True, slots=True)
class Switched(Event):
    channel: str
    release_id: str
    seq: int
    previous: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Checked(Event):
    """verify: one file of the release read back."""

    path: str
    ok: bool
    problem: str | None
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Pruned(Event):
    """prune: a release deleted, or with --dry-run (dry_run true) one that would be."""

    release_id: str
    sealed: bool
    files: int
    dry_run: bool = False
    resumed: bool = False
    """A deletion that a prune which stopped (killed) left half done, taken over and finished."""


@dataclass(frozen=True, slots=True)
class Done(Event):
    """The one-line summary that ends every command: what is live now and where to see it.

    Commands about a whole target (prune, releases) leave `channel` and `release_id` empty.
    """

    channel: str
    release_id: str
    switched: bool
    url: str
    uploaded: int = 0
    copied: int = 0
    present: int = 0
    bytes_sent: int = 0
    message: str = ""
    locked: bool = False
    """The channel is locked after this command (by a rollback): publishes are refused until --unlock."""
    immutable: bool = False
    """`url` is the release's own address (S3 without public_url): it never shows a later publish."""
    release_url: str | None = None
    """With publish.public_url (`url`), the release's own address, which never shows a later publish."""
