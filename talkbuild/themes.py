"""Theme lookup: a project's theme overrides single files of the built-in default theme."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, SourceLocation

DEFAULT = "default"


def builtin_themes_dir() -> Path:
    """Where the default theme lives: the repository's themes/ (source checkout) or the packaged copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "themes", here / "_themes"):
        if (candidate / DEFAULT / "templates").is_dir():
            return candidate
    raise RuntimeError("talkbuild is installed without its default theme")


@dataclass(frozen=True)
class Theme:
    """A theme resolved to its search path, most specific first."""

    name: str
    dirs: tuple[Path, ...]

    @property
    def template_dirs(self) -> list[str]:
        return [str(d / "templates") for d in self.dirs if (d / "templates").is_dir()]

    def static_files(self) -> dict[str, Path]:
        """Site-relative name -> file, the most specific theme winning."""
        files: dict[str, Path] = {}
        for d in reversed(self.dirs):
            static = d / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files[path.relative_to(static).as_posix()] = path
        return files

    def fingerprint(self) -> str:
        """Changes whenever any file of the theme (or the default under it) changes."""
        h = hashlib.sha256(self.name.encode())
        for d in self.dirs:
            for path in sorted(d.rglob("*")):
                if path.is_file():
                    h.update(path.relative_to(d).as_posix().encode())
                    h.update(path.read_bytes())
        return h.hexdigest()


THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def theme_problem(name: str, project_root: Path) -> tuple[str, str] | None:
    """Why `name` cannot be used as a theme (message, fix), or None when it can."""
    if not THEME_NAME.fullmatch(name):
        return f"'{name}' is not a theme name", "use letters, digits, '-' and '_': themes live in themes/<name>/"
    if name == DEFAULT or (project_root / "themes" / name).is_dir():
        return None
    themes = project_root / "themes"
    known = sorted(p.name for p in themes.iterdir() if p.is_dir()) if themes.is_dir() else []
    return f"no theme named '{name}'", f"create themes/{name}/ or use one of: {', '.join(sorted({*known, DEFAULT}))}"


def find_theme(name: str, project_root: Path, where: SourceLocation | None = None) -> Theme:
    """The named theme from `<project>/themes/`, falling back to the built-in default for missing files."""
    problem = theme_problem(name, project_root)
    if problem is not None:
        raise ConfigError(problem[0], where or SourceLocation("talkbuild.yml"), hint=problem[1], code="theme")
    builtin = builtin_themes_dir()
    dirs: list[Path] = []
    own = project_root / "themes" / name
    if own.is_dir():
        dirs.append(own)
    default = builtin / DEFAULT
    if default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return Theme(name, tuple(dirs))
