"""Talk -> pages: the deck, the handout and the site index, through the theme's Jinja2 templates."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
from markupsafe import Markup

from . import __version__
from .config import Config
from .dates import iso_date
from .direction import chrome_attrs, english
from .errors import SourceLocation, TalkbuildError
from .handout_images import handout_images, sizes_of
from .index_list import index_groups, index_ordered
from .links import ROOT, relative_root, url_path
from .models import Page, Slide, Talk, TalkMeta, talk_pages
from .search_index import SEARCH_INDEX_NAME
from .sitemap_feed import FEED, has_feed, page_url
from .sitepaths import STATIC_DIR
from .themes import THEME_CSS, Theme, ThemeLoader
from .titles import shared_titles


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
        loader=ThemeLoader(theme),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_html"] = Markup
    env.filters["isodate"] = _isodate
    env.filters["en"] = english
    env.globals["chrome_attrs"] = chrome_attrs  # a talk's entry in another language than the page's marks its own
    return env


def _isodate(value: object) -> str:
    """`meta|isodate`: the talk's date as precise as written (2016-05-18, 2016-05, 2018), for `<time datetime>`;
    `meta.date|isodate` (older themes): the day."""
    if isinstance(value, TalkMeta):
        return iso_date(value.date, value.date_precision)
    return value.isoformat() if isinstance(value, datetime.date) else ""


@dataclass(frozen=True)
class Social:
    """What a page says of itself to link previews (Open Graph) and search engines (its canonical URL)."""

    title: str
    description: str
    kind: str
    """Open Graph's type: "website" for the index, "article" for a talk's pages."""
    url: str
    """The page's address on the published site (publish.public_url), or "" when that is not set."""


def _social(config: Config, title: str, description: str | None, kind: str, path: str) -> Social:
    base = config.publish.site_url
    return Social(title, description or "", kind, page_url(base, path) if base else "")


def render_talk(env: jinja2.Environment, talk: Talk, config: Config, static: str = STATIC_DIR) -> list[Page]:
    """The handout and the deck of one talk; `static` is the site folder of its theme's CSS/JS."""
    depth = talk.slug.count("/") + 1
    handout, deck = talk_pages(talk.slug)
    pages = []
    for template, path, page_depth in (("handout.html", handout, depth), ("deck.html", deck, depth + 1)):
        root = relative_root(page_depth)
        html = _render(env, template, talk.source.path, talk=talk, meta=talk.meta, slides=talk.slides, site=config,
                       root=root, static=root + static + "/", version=__version__,
                       outline=outline(talk), sectioned=bool(talk.sections),
                       ui=chrome_attrs(talk.meta.lang, talk.meta.dir), rtl=talk.meta.dir == "rtl",
                       theme_css=_theme_css(env, root + static + "/"),
                       ratio=config.ratio if talk.meta.ratio is None else talk.meta.ratio,
                       slide_numbers=config.slide_numbers if talk.meta.slide_numbers is None else talk.meta.slide_numbers,
                       social=_social(config, talk.meta.title, talk.meta.description, "article", path))
        if template == "handout.html":  # the deck's pictures stay as they are (handout_images.py says why)
            html = handout_images(html, sizes_of(config.talks_path, talk.assets))
        pages.append(Page(path, html.replace(ROOT, root).encode("utf-8")))
    return pages


def render_index(env: jinja2.Environment, talks: Sequence[Talk], config: Config) -> Page:
    """The site index: every talk, newest first, or in the order `index_order` asks for; with `index_group`,
    under its folder's name or its date's."""
    ordered = index_ordered(talks, config.index_order)
    # `hrefs`: each talk's folder percent-encoded, as image URLs are; `paths`: shown under titles that clash.
    html = _render(env, "index.html", "the site index", talks=ordered, site=config, root="", static=STATIC_DIR + "/",
                   version=__version__, theme_css=_theme_css(env, STATIC_DIR + "/"),
                   ui=chrome_attrs(config.lang, config.direction), rtl=config.direction == "rtl",
                   hrefs={t.slug: url_path(t.slug) for t in ordered}, paths=shared_titles(ordered),
                   groups=index_groups(ordered, config.index_group, config.index_order),
                   social=_social(config, config.title, config.description, "website", "index.html"),
                   feed=FEED if has_feed(talks, config) else "",
                   search_index=f"{STATIC_DIR}/{SEARCH_INDEX_NAME}")
    return Page("index.html", html.encode("utf-8"))


