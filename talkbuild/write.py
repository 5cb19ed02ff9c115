"""Write a whole site into a temporary folder, then swap it into place in one step."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import TalkbuildError
from .models import Page

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_site(out_dir: Path, pages: Sequence[Page], assets: Mapping[str, Path],
               static: Mapping[str, Path | bytes]) -> int:
    """Write everything to a sibling temp folder, then replace `out_dir` with it; returns the file count."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.new-"))
    try:
        written: set[str] = set()
        for page in pages:
            _write_bytes(tmp / page.path, page.content)
            written.add(page.path)
        for rel, src in sorted(assets.items()):
            if rel in written:
                raise TalkbuildError(f"the file talks/{rel} would overwrite a generated page", code="slug-clash",
                                     hint="rename or move the file")
            dest = tmp / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
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


def _write_bytes(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
