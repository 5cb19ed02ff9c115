"""Walk a built site into a frozen Manifest; the release id is the hash of its file list."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import __version__
from ..errors import TalkbuildError
from ..gitquery import git_output
from .content_types import cache_control_for, content_type_for

SCHEMA = 1
ID_LENGTH = 20
"""Hex digits of sha256 kept for a release id: 80 bits, plenty for one site's releases."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of a release, with the headers it is served with."""

    path: str
    """Site-relative POSIX path, e.g. `talks/intro/index.html`."""
    sha256: str
    size: int
    content_type: str
    cache_control: str


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """Where a build came from. Not part of the release id: the same bytes are the same release."""

    commit: str | None = None
    branch: str | None = None
    ci_run_url: str | None = None
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """A release: its id, every file, and where the build came from."""

    release_id: str
    files: tuple[FileEntry, ...]
    build: BuildInfo
    talkbuild_version: str = __version__
    created: str = ""
    """UTC time the manifest was sealed (ISO 8601); empty until then."""

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def by_path(self) -> dict[str, FileEntry]:
        return {f.path: f for f in self.files}

    def to_json(self) -> bytes:
        data = {"schema": SCHEMA, "release_id": self.release_id, "created": self.created,
                "talkbuild_version": self.talkbuild_version, "build": asdict(self.build),
                "files": [asdict(f) for f in self.files]}
        return json.dumps(data, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes, where: str) -> Manifest:
        try:
            data = json.loads(raw)
            files = tuple(FileEntry(**f) for f in data["files"])
            manifest = cls(data["release_id"], files, BuildInfo(**data["build"]),
                           data.get("talkbuild_version", ""), data.get("created", ""))
        except (ValueError, KeyError, TypeError) as exc:
            raise TalkbuildError(f"corrupt release manifest: {exc}", hint=f"inspect {where}") from None
        if release_id_for(manifest.files) != manifest.release_id:
            raise TalkbuildError("release manifest does not match its id", hint=f"inspect {where}")
        return manifest


def release_id_for(files: tuple[FileEntry, ...]) -> str:
    """Content hash of the canonical file list (paths, hashes, sizes and headers)."""
    canonical = json.dumps([asdict(f) for f in sorted(files, key=lambda f: f.path)],
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:ID_LENGTH]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_manifest(site_dir: Path, build: BuildInfo | None = None) -> Manifest:
    """Hash every regular file under `site_dir` (symlinks followed, dot-files kept) into a Manifest."""
    if not site_dir.is_dir():
        raise TalkbuildError(f"{site_dir}: no built site here", hint="run `talkbuild build` first")
    entries: list[FileEntry] = []
    for dirpath, dirnames, filenames in os.walk(site_dir, followlinks=True):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(site_dir).as_posix()
            if not full.is_file():
                continue
            ctype = content_type_for(rel)
            entries.append(FileEntry(rel, file_sha256(full), full.stat().st_size, ctype, cache_control_for(rel, ctype)))
    if not entries:
        raise TalkbuildError(f"{site_dir}: the built site is empty", hint="run `talkbuild build` first")
    files = tuple(sorted(entries, key=lambda f: f.path))
    return Manifest(release_id_for(files), files, build or BuildInfo())


def build_info(project_root: Path, env: Mapping[str, str] | None = None) -> BuildInfo:
    """Commit, branch and CI run link from GITHUB_* when present, else from git; who publishes."""
    env = os.environ if env is None else env
    commit = env.get("GITHUB_SHA") or git_output(project_root, "rev-parse", "HEAD")
    branch = env.get("GITHUB_HEAD_REF") or env.get("GITHUB_REF_NAME") or git_output(
        project_root, "rev-parse", "--abbrev-ref", "HEAD")
    run_url = None
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        run_url = f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    actor = env.get("GITHUB_ACTOR") or _local_user()
    return BuildInfo(commit or None, branch if branch and branch != "HEAD" else None, run_url, actor)


def _local_user() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (KeyError, OSError):  # no passwd entry in some containers
        return f"uid{os.getuid()}@{socket.gethostname()}"


def is_ancestor(project_root: Path, older: str, newer: str) -> bool | None:
    """Whether commit `older` is an ancestor of `newer`; None when git cannot tell (shallow clone, no repo)."""
    if older == newer:
        return True
    try:
        out = subprocess.run(["git", "merge-base", "--is-ancestor", older, newer], cwd=project_root,
                             capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return {0: True, 1: False}.get(out.returncode)



def is_shallow(project_root: Path) -> bool:
    """Whether the checkout's history is cut short (`git clone --depth N`, actions/checkout's default)."""
    return git_output(project_root, "rev-parse", "--is-shallow-repository") == "true"
