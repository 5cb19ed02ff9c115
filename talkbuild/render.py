"""Talk -> pages: the deck, the handout and the site index, through the theme's Jinja2 templates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from . import __version__
from .config import Config
from .errors import SourceLocation, TalkbuildError
from .links import ROOT, relative_root
from .models import Page, Slide, Talk
from .themes import Theme

STATIC_DIR = "_talkbuild"
"""Site folder for the site theme's CSS/JS (shared by every page)."""


def static_dir(theme: str, site_theme: str) -> str:
    """Where a theme's static files go: the site theme's in _talkbuild/, a talk's own theme beside them."""
    return STATIC_DIR if theme == site_theme else f"{STATIC_DIR}/themes/{theme}"


@dataclass(frozen=True)
class OutlineEntry:
    """One line of a talk's table of contents: a section (None before the first) and its slides."""

    section: Slide | None
    slides: tuple[tuple[int, Slide], ...]
    """(1-based slide number in the deck, slide) for each slide of the section."""
    number: int
    """The section slide's own 1-based number in the deck (0 for the part before the first section)."""


def outline(talk: Talk) -> tuple[OutlineEntry, ...]:
    """The talk grouped by section, with deck slide numbers, for tables of contents and the presenter."""
    entries: list[OutlineEntry] = []
    section: Slide | None = None
    number = 0
    members: list[tuple[int, Slide]] = []
    for n, slide in enumerate(talk.slides, start=1):
        if slide.kind == "title":
            continue
        if slide.kind == "section":
            if section is not None or members:
                entries.append(OutlineEntry(section, tuple(members), number))
            section, number, members = slide, n, []
        else:
            members.append((n, slide))
    if section is not None or members:
        entries.append(OutlineEntry(section, tuple(members), number))
    return tuple(entries)


def make_environment(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.template_dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_html"] = Markup
    env.filters["isodate"] = lambda d: d.isoformat() if isinstance(d, datetime.date) else ""
    return env


def render_talk(env: jinja2.Environment, talk: Talk, config: Config, static: str = STATIC_DIR) -> list[Page]:
    """The handout and the deck of one talk; `static` is the site folder of its theme's CSS/JS."""
    depth = talk.slug.count("/") + 1
    pages = []
    for template, path, page_depth in (
        ("handout.html", f"{talk.slug}/index.html", depth),
        ("deck.html", f"{talk.slug}/slides/index.html", depth + 1),
    ):
        root = relative_root(page_depth)
        html = _render(env, template, talk=talk, meta=talk.meta, slides=talk.slides, site=config,
                       root=root, static=root + static + "/", version=__version__,
                       outline=outline(talk), sectioned=bool(talk.sections))
        pages.append(Page(path, html.replace(ROOT, root).encode("utf-8")))
    return pages


def render_index(env: jinja2.Environment, talks: Sequence[Talk], config: Config) -> Page:
    """The site index: every talk, newest first."""
    ordered = sorted(talks, key=_newest_first)
    html = _render(env, "index.html", talks=ordered, site=config, root="", static=STATIC_DIR + "/", version=__version__)
    return Page("index.html", html.encode("utf-8"))


def _newest_first(talk: Talk) -> tuple[int, int, str, str]:
    date = talk.meta.date
    return (0 if date else 1, -(date.toordinal() if date else 0), talk.meta.title.lower(), talk.slug)


def _render(env: jinja2.Environment, name: str, **context: Any) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TalkbuildError(f"template error: {exc.message}", SourceLocation(exc.filename or name, exc.lineno),
                             code="template") from None
    except jinja2.UndefinedError as exc:
        raise TalkbuildError(f"template '{name}' uses an undefined value: {exc.message}", SourceLocation(name),
                             code="template") from None
