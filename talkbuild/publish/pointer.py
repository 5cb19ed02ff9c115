"""Channel pointers: the one mutable object per channel, switched by a single conditional write."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from ..errors import ConfigError, TalkbuildError
from .content_types import NO_STORE
from .stores.base import Store, history_key, pointer_key

JSON = "application/json; charset=utf-8"
CHANNEL_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")


@dataclass(frozen=True, slots=True)
class Pointer:
    """Which release a channel serves, and how it got there."""

    channel: str
    release_id: str
    seq: int
    """1 for a channel's first switch, +1 for every switch after; history/<channel>/<seq> records each."""
    previous: str | None
    commit: str | None
    branch: str | None
    time: str
    who: str | None
    reason: str
    """"publish", "rollback", "unlock", "restore" (a switch undone because prune took its release), or, in the
    history only, "remove" (`channel rm`: from then on the channel served nothing)."""
    ci_run_url: str | None = None
    nonce: str = ""
    """Unique per write, so a publisher whose response was lost can recognise its own switch."""
    locked: bool = False
    """Set by a rollback: publishes are refused until one says --unlock (Netlify's 'lock deploys')."""

    def to_json(self) -> bytes:
        return json.dumps({"schema": 1, **asdict(self)}, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes, where: str) -> Pointer:
        try:
            data = json.loads(raw)
            data.pop("schema", None)
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise TalkbuildError(f"corrupt pointer: {exc}",
                                 hint=f"inspect {where}; restore it from history/") from None


def check_channel(channel: str) -> str:
    if not CHANNEL_RE.fullmatch(channel):
        raise ConfigError(f"invalid channel name '{channel}'",
                          hint="use lowercase letters, digits, '.', '_' or '-' (e.g. live, pr-42)")
    return channel


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def next_pointer(current: Pointer | None, channel: str, release_id: str, *, commit: str | None,
                 branch: str | None, who: str | None, reason: str, ci_run_url: str | None,
                 locked: bool = False, after_seq: int = 0) -> Pointer:
    """The pointer after `current` (None: the channel has no pointer; its seq continues after `after_seq`).

    `previous` is the release served before this one: a switch to the release already served (lifting a
    rollback's lock) keeps the old `previous`, so rollback and prune still know the one before.
    """
    if current is None:
        seq, previous = after_seq + 1, None
    else:
        seq = current.seq + 1
        previous = current.previous if current.release_id == release_id else current.release_id
    return Pointer(channel, release_id, seq, previous, commit, branch, now(), who, reason,
                   ci_run_url, uuid.uuid4().hex, locked)


def read_pointer(store: Store, channel: str) -> tuple[Pointer | None, str | None]:
    """The channel's pointer and its version tag (for the conditional write), or (None, None)."""
    got = store.get(pointer_key(channel))
    if got is None:
        return None, None
    return Pointer.from_json(got[0], f"{store.url}{pointer_key(channel)}"), got[1]


def try_switch(store: Store, new: Pointer, etag: str | None) -> bool:
    """ONE conditional write; False when the pointer moved since it was read (re-read and decide)."""
    return store.put_if(pointer_key(new.channel), new.to_json(), if_match=etag, content_type=JSON,
                        cache_control=NO_STORE)


def record_history(store: Store, pointer: Pointer) -> None:
    """Append a pointer state to the channel's history; a no-op when that entry already exists."""
    store.put_if(history_key(pointer.channel, pointer.seq), pointer.to_json(), if_match=None,
                 content_type=JSON, cache_control=NO_STORE)


def last_recorded_seq(store: Store, channel: str) -> int:
    """The highest seq in the channel's history (0 if none): where a removed channel's next pointer continues.

    A channel removed (`channel rm`) and published again (a pull request reopened) keeps counting, so
    history entries are never shadowed by create-only writes of old numbers, and an edge projection that
    only moves forward (sync-edge.sh compares seq) follows the new pointer instead of ignoring it.
    """
    seqs = [int(name.removesuffix(".json")) for name in store.list_names(f"history/{channel}/")
            if name.endswith(".json") and name.removesuffix(".json").isdigit()]
    return max(seqs, default=0)


def read_history(store: Store, channel: str) -> list[Pointer]:
    """Every recorded switch of a channel, oldest first."""
    entries = []
    for name in store.list_names(f"history/{channel}/"):
        got = store.get(f"history/{channel}/{name}")
        if got is not None:
            entries.append(Pointer.from_json(got[0], f"{store.url}history/{channel}/{name}"))
    return sorted(entries, key=lambda p: p.seq)


def channels(store: Store) -> list[str]:
    return [n.removesuffix(".json") for n in store.list_names("pointers/") if n.endswith(".json")]


def restore(store: Store, ours: Pointer, before: Pointer | None) -> bool:
    """Undo our switch to `ours` by putting `before` back (None: remove the pointer); one conditional write.

    False when the pointer has moved on since our switch: then it is someone else's, and left alone.
    """
    got, etag = read_pointer(store, ours.channel)
    if got is None or got.nonce != ours.nonce:
        return False
    record_history(store, ours)
    if before is None:
        store.delete([pointer_key(ours.channel)])
        store.unproject(ours.channel)
        return True
    back = dataclasses.replace(before, seq=ours.seq + 1, time=now(), nonce=uuid.uuid4().hex, reason="restore")
    if not try_switch(store, back, etag):
        return False
    record_history(store, back)
    store.project(ours.channel, before.release_id)
    return True
