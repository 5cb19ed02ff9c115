"""`talkbuild history`: every switch of a channel, newest first, read from history/<channel>/, and what a
channel served at a given time."""

from __future__ import annotations

import concurrent.futures
import subprocess
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .pointer import Pointer, channels, check_channel, read_pointer
from .stores.base import Store, history_key

if TYPE_CHECKING:
    from .operations import Target

BATCH = 16
"""History entries read at once (one GET each on S3)."""


@dataclass(frozen=True, slots=True)
class SwitchRecord:
    """One switch of a channel: the pointer state it left, as recorded in history/<channel>/<seq>.json."""

    channel: str
    seq: int
    time: str
    """When it switched (UTC, ISO 8601), by the clock of the machine that switched."""
    action: str
    """publish, rollback, unlock, restore (a switch undone because a prune took its release), or remove
    (`channel rm`: the channel served nothing after it; release_id is what it served until then)."""
    release_id: str
    previous: str | None
    """The release the channel served before."""
    who: str | None
    commit: str | None
    branch: str | None
    ci_run_url: str | None
    locked: bool
    subject: str | None
    """The commit's subject line, when this clone knows the commit (it is not stored in the target)."""
    current: bool
    """This is the channel's state now."""


def parse_time(text: str, *, today: date | None = None) -> datetime:
    """`--at`: an ISO date and time (UTC unless it has an offset or Z), a date (its midnight), or a time
    of day (today, UTC)."""
    cleaned = text.strip().replace(" ", "T")
    try:
        if len(cleaned) <= 8 and ":" in cleaned and "T" not in cleaned:  # 10:00 or 10:00:30
            when = datetime.combine(today or datetime.now(UTC).date(), time.fromisoformat(cleaned))
        else:
            when = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ConfigError(f"--at: cannot read '{text}' as a time",
                          hint="write 2026-11-29T10:00 (UTC), 2026-11-29T10:00+01:00, 2026-11-29 or 10:00 (today, UTC)"
                          ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def switch_time(record: SwitchRecord | Pointer) -> datetime:
    """The recorded time as an aware datetime (an unreadable one sorts first)."""
    try:
        when = datetime.fromisoformat(record.time)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def history(target: Target, *, channel: str | None = None, limit: int = 0,
            at: datetime | None = None) -> list[SwitchRecord]:
    """The switches of `channel` (None: every channel, removed ones too), newest first, at most `limit`
    (0: all); with `at`, only the switch each channel was on at that time."""
    if channel is not None:
        check_channel(channel)
    store = target.open()
    try:
        names = [channel] if channel else sorted(set(store.list_names("history/")) | set(channels(store)))
        found: list[Pointer] = []
        for name in names:
            entries = _newest_first(store, name, target.jobs)
            try:
                if at is not None:
                    # Newest first by seq (the order of the writes): the first one up to `at` was in effect then.
                    in_effect = next((p for p in entries if switch_time(p) <= at), None)
                    found.extend([in_effect] if in_effect else [])
                else:
                    found.extend(_take(entries, limit))
            finally:
                entries.close()  # stops its reads before the store closes
        found.sort(key=lambda p: (switch_time(p), p.channel, p.seq), reverse=True)
        if limit:
            found = found[:limit]
        now = {name: pointer for name in names if (pointer := read_pointer(store, name)[0]) is not None}
    finally:
        store.close()
    subjects = commit_subjects(target.project_root, {p.commit for p in found if p.commit})
    return [SwitchRecord(p.channel, p.seq, p.time, p.reason, p.release_id, p.previous, p.who, p.commit, p.branch,
                         p.ci_run_url, p.locked, subjects.get(p.commit or ""),
                         now.get(p.channel) is not None and now[p.channel].seq == p.seq) for p in found]


def _take(entries: Iterator[Pointer], limit: int) -> list[Pointer]:
    out = []
    for pointer in entries:
        out.append(pointer)
        if limit and len(out) >= limit:
            break
    return out


def _newest_first(store: Store, channel: str, jobs: int) -> Generator[Pointer, None, None]:
    """The channel's pointer states by falling seq, read in small parallel batches as they are consumed.

    The current pointer counts too: a publisher that crashed right after its switch has not recorded it in
    the history yet (the next switch does).
    """
    seqs = sorted({int(n.removesuffix(".json")) for n in store.list_names(f"history/{channel}/")
                   if n.endswith(".json") and n.removesuffix(".json").isdigit()}, reverse=True)
    current, _ = read_pointer(store, channel)
    if current is not None and current.seq not in seqs:
        yield current
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, BATCH))) as pool:
        for start in range(0, len(seqs), BATCH):
            batch = seqs[start:start + BATCH]
            for seq, got in zip(batch, pool.map(lambda s: store.get(history_key(channel, s)), batch), strict=True):
                if got is not None:
                    yield Pointer.from_json(got[0], f"{store.url}{history_key(channel, seq)}")


def commit_subjects(root: Path, commits: Iterable[str]) -> dict[str, str]:
    """Subject lines of the commits this clone has (one `git log` call); {} outside a repository."""
    wanted = sorted(commits)
    if not wanted:
        return {}
    try:
        out = subprocess.run(["git", "log", "--no-walk", "--ignore-missing", "--format=%H%x00%s", "--stdin"],
                             cwd=root, input="\n".join(wanted) + "\n", capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    pairs = (line.split("\0", 1) for line in out.stdout.splitlines() if "\0" in line)
    return {sha: subject for sha, subject in pairs}
