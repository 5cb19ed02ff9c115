"""The build cache: an unchanged talk is not re-rendered, and its pages are not even read back.

An entry is keyed by everything a talk's pages depend on (its source, the list of files under talks/,
the theme, the config, talkbuild's code) and remembers the fingerprints of the assets it referenced,
so editing an image invalidates the talks that show it. Each entry is one file, `<key>.entry`, of three
sections, each framed as its length (8 bytes), its CRC-32 (4 bytes), then its bytes:

- the talk record (the parsed talk, its page paths and their sha256): read by every build that takes the
  talk from the cache. Its slides are pickled apart, inside it, and unpickled only when something reads
  them (`cache_pickle.LazySlides`): most builds never do;
- the memo: the talk's highlighted code and converted formulas, read only when the talk is edited and
  rendered again (its next entry starts from them);
- the pages' bytes, read only when the live site cannot lend an unchanged page by hard link.

A section whose checksum does not match is damaged: the entry (or just its memo) is ignored, never served.
One file per talk and nothing else: a cold build writes one per talk, and on a busy disk each file created
costs about a millisecond. An edited talk finds its previous entry through `talk-keys.json` (talk -> key).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import jinja2
from jinja2.bccache import Bucket

from .cache_pickle import dumps
from .filestamp import Stamp, file_stamp, unchanged
from .models import Page, PageRef, Talk
from .write import write_atomic

CACHE_DIR = ".talkbuild/cache/build"
ENTRY_SUFFIX = ".entry"
_LENGTH = 8
"""Bytes of the big-endian length that starts each section of an entry."""
_CRC = 4
"""Bytes of the big-endian CRC-32 of the section that follows the length."""
TEMPLATE_CACHE_DIR = ".talkbuild/cache/templates"
TALK_KEYS_FILE = ".talkbuild/cache/talk-keys.json"
"""Each talk's entry key at the last full build: where an edited talk's previous memo is found."""
OLD_MEMO_DIR = ".talkbuild/cache/memo"
"""Where earlier builds kept memos, one file per talk (removed when found)."""
ABANDONED_WRITE_SECONDS = 3600
"""A temporary file in the cache older than this was left by a build that was killed: it may be deleted."""
FORMAT = 8
"""Bumped when the layout of the files changes (keys also cover talkbuild's code, so this is belt and braces)."""


class CacheMiss(Exception):
    """A cached page's bytes are missing or do not match their recorded digest."""

    def __init__(self, key: str) -> None:
        super().__init__(f"cache entry {key} is incomplete")
        self.key = key


@dataclass(frozen=True)
class CachedTalk:
    """One cache entry: the talk and its pages by digest (each `PageRef` reads its bytes when asked)."""

    key: str
    talk: Talk
    refs: tuple[PageRef, ...]
    asset_stamps: AssetStamps
    """(talks-relative path, filestamp.Stamp) of each referenced asset when rendered."""


AssetStamps = tuple[tuple[str, Stamp], ...]


def asset_stamps(talks_dir: Path, assets: tuple[str, ...]) -> AssetStamps:
    return tuple((rel, file_stamp(talks_dir / rel)) for rel in assets)


def assets_unchanged(stamps: AssetStamps, talks_dir: Path, assets: tuple[str, ...]) -> bool:
    """True when the talk's assets are the files `stamps` were taken of (a copy with the old mtime is not)."""
    return tuple(rel for rel, _ in stamps) == assets and all(unchanged(stamp, talks_dir / rel) for rel, stamp in stamps)


class BuildCache:
    """Entries under `<project>/.talkbuild/cache/build/`, written atomically."""

    def __init__(self, project_root: Path, enabled: bool = True) -> None:
        self.dir = project_root / CACHE_DIR
        self.old_memos = project_root / OLD_MEMO_DIR
        self.keys_file = project_root / TALK_KEYS_FILE
        self.enabled = enabled

    @staticmethod
    def key(*parts: bytes | str) -> str:
        h = hashlib.sha256()
        for part in parts:
            # surrogateescape: a file name that is not UTF-8 (listed under talks/) must not crash the key
            data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
        return h.hexdigest()

    def get(self, key: str, talks_dir: Path) -> CachedTalk | None:
        if not self.enabled:
            return None
        path = self.dir / f"{key}{ENTRY_SUFFIX}"
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                raw = read_section(f, size)
                if raw is None or not _skip_section(f, size):  # damaged: render the talk again
                    return None
                pages_at = f.tell()
        except OSError:
            return None
        record = unpickle_section(raw)
        if not (isinstance(record, tuple) and len(record) == 5 and record[0] == FORMAT and record[1] == key
                and isinstance(record[2], Talk)):
            return None
        _, _, talk, pages, stamps = record
        if not assets_unchanged(stamps, talks_dir, talk.assets):
            return None
        blob = _Blob(key, path, pages_at)
        refs = tuple(PageRef(path, digest, _Loader(blob, n, digest)) for n, (path, digest) in enumerate(pages))
        return CachedTalk(key, talk, refs, stamps)

    def memo(self, key: str | None, stamp: str, rel: str) -> dict[tuple[str, str, str], str]:
        """The memo kept in entry `key` for talk `rel`, if it was made by the same code (`stamp`), else {}."""
        if not self.enabled or key is None:
            return {}
        try:
            with open(self.dir / f"{key}{ENTRY_SUFFIX}", "rb") as f:
                size = os.fstat(f.fileno()).st_size
                raw = read_section(f, size) if _skip_section(f, size) else None
        except OSError:
            return {}
        record = unpickle_section(raw)
        if (isinstance(record, tuple) and len(record) == 4 and record[:3] == (FORMAT, stamp, rel)
                and isinstance(record[3], dict)):
            return record[3]
        return {}

    def talk_keys(self) -> dict[str, str]:
        """Each talk's entry key as the last full build saved it (talks-relative path -> key)."""
        if not self.enabled:
            return {}
        try:
            keys = json.loads(self.keys_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return keys if isinstance(keys, dict) else {}

    def save_talk_keys(self, keys: dict[str, str]) -> None:
        if self.enabled:
            write_atomic(self.keys_file, json.dumps(keys, sort_keys=True))

    def retain(self, keys: set[str]) -> None:
        """Delete every entry but these: each edit of a talk would otherwise leave one behind, forever.

        A half-written entry (write_atomic's temporary file) is left alone unless it is old: it may belong to
        a build running at the same time, whose rename would fail if it were deleted now.
        """
        if not self.enabled or not self.dir.is_dir():
            return
        stale = time.time() - ABANDONED_WRITE_SECONDS
        for entry in os.scandir(self.dir):
            name = entry.name
            if name.endswith(ENTRY_SUFFIX) and not name.startswith("."):
                if name[:-len(ENTRY_SUFFIX)] in keys:
                    continue
            elif name.startswith(".") and name.endswith(".tmp"):
                try:
                    if entry.stat(follow_symlinks=False).st_mtime > stale:
                        continue
                except OSError:
                    continue
            Path(entry.path).unlink(missing_ok=True)
        if self.old_memos.is_dir():
            shutil.rmtree(self.old_memos, ignore_errors=True)

    def has(self, key: str) -> bool:
        return self.enabled and (self.dir / f"{key}{ENTRY_SUFFIX}").is_file()

    def drop(self, key: str) -> None:
        (self.dir / f"{key}{ENTRY_SUFFIX}").unlink(missing_ok=True)

    def put(self, key: str, talk: Talk, pages: tuple[Page, ...], stamps: AssetStamps,
            memo: tuple[str, str, dict[tuple[str, str, str], str]] | None = None) -> None:
        """Keep a rendered talk; `memo` is (stamp, talk's path, memo entries) for its next render."""
        if not self.enabled:
            return
        digests = tuple((p.path, p.digest) for p in pages)
        record = dumps((FORMAT, key, talk, digests, stamps))
        memo_record = pickle.dumps((FORMAT, *memo) if memo is not None else None, protocol=pickle.HIGHEST_PROTOCOL)
        contents = pickle.dumps(tuple(p.content for p in pages), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.dir / f"{key}{ENTRY_SUFFIX}", b"".join(frame(part) for part in (record, memo_record, contents)))


def frame(section: bytes) -> bytes:
    """A section as stored (in an entry, or as the check's whole scan cache): its length, CRC-32, then bytes."""
    return len(section).to_bytes(_LENGTH, "big") + zlib.crc32(section).to_bytes(_CRC, "big") + section


def unpickle_section(raw: bytes | None) -> object:
    """A section's value, or None when there is none or it cannot be unpickled.

    Its CRC matched, so a failure here means a file of another format or talkbuild (a class it names is gone,
    say), or damage the CRC missed; pickle can then raise almost anything (even OverflowError), and every
    such case is a cache miss. Errors in reading and framing are not caught here: they would be bugs.
    """
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:
        return None


def _read_header(f: BinaryIO, size: int) -> tuple[int, int] | None:
    """The length and CRC of the section at the file's position, or None when they cannot be right."""
    head = f.read(_LENGTH + _CRC)
    if len(head) < _LENGTH + _CRC:
        return None
    length = int.from_bytes(head[:_LENGTH], "big")
    if f.tell() + length > size:  # a damaged length: never try to read (or seek) that far
        return None
    return length, int.from_bytes(head[_LENGTH:], "big")


def read_section(f: BinaryIO, size: int) -> bytes | None:
    """The section at the file's position, or None when it is damaged (its CRC-32 does not match)."""
    header = _read_header(f, size)
    if header is None:
        return None
    data = f.read(header[0])
    return data if len(data) == header[0] and zlib.crc32(data) == header[1] else None


def _skip_section(f: BinaryIO, size: int) -> bool:
    """Move past the section at the file's position without reading it; False when its header is damaged."""
    header = _read_header(f, size)
    if header is None:
        return False
    f.seek(header[0], os.SEEK_CUR)
    return True


class _Blob:
    """An entry's page bytes (its last section), read once for all of its pages."""

    def __init__(self, key: str, path: Path, offset: int) -> None:
        self.key = key
        self.path = path
        self.offset = offset
        self.contents: tuple[object, ...] | None = None
        self.served: set[int] = set()

    def page(self, index: int, digest: str) -> bytes:
        if self.contents is None:
            try:
                with open(self.path, "rb") as f:
                    f.seek(self.offset)
                    raw = read_section(f, os.fstat(f.fileno()).st_size)
            except OSError as exc:
                raise CacheMiss(self.key) from exc
            contents = unpickle_section(raw)
            if not isinstance(contents, tuple):
                raise CacheMiss(self.key)
            self.contents = contents
        content = self.contents[index] if index < len(self.contents) else None
        if not isinstance(content, bytes) or hashlib.sha256(content).hexdigest() != digest:
            raise CacheMiss(self.key)
        # Once every page has been handed out, let go of the bytes: a check reads a large site's pages a
        # batch at a time, and a blob that held on to them would keep the whole site in memory.
        self.served.add(index)
        if len(self.served) >= len(self.contents):
            self.contents, self.served = None, set()
        return content


@dataclass(frozen=True)
class _Loader:
    """Reads one page's bytes, checked against the digest it was cached with."""

    blob: _Blob
    index: int
    digest: str

    def __call__(self) -> bytes:
        return self.blob.page(self.index, self.digest)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's compiled templates on disk, so a one-talk rebuild does not compile every template again.

    Jinja2 checks each entry against its template's source; a corrupt or foreign file is recompiled.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: Jinja2 lets pickle's own errors through
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # the folder was replaced meanwhile (a talkbuild of other code or Python): compile next time
            pass


def template_cache(project_root: Path, code: str) -> TemplateCache:
    """The compiled-template cache of this talkbuild (`code`), Jinja2 and Python; older ones are removed.

    The folder name covers what Jinja2's own check does not: the environment's options live in talkbuild's code.
    """
    parent = project_root / TEMPLATE_CACHE_DIR
    folder = parent / BuildCache.key(code, jinja2.__version__, sys.version)[:24]
    if not folder.is_dir():
        if parent.is_dir():
            for old in parent.iterdir():
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    return TemplateCache(str(folder))


RENDERING_PACKAGES = ("markdown_it", "mdit_py_plugins", "pygments", "latex2mathml", "jinja2", "yaml")
"""What a talk's pages depend on besides talkbuild itself: an upgrade of any of them may change the bytes."""


@functools.cache
def packages_stamp() -> str:
    """Where each rendering package is installed and when: part of every build-cache key (worked out once
    per process, like render_talks._code_fingerprint: it stands for the packages this process has loaded)."""
    return ";".join(_package_stamp(name) for name in RENDERING_PACKAGES)


def _package_stamp(name: str) -> str:
    """Where a package is installed and when, without importing it (an upgrade rewrites its files)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return ""
    if spec is None or spec.origin is None:
        return ""
    try:
        st = os.stat(spec.origin)
    except OSError:
        return spec.origin
    return f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}"
