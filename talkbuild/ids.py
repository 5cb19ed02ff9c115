"""Ids in a talk's pages: which are reserved, how slides get theirs, and what happens when two want one.

A talk's deck and handout each hold one id space: the slides' ids, every `{#id}` the author wrote
(on a slide's heading, on a heading or fenced div inside a slide or its notes), the ids the theme
derives from a slide's id (`<id>--title`, footnotes' `fn-<id>-1`) and the theme's own elements
(`tb-help`, `tb-stage`, ...). The rules, in the spirit of pandoc and reveal.js:

- an id the author wrote wins: a generated id that would take it gets the `-2` suffix instead;
- the second of two equal written ids is renamed (`duplicate-id`), so a link keeps opening the first;
- a written id that is reserved is not used (`reserved-id`); a generated one steps around reserved ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count

from .errors import Diagnostic, Severity, SourceLocation

TITLE_SLIDE_ID = "title"
"""The title slide's id (`#title` opens it in the deck)."""
THEME_PREFIX = "tb-"
"""Every element id of the theme's deck and handout starts with this (tests/test_slide_ids.py checks it)."""
HEADING_SUFFIX = "--title"
"""A slide's heading has the slide's id plus this suffix (its `aria-labelledby` target)."""
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?-.+-\d+(?::\d+)?")
"""Footnote ids: `fn-<slide id>-<n>` and `fnref-<slide id>-<n>[:<m>]` (mdit-py-plugins, with the slide as docId)."""


def reserved(ident: str) -> tuple[str, str] | None:
    """Why `ident` belongs to talkbuild and not to the author, with a hint; None when it is free."""
    if ident == TITLE_SLIDE_ID:
        return ("is the title slide's id", f"choose another id; '#{TITLE_SLIDE_ID}' already opens the title slide")
    if ident.startswith(THEME_PREFIX):
        return (f"starts with '{THEME_PREFIX}', which is kept for the theme's own elements (the help dialog, the "
                "controls, ...): two elements with one id break the deck",
                f"choose an id that does not start with '{THEME_PREFIX}'")
    if ident.endswith(HEADING_SUFFIX):
        return (f"ends in '{HEADING_SUFFIX}', which is kept for the slides' headings (<slide id>{HEADING_SUFFIX})",
                f"choose an id that does not end in '{HEADING_SUFFIX}'")
    if _FOOTNOTE_ID.fullmatch(ident):
        return ("has the form of a footnote's id (fn-<slide id>-<n>, fnref-<slide id>-<n>)",
                "choose an id that does not start with 'fn-' or 'fnref-'")
    return None


def slugify(title: str) -> str:
    """An id from a title, pandoc-style: lower case, spaces to hyphens, punctuation dropped."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[^\w\s.-]", "", text)
    text = re.sub(r"\s+", "-", text.strip())
    return text.strip("-.")


def fresh_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`...: the first that is neither taken nor reserved; records it as taken."""
    candidate = next(c for c in _candidates(base) if c not in taken and reserved(c) is None)
    taken.add(candidate)
    return candidate


def _candidates(base: str) -> Iterator[str]:
    yield base
    if reserved(f"{base}-2") is not None:  # a reserved prefix or form: no suffix gets out of it, a prefix does
        base = f"slide-{base}"
        yield base
    for n in count(2):
        yield f"{base}-{n}"


@dataclass(frozen=True, slots=True)
class Claim:
    """Something in a talk that has or wants an id, in document order."""

    kind: str
    """'slide' (always gets an id), 'heading' or 'div' (only when the author wrote one)."""
    line: int
    """1-based line in the Markdown file, for messages."""
    written: str
    """The `{#id}` the author wrote, or ''."""
    generated: str = ""
    """A slide's id when the author wrote none (from its title, or slide-<n>)."""


def assign_ids(claims: Sequence[Claim], where: str) -> tuple[list[str | None], list[Diagnostic]]:
    """Each claim's id (None: an element whose id was left out), and a warning for each id not used as written."""
    owners: dict[str, Claim] = {}
    for claim in claims:
        if claim.written and reserved(claim.written) is None:
            owners.setdefault(claim.written, claim)
    taken = set(owners)  # written ids win: generated ones step around them, wherever they are in the talk
    ids: list[str | None] = []
    diagnostics: list[Diagnostic] = []
    for claim in claims:
        written = claim.written
        if written and owners.get(written) is claim:
            ids.append(written)
            continue
        why = reserved(written) if written else None
        if why is not None:
            ident = fresh_id(claim.generated, taken) if claim.kind == "slide" else None
            diagnostics.append(Diagnostic(
                Severity.WARNING, "reserved-id", f"the id '{written}' {why[0]}; {_outcome(claim, ident)}",
                SourceLocation(where, claim.line), hint=why[1]))
        elif written:
            ident = fresh_id(written, taken)
            first = owners[written]
            diagnostics.append(Diagnostic(
                Severity.WARNING, "duplicate-id",
                f"the id '{written}' is already taken by the {first.kind} at line {first.line} (links to "
                f"'#{written}' open that one); {_outcome(claim, ident)}",
                SourceLocation(where, claim.line), hint=f"write another {{#id}} on this {claim.kind}, or none"))
        else:
            ident = fresh_id(claim.generated, taken)
        ids.append(ident)
    return ids, diagnostics


def _outcome(claim: Claim, ident: str | None) -> str:
    if ident is None:
        return f"this {claim.kind} has no id"
    return f"this {claim.kind}'s id is '{ident}'"
