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
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import TalkbuildError

TEMPLATE_DIR = Path(__file__).resolve().parent / "init_template"
DOT_PREFIX = "dot-"
PLACEHOLDER = re.compile(rb"@@([A-Z_]+)@@")
IGNORED_WHEN_EMPTY = frozenset({".git"})
"""A folder holding only these still counts as empty: `git init && talkbuild init` is the usual start."""


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
    warning: str | None = None
    """Something the user must do before the scaffold works everywhere."""


def default_title(root: Path) -> str:
    """`my-group_talks` -> `My group talks`."""
    name = root.resolve().name.replace("-", " ").replace("_", " ").strip()
    return (name[:1].upper() + name[1:]) if name else "Talks"


def talkbuild_requirement() -> tuple[str, str | None]:
    """How the new repository installs this very talkbuild: (requirements.txt line, a warning or None).

    A release from a package index is pinned by version. A talkbuild installed from a source checkout
    (as in its own repository) is not on the index under its version, so the scaffold points at that
    checkout: it works on this machine at once, and the warning says what CI needs instead.
    """
    try:
        direct = importlib.metadata.distribution("talkbuild").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        direct = None
    url = str(json.loads(direct).get("url", "")) if direct else ""
    if not url.startswith("file://"):
        return f"talkbuild=={__version__}", None
    return (f"talkbuild @ {url}",
            f"requirements.txt installs talkbuild from {url}, which only this machine has: before CI can run, "
            f"replace that line with talkbuild=={__version__} (once released) or 'talkbuild @ git+https://...'")


def scaffold_files(title: str, today: datetime.date, requirement: str | None = None) -> dict[str, bytes]:
    """Every scaffold file (relative POSIX path -> bytes) with its placeholders filled in."""
    values = {
        "REQUIREMENT": requirement or f"talkbuild=={__version__}",
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
    requirement, warning = talkbuild_requirement()
    files = scaffold_files(title or default_title(root), today or datetime.date.today(), requirement)
    written: list[str] = []
    kept: list[str] = []
    for rel, content in files.items():
        (written if _create(root / rel, content) else kept).append(rel)
    return InitResult(root=root, written=tuple(written), kept=tuple(kept), warning=warning)


def next_steps(result: InitResult, *, shown_path: str) -> str:
    """What to do after init, for the terminal."""
    cd = "" if shown_path in ("", ".") else f"  cd {shown_path}\n"
    kept = "".join(f"  kept as it was: {rel}\n" for rel in result.kept)
    warning = f"\nNote: {result.warning}\n" if result.warning else ""
    return (f"created {len(result.written)} files in {result.root}\n{kept}{warning}\nNext steps:\n{cd}"
            "  make serve        # the example talk on http://127.0.0.1:8000/, rebuilt as you edit talks/\n"
            "  make ci           # the whole pipeline locally: test, check, publish to _deploy/, verify\n"
            "  git init && git add -A && git commit -m 'Talks from talkbuild init'   # if not a repository yet\n"
            "Then push to GitHub: pull requests are tested and checked at once; to publish, set the repository\n"
            "variables TALKBUILD_TARGET and AWS_ROLE_ARN (see README.md, 'Continuous deployment on GitHub').")


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
