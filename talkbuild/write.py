"""Write a whole site into a temporary folder, then swap it into place in one step."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import TalkbuildError
from .filestamp import file_stamp
from .models import Page, PageRef

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


SPARE_DIR = "spare-site"
"""Beside the state file: the previous site, kept so the next build edits it instead of making a new tree."""
STATE_FORMAT = 2


def write_site(out_dir: Path, pages: Sequence[Page | PageRef], assets: Mapping[str, Path],
               static: Mapping[str, Path | bytes], state_file: Path | None = None) -> int:
    """Write everything to a folder beside `out_dir`, then swap it into place in one step; returns the file count.

    With `state_file` (the project's own output), a build whose output would be identical to what `out_dir`
    already holds (and nobody has touched `out_dir` since) writes nothing at all; otherwise the previous site,
    kept in a spare folder, is brought up to date (only what changed is written) and swapped with the live one.
    """
    for rel in [p.path for p in pages] + list(assets) + list(static):
        if rel.startswith("/") or ".." in rel.split("/"):
            raise RuntimeError(f"refusing to write {rel!r} outside the site")  # a bug upstream, never user input
    sources: dict[str, Page | PageRef | Path | bytes] = {}
    desired: dict[str, str] = {}
    for page in pages:
        sources[page.path], desired[page.path] = page, page.digest
    for rel, src in sorted(assets.items()):
        if rel in desired:
            raise TalkbuildError(f"the file talks/{rel} would overwrite a generated page", code="slug-clash",
                                 hint="rename or move the file")
        # Not size + mtime alone: `cp -p` or `rsync -a` of a changed image keeps both (see filestamp.py).
        sources[rel], desired[rel] = src, "asset:" + ":".join(map(str, file_stamp(src)))
    for rel, content in sorted(static.items()):
        data = content if isinstance(content, bytes) else content.read_bytes()
        sources[rel], desired[rel] = content, "static:" + hashlib.sha256(data).hexdigest()
    fingerprint = _fingerprint(out_dir, desired)
    with _locked(state_file):
        return _write_tree(out_dir, desired, sources, fingerprint, state_file)


@contextlib.contextmanager
def _locked(state_file: Path | None) -> Iterator[None]:
    """One build at a time edits the spare tree and trusts the record of the live one (a second build waits)."""
    if state_file is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: builds are not serialised, as before the spare tree existed
        yield
        return
    state_file.parent.mkdir(parents=True, exist_ok=True)
    with open(state_file.parent / "build.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _write_tree(out_dir: Path, desired: dict[str, str], sources: Mapping[str, Page | PageRef | Path | bytes],
                fingerprint: str, state_file: Path | None) -> int:
    state = _load_state(state_file)
    live = _listing(out_dir) if state is not None else None
    live_known = live is not None and live == state.get("listing") if state is not None else False
    if live_known and state is not None and state.get("fingerprint") == fingerprint:
        return len(desired)
    # Files the live site already holds byte for byte are hard-linked into the new tree, not rewritten:
    # after editing one talk, only its pages and the index cost a write.
    previous: dict[str, str] = state["files"] if live_known and state is not None else {}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    spare = _spare_dir(state_file, out_dir)
    tmp, have, entries = _start_tree(spare, state, out_dir)
    try:
        _update_tree(tmp, have, entries, desired, sources, previous, out_dir)
        os.chmod(tmp, 0o755)
        if not out_dir.exists():
            os.rename(tmp, out_dir)
            kept = None
        elif _exchange(tmp, out_dir):
            # `tmp` now holds the site that was live: known file by file, it is the next build's starting point.
            kept = _keep_spare(tmp, spare, live if live_known else None, previous)
        else:
            _replace_without_exchange(tmp, out_dir)
            kept = None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if state_file is not None:
        write_atomic(state_file, json.dumps({"format": STATE_FORMAT, "fingerprint": fingerprint, "listing": entries,
                                             "files": desired, "spare": kept}))
    return len(desired)


def _spare_dir(state_file: Path | None, out_dir: Path) -> Path | None:
    """The spare tree's place, when it can be swapped with `out_dir` by rename (same file system)."""
    if state_file is None:
        return None
    try:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        return state_file.parent / SPARE_DIR if state_file.parent.stat().st_dev == out_dir.parent.stat().st_dev else None
    except OSError:
        return None


def _start_tree(spare: Path | None, state: dict[str, Any] | None,
                out_dir: Path) -> tuple[Path, dict[str, str], dict[str, list[int]]]:
    """The folder to build in: the spare tree when it is exactly as recorded, else a new empty one.

    Returns it, what it holds (site path -> digest) and its listing.
    """
    if spare is not None and spare.is_dir():
        recorded = state.get("spare") if state is not None else None
        if isinstance(recorded, dict) and isinstance(recorded.get("files"), dict):
            listing = _listing(spare)
            files = {rel for rel, stat in listing.items() if stat}
            if listing == recorded.get("listing") and files == set(recorded["files"]):
                return spare, recorded["files"], listing
        shutil.rmtree(spare, ignore_errors=True)  # touched since, or from an older talkbuild: start afresh
    return Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.new-")), {}, {}


def _update_tree(tmp: Path, have: dict[str, str], entries: dict[str, list[int]], desired: dict[str, str],
                 sources: Mapping[str, Page | PageRef | Path | bytes], previous: dict[str, str], out_dir: Path) -> None:
    """Make `tmp` (holding `have`, listed in `entries`) hold exactly `desired`; `entries` is kept up to date."""
    for rel, digest in have.items():
        if desired.get(rel) != digest:
            os.unlink(tmp / rel)
            del entries[rel]
    needed = {"/".join(parts[:i]) for rel in desired for parts in [rel.split("/")] for i in range(1, len(parts))}
    for rel in sorted((r for r, stat in entries.items() if not stat and r not in needed), key=lambda r: -r.count("/")):
        os.rmdir(tmp / rel)
        del entries[rel]
    for rel in sorted(needed - set(entries), key=lambda r: r.count("/")):
        os.mkdir(tmp / rel)
        entries[rel] = []
    for rel, digest in desired.items():
        if have.get(rel) == digest:
            continue
        dest = tmp / rel
        if not (previous.get(rel) == digest and _link(out_dir / rel, dest)):
            source = sources[rel]
            if isinstance(source, Path):
                shutil.copyfile(source, dest)
            else:
                _write_new(dest, source if isinstance(source, bytes) else source.read())
        st = os.lstat(dest)
        entries[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]


def _keep_spare(old: Path, spare: Path | None, listing: dict[str, list[int]] | None,
                files: dict[str, str]) -> dict[str, Any] | None:
    """Keep the site that was just replaced as the spare tree (recorded), or delete it when it is not known."""
    if spare is None or listing is None:
        shutil.rmtree(old, ignore_errors=True)
        return None
    if old != spare:
        try:
            os.rename(old, spare)
        except OSError:  # something is in the way (a spare tree that could not be deleted): no spare this time
            shutil.rmtree(old, ignore_errors=True)
            return None
    return {"listing": listing, "files": files}


def _replace_without_exchange(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    import ctypes  # only here: a no-op build never swaps

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # libc's own symbols; no ldconfig subprocess
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _fingerprint(out_dir: Path, desired: Mapping[str, str]) -> str:
    h = hashlib.sha256(str(out_dir).encode())
    for rel, digest in desired.items():
        h.update(f"{rel}\0{digest}\0".encode())
    return h.hexdigest()


def _listing(root: Path) -> dict[str, list[int]]:
    """Every file (size, mtime, inode) and folder ([]) under `root`, by site path: what a later build checks
    to know nobody has touched the tree since it was written."""
    entries: dict[str, list[int]] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            scan = list(os.scandir(folder))
        except OSError:
            continue
        for entry in scan:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                entries[rel] = []
                stack.append((rel + "/", entry.path))
            else:
                st = entry.stat(follow_symlinks=False)
                entries[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return dict(sorted(entries.items()))


def _load_state(state_file: Path | None) -> dict[str, Any] | None:
    """The last build's record, or None when there is none (or it is damaged, or from another format)."""
    if state_file is None:
        return None
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or not isinstance(state.get("files"), dict):
        return {}
    return state


def _link(src: Path, dest: Path) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _write_new(path: Path, content: bytes) -> None:
    # O_EXCL: a file of the spare tree may be a hard link to the live site's; it is unlinked, never written over.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(content)


def write_atomic(path: Path, data: bytes | str, *, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, mode)  # mkstemp makes files private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
