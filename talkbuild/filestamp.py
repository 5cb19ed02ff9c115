"""How a build tells that a file it copies (an image, a PDF) changed, without reading it every time.

Size and modification time are not enough: `cp -p`, `rsync -a`, `tar x` and `unzip` give a new file the old
one's mtime, and a file system that keeps whole seconds cannot tell two writes in the same second apart.
The stamp adds what no tool can set: the inode change time (`st_ctime_ns`, which even `utime` moves to
"now") and the inode number (a file put in place by rename is a new inode). A file changed so recently
that its times cannot yet be told apart from the next change (git calls it "racily clean") is also hashed.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

RACY_NS = 3_000_000_000
"""A file changed less than this long ago is hashed too: FAT keeps mtimes to 2 s, others to 1 s."""

Stamp = tuple[int, int, int, int, str]
"""(size, mtime_ns, ctime_ns, inode, sha256 of the bytes or "" when the times tell changes apart)."""

MISSING: Stamp = (-1, -1, -1, -1, "")


def file_stamp(path: Path) -> Stamp:
    """The file's stamp now; MISSING when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return MISSING
    digest = ""
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        digest = _sha256(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest)


def unchanged(stamp: Stamp, path: Path) -> bool:
    """True when `path` still holds what it held when `stamp` was taken."""
    try:
        st = os.stat(path)
    except OSError:
        return stamp == MISSING
    if stamp[:4] != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino):
        return False
    return not stamp[4] or stamp[4] == _sha256(path)  # taken while racy: only the bytes can tell


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return "unreadable"
    return h.hexdigest()
