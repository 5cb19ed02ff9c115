"""`exclude:` patterns, read as .gitignore lines are (as MkDocs' `exclude_docs` reads them).

- `README.md` (no slash) matches at any depth; `/README.md` or `./README.md` only at the top of talks/;
- `drafts/`, `drafts`, `drafts/*`, `/drafts/**` all leave out everything under the folder `drafts`;
- `*` and `?` stop at a slash, `**` crosses folders (`**/README.md`, `archive/**/old-*`);
- `!pattern` takes back what an earlier pattern left out; the last pattern that matches a file decides.

Earlier talkbuild read patterns with Python's fnmatch, whose `*` crosses slashes (`*/README.md` matched at
every depth): a pattern still matches what it matched then, so no talk left out before is published now.
The rules are few, so they are written here rather than taken from a package.

Matching takes time proportional to (pattern length x path length), whatever the pattern. The patterns come
from talkbuild.yml, which a pull request can change: as backtracking regular expressions, `*a*a*a...b` or
`**/**/**/...` against a deep path ran for hours (each `*` retried every split of the path). A pattern is
compiled to a small automaton instead (one state per wildcard or character), read one character at a time
with all its states at once. Its steps are remembered per state set and character (a lazy DFA), and the state
after each folder is remembered too, so a tree of many talks in few folders reads each folder name once.
The fnmatch form stays fnmatch: CPython translates each of its `*` to an atomic group (since 3.9,
bpo-40480), which never goes back into an earlier one, so it is linear in the path too.
"""

from __future__ import annotations

import fnmatch
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Rule:
    """One pattern as written in talkbuild.yml, compiled."""

    written: str
    negated: bool
    glob: Glob = field(compare=False, repr=False)
    """Matches a talks-relative path the pattern names (a file, or a folder whose files it then covers)."""
    dir_only: bool
    legacy: str | None
    """The fnmatch form earlier versions used, for what it matched then."""

    def matches(self, rel: str) -> bool:
        if self.glob.names(rel, folders_only=self.dir_only):
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
    steps = ([] if anchored else [_FOLDERS]) + _translate(pattern)
    legacy = None if negated or dir_only else pattern
    return Rule(written, negated, Glob(steps), dir_only, legacy)


# --- the pattern as steps -----------------------------------------------------------------------------------

Test = Callable[[str], bool]


@dataclass(frozen=True)
class _Step:
    """One piece of a pattern: a character (`?`, a class, a literal), a run of them (`*`), or any folders."""

    kind: Literal["one", "many", "folders"]
    """One character passing `test`; zero or more of them (`*`, a trailing `**`); or `folders`: nothing or
    anything ending in '/' (`**/` in the middle, or before a pattern without a slash)."""
    test: Test


_FOLDERS = _Step("folders", lambda c: True)


def _translate(pattern: str) -> list[_Step]:
    """A gitignore glob (without its leading slash) as steps over a talks-relative path."""
    segments = pattern.split("/")
    out: list[_Step] = []
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if segment == "**":
            out.append(_Step("many", _not_newline) if last else _FOLDERS)
            continue
        out.extend(_segment(segment))
        if not last:
            out.append(_literal("/"))
    return out


