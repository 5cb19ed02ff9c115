"""What publish proves before it ships: `talkbuild check` passes and _site is what the talks build to now."""

from __future__ import annotations

from dataclasses import dataclass

from ..check import check_site
from ..config import Config
from .manifest import Manifest


@dataclass(frozen=True)
class GateResult:
    errors: tuple[str, ...]
    """`talkbuild check` errors (internal checks, no network), formatted path:line."""
    stale: tuple[str, ...]
    """Site paths where _site differs from a fresh build (a build older than the last edit)."""
    ignored: str | None = None
    """How many findings check.per_file_ignores left out, and by which patterns (None: none)."""


def check_before_publish(config: Config, shipped: Manifest) -> GateResult:
    """Check a fresh in-memory build, then prove `shipped` (the hashes of _site) is that build, file by file.

    Builds are deterministic, so equal hashes mean the checked bytes are the shipped bytes; nothing is
    written and _site is read once, by the manifest the upload then uses (its sha256s are the ones sent).
    """
    checked = check_site(config, external=False)
    errors = tuple(d.format() for d in checked.result.diagnostics if d.is_error)
    ignored = None
    if checked.result.ignored:
        from ..check.report import ignored_summary

        ignored = ignored_summary(checked.result.ignored, listed=True)
    if errors:
        return GateResult(errors, (), ignored)
    fresh = checked.digests()
    ours = {f.path: f.sha256 for f in shipped.files}
    return GateResult((), tuple(sorted(k for k in fresh.keys() | ours.keys() if fresh.get(k) != ours.get(k))), ignored)
