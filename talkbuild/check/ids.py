"""Ids given to two elements of one built page: `#id` leads to whichever comes first.

The usual cause is a theme element with a slide's id (`<img id="logo">` and a slide `## Logo`): reported at the
slide's heading, once for its talk (deck and handout both have it). Anything else is reported at the page.
"""

from __future__ import annotations

from ..errors import Diagnostic, Severity, SourceLocation
from .internal import Site


def check_duplicate_ids(site: Site) -> list[Diagnostic]:
    """One finding per id given twice: per talk for a slide's id, per page otherwise."""
    found: dict[tuple[str, str], Diagnostic] = {}
    for page_path in sorted(site.pages):
        page = site.pages[page_path]
        talk = site.talks_by_page.get(page_path)
        slides = {s.id: s for s in talk.slides} if talk is not None else {}
        for ident, first, other in page.duplicates:
            shown = f"{site.out_label}/{page_path}"
            slide = slides.get(ident)
            if talk is not None and slide is not None:
                key = (talk.source.path, ident)
                where = SourceLocation(talk.source.path, slide.line)
                message = (f"the slide id '{ident}' is also the id of another element of its pages ({shown}, lines "
                           f"{first} and {other}): #{ident} may lead to the wrong one")
                hint = "give the slide another id ({#...} after its heading); a theme's own ids start with tb-"
            else:
                key = (shown, ident)
                where = SourceLocation(shown, other)
                message = f"the id '{ident}' is given to two elements (lines {first} and {other})"
                hint = "give one of them another id"
            found.setdefault(key, Diagnostic(Severity.ERROR, "id-clash", message, where, url=f"#{ident}", hint=hint))
    return list(found.values())