def _segment(segment: str) -> list[_Step]:
    out: list[_Step] = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "\\" and i + 1 < len(segment):
            out.append(_literal(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            while i + 1 < len(segment) and segment[i + 1] == "*":
                i += 1
            out.append(_Step("many", _not_slash))
        elif c == "?":
            out.append(_Step("one", _not_slash))
        elif c == "[" and _class_end(segment, i) > 0:
            end = _class_end(segment, i)
            out.append(_Step("one", _char_class(segment[i + 1:end])))
            i = end
        else:
            out.append(_literal(c))
        i += 1
    return out


def _class_end(segment: str, start: int) -> int:
    """Where the character class opened at `start` closes, or -1 when it does not (then '[' is literal)."""
    j = start + 1
    if segment[j:j + 1] in ("!", "^"):
        j += 1
    if segment[j:j + 1] == "]":
        j += 1
    return segment.find("]", j)


def _char_class(inner: str) -> Test:
    """`[inner]` as earlier versions read it: a Python regex class (so `[!x]`, like fnmatch's, matches '/')."""
    if inner[:1] in ("!", "^"):
        inner = "^" + inner[1:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set" for `[[]`: a user cannot act on it
        try:
            one = re.compile("[" + inner.replace("\\", "\\\\") + "]")
        except re.error:  # `[z-a]`: a class of no character; the pattern then matches nothing, and is reported so
            return lambda c: False
    return lambda c: one.fullmatch(c) is not None


def _literal(char: str) -> _Step:
    return _Step("one", char.__eq__)


def _not_slash(c: str) -> bool:
    return c != "/"


def _not_newline(c: str) -> bool:
    return c != "\n"  # what `.*` matched: a file name with a newline is odd, not impossible


# --- the automaton ------------------------------------------------------------------------------------------

_CACHE_LIMIT = 100_000
"""Remembered steps per pattern; past this the memory is dropped and refilled (each step is cheap to redo)."""


class Glob:
    """The steps as a set of states read a character at a time: state k means "steps before k are matched".

    A `_FOLDERS` step takes two states: one before it (from which it may be skipped) and one inside it (any
    characters, left by a '/'). States are bits of an int, so a whole set moves in a few operations.
    """

    def __init__(self, steps: list[_Step]) -> None:
        # Per state: what keeps it (a repeat), what moves it one state on, which states it reaches for free.
        self._stay: list[Test | None] = []
        self._advance: list[Test | None] = []
        skip1 = skip2 = 0
        for step in steps:
            state = len(self._stay)
            if step.kind == "folders":
                skip1 |= 1 << state  # into the folders
                skip2 |= 1 << state  # or past them
                self._stay += [None, _not_newline]
                self._advance += [None, "/".__eq__]
            elif step.kind == "many":
                skip1 |= 1 << state
                self._stay.append(step.test)
                self._advance.append(None)
            else:
                self._stay.append(None)
                self._advance.append(step.test)
        self._accept = 1 << len(self._stay)
        self._skip1, self._skip2 = skip1, skip2
        self._start = self._closure(1)
        self._moves: dict[int, dict[str, int]] = {}
        self._folders: dict[str, tuple[int, bool]] = {}
        self._names: dict[tuple[str, bool], bool] = {}

    def names(self, rel: str, folders_only: bool = False) -> bool:
        """Whether the pattern matches `rel` or one of the folders it is in (only those with `folders_only`)."""
        known = self._names.get((rel, folders_only))
        if known is None:
            if len(self._names) > _CACHE_LIMIT:
                self._names.clear()
            folder, slash, name = rel.rpartition("/")
            state, matched = self._after_folder(folder) if slash else (self._start, False)
            if not matched and not folders_only:
                matched = bool(self._read(state, name) & self._accept)
            known = self._names[(rel, folders_only)] = matched
        return known

    def _after_folder(self, folder: str) -> tuple[int, bool]:
        """The states after reading `folder/`, and whether `folder` or a folder above it matched."""
        known = self._folders.get(folder)
        if known is not None:
            return known
        pending = [folder]  # from `folder` up to the nearest folder read before (a loop: paths can be deep)
        while True:
            parent, slash, _ = pending[-1].rpartition("/")
            if not slash:
                state, matched = self._start, False
                break
            if parent in self._folders:
                state, matched = self._folders[parent]
                break
            pending.append(parent)
        if len(self._folders) > _CACHE_LIMIT:
            self._folders.clear()
        for path in reversed(pending):
            if not matched:  # once a folder matched, so does everything under it
                state = self._read(state, path.rpartition("/")[2])
                matched = bool(state & self._accept)
                state = self._read(state, "/")
            self._folders[path] = (state, matched)
        return state, matched

    def _read(self, state: int, text: str) -> int:
        for c in text:
            if not state:
                break  # nothing left that could match
            state = self._step(state, c)
        return state

    def _step(self, state: int, c: str) -> int:
        moves = self._moves.get(state)
        if moves is None:
            if len(self._moves) > _CACHE_LIMIT:
                self._moves.clear()
            moves = self._moves[state] = {}
        after = moves.get(c)
        if after is None:
            after = moves[c] = self._closure(self._consume(state, c))
        return after

    def _consume(self, state: int, c: str) -> int:
        out = 0
        bit, k = 1, 0
        while bit <= state and k < len(self._stay):
            if state & bit:
                stay, advance = self._stay[k], self._advance[k]
                if stay is not None and stay(c):
                    out |= bit
                if advance is not None and advance(c):
                    out |= bit << 1
            bit <<= 1
            k += 1
        return out

    def _closure(self, state: int) -> int:
        """`state` plus every state reached from it without reading a character (skipping `*`, `**`)."""
        while True:
            more = state | ((state & self._skip1) << 1) | ((state & self._skip2) << 2)
            if more == state:
                return state
            state = more
