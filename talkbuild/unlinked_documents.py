"""Slides and documents under talks/ that no talk links: an `unlinked-document` warning at each.

talkbuild publishes the files talks link, nothing else (MkDocs copies every file of its docs folder). A speaker
who leaves only `talks/speaker-50/Keynote Final v3 (1).pdf`, without a talk, would vanish from the site without
a word. Pictures are left out: unused ones lie about in every project, and none of them is a talk.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .config import Config
from .discover import project_rel, walk
from .errors import Diagnostic, Severity, SourceLocation
from .exclude import compile_rules, excluded
from .models import SourceFile, Talk

DOCUMENTS = {".pdf": "PDF", ".pptx": "PowerPoint", ".ppt": "PowerPoint", ".key": "Keynote", ".odp": "OpenDocument"}
"""The suffixes of slides and documents a speaker hands in, with the name a link to one gives its format."""
_PLAIN_LINK = re.compile(r"[\w.~/-]+")
"""A link destination Markdown reads as written: anything else (a space, parentheses) goes in `<...>`."""


def unlinked_documents(config: Config, sources: Sequence[SourceFile], talks: Sequence[Talk]) -> list[Diagnostic]:
    """A warning for each document under talks/ (DOCUMENTS) that none of `talks` links, found as discover finds
    talks: not in a folder whose name starts with `.` or `_`, nor left out by `exclude:`. Drafts count as links.
    A folder with a talk that failed to render is skipped: what that talk links is not known."""
    linked = {_same(rel) for talk in talks for rel in talk.assets}
    rendered = {talk.slug for talk in talks}
    unknown = {posixpath.dirname(s.rel) for s in sources if s.slug not in rendered}
    rules = compile_rules(config.exclude)
    talks_dir = config.talks_path
    found: list[Diagnostic] = []
    for folder, names in walk(talks_dir, lambda d: d.startswith((".", "_")), [], config.root):
        for name in names:
            if Path(name).suffix.lower() not in DOCUMENTS or name.startswith((".", "_")):
                continue
            rel = (folder / name).relative_to(talks_dir).as_posix()
            if _same(rel) in linked or posixpath.dirname(rel) in unknown or (rules and excluded(rules, rel)):
                continue
            found.append(_warning(config, rel, sources))
    return found


def _warning(config: Config, rel: str, sources: Sequence[SourceFile]) -> Diagnostic:
    """The warning for `rel`, whose hint gives the Markdown link to write and the talk to write it in: one
    beside the file, else a new one (the folder's index.md, or at the top of talks/ a file named after it)."""
    folder, name = posixpath.split(rel)
    shown = project_rel(config.talks_path, config.root)
    beside = sorted(s.rel for s in sources if posixpath.dirname(s.rel) == folder)
    link = f"[Slides ({DOCUMENTS[Path(name).suffix.lower()]})]({_destination(name)})"
    if beside:
        hint = f"to publish it, link it from a talk: add {link} to {shown}/{beside[0]}"
    else:
        talk = f"{folder}/index.md" if folder else f"{_file_name(name)}.md"
        hint = (f"to publish it, write a talk that links it: {shown}/{talk} with a title in its front matter "
                f"and the line {link}")
    return Diagnostic(Severity.WARNING, "unlinked-document",
                      f"'{name}' is linked by no talk, so it is not published", SourceLocation(f"{shown}/{rel}"),
                      hint=hint)


def _destination(name: str) -> str:
    """`name` as a Markdown link's destination: as it is when plain, else in `<...>`, where spaces and parentheses
    need no escaping (`<Keynote Final v3 (1).pdf>`)."""
    if _PLAIN_LINK.fullmatch(name):
        return name
    return "<" + re.sub(r"([<>\\])", r"\\\1", name) + ">"


def _file_name(name: str) -> str:
    """A talk's file name from a document's: `Keynote Final v3 (1).pdf` -> `keynote-final-v3-1`."""
    return re.sub(r"[^\w]+", "-", Path(name).stem.lower()).strip("-_") or "slides"


def _same(rel: str) -> str:
    """A path as compared with the talks' links: a name saved decomposed (macOS) is the same file."""
    return unicodedata.normalize("NFC", rel)