NOT_FOUND = "404.html"
"""The site's page for addresses it does not have, at its root, where hosts look for it."""


def render_not_found(env: jinja2.Environment, config: Config, root: str) -> Page:
    """The 404 page; its URLs start from `root` ("/" or the path of publish.public_url), not from the page, since
    a host shows it at whatever address was asked for (/a/b/c/)."""
    html = _render(env, NOT_FOUND, "the 404 page", site=config, root=root, static=root + STATIC_DIR + "/",
                   version=__version__, theme_css=_theme_css(env, root + STATIC_DIR + "/"),
                   ui=chrome_attrs(config.lang, config.direction), rtl=config.direction == "rtl")
    return Page(NOT_FOUND, html.encode("utf-8"))


def not_found_root(config: Config) -> str:
    """Where the 404 page's URLs start: the path of publish.public_url (`/talks/` for a GitHub project site),
    "/" without one."""
    base = config.publish.site_url
    return "/" + base.split("://", 1)[-1].split("/", 1)[1] if base else "/"


def _theme_css(env: jinja2.Environment, static: str) -> str:
    """The URL of the theme's `theme.css` from this page, or "" when the theme has none."""
    return static + THEME_CSS if _theme(env).has_static(THEME_CSS) else ""


def _render(env: jinja2.Environment, name: str, rendering: str, **context: Any) -> str:
    """Template `name` rendered for `rendering` (a talk, the index); an error in a theme's template is a user
    error at the template's file and line."""
    try:
        return env.get_template(name).render(**context)
    except TalkbuildError:
        raise  # already says where (a template that is not UTF-8)
    except jinja2.TemplateSyntaxError as exc:
        where = SourceLocation(_theme(env).shown(exc.filename) if exc.filename else name, exc.lineno)
        raise TalkbuildError(f"template syntax error: {exc.message}", where, code="template") from None
    except Exception as exc:
        error = _template_error(env, name, rendering, exc)
        if error is None:
            raise  # raised by talkbuild's own code, not the template's: a bug, with its traceback
        raise error from None


_PACKAGE = Path(__file__).parent


def _template_error(env: jinja2.Environment, name: str, rendering: str, exc: Exception) -> TalkbuildError | None:
    """`exc` as a user error at the innermost template line it passed through, or None when it is not the
    template's doing (talkbuild code raised it, or no template was running)."""
    theme = _theme(env)
    where: SourceLocation | None = None
    below: list[str] = []  # the files of the frames under the innermost template frame
    tb = exc.__traceback__
    while tb is not None:
        # Jinja2 rewrites each frame of template code to one that raises `exc` at the template's file and line.
        if tb.tb_frame.f_globals.get("__jinja_exception__") is exc:
            where, below = SourceLocation(theme.shown(tb.tb_frame.f_code.co_filename), tb.tb_lineno), []
        else:
            below.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        missing = exc.templates[-1] if exc.templates else exc.name
        hint = "looked in " + ", ".join(theme.shown(d) for d in theme.template_dirs)
        similar = _similar_template(str(missing), env.list_templates())
        if similar:
            hint += f"; did you mean '{similar}'?"
        names = " or ".join(f"'{n}'" for n in exc.templates) if exc.templates else f"'{missing}'"
        return TalkbuildError(f"template {names} not found", where or SourceLocation(name), hint=hint, code="template")
    if where is None or (not isinstance(exc, jinja2.TemplateError)
                         and any(Path(f).is_relative_to(_PACKAGE) for f in below)):
        return None
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined value: {exc.message}"
    elif isinstance(exc, jinja2.TemplateError):
        message = exc.message or type(exc).__name__
    else:
        message = f"{type(exc).__name__}: {exc}"
    return TalkbuildError(message, where, hint=f"while rendering {rendering}", code="template")


def _theme(env: jinja2.Environment) -> Theme:
    return cast(ThemeLoader, env.loader).theme


def _similar_template(name: str, existing: list[str]) -> str | None:
    """The existing template most like `name`, compared without the '.html' they all share (which alone
    would make every name look close)."""
    stems = {n.removesuffix(".html"): n for n in existing}
    close = difflib.get_close_matches(name.removesuffix(".html"), sorted(stems), n=1, cutoff=0.6)
    return stems[close[0]] if close else None
