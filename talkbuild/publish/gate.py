"""What publish proves before it ships: the talks build, `_site/` is what they build to now, and (unless
skipped) `talkbuild check` passes."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..errors import ContentError
from ..models import SiteFiles
from .manifest import Manifest


@dataclass(frozen=True)
class GateResult:
    errors: tuple[str, ...]
    """`talkbuild check` errors (internal checks, no network), or with the check skipped the build's own
    errors (the talks do not build), formatted path:line."""
    stale: tuple[str, ...]
    """Site paths where _site differs from a fresh build (a build older than the last edit)."""
    checked: bool = True
    """False when only the build ran (--skip-check): `errors` are then the build's, not check's."""
    ignored: str | None = None
    """How many findings check.per_file_ignores left out, and by which patterns (None: none)."""


def check_before_publish(config: Config, shipped: Manifest, *, run_check: bool = True) -> GateResult:
    """Build the talks in memory, check that build unless `run_check` is False, then prove `shipped` (the
    hashes of _site) is that build, file by file.

    The comparison runs even when the check is skipped: after a failed `talkbuild build`, _site/ still
    holds the previous site, and publishing it would ship content without the change just made. Builds
    are deterministic, so equal hashes mean the checked bytes are the shipped bytes; nothing is written
    and _site is read once, by the manifest the upload then uses (its sha256s are the ones sent).
    """
    from ..check import CheckedSite, CheckResult, check_site

    ignored = None
    if run_check:
        checked = check_site(config, external=False)
        errors = tuple(d.format() for d in checked.result.diagnostics if d.is_error)
        if checked.result.ignored:
            from ..check.report import ignored_summary

            ignored = ignored_summary(checked.result.ignored, listed=True)
        if errors:
            return GateResult(errors, (), ignored=ignored)
    else:
        files = _build_only(config)
        if isinstance(files, tuple):
            return GateResult(files, (), checked=False)
        checked = CheckedSite(CheckResult((), 0, 0), files, {})  # only for its digests(): one way to hash a site
    fresh = checked.digests()
    ours = {f.path: f.sha256 for f in shipped.files}
    stale = tuple(sorted(k for k in fresh.keys() | ours.keys() if fresh.get(k) != ours.get(k)))
    return GateResult((), stale, checked=run_check, ignored=ignored)


def _build_only(config: Config) -> SiteFiles | tuple[str, ...]:
    """The site the talks build to now, in memory (from the build cache), or the build's errors."""
    from ..build import BuildOptions, build

    try:
        result = build(config, BuildOptions(write=False))
    except ContentError as exc:
        return tuple(d.format() for d in exc.diagnostics if d.is_error)
    assert result.site is not None  # write=False returns the files
    return result.site
