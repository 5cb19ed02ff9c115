"""Marp's directives for the slides' edges, in a talk that says `marp: true`: `<!-- footer: Course 2 -->`,
`<!-- header: ... -->` and `<!-- paginate: true -->` apply to the slide they are written in and every slide
after it; `_footer`, `_header`, `_paginate` to that slide alone (Marp's "spot" directives). Written in a comment
of its own, one or several (YAML); a comment right after a `---` and before the next heading belongs to that
heading's slide, as in Marp. Marp's other directives (theme, class, colours, backgrounds) are not read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from markdown_it.token import Token

_COMMENT = re.compile(r"\s*<!--(.*?)-->\s*", re.DOTALL)
_KEYS = ("header", "footer", "paginate")


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
