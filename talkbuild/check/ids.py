"""Ids given to two elements of one built page: `#id` leads to whichever comes first.

The usual cause is a theme element with a slide's id (`<img id="logo">` and a slide `## Logo`): reported at the
slide's heading, once for its talk (deck and handout both have it). An id the talk's own raw HTML gives twice is
reported once too, at the slide that writes it the second time. Anything else is reported at the page.
"""

from __future__ import annotations

import re

from ..errors import Diagnostic, Severity, SourceLocation
from ..models import Slide, Talk
from .internal import Site


def check_duplicate_ids(site: Site) -> list[Diagnostic]:
    """One finding per id given twice: per talk for a slide's id or the talk's own, per page otherwise."""
    found: dict[tuple[str, str], Diagnostic] = {}
    for page_path in sorted(site.pages):
        page = site.pages[page_path]
        talk = site.talks_by_page.get(page_path)
        slides = {s.id: s for s in talk.slides} if talk is not None else {}
        for ident, first, other in page.duplicates:
            shown = f"{site.out_label}/{page_path}"
            slide = slides.get(ident)
            writer = _second_writer(talk, ident) if talk is not None and slide is None else None
            if talk is not None and slide is not None:
                key = (talk.source.path, ident)
                where = SourceLocation(talk.source.path, slide.line)
                message = (f"the slide id '{ident}' is also the id of another element of its pages ({shown}, lines "
                           f"{first} and {other}): #{ident} may lead to the wrong one")
                hint = "give the slide another id ({#...} after its heading); a theme's own ids start with tb-"
            elif talk is not None and writer is not None:
                key = (talk.source.path, ident)
                where = SourceLocation(talk.source.path, writer.line)
                title = f" '{writer.title}'" if writer.title else ""
                message = (f"the id '{ident}' is given to two elements of the talk (the second in the slide{title}): "
                           f"#{ident} leads to the first")
                hint = "give one of them another id"
            else:
                key = (shown, ident)
                where = SourceLocation(shown, other)
                message = f"the id '{ident}' is given to two elements (lines {first} and {other})"
                hint = "give one of them another id"
            found.setdefault(key, Diagnostic(Severity.ERROR, "id-clash", message, where, url=f"#{ident}", hint=hint))
    return list(found.values())


def _second_writer(talk: Talk, ident: str) -> Slide | None:
    """The slide whose content (or notes) gives `ident` to an element a second time in the talk, or None when
    the talk gives it once or never (then the theme wrote the other)."""
    pattern = re.compile(r"""\sid\s*=\s*(?:"%s"|'%s'|%s(?=[\s>/]))""" % ((re.escape(ident),) * 3))
    seen = 0
    for slide in talk.slides:
        seen += len(pattern.findall(slide.body_html)) + len(pattern.findall(slide.notes_html))
        if seen >= 2:
            return slide
    return None
