"""Theme lookup: a project's theme overrides single files of the built-in default theme."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from .errors import ConfigError, SourceLocation, TalkbuildError
from .sitepaths import is_hidden

DEFAULT = "default"
THEME_CSS = "theme.css"
"""A theme's stylesheet that every page links last, after talkbuild's own (MkDocs' extra_css, reveal.js' theme)."""


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

    def shown(self, filename: str) -> str:
        """A template file as messages name it: project-relative in the project's theme, else its full path."""
        path = Path(filename)
        own = self.dirs[0]
        if path.is_relative_to(own) and own.resolve() != (builtin_themes_dir() / DEFAULT).resolve():
            return (Path("themes", own.name) / path.relative_to(own)).as_posix()
        return path.as_posix()

    def static_files(self) -> dict[str, Path]:
        """Site-relative name -> file, the most specific theme winning."""
        files: dict[str, Path] = {}
        for d in reversed(self.dirs):
            static = d / "static"
            if static.is_dir():
                real_static = static.resolve()
                for path in sorted(static.rglob("*")):
                    rel = path.relative_to(static)
                    if path.is_file() and _publishable(path, rel, real_static):
                        files[rel.as_posix()] = path
        return files

    def has_static(self, name: str) -> bool:
        """Whether the theme (or the default under it) has the static file `name`."""
        return any((d / "static" / name).is_file() for d in self.dirs)

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


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's template search path; a template file that is not UTF-8 is a user error naming it."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme.template_dirs)
        self.theme = theme

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            # Jinja2 does not say which file it was reading: the first one on the search path, as it found it.
            path = next(p for d in self.searchpath if (p := Path(d, *split_template_path(template))).is_file())
            data = path.read_bytes()
            line = data[: exc.start].count(b"\n") + 1
            raise TalkbuildError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                 SourceLocation(self.theme.shown(str(path)), line),
                                 hint="save the template as UTF-8", code="encoding") from None


def _publishable(path: Path, rel: Path, real_static: Path) -> bool:
    """A theme's static file is published unless it is hidden (`.env`, `.git/`) or a symlink to a file outside
    the theme's static folder (`style.css -> ../../../.git/config`, `/etc/hostname`): a theme may come in a pull
    request, and its folder is copied whole, unlike talks/, where only what a talk references is."""
    if is_hidden(rel.parts):
        return False
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return real.is_relative_to(real_static) and not is_hidden(real.relative_to(real_static).parts)
