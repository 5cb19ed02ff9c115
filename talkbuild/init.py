"""`talkbuild init [DIR]`: start a talks repository that has the whole pipeline from its first commit.

The scaffold (talks/ with an example talk and its image, talkbuild.yml, a Makefile whose `make ci` runs
the pipeline locally, the GitHub workflows, .gitignore, README) lives in `init_template/` as package data.
Dotfiles are stored as `dot-NAME` because packaging tools and globbing skip hidden files.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import TalkbuildError
from .init_kept import (
    MAKE_INCLUDE,
    extend_gitignore,
    extend_requirements,
    make_include,
    own_requirement,
    shadowing_makefile,
    workflow_lacks_deploy,
)
from .init_pin import requirement_comment, requirement_for

__all__ = ["InitError", "InitResult", "init_project", "next_steps", "requirement_for", "scaffold_files"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "init_template"
DOT_PREFIX = "dot-"
PLACEHOLDER = re.compile(rb"@@([A-Z_]+)@@")
IGNORED_WHEN_EMPTY = frozenset({".git"})
"""A folder holding only these still counts as empty: `git init && talkbuild init` is the usual start."""
DEPLOY_BRANCH = "main"
"""The branch the workflows test on push and publish from (`push: branches: [main]`)."""
EXAMPLE_TALK = "talks/welcome/"
MAKE_TARGET = re.compile(r"^([^\s#=:.][^#=:]*?)\s*::?(?![=:])", re.MULTILINE)
MAKE_INCLUDE_LINE = re.compile(r"^-?(?:s?include)\s+(.+)$", re.MULTILINE)
MAKE_CALL = re.compile(r"^\s*run:\s*make\s+([\w-]+)", re.MULTILINE)


class InitError(TalkbuildError):
    """The folder cannot take a scaffold as asked (a usage error: nothing was written)."""

    exit_code = 2


@dataclass(frozen=True)
class InitResult:
    """What `init_project` did."""

    root: Path
    written: tuple[str, ...]
    """Files created, relative to root, sorted."""
    kept: tuple[str, ...]
    """Files that already existed (only with force) and were left exactly as they were."""
    warnings: tuple[str, ...] = ()
    """What the user must do before the scaffold works everywhere (CI, `make ci`, deploys from main)."""
    notes: tuple[str, ...] = ()
    """What init chose not to do, and why."""
    branch: str | None = None
    """The git branch `root` is on; None when it is not in a repository (or HEAD is detached)."""
    in_repository: bool = False
    """Whether `root` is inside a git repository (with a branch or a detached HEAD)."""


def default_title(root: Path) -> str:
    """`my-group_talks` -> `My group talks`."""
    name = root.resolve().name.replace("-", " ").replace("_", " ").strip()
    return (name[:1].upper() + name[1:]) if name else "Talks"


def talkbuild_requirement() -> tuple[str, str | None]:
    """How the new repository installs this very talkbuild: (requirements.txt line, a warning or None)."""
    try:
        direct = importlib.metadata.distribution("talkbuild").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        direct = None
    return requirement_for(direct, __version__)


def scaffold_files(title: str, today: datetime.date, requirement: str | None = None) -> dict[str, bytes]:
    """Every scaffold file (relative POSIX path -> bytes) with its placeholders filled in."""
    requirement = requirement or f"talkbuild=={__version__}"
    values = {
        "REQUIREMENT": requirement,
        "REQUIREMENT_NOTE": requirement_comment(requirement),
        "TITLE": _yaml_string(title),
        "TITLE_TEXT": title,
        "WELCOME_TITLE": _yaml_string(f"Welcome to {title}"),
        "DATE": today.isoformat(),
        "VERSION": __version__,
    }
    files: dict[str, bytes] = {}
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = "/".join(_undot(part) for part in path.relative_to(TEMPLATE_DIR).parts)
        files[rel] = _fill(path.read_bytes(), values, rel)
    return files


def init_project(root: Path, *, force: bool = False, title: str | None = None,
                 today: datetime.date | None = None) -> InitResult:
    """Write the scaffold into `root` (created if missing); never overwrite a file, even with force."""
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} exists and is not a folder", hint="give the path of a new or empty folder")
    existing = sorted(p.name for p in root.iterdir() if p.name not in IGNORED_WHEN_EMPTY) if root.is_dir() else []
    if existing and not force:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise InitError(f"{root} is not empty ({shown})",
                        hint="choose a new folder, or add --force: it writes only the missing files "
                             "and never overwrites one")
    requirement, requirement_warning = talkbuild_requirement()
    files = scaffold_files(title or default_title(root), today or datetime.date.today(), requirement)
    notes: list[str] = []
    if _has_talks(root / "talks"):
        # An existing talks repository does not need the example: it would be published beside real talks.
        files = {rel: content for rel, content in files.items() if not rel.startswith(EXAMPLE_TALK)}
        notes.append("talks/ already holds talks, so the example talk (talks/welcome/) was not added")
    shadow = shadowing_makefile(root)
    if shadow is not None:
        # GNU make would never read a Makefile written beside it: the user's makefile is the one kept.
        files.pop("Makefile")
    written: list[str] = []
    kept: list[str] = []
    for rel, content in files.items():
        (written if _create(root / rel, content) else kept).append(rel)
    warnings = [requirement_warning] if requirement_warning else []
    if "requirements.txt" in kept:
        appended = extend_requirements(root / "requirements.txt", requirement, requirement_comment(requirement).rstrip())
        if appended:
            notes.append(appended)
        else:  # its own talkbuild line stands; the warning about ours would be about a line not written
            warnings = [w for w in warnings if w != requirement_warning]
            theirs = own_requirement(root / "requirements.txt")
            notes.append(f"requirements.txt (kept) installs talkbuild as `{theirs}`")
            if theirs is not None and re.match(r"talkbuild\s*(==|>=|~=|<|>|!=|$)", theirs):
                warnings.append(f"requirements.txt (kept) installs talkbuild as `{theirs}`, from a package index, "
                                f"but talkbuild is not on PyPI: in CI that installs nothing (or whatever anyone "
                                f"registers under the name). Write `{requirement}` instead"
                                + (" (or a git+https:// line for CI)" if requirement_warning else ""))
    if ".gitignore" in kept:
        appended = extend_gitignore(root / ".gitignore", files[".gitignore"])
        if appended:
            notes.append(appended)
    if ".github/workflows/ci.yml" in kept and workflow_lacks_deploy(root / ".github/workflows/ci.yml"):
        warnings.append(".github/workflows/ci.yml (kept) has no deploy job, so pushes to main are tested but never "
                        "published: copy the `deploy` job (and `preview`) from the scaffold's ci.yml (`talkbuild init "
                        "/tmp/scaffold` writes one to copy from)")
    kept_make = shadow or ("Makefile" if "Makefile" in kept else None)
    if shadow is not None:
        warnings.append(f"this folder has a {shadow}, which GNU make reads instead of Makefile, so init wrote no "
                        f"Makefile (it would never be read): `make ci` and the workflows use your {shadow}")
    if kept_make is not None:
        template = scaffold_files("T", datetime.date(2000, 1, 1), requirement)["Makefile"].decode()
        present = _make_targets(root / kept_make, depth=0)
        missing = missing_make_targets(root, files, kept_make)
        if missing:
            if _create(root / MAKE_INCLUDE, make_include(template, present).encode()):
                written.append(MAKE_INCLUDE)
            warnings.append(
                f"your {kept_make} (kept as it was) has no target {', '.join(missing)}; the workflows and `make ci` "
                f"call them. Add the line `include {MAKE_INCLUDE}` at the end of your {kept_make}: it defines the "
                f"targets yours lacks and changes none of yours (its own variables are named TB_*, its targets "
                "tb-*), or copy the missing targets from it")
    top = _git_toplevel(root)
    if top is not None and top != root.resolve():
        warnings.append(
            f"{root} is inside the git repository {top}, and GitHub runs only the workflows in "
            f"{top / '.github' / 'workflows'}: make {root} a repository of its own (`git init -b {DEPLOY_BRANCH}` "
            "there), or move the scaffold to the repository's root")
    branch = current_branch(root)
    if branch is None and top is not None:
        warnings.append(
            f"this repository's HEAD is detached (no branch is checked out), but the workflows run on pushes to "
            f"'{DEPLOY_BRANCH}' and publish only from it: commit on '{DEPLOY_BRANCH}' (`git switch {DEPLOY_BRANCH}`, "
            f"or `git switch -c {DEPLOY_BRANCH}`)")
    if branch is not None and branch != DEPLOY_BRANCH:
        warnings.append(
            f"this repository is on branch '{branch}', but the workflows run on pushes to '{DEPLOY_BRANCH}' and "
            f"publish only from it: rename the branch with `git branch -m {branch} {DEPLOY_BRANCH}` (on GitHub, "
            f"make '{DEPLOY_BRANCH}' the default branch)")
    return InitResult(root=root, written=tuple(sorted(written)), kept=tuple(kept), warnings=tuple(warnings),
                      notes=tuple(notes), branch=branch, in_repository=top is not None)


def missing_make_targets(root: Path, files: dict[str, bytes], makefile: str = "Makefile") -> list[str]:
    """Targets the scaffold's workflows and Next steps call that the project's makefile does not define."""
    workflows = b"".join(content for rel, content in files.items() if rel.startswith(".github/workflows/"))
    needed = set(MAKE_CALL.findall(workflows.decode("utf-8"))) | {"ci", "serve"}
    return sorted(needed - _make_targets(root / makefile, depth=0))


def _make_targets(makefile: Path, depth: int) -> set[str]:
    """Targets a Makefile defines, also in the files it includes (by literal path; good enough to warn)."""
    try:
        text = makefile.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    text = re.sub(r"\\\n", " ", text)
    targets = {name for line in MAKE_TARGET.findall(text) for name in line.split()}
    if depth < 3:
        for names in MAKE_INCLUDE_LINE.findall(text):
            for name in names.split():
                targets |= _make_targets(makefile.parent / name, depth + 1)
    return targets


def current_branch(root: Path) -> str | None:
    """The branch checked out at `root` (also an unborn one, right after `git init`); None otherwise."""
    try:
        done = subprocess.run(["git", "-C", str(root), "symbolic-ref", "--short", "-q", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _git_toplevel(root: Path) -> Path | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 and done.stdout.strip() else None


def _has_talks(talks: Path) -> bool:
    if not talks.is_dir():
        return False
    # The example itself (a second `init --force`) is not "talks of their own".
    example = talks.parent / EXAMPLE_TALK
    return any(not any(part.startswith((".", "_")) for part in p.relative_to(talks).parts)
               and not p.is_relative_to(example) for p in talks.rglob("*.md"))


def next_steps(result: InitResult, *, shown_path: str) -> str:
    """What to do after init, for the terminal."""
    cd = "" if shown_path in ("", ".") else f"  cd {shown_path}\n"
    kept = "".join(f"  kept as it was: {rel}\n" for rel in result.kept)
    notes = "".join(f"  {note}\n" for note in result.notes)
    warnings = "".join(f"\nWarning: {warning}\n" for warning in result.warnings)
    git = ("" if result.branch is not None or result.in_repository else
           f"  git init -b {DEPLOY_BRANCH} && git add -A && git commit -m 'Talks from talkbuild init'"
           "   # if not a repository yet\n")
    return (f"created {len(result.written)} files in {result.root}\n{kept}{notes}{warnings}\nNext steps:\n{cd}"
            "  make serve        # the talks on http://127.0.0.1:8000/, rebuilt as you edit talks/\n"
            "  make ci           # the whole pipeline locally: test, check, publish to _deploy/, verify\n"
            f"{git}"
            f"Then push the branch '{DEPLOY_BRANCH}' to GitHub (the workflows publish from '{DEPLOY_BRANCH}' only; "
            "pull requests are tested\nand checked at once); to publish, set the repository variables "
            "TALKBUILD_TARGET and AWS_ROLE_ARN\n(see README.md, 'Continuous deployment on GitHub').")


def _undot(part: str) -> str:
    return "." + part[len(DOT_PREFIX):] if part.startswith(DOT_PREFIX) else part


def _yaml_string(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, so colons, quotes and '#' in a title are safe.
    return json.dumps(text, ensure_ascii=False)


def _fill(content: bytes, values: dict[str, str], rel: str) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode()
        if name not in values:
            raise AssertionError(f"init_template/{rel}: unknown placeholder @@{name}@@")
        return values[name].encode("utf-8")

    return PLACEHOLDER.sub(one, content)


def _create(path: Path, content: bytes) -> bool:
    """Create `path` with `content` unless it exists; False when it already did. Never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(content)
    try:
        # A hard link appears complete or not at all and, unlike os.replace, refuses to replace a file.
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True
