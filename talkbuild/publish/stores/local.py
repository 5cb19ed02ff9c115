"""A folder target (file://): releases as folders, a `current` symlink swapped by rename for the live channel."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from ...errors import TalkbuildError
from ..manifest import FileEntry, file_sha256
from .base import LIVE, ObjectInfo, StoredFile, pointer_key, release_prefix

TMP_MARK = ".talkbuild-tmp."
"""Temporary files beside pointers, manifests and links are named so; name listings ignore them, and a rename
makes them real."""
STAGING = ".staging"
"""Where a release file is written before it is renamed into its release, so a killed upload leaves its
half-written file here, never inside a release that is, or will be, served."""
ABANDONED_SECONDS = 3600
"""A staged file older than this was left by a killed publish: the next publisher removes it."""


class LocalStore:
    """Publishes into a folder. Conditional writes are serialised by an flock on `<root>/.lock`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = root.as_uri() + "/"  # keys are appended to it, as to an s3://bucket/prefix/
        root.mkdir(parents=True, exist_ok=True)
        self.staging = root / STAGING
        _remove_abandoned(self.staging)

    def _staged(self) -> Path:
        self.staging.mkdir(exist_ok=True)
        return self.staging / (TMP_MARK + uuid.uuid4().hex)

    def _path(self, key: str) -> Path:
        return self.root / key

    def get(self, key: str) -> tuple[bytes, str] | None:
        try:
            body = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        return body, hashlib.sha256(body).hexdigest()[:32]

    def get_aged(self, key: str) -> tuple[bytes, str, float] | None:
        try:
            with self._path(key).open("rb") as f:
                body = f.read()
                written = os.fstat(f.fileno()).st_mtime  # of the very file read, even if replaced meanwhile
        except FileNotFoundError:
            return None
        return body, hashlib.sha256(body).hexdigest()[:32], max(0.0, self._now() - written)

    def _now(self) -> float:
        """The folder's clock: the stamp a file created now gets. On a network filesystem the server stamps
        it, as it stamped the file being aged, so machines whose clocks differ still agree on an age."""
        probe = self._staged()
        try:
            fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except OSError:
            return time.time()  # a folder we cannot write to: this machine's clock is all there is
        try:
            return os.fstat(fd).st_mtime
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # flock is released by the kernel when a process dies, so a SIGKILLed publisher never wedges others.
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def put_if(self, key: str, body: bytes, *, if_match: str | None, content_type: str,
               cache_control: str) -> bool:
        with self._locked():
            current = self.get(key)
            if (current is not None) if if_match is None else (current is None or current[1] != if_match):
                return False
            if key.startswith("manifests/"):
                # Release files are renamed into place without fsync (fast); flush them all once before
                # the seal, so after a power cut a sealed release never has empty files.
                os.sync()
            _write_atomic(self._path(key), body, durable=True)
            return True

    def upload(self, key: str, source: Path, entry: FileEntry) -> int:
        from ..release import crash_point

        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._staged()
        shutil.copyfile(source, tmp)
        crash_point("upload-staged")
        # Like S3's checksum: the bytes stored must be the bytes the manifest (and the check gate) hashed.
        if file_sha256(tmp) != entry.sha256:
            tmp.unlink()
            raise TalkbuildError(f"{source} changed while it was being published",
                                 hint="nothing was switched; rebuild and publish again")
        os.replace(tmp, target)
        return entry.size

    def copy(self, source_key: str, key: str, entry: FileEntry) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._staged()
        try:
            # Release files are never modified in place, so sharing an inode between releases is safe.
            os.link(self._path(source_key), tmp)
        except OSError:
            shutil.copyfile(self._path(source_key), tmp)
        os.replace(tmp, target)

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        base = self._path(prefix)
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):  # everything, as a web server would serve it
                full = Path(dirpath) / name
                st = full.stat()
                yield ObjectInfo(full.relative_to(self.root).as_posix(), st.st_size, st.st_mtime)

    def list_names(self, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if not p.name.startswith(TMP_MARK))

    def read_back(self, key: str) -> StoredFile | None:
        path = self._path(key)
        if not path.is_file():
            return None
        return StoredFile(key, path.stat().st_size, file_sha256(path), None)

    def delete(self, keys: list[str]) -> None:
        dirs: set[Path] = set()
        for key in keys:
            path = self._path(key)
            path.unlink(missing_ok=True)
            dirs.add(path.parent)
        # Remove the folders left empty, deepest first, but never the target's own top-level folders.
        for d in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
            while d != self.root and d.parent != self.root and d.is_dir() and not any(d.iterdir()):
                d.rmdir()
                d = d.parent

    def delete_release(self, release_id: str, checkpoint: Callable[[], None] | None = None) -> None:
        """Faster than listing: the whole folder goes, temporaries of crashed runs included (one batch)."""
        if checkpoint is not None:
            checkpoint()
        shutil.rmtree(self._path(release_prefix(release_id)), ignore_errors=True)

    def _link(self, channel: str) -> tuple[Path, str]:
        if channel == LIVE:
            return self.root / "current", "releases/{}"
        return self.root / "channels" / channel, "../releases/{}"

    def project(self, channel: str, release_id: str) -> None:
        """Point the channel's symlink at the release its pointer names *now* (under the lock).

        A publisher that won the switch and then stalled must not link its own release over a newer
        one switched meanwhile: the pointer is the truth, `release_id` only what the caller expects.
        """
        with self._locked():
            current = self.get(pointer_key(channel))
            if current is not None:
                try:
                    release_id = str(json.loads(current[0])["release_id"])
                except (ValueError, KeyError, TypeError):
                    pass  # a corrupt pointer is reported by whoever reads it; keep the caller's release
            self._link_to(channel, release_id)

    def _link_to(self, channel: str, release_id: str) -> None:
        link, pattern = self._link(channel)
        link.parent.mkdir(parents=True, exist_ok=True)
        if self.projection(channel) == release_id:
            return
        tmp = link.with_name(TMP_MARK + uuid.uuid4().hex)
        os.symlink(pattern.format(release_id), tmp)
        # rename(2) replaces the old link in one step: a request sees the old or the new release, never none.
        os.replace(tmp, link)
        _fsync_dir(link.parent)

    def unproject(self, channel: str) -> None:
        link, _ = self._link(channel)
        link.unlink(missing_ok=True)
        _fsync_dir(link.parent)

    def projection(self, channel: str) -> str | None:
        link, _ = self._link(channel)
        try:
            return Path(os.readlink(link)).name
        except OSError:
            return None

    def release_url(self, channel: str, release_id: str) -> str:
        link, _ = self._link(channel)
        return link.as_uri()

    def close(self) -> None:
        pass


def _remove_abandoned(staging: Path) -> None:
    """Delete staged files of killed publishes (young ones may belong to a publish running now)."""
    stale = time.time() - ABANDONED_SECONDS
    try:
        entries = list(os.scandir(staging))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < stale:
                os.unlink(entry.path)


def _write_atomic(path: Path, body: bytes, *, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(TMP_MARK + uuid.uuid4().hex)
    with tmp.open("wb") as f:
        f.write(body)
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
