"""YAML read the way an author means it, for front matter and talkbuild.yml alike.

PyYAML implements YAML 1.1, where `No` is false, `010` is 8 and `1.50` is 1.5: right for a flag, wrong for a
title. Its node tree keeps every scalar as written, so text fields are taken from there (`as_written`).
It also lets a repeated key win silently and reports an unclosed quote where the file ends; `duplicate_keys`
and `syntax_problem` give the author the lines that matter instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
DEFAULT_HINT = "quote values that contain ': ' or start with a special character"


def load(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> tuple[Any, yaml.Node | None, list[Duplicate]]:
    """The data, its node tree (for line numbers and scalars as written) and the keys given twice.

    One pass: the data is constructed from the same tree. Duplicates are found before construction,
    because constructing merges `<<:` keys into the tree, and a key overriding a merged one is no mistake.
    """
    parser = loader(text)
    try:
        node = parser.get_single_node()
        duplicates = list(duplicate_keys(node)) if node is not None else []
        data = parser.construct_document(node) if node is not None else None
    finally:
        parser.dispose()
    return data, node, duplicates


def as_written(node: yaml.Node | None, value: Any) -> Any:
    """A scalar's text exactly as the author wrote it (quotes removed), item by item for a list of scalars.

    An empty value, `~` and `null` stay None (no value); a mapping, or a list holding one, stays as YAML built it.
    """
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == NULL_TAG else str(node.value)
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list) and len(node.value) == len(value):
        return [as_written(n, v) if isinstance(n, yaml.ScalarNode) else v for n, v in zip(node.value, value, strict=True)]
    return value


def as_bool(value: Any) -> bool | None:
    """A yes/no setting as authors write it: YAML's booleans, or the words quoted ("true", "no"); None otherwise.
    Shared by talkbuild.yml and front matter, so both read a quoted "true" alike."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
        return value.strip().lower() in ("true", "yes")
    return None


def entries(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key, key node, value node) of a mapping node, in file order; keys that are not scalars are skipped."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != MERGE_TAG:
                yield str(key.value), key, value


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A key given more than once in one mapping."""

    name: str
    """Dotted from the top of the document, e.g. 'check.timeout'."""
    lines: tuple[int, ...]
    """0-based lines of every occurrence, in file order."""

    def message(self, first_line: int = 1) -> str:
        """'x' is given twice (line 2 and line 3), in lines of the file whose line `first_line` starts the YAML."""
        lines = [str(first_line + n) for n in self.lines]
        if len(lines) == 2:
            return f"'{self.name}' is given twice (line {lines[0]} and line {lines[1]})"
        return f"'{self.name}' is given {len(lines)} times (lines {', '.join(lines[:-1])} and {lines[-1]})"


def duplicate_keys(node: yaml.Node, prefix: str = "", seen: set[int] | None = None) -> Iterator[Duplicate]:
    """Every key given twice in a mapping of the document (nested sections too), in file order."""
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias repeats a node (or, with `&a [*a]`, contains itself)
        return
    seen.add(id(node))
    lines: dict[str, list[int]] = {}
    for key, key_node, value in entries(node):
        lines.setdefault(key, []).append(int(key_node.start_mark.line))
        yield from duplicate_keys(value, f"{prefix}{key}.", seen)
    for key, found in lines.items():
        if len(found) > 1:
            yield Duplicate(prefix + key, tuple(found))


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A YAML syntax error said for an author: what, the file line where to look, and how to fix it."""

    message: str
    line: int
    hint: str


_UNCLOSED = {"while scanning a quoted scalar": "quote", "while parsing a flow sequence": "bracket",
             "while parsing a flow mapping": "bracket"}
"""PyYAML's context for a quote or bracket it was still inside when it gave up."""


def syntax_problem(exc: yaml.YAMLError, text: str, first_line: int = 1) -> SyntaxProblem:
    """Where and why `text` (whose first line is line `first_line` of its file) is not valid YAML.

    PyYAML marks where it gave up; for an unclosed quote or bracket that is the end of the text, far from
    the mistake, so then the place where the quote or bracket was opened (its context mark) is reported.
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = str(getattr(exc, "context", None) or "")
    at_end = problem_mark is not None and problem_mark.index >= len(text.rstrip())
    line = int(problem_mark.line) if problem_mark is not None else 0
    if at_end and context_mark is not None:
        line = int(context_mark.line)
    hint = DEFAULT_HINT
    if context in _UNCLOSED and context_mark is not None:
        kind = _UNCLOSED[context]
        if at_end or "document separator" in problem:
            problem = f"the {kind} {_char_at(text, context_mark)!r} is never closed"
        elif problem_mark is not None and problem_mark.line != context_mark.line:
            problem = (f"the {kind} {_char_at(text, context_mark)!r} is not closed before line "
                       f"{first_line + problem_mark.line} ({problem})")
        # The line to fix is where the quote or bracket was opened, not where PyYAML noticed it still was.
        line = int(context_mark.line)
        hint = f"close the {kind} opened at line {first_line + context_mark.line}"
    elif context == "while scanning a double-quoted scalar":
        hint = "a backslash in double quotes starts an escape: use single quotes, or write \\\\"
    elif "'\\t'" in problem or "tab character" in problem:
        leading = problem_mark is not None and not _line_text(text, problem_mark)[: problem_mark.column].strip()
        hint = "indent with spaces, not tabs" if leading else "use a space instead of the tab"
    elif match := re.fullmatch(r"found undefined alias '(.*)'", problem):
        hint = f"define the anchor &{match.group(1)} first, or quote the value"
    elif problem.startswith("expected <block end>") or problem.startswith("did not find expected '-'"):
        hint = "check the indentation: the items of one list, and the keys of one mapping, start in the same column"
    elif context in ("while scanning an alias", "while scanning an anchor"):
        hint = "quote the value: YAML reads a leading '*' or '&' as an alias or an anchor"
        if at_end:
            problem = f"nothing follows the {_char_at(text, context_mark)!r}"
    return SyntaxProblem(problem, first_line + line, hint)


def _char_at(text: str, mark: Any) -> str:
    return text[mark.index] if mark is not None and 0 <= mark.index < len(text) else "?"


def _line_text(text: str, mark: Any) -> str:
    lines = text.split("\n")
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""
