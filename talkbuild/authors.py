"""A talk's authors and their affiliations, in the shapes Quarto, pandoc and R Markdown users write them.

`author` (or `authors`) is a name, a list of names, or a list of mappings `{name, affiliation | affiliations |
institution, email, orcid, url}`; `institution` is a name or a list of them. What has another shape is left out
with a warning at its line: a talk is never stopped for a byline another tool would have taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .models import Author

AFFILIATION_KEYS = ("affiliation", "affiliations", "institution", "institute")
"""Where an author mapping names its affiliations (Quarto: `affiliation(s)`; R Markdown templates: the others)."""
READ_KEYS = frozenset({"name", "email", "orcid", "url", *AFFILIATION_KEYS})
PASSED_KEYS = frozenset({"corresponding", "equal-contributor", "roles", "role", "degrees", "note", "notes", "thanks",
                         "attributes", "deceased", "acknowledgements", "fax", "phone", "id", "metadata", "affil-id"})
"""Keys of Quarto's and R Markdown's author mappings that say nothing the default theme shows: read past quietly."""
AUTHOR_SHAPE = "a name, a list of names, or a list of '- name: ... / affiliation: ...' mappings"
INSTITUTION_SHAPE = "a name or a list of names"

Warn = Callable[[str, str, str], None]
"""warn(where, message, hint): `where` is the key, or `key[i]` for its i-th (0-based) item, whose line is known."""


def read_authors(value: Any, key: str, warn: Warn) -> tuple[Author, ...]:
    """Every usable author of `author:`/`authors:`, in the order written; the rest are warnings."""
    if value is None:
        return ()
    listed = isinstance(value, list)
    authors = []
    for i, item in enumerate(value if listed else [value]):
        where, label = (f"{key}[{i}]", f"item {i + 1} of '{key}'") if listed else (key, f"'{key}'")
        if isinstance(item, dict):
            author = _author(item, where, label, warn)
            if author:
                authors.append(author)
        elif isinstance(item, list):
            warn(where, f"{label} is a list inside the list, so it is not shown", f"'{key}' must be {AUTHOR_SHAPE}")
        elif item is not None and str(item).strip():
            authors.append(Author(str(item).strip()))
    return tuple(authors)


def read_institutions(value: Any, key: str, warn: Warn) -> tuple[str, ...]:
    """The talk's own `institution:` (a name or a list), in the order written."""
    return _affiliations(value, key, f"'{key}'", warn, INSTITUTION_SHAPE)


def all_institutions(institutions: tuple[str, ...], authors: Iterable[Author]) -> tuple[str, ...]:
    """The talk's institutions, then its authors' affiliations, each once, in the order first written."""
    return _once([*institutions, *(a for author in authors for a in author.affiliations)])


def _author(item: dict[Any, Any], where: str, label: str, warn: Warn) -> Author | None:
    fields = {str(k): v for k, v in item.items()}
    name = _name(fields.get("name"))
    if not name:
        warn(where, f"{label} has no name, so it is not shown", "give it one: '- name: Ada Lovelace'")
        return None
    affiliations: list[str] = []
    for key in AFFILIATION_KEYS:
        affiliations += _affiliations(fields.get(key), where, f"the '{key}' of {name}", warn, INSTITUTION_SHAPE)
    for key in sorted(k for k in fields if k not in READ_KEYS | PASSED_KEYS):
        warn(where, f"the key '{key}' of {name} is not read",
             "an author takes name, affiliation (or affiliations), email, orcid and url")
    email, orcid, url = (_scalar(fields.get(k), where, f"the '{k}' of {name}", warn) for k in ("email", "orcid", "url"))
    return Author(name, _once(affiliations), email, orcid, url)


def _name(value: Any) -> str | None:
    """A name as written, or Quarto's `{given, family}` / `{literal}`."""
    if isinstance(value, dict):
        parts = {str(k): str(v).strip() for k, v in value.items() if v is not None and not isinstance(v, dict | list)}
        if parts.get("literal"):
            return parts["literal"]
        joined = " ".join(p for p in (parts.get("given"), parts.get("dropping-particle"),
                                      parts.get("non-dropping-particle"), parts.get("family")) if p)
        return joined or None
    if value is None or isinstance(value, list):
        return None
    return str(value).strip() or None


def _affiliations(value: Any, where: str, label: str, warn: Warn, shape: str) -> tuple[str, ...]:
    """Names of affiliations: a name, a list of names, or Quarto's `{name: ...}` mappings."""
    if value is None:
        return ()
    names = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and _name(item.get("name")):
            names.append(_name(item.get("name")) or "")
        elif isinstance(item, dict) and "ref" in item:
            warn(where, f"{label} refers to an affiliation by 'ref: {item['ref']}', which talkbuild does not look up",
                 "write the affiliation's name instead: 'affiliation: ETH Zürich'")
        elif isinstance(item, dict | list):
            warn(where, f"{label} has a {'list' if isinstance(item, list) else 'mapping without a name'}, "
                        "so it is not shown", f"write it as {shape}")
        elif item is not None and str(item).strip():
            names.append(str(item).strip())
    return tuple(names)


def _scalar(value: Any, where: str, label: str, warn: Warn) -> str | None:
    if isinstance(value, dict | list):
        warn(where, f"{label} is a {'list' if isinstance(value, list) else 'mapping'}, so it is not read",
             "write it as one piece of text")
        return None
    return str(value).strip() or None if value is not None else None


def _once(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
