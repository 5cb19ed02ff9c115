"""Find the talks of a project: `talks/<path>.md` and `talks/<path>/index.md`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .config import CONFIG_NAME
from .errors import Diagnostic, Severity, SourceLocation
from .exclude import compile_rules, excluded
from .models import SourceFile
from .sitepaths import look_alike_how, look_alike_key

MARKDOWN_SUFFIXES = (".md", ".markdown")
_URL_BREAKERS = "?#%\\"
"""Characters a talk's path may not have: in its URL they would end the path or start an escape."""


def discover(talks_dir: Path, project_root: Path, exclude: tuple[str, ...] = (),
             exclude_lines: tuple[int | None, ...] | None = None) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every talk under `talks_dir`, sorted by path, plus problems found on the way (clashes, escaping symlinks).

    With `exclude_lines` (each pattern's line in talkbuild.yml), a pattern that matches no file is reported.
    """
    problems: list[Diagnostic] = []
    if not talks_dir.is_dir():
        return [], problems
    real_root = talks_dir.resolve()
    found: list[SourceFile] = []
    rules = compile_rules(exclude)
    used: set[int] = set()
    for dirpath, filenames in walk(talks_dir, lambda d: d.startswith((".", "_")), problems, project_root):
        for name in filenames:
            if not name.lower().endswith(MARKDOWN_SUFFIXES) or name.startswith((".", "_")):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(talks_dir).as_posix()
            if rules:
                used.update(n for n, rule in enumerate(rules) if rule.matches(rel))
                if excluded(rules, rel) is not None:
                    continue
            where = SourceLocation(path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path))
            if not _is_utf8(rel):
                problems.append(Diagnostic(Severity.ERROR, "bad-name",
                                           f"the talk's name {os.fsencode(rel)!r} is not UTF-8 (saved by a tool using "
                                           "another encoding): its web address would differ from system to system",
                                           where, hint="rename the file; a name typed afresh is UTF-8"))
                continue
            unsafe = sorted(set(rel) & set(_URL_BREAKERS))
            if unsafe:
                problems.append(Diagnostic(Severity.ERROR, "bad-name",
                                           f"the talk's name has {' '.join(repr(c) for c in unsafe)}, which would cut its web "
                                           "address short", where, hint="rename it with letters, digits, '-', '_' and '/'"))
                continue
            if path.is_symlink():
                if not path.exists():
                    problems.append(Diagnostic(Severity.ERROR, "broken-symlink",
                                               f"the talk is a symlink to {os.readlink(path)}, which does not exist",
                                               where, hint="fix or remove the link"))
                    continue
                real = path.resolve()
                if not real.is_relative_to(real_root):
                    problems.append(Diagnostic(Severity.ERROR, "outside-talks", f"symlink points outside the talks folder (to {real})",
                                               where, hint="copy the file into talks/ instead of linking to it"))
                    continue
            found.append(SourceFile(path=path, rel=rel, slug=slug_for(rel)))
    if exclude_lines is not None:
        problems.extend(_unused(exclude, exclude_lines, used))
    if not found and not problems:  # a talk refused above is a talk found, and its error says why
        problems.append(_no_talks(talks_dir, project_root))
    by_slug: dict[str, SourceFile] = {}
    unique: list[SourceFile] = []
    for source in found:
        other = by_slug.get(source.slug)
        if other is not None:
            problems.append(Diagnostic(Severity.ERROR, "slug-clash",
                                       f"'{source.rel}' and '{other.rel}' would both be published at '{source.slug}/'",
                                       SourceLocation(project_rel(source.path, project_root)),
                                       hint="rename one of them"))
            continue
        by_slug[source.slug] = source
        unique.append(source)
    # `b.md` publishes its deck at b/slides/: a talk `b/slides.md` (or b/slides/index.md) would overwrite it.
    over_a_deck = [(source, by_slug[source.slug.removesuffix("/slides")]) for source in unique
                   if source.slug.endswith("/slides") and source.slug.removesuffix("/slides") in by_slug]
    for source, owner in over_a_deck:
        problems.append(Diagnostic(Severity.ERROR, "slug-clash",
                                   f"'{source.rel}' would be published at '{source.slug}/', where '{owner.rel}' "
                                   "publishes its slides", SourceLocation(project_rel(source.path, project_root)),
                                   hint="rename it"))
    by_folded: dict[str, SourceFile] = {}
    for source in unique:
        first = by_folded.setdefault(look_alike_key(source.slug), source)
        if first is not source:
            problems.append(Diagnostic(Severity.WARNING, "case-clash", look_alike_message(source.rel, first.rel),
                                       SourceLocation(project_rel(source.path, project_root)), hint="rename one of them"))
    clashing = {source.rel for source, _ in over_a_deck}
    return [s for s in unique if s.rel not in clashing], problems


def look_alike_message(path: str, other: str) -> str:
    return (f"'{path}' and '{other}' differ only {look_alike_how(path, other)}: on macOS and Windows they are one "
            "file, and they look alike")


def _unused(exclude: tuple[str, ...], lines: tuple[int | None, ...], used: set[int]) -> list[Diagnostic]:
    """A warning for each `exclude` pattern that matched no Markdown file: a typo publishes what it meant to hide."""
    return [Diagnostic(Severity.WARNING, "exclude-unused",
                       f"the exclude pattern {pattern!r} matches no Markdown file under the talks folder",
                       SourceLocation(CONFIG_NAME, lines[n] if n < len(lines) else None),
                       hint="patterns are read as .gitignore lines, relative to the talks folder, e.g. 'drafts/' or "
                            "'**/README.md'; folders starting with '.' or '_' are never searched for talks")
            for n, pattern in enumerate(exclude) if n not in used]


def _is_utf8(name: str) -> bool:
    """False for a name Python could only decode with surrogates (bytes that are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def slug_for(rel: str) -> str:
    """`a/b.md` -> `a/b`; `a/b/index.md` -> `a/b`; a top-level `index.md` -> `index`."""
    stem = rel.rsplit(".", 1)[0]
    if stem.endswith("/index"):
        return stem[: -len("/index")]
    return stem


def project_rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".bak",
                  "___jb_tmp___", "___jb_old___")
"""Names editors use for a file that is about to be renamed over the real one (or a backup of it)."""


def is_scratch_file(name: str) -> bool:
    """True for editor temporaries and hidden files: their coming and going changes nothing in the site."""
    return name.startswith((".", "#")) or name.endswith(_TEMP_SUFFIXES) or name == "4913"


def tree_listing(talks_dir: Path) -> tuple[str, ...]:
    """Every file under talks/ except editor scratch files: adding or removing one can change how links resolve."""
    names: list[str] = []
    for dirpath, filenames in walk(talks_dir, lambda d: d.startswith("."), [], talks_dir):
        names.extend(os.path.join(dirpath, f) for f in filenames if not is_scratch_file(f))
    return tuple(names)


def walk(top: Path, skip: Callable[[str], bool], problems: list[Diagnostic],
         project_root: Path) -> Iterator[tuple[Path, list[str]]]:
    """Each folder under `top` (top-down, sorted) with its files' names, following folder symlinks as MkDocs does.

    A link back to a folder that contains it would be walked forever; a link out of `top` would publish
    files from anywhere; a link to another folder the walk reaches anyway would find its files twice: all are
    reported (in `problems`) and not followed. (A link to a folder `skip` leaves out is followed.)
    """
    real_top = top.resolve()
    stack: list[tuple[Path, Path, frozenset[Path]]] = [(top, real_top, frozenset({real_top}))]
    while stack:
        folder, real, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        files, below = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(entry.name)
                continue
            if skip(entry.name):
                continue
            path = Path(entry.path)
            if not entry.is_symlink():
                below.append((path, real / entry.name, ancestors | {real / entry.name}))
                continue
            target = path.resolve()
            where = SourceLocation(project_rel(path, project_root))
            if target in ancestors:
                problems.append(Diagnostic(Severity.WARNING, "symlink-loop",
                                           f"the folder symlink points to {os.readlink(path)}, a folder that contains "
                                           "it: it is not followed (its talks would be found again and again)",
                                           where, hint="remove the link, or link to a folder that does not contain it"))
            elif target.is_relative_to(real_top) and not any(skip(part) for part in target.relative_to(real_top).parts):
                # The walk reaches that folder at its own path: following the link too would build the same talks
                # twice under two addresses (and report their problems, and their duplicate titles, twice).
                problems.append(Diagnostic(Severity.WARNING, "symlink-alias",
                                           f"the folder symlink points to {os.readlink(path)} "
                                           f"(talks/{target.relative_to(real_top).as_posix()}), a folder inside the "
                                           "talks folder: it is not followed, its talks are built at their own path",
                                           where, hint="remove the link and link to the talks' own addresses; to give "
                                           "the folder another address, rename it"))
            elif not target.is_relative_to(real_top):
                if _has_talks(target):
                    problems.append(Diagnostic(Severity.ERROR, "outside-talks",
                                               f"the folder symlink points outside the talks folder (to {target}): "
                                               "its talks are not built", where,
                                               hint="move the folder into talks/ instead of linking to it"))
            else:
                below.append((path, target, ancestors | {target}))
        yield folder, files
        stack.extend(reversed(below))


def _has_talks(folder: Path) -> bool:
    """True when a folder (outside talks/, not followed) holds Markdown files that would have been talks."""
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
        if any(f.lower().endswith(MARKDOWN_SUFFIXES) and not f.startswith((".", "_")) for f in filenames):
            return True
    return False


OTHER_DIALECTS = (".qmd", ".rmd", ".ipynb")


def _no_talks(talks_dir: Path, project_root: Path) -> Diagnostic:
    others = sorted(p.relative_to(talks_dir).as_posix() for p in talks_dir.rglob("*") if p.suffix.lower() in OTHER_DIALECTS)
    hint = "talks are talks/<name>.md or talks/<name>/index.md"
    if others:
        hint += f"; {len(others)} file(s) in other formats were ignored (e.g. {others[0]}): rename them to .md"
    return Diagnostic(Severity.WARNING, "no-talks", "no talks found", SourceLocation(project_rel(talks_dir, project_root)), hint=hint)
