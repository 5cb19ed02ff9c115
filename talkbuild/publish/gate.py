"""What publish proves before it ships: `talkbuild check` passes and _site is what the talks build to now."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..check import check_project
from ..config import Config


@dataclass(frozen=True)
class GateResult:
    errors: tuple[str, ...]
    """`talkbuild check` errors (internal checks, no network), formatted path:line."""
    stale: tuple[str, ...]
    """Site paths where _site differs from a fresh build (a build older than the last edit)."""


def check_before_publish(config: Config) -> GateResult:
    """Run the internal checks, then compare _site with a fresh build: builds are deterministic."""
    with tempfile.TemporaryDirectory(prefix="talkbuild-publish-") as tmp:
        fresh = Path(tmp) / "site"
        errors = tuple(d.format() for d in check_project(config, external=False, site_dir=fresh).diagnostics if d.is_error)
        if errors:
            return GateResult(errors, ())
        return GateResult((), tuple(_differences(fresh, config.out_path)))


def _differences(a: Path, b: Path) -> list[str]:
    left, right = _hashes(a), _hashes(b)
    return sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))


def _hashes(root: Path) -> dict[str, str]:
    """sha256 of every file, read in chunks: a large site is never held in memory."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h = hashlib.sha256()
            with path.open("rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            out[path.relative_to(root).as_posix()] = h.hexdigest()
    return out
