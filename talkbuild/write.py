"""Write a whole site into a temporary folder, then swap it into place in one step."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import TalkbuildError
from .models import Page

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class PageRef:
    """A page known by its sha256: its bytes are loaded only when the live site cannot lend the same file."""

    path: str
    digest: str
    load: Callable[[], bytes]


def _digest(page: Page | PageRef) -> str:
    return page.digest if isinstance(page, PageRef) else hashlib.sha256(page.content).hexdigest()


def _content(page: Page | PageRef) -> bytes:
    return page.load() if isinstance(page, PageRef) else page.content


def write_site(out_dir: Path, pages: Sequence[Page | PageRef], assets: Mapping[str, Path],
               static: Mapping[str, Path | bytes], state_file: Path | None = None) -> int:
    """Write everything to a sibling temp folder, then replace `out_dir` with it; returns the file count.

    With `state_file`, a build whose output would be identical to what `out_dir` already holds
    (and nobody has touched `out_dir` since) writes nothing at all.
    """
    page_digests = [(page.path, _digest(page)) for page in pages]
    fingerprint = _fingerprint(out_dir, page_digests, assets, static)
    if state_file is not None and _unchanged(state_file, fingerprint, out_dir):
        return len(pages) + len(assets) + len(static)
    # Files the live site already holds byte for byte are hard-linked into the new tree, not rewritten:
    # after editing one talk, only its pages and the index cost a write.
    previous = _previous_digests(state_file, out_dir) if state_file is not None else {}
    digests: dict[str, str] = {}
    made: set[Path] = set()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.new-"))
    try:
        written: set[str] = set()
        for rel in [p.path for p in pages] + list(assets) + list(static):
            if rel.startswith("/") or ".." in rel.split("/"):
                raise RuntimeError(f"refusing to write {rel!r} outside the site")  # a bug upstream, never user input
        for page, (path, digest) in zip(pages, page_digests, strict=True):
            digests[path] = digest
            same = out_dir / path if previous.get(path) == digest else None
            _place(tmp / path, page, same, made)
            written.add(path)
        for rel, src in sorted(assets.items()):
            if rel in written:
                raise TalkbuildError(f"the file talks/{rel} would overwrite a generated page", code="slug-clash",
                                     hint="rename or move the file")
            dest = tmp / rel
            st = src.stat()
            digests[rel] = stamp = f"asset:{st.st_size}:{st.st_mtime_ns}"
            if dest.parent not in made:
                dest.parent.mkdir(parents=True, exist_ok=True)
                made.add(dest.parent)
            if not (previous.get(rel) == stamp and _link(out_dir / rel, dest)):
                shutil.copyfile(src, dest)
            written.add(rel)
        for rel, content in sorted(static.items()):
            if isinstance(content, bytes):
                _write_bytes(tmp / rel, content)
            else:
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(content, tmp / rel)
            written.add(rel)
        os.chmod(tmp, 0o755)
        swap_into_place(tmp, out_dir)
        if state_file is not None:
            _remember(state_file, fingerprint, out_dir, digests)
        return len(written)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` appear at `target` atomically (Linux renameat2 exchange), removing what was there."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _fingerprint(out_dir: Path, pages: Sequence[tuple[str, str]], assets: Mapping[str, Path],
                 static: Mapping[str, Path | bytes]) -> str:
    h = hashlib.sha256(str(out_dir).encode())
    for path, digest in pages:
        h.update(f"{path}\0{digest}".encode())
    for rel, src in sorted(assets.items()):
        st = src.stat()
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    for rel, content in sorted(static.items()):
        data = content if isinstance(content, bytes) else content.read_bytes()
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _listing(out_dir: Path) -> list[list[object]]:
    entries: list[list[object]] = []
    for dirpath, dirnames, filenames in os.walk(out_dir):
        dirnames.sort()
        for name in sorted(filenames):
            st = os.lstat(os.path.join(dirpath, name))
            entries.append([os.path.join(dirpath, name), st.st_size, st.st_mtime_ns])
    return entries


def _unchanged(state_file: Path, fingerprint: str, out_dir: Path) -> bool:
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return False
    return bool(state.get("fingerprint") == fingerprint and out_dir.is_dir() and state.get("listing") == _listing(out_dir))


def _remember(state_file: Path, fingerprint: str, out_dir: Path, digests: dict[str, str]) -> None:
    write_atomic(state_file, json.dumps({"fingerprint": fingerprint, "listing": _listing(out_dir), "files": digests}))


def _previous_digests(state_file: Path, out_dir: Path) -> dict[str, str]:
    """Per-file digests of the live tree, trusted only while nobody has touched it since it was written."""
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return {}
    files = state.get("files")
    if not isinstance(files, dict) or not out_dir.is_dir() or state.get("listing") != _listing(out_dir):
        return {}
    return files


def _link(src: Path, dest: Path) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _place(dest: Path, page: Page | PageRef, same_as: Path | None, made: set[Path]) -> None:
    if dest.parent not in made:
        dest.parent.mkdir(parents=True, exist_ok=True)
        made.add(dest.parent)
    if same_as is None or not _link(same_as, dest):
        dest.write_bytes(_content(page))


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


def _write_bytes(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
