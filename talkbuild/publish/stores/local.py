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
SET_ASIDE = ".deleting-"
"""`releases/.deleting-<id>-<nonce>`: a release prune renamed aside to delete it (see delete_release). Name
listings ignore it, so releases, verify, resolve and publish (which read `releases/<id>/` only) never see it,
and no `current` or channel link names it."""


class LocalStore:
    """Publishes into a folder. Conditional writes are serialised by an flock on `<root>/.lock`."""

    channel_urls = True  # release_url is the channel's link (current, channels/<name>)

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
        return body, hashlib.sha256(body).hexdigest()[:32], self._now() - written  # < 0: stamped in the future

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
        return sorted(p.name for p in base.iterdir() if not p.name.startswith((TMP_MARK, SET_ASIDE)))

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

    def delete_release(self, release_id: str, checkpoint: Callable[[str], None] | None = None) -> None:
        """Rename the release aside, prove the lease still ours, then remove it (and what a stopped prune set
        aside for it): a prune that stalls anywhere in here never removes a release published again.

        Every interleaving, with this prune (A) SIGSTOPped or SIGKILLed at each step; B is a prune that
        takes A's expired lease over, P a publish of the same content (a revert reuses the id):

        1. check, then rename `releases/<id>` to `releases/.deleting-<id>-<nonce>` (one atomic rename):
           - killed before the rename: A's tombstone stays and expires; B finishes (existing takeover).
           - stopped between the check and the rename (the trial's data loss): meanwhile B took over and
             finished, and P re-created and sealed `releases/<id>`. A wakes and renames P's release aside:
             visitors of P's channel get 404s from now until step 2 puts it back (moments, unless A is
             killed right here: then the next prune puts it back, see `prune`'s settling of set-aside
             folders: no tombstone and a seal means it is a republished release).
           - no `releases/<id>` (B deleted it, nobody republished): nothing to set aside.
        2. check again, by reading the tombstone back (lease.check): still A's means nobody took over, so
           nobody deleted and republished: the folder set aside is the old release (with at most files of
           a publish that began before A's tombstone; that publish switches back after seeing it).
           - not A's (or the check fails in any way): rename it back to `releases/<id>` if that is free
             (rename(2) refuses a non-empty target; an empty one holds nothing), else a publish has
             re-created it meanwhile and A's copy is removed; then A stops with LeaseLost.
           - stopped between step 1 and this check, and B took over meanwhile: B removes A's folder
             under its own lease (step 3 below); A wakes, fails the check, finds nothing to put back.
           - killed while putting back: the rename is atomic, so the folder is back or still aside (no
             tombstone of A's stands any more: the next prune puts a sealed one back, as in step 1);
             killed while removing its copy: the rest is removed the same way (`releases/<id>` is taken).
        3. remove every folder set aside for this release: A holds the lease, so they are all this
           release's old files (a set-aside republished release is only left behind by a prune killed in
           step 2, and only with no tombstone standing: prune settles those before taking any lease).
           - stopped or killed during the removal: B may take over and remove the same folders; P may
             republish `releases/<id>`, which no step of A touches any more.
        """
        from ..release import crash_point

        check = checkpoint if checkpoint is not None else _no_check
        check("")
        folder = self._path(release_prefix(release_id))
        aside = f"{SET_ASIDE}{release_id}-{uuid.uuid4().hex}"
        try:
            os.rename(folder, folder.with_name(aside))
            moved = True
        except FileNotFoundError:
            moved = False
        crash_point("prune-set-aside")
        try:
            check("")
        except BaseException as exc:
            undone = self.put_back(release_id, aside) if moved else ""
            if undone and isinstance(exc, TalkbuildError):
                raise type(exc)(f"{exc.message}; it had already moved releases/{release_id} aside and {undone}",
                                hint=exc.hint) from None
            raise
        for _rid, name in self.set_aside(release_id):
            crash_point("prune-removing-aside")
            self.remove_aside(name)

    def set_aside(self, release_id: str | None = None) -> list[tuple[str, str]]:
        """(release id, folder name) of the releases a prune renamed aside and has not removed (yet)."""
        base = self.root / "releases"
        try:
            names = sorted(n for n in os.listdir(base) if n.startswith(SET_ASIDE))
        except OSError:
            return []
        found = [(n.removeprefix(SET_ASIDE).rsplit("-", 1)[0], n) for n in names]
        return [(rid, n) for rid, n in found if release_id is None or rid == release_id]

    def put_back(self, release_id: str, name: str) -> str:
        """Rename a set-aside folder back to its release, or remove it when the release exists again.

        Says what it did ("" when the folder was gone already: another prune removed it)."""
        aside = self.root / "releases" / name
        try:
            os.rename(aside, self._path(release_prefix(release_id)))  # refuses a non-empty target
        except FileNotFoundError:
            return ""
        except OSError:
            self.remove_aside(name)
            return (f"removed that copy, since releases/{release_id} had been published again meanwhile "
                    "(verify it)")
        return "put it back untouched"

    def remove_aside(self, name: str) -> None:
        shutil.rmtree(self.root / "releases" / name, ignore_errors=True)

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


def _no_check(done: str) -> None:
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
