"""Marp's directives for the slides' edges, in a talk that says `marp: true`: `<!-- footer: Course 2 -->`,
`<!-- header: ... -->` and `<!-- paginate: true -->` apply to the slide they are written in and every slide
after it; `_footer`, `_header`, `_paginate` to that slide alone (Marp's "spot" directives). Written in a comment
of its own, one or several (YAML); a comment right after a `---` and before the next heading belongs to that
heading's slide, as in Marp. Marp's other directives (theme, class, colours, backgrounds) are not read."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from markdown_it.token import Token

_COMMENT = re.compile(r"\s*<!--(.*?)-->\s*", re.DOTALL)
_KEYS = ("header", "footer", "paginate")
MARP_DIRECTIVES = frozenset({
    "theme", "style", "headingDivider", "lang", "math", "size", "marp", "title", "description", "author", "image",
    "keywords", "url", "transition", "paginate", "header", "footer", "class", "backgroundColor", "backgroundImage",
    "backgroundPosition", "backgroundRepeat", "backgroundSize", "color",
})
"""Every directive Marp knows (global and local; a local one may start with `_`): a comment that sets one is a
directive, even when talkbuild does not read it, and never a presenter note."""


@dataclass(frozen=True)
class Edges:
    """What a slide shows at its edges: a header and a footer line, and its number."""

    header: str = ""
    footer: str = ""
    paginate: bool | None = None
    """True or False as a directive says (`_paginate: false` hides one slide's number); None when none says."""


def edges_of_slides(bodies: list[list[Token]], front_matter: Mapping[str, object] | None = None) -> list[Edges]:
    """Each slide's edges, from the directives in its body and in the bodies before it; `front_matter`: the
    talk's own keys, where Marp reads global directives too (`paginate: true` for every slide)."""
    carried: dict[str, object] = {k: v for k, v in (front_matter or {}).items() if k in _KEYS}
    out = []
    for body in bodies:
        spot: dict[str, object] = {}
        for token in body:
            for key, value in _directives(token).items():
                if key.startswith("_"):
                    spot[key[1:]] = value
                else:
                    carried[key] = value
        now = {**carried, **spot}
        out.append(Edges(_text(now.get("header")), _text(now.get("footer")),
                         None if "paginate" not in now else now["paginate"] is True))
    return out


def _directives(token: Token) -> dict[str, object]:
    """The directives in a comment of its own (an HTML block that is one comment), else nothing."""
    if token.type != "html_block" or token.level != 0:
        return {}
    match = _COMMENT.fullmatch(token.content)
    if match is None:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and k.lstrip("_") in _KEYS}


def _text(value: object) -> str:
    """A header or footer as text: Marp renders Markdown there; talkbuild shows the words (escaped by the
    template), a number as written, nothing for an empty or absent one."""
    if value is None or isinstance(value, bool):
        return ""
    return " ".join(str(value).split())


def comment_notes(body: list[Token]) -> tuple[list[Token], list[Token]]:
    """Marp's presenter notes: every HTML comment of its own on a slide that is not a directive (`<!-- Say hi -->`)
    is a note for that slide (Marp shows them in its presenter view). Returns the body without them, and the
    notes as paragraphs of their text."""
    kept: list[Token] = []
    notes: list[Token] = []
    for token in body:
        text = _note_text(token)
        if text is None:
            kept.append(token)
            continue
        note = Token("html_block", "", 0)
        note.content = "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>\n"
        note.map = token.map
        notes.append(note)
    return kept, notes


def _note_text(token: Token) -> str | None:
    """The text of a comment of its own that is not a Marp directive, else None."""
    if token.type != "html_block" or token.level != 0:
        return None
    match = _COMMENT.fullmatch(token.content)
    if match is None:
        return None
    text = match.group(1).strip()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and any(isinstance(k, str) and k.lstrip("_") in MARP_DIRECTIVES for k in data):
        return None
    return text or None
