"""What built `_site/`: the commit of the last successful `talkbuild build` into it, kept in
`.talkbuild/site-build.json` with a stamp of the tree it wrote, and whether a later build failed.

`publish --prebuilt` publishes `_site/` without rebuilding, so it cannot take the commit from the checkout:
after a failed build the checkout is newer than the site. It names the recorded commit only when the
stamp still matches `_site/` (nobody wrote to it since) and the build ran on a clean tree. The commit is
never written into `_site/` itself: the same talks build to the same bytes on every commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .gitquery import git_output
from .workers import hold_signals, release_signals

RECORD = ".talkbuild/site-build.json"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """The last successful build into the project's own output folder, and the last failed one after it."""

    commit: str | None
    """HEAD when it built (None: no git, or nothing committed)."""
    dirty: tuple[str, ...]
    """Files that differed from that commit when it built (`git status`), at most a few; () when clean."""
    branch: str | None
    time: str
    stamp: str
    """site_stamp() of the output folder right after the build."""
    failed_commit: str | None = None
    """HEAD of a build that failed (or was stopped) after this one; `failed` says whether there was one."""
    failed: bool = False
    failed_time: str = ""


def site_stamp(site: Path) -> str:
    """Digest of every path, size, inode, modification and change time under `site`.

    Any write to a file changes its ctime (which nobody can set back), so an equal stamp means nobody has
    written into the tree since; a copy of it (a CI artifact) has another stamp.
    """
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        rel = os.path.relpath(dirpath, site)
        for name in sorted(filenames) + [d + "/" for d in dirnames]:
            st = os.lstat(os.path.join(dirpath, name.rstrip("/")))
            h.update(f"{rel}/{name}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n".encode())
    return h.hexdigest()


def read(root: Path) -> SiteBuild | None:
    """The record, or None when there is none (never built here, or a record from another format)."""
    try:
        data = json.loads((root / RECORD).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return SiteBuild(data["commit"], tuple(data["dirty"]), data["branch"], data["time"], data["stamp"],
                         data.get("failed_commit"), bool(data.get("failed")), data.get("failed_time", ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class Checkout:
    """The commit, branch and uncommitted files of the checkout, asked of git on a thread of its own when the
    build starts: the build's own time hides git's (three processes), and it describes the files the build reads."""

    def __init__(self, root: Path, site: Path) -> None:
        self._found: tuple[str | None, str | None, tuple[str, ...]] | None = None
        self._thread = threading.Thread(target=self._ask, args=(root, site), name="talkbuild-git", daemon=True)
        # Started with SIGTERM and Ctrl-C blocked, which the thread keeps (a thread inherits its creator's mask):
        # a stop must reach the main thread. Taken here while the main thread held them back around forking the
        # workers, it ran the handler inside an after-fork hook, where its exception is only printed (workers.py).
        held = hold_signals()
        try:
            self._thread.start()
        finally:
            release_signals(held)

    def _ask(self, root: Path, site: Path) -> None:
        self._found = (git_output(root, "rev-parse", "--verify", "-q", "HEAD^{commit}"),
                       git_output(root, "symbolic-ref", "-q", "--short", "HEAD"), uncommitted(root, site))

    def result(self) -> tuple[str | None, str | None, tuple[str, ...]]:
        self._thread.join()
        return self._found or (None, None, ("(git status failed)",))


def built(root: Path, site: Path, checkout: Checkout) -> None:
    """Record a successful build into `site` (the project's own output folder), as `checkout` found the files."""
    commit, branch, dirty = checkout.result()
    _write(root, SiteBuild(commit, dirty, branch, _now(), site_stamp(site)))


def failed(root: Path, checkout: Checkout) -> None:
    """Record that a build into the project's own output folder failed: `_site/` is older than the checkout
    (whose commit `checkout` already asked git for)."""
    import dataclasses

    last = read(root) or SiteBuild(None, (), None, "", "")
    _write(root, dataclasses.replace(last, failed=True, failed_commit=checkout.result()[0], failed_time=_now()))


def _write(root: Path, record: SiteBuild) -> None:
    from dataclasses import asdict

    from .write import write_atomic

    data = {"format": FORMAT, **asdict(record), "dirty": list(record.dirty)}
    try:
        write_atomic(root / RECORD, json.dumps(data, indent=1, sort_keys=True) + "\n")
    except OSError:  # a read-only project still builds; publish --prebuilt then knows no commit
        (root / RECORD).unlink(missing_ok=True)


def uncommitted(root: Path, site: Path) -> tuple[str, ...]:
    """Up to five changed or untracked files (outside the output folder and .talkbuild/), as `git status` says."""
    top = root.resolve()
    inside = [p.resolve() for p in (site, root / ".talkbuild") if p.resolve().is_relative_to(top)]
    excluded = [f":(exclude){p.relative_to(top).as_posix()}" for p in inside]
    if site.resolve().parent.is_relative_to(top):  # the tree a build without a spare one writes into, beside it
        folder = site.resolve().parent.relative_to(top).as_posix()
        excluded.append(f":(exclude){'' if folder == '.' else folder + '/'}.{site.name}.new-*")
    try:
        # --no-optional-locks: it runs beside the build, and must not take .git/index.lock from the user's own git.
        out = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "-z", "--", ".", *excluded],
                             cwd=root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ("(git status failed)",)
    if out.returncode != 0:
        return ()  # no repository: there is no commit to vouch for anyway
    return tuple(entry[3:] for entry in out.stdout.split("\0") if len(entry) > 3)[:5]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
