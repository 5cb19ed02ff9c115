"""`exclude:` patterns, read as .gitignore lines are (as MkDocs' `exclude_docs` reads them).

- `README.md` (no slash) matches at any depth; `/README.md` or `./README.md` only at the top of talks/;
- `drafts/`, `drafts`, `drafts/*`, `/drafts/**` all leave out everything under the folder `drafts`;
- `*` and `?` stop at a slash, `**` crosses folders (`**/README.md`, `archive/**/old-*`);
- `!pattern` takes back what an earlier pattern left out; the last pattern that matches a file decides.

Earlier talkbuild read patterns with Python's fnmatch, whose `*` crosses slashes (`*/README.md` matched at
every depth): a pattern still matches what it matched then, so no talk left out before is published now.
The rules are few, so they are written here rather than taken from a package.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One pattern as written in talkbuild.yml, compiled."""

    written: str
    negated: bool
    regex: re.Pattern[str]
    """Matches a talks-relative path the pattern names (a file, or a folder whose files it then covers)."""
    dir_only: bool
    legacy: str | None
    """The fnmatch form earlier versions used, for what it matched then."""

    def matches(self, rel: str) -> bool:
        parts = rel.split("/")
        folders = ["/".join(parts[:n]) for n in range(1, len(parts))]
        candidates = folders if self.dir_only else [*folders, rel]
        if any(self.regex.fullmatch(c) for c in candidates):
            return True
        return self.legacy is not None and fnmatch.fnmatchcase(rel, self.legacy)


def compile_rules(patterns: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(_compile(p) for p in patterns)


def excluded(rules: tuple[Rule, ...], rel: str) -> Rule | None:
    """The rule that leaves `rel` out, or None when the file is kept (not matched, or matched last by a `!`)."""
    decided: Rule | None = None
    for rule in rules:
        if rule.matches(rel):
            decided = None if rule.negated else rule
    return decided


def _compile(written: str) -> Rule:
    pattern = written.strip()
    negated = pattern.startswith("!")
    if negated:
        pattern = pattern[1:]
    if pattern.startswith("./"):  # what a shell user types for "here": the top of talks/
        pattern = "/" + pattern[2:].lstrip("/")
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern  # a slash at the start or in the middle ties the pattern to the top of talks/
    pattern = pattern.lstrip("/")
    body = _translate(pattern)
    regex = re.compile(body if anchored else f"(?:.*/)?{body}")
    legacy = None if negated or dir_only else pattern
    return Rule(written, negated, regex, dir_only, legacy)


def _translate(pattern: str) -> str:
    """A gitignore glob (without its leading slash) as a regular expression over a talks-relative path."""
    segments = pattern.split("/")
    out: list[str] = []
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if segment == "**":
            out.append(".*" if last else "(?:.*/)?")
            continue
        out.append(_segment(segment) + ("" if last else "/"))
    return "".join(out)


def _segment(segment: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "\\" and i + 1 < len(segment):
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            while i + 1 < len(segment) and segment[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and _class_end(segment, i) > 0:
            end = _class_end(segment, i)
            inner = segment[i + 1:end]
            if inner[:1] in ("!", "^"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _class_end(segment: str, start: int) -> int:
    """Where the character class opened at `start` closes, or -1 when it does not (then '[' is literal)."""
    j = start + 1
    if segment[j:j + 1] in ("!", "^"):
        j += 1
    if segment[j:j + 1] == "]":
        j += 1
    return segment.find("]", j)
