"""`publish --prebuilt`: which commit a release of `_site/` as it is may name.

The checkout's HEAD is not evidence: after a failed `talkbuild build`, `_site/` is still the previous
build's. So the commit comes from the build record (build_record.py) when it still matches `_site/` and
the build ran on a clean tree, or from `--commit` (a deploy job publishing another job's artifact), and
otherwise is unknown: the release then names no commit rather than a wrong one.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .. import build_record
from ..errors import ConfigError, TalkbuildError
from ..gitquery import git_output
from .manifest import BuildInfo

HEX = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Provenance:
    build: BuildInfo
    """What the release records: commit None when nothing vouches for one."""
    said: str
    """One line for the user: where the commit came from, or why it is unknown."""


def prebuilt_provenance(root: Path, site: Path, info: BuildInfo, commit: str | None) -> Provenance:
    """The BuildInfo for publishing `site` as it is. `info` is build_info() of the checkout (who, CI run);
    `commit` is --commit, if given. Raises when the record shows the last build failed and no --commit
    says which site is meant, or when --commit contradicts the record."""
    record = build_record.read(root)
    matches = record is not None and record.stamp == build_record.site_stamp(site)
    built_by = _built_by(record) if matches and record is not None else None
    if commit is not None:
        sha = resolve_commit(root, commit)
        if record is not None and matches and record.commit and not record.dirty and record.commit != sha:
            raise TalkbuildError(
                f"--commit {commit} does not match: {site.name}/ was built from commit {record.commit[:12]} "
                f"({built_by}); nothing was published",
                hint=f"pass --commit {record.commit[:12]}, or build that commit and publish again")
        return Provenance(dataclasses.replace(info, commit=sha), f"commit {sha[:12]} (from --commit)")
    if record is not None and record.failed:
        was = f"{record.commit[:12]} ({built_by})" if matches and record.commit and not record.dirty else "unknown"
        raise TalkbuildError(
            f"the last `talkbuild build` (at {(record.failed_commit or 'no commit')[:12]}, {record.failed_time}) "
            f"failed, so {site.name}/ is an older site (its commit: {was}); nothing was published",
            hint="fix the errors and run `talkbuild build`; to publish the older site on purpose, name its "
                 "commit with --commit SHA")
    if not matches or record is None:
        why = ("no `talkbuild build` here recorded it" if record is None
               else "it changed since the last `talkbuild build` here")
        return Provenance(_unknown(info), f"commit UNKNOWN: {why}; the release names no commit "
                                          "(pass --commit SHA when you know which commit built it)")
    if record.commit is None:
        return Provenance(_unknown(info), "commit UNKNOWN: the last build had no commit to record")
    if record.dirty:
        shown = ", ".join(record.dirty)
        return Provenance(_unknown(info), f"commit UNKNOWN: the last build ({built_by}) had changes not in commit "
                                          f"{record.commit[:12]} ({shown}); the release names no commit")
    return Provenance(dataclasses.replace(info, commit=record.commit, branch=record.branch or info.branch),
                      f"commit {record.commit[:12]} ({built_by})")


def resolve_commit(root: Path, commit: str) -> str:
    """--commit as a full SHA: any revision this clone knows, or a full SHA it does not have (an artifact's)."""
    sha = git_output(root, "rev-parse", "--verify", "-q", f"{commit}^{{commit}}")
    if sha:
        return sha
    if HEX.fullmatch(commit.lower()):
        return commit.lower()
    raise ConfigError(f"--commit {commit}: this clone does not know that commit",
                      hint="pass the full 40-character SHA (in GitHub Actions: --commit \"$GITHUB_SHA\" of the job "
                           "that built the site)")


def _built_by(record: build_record.SiteBuild) -> str:
    return f"`talkbuild build` at {record.time}"


def _unknown(info: BuildInfo) -> BuildInfo:
    return dataclasses.replace(info, commit=None, branch=None)
