"""What a theme's templates promise, checked once per build from their source: the hooks deck.js needs, the
static files they link, the element ids they write.

Found in the templates, a problem is reported once, at the template's file and line, like a template error,
instead of once per built page at a line of the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import Diagnostic, Severity, SourceLocation, TalkbuildError
from .models import Talk
from .render import static_dir
from .themes import Theme, builtin_themes_dir

STATIC_REF = re.compile(r"\{\{-?\s*static\s*-?\}\}([^\"'\s<>{}?#)]+)")
"""`{{ static }}logo.svg`: a theme's static file named in a template."""
LITERAL_ID = re.compile(r"""\sid\s*=\s*(?:"([^"{}]+)"|'([^'{}]+)')""")
"""`id="logo"`: an id written as is (not one made from a value)."""
STAGE = re.compile(r"""\sid\s*=\s*["']tb-stage["']""")
SLIDE = re.compile(r"""<section\b[^>]*\sclass\s*=\s*["'](?:[^"']*\s)?slide[\s"'{]""")
DECK_JS = re.compile(r"deck\.js\b")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_LITERAL = re.compile(r"""\{\{-?\s*(?:"([^"{}]*)"|'([^'{}]*)')\s*-?\}\}""")
THEME_CSS = re.compile(r"\btheme_css\b")
GROUPS = re.compile(r"\bgroups\b")


GENERATED = frozenset({"pygments.css"})
"""Static files talkbuild writes for every theme that has none of its own."""


def theme_problems(site_theme: str, themes: Mapping[str, Theme], talks: Sequence[Talk],
                   environment: Callable[[Theme], jinja2.Environment],
                   linked: Callable[[], Collection[str]] | None = None,
                   sources_of: Callable[[str, Theme], list[TemplateSource]] | None = None,
                   grouped: str = "none") -> list[Diagnostic]:
    """The problems of every theme in use (`themes`: by name, the site's and those talks choose), and the
    slides whose id a theme's template also writes. `linked`: the site paths the built pages link (asked only
    when a template names a missing static file): a name in a branch no page takes is no problem.
    `sources_of`: a theme's templates as a caller keeps them (serve, until a theme file changes). `grouped`:
    the index's `index_group` (by folder, year, month or day, which the site theme's index.html must show; `none`)."""
    found: list[Diagnostic] = []
    for name, theme in themes.items():
        sources = sources_of(name, theme) if sources_of else template_sources(environment(theme), theme)
        static = set(theme.static_files())
        found += check_theme(sources, static | GENERATED, static_dir(name, site_theme), linked)
        found += _unlinked_theme_css(sources, static)
        if grouped != "none" and name == site_theme:
            found += _index_without_groups(sources, grouped)
        ids = template_ids(_talk_templates(sources))
        if ids:
            found += [d for talk in talks if (talk.meta.theme or site_theme) == name for d in slide_id_clashes(talk, ids)]
    return found


@dataclass(frozen=True)
class TemplateSource:
    """One template as the theme's search path resolves it."""

    name: str
    shown: str
    """Its path as messages name it (themes/<name>/templates/... in the project)."""
    text: str
    own: bool
    """From the project's theme, not the built-in default."""


def template_sources(env: jinja2.Environment, theme: Theme) -> list[TemplateSource]:
    """Every template the theme's pages can use, each from the first folder that has it."""
    default = (builtin_themes_dir() / "default").resolve()
    found: list[TemplateSource] = []
    for name in env.list_templates(extensions=["html", "htm", "j2", "jinja"]):
        try:
            text, filename, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
        except (TalkbuildError, jinja2.TemplateNotFound):  # not UTF-8, or gone since: the render reports it
            continue
        if filename is None:
            continue
        own = not Path(filename).resolve().is_relative_to(default)
        found.append(TemplateSource(name, theme.shown(filename), text, own))
    return found


def scanned(text: str) -> str:
    """A template's text as its output can have it, same lines: Jinja comments and `{% raw %}` blocks blanked
    (what they hold is never a link or an id), `{{ 'literal' }}` replaced by the literal."""
    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")
    text = _RAW.sub(blank, _COMMENT.sub(blank, text))
    return _LITERAL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def check_theme(sources: Iterable[TemplateSource], static_names: Iterable[str], static_folder: str,
                linked: Callable[[], Collection[str]] | None = None) -> list[Diagnostic]:
    """The theme's own problems: a deck.html without the hooks deck.js needs, a `{{ static }}` file that is
    not there (`static_folder`: where the theme's files are published, for the message's URL) and that a
    built page links (`linked`, when known: the template is only where it is written)."""
    sources = list(sources)
    names = set(static_names)
    found: list[Diagnostic] = []
    links: Collection[str] | None = None
    for source in sources:
        if not source.own:
            continue  # the default theme's templates link only its own files
        for number, line in enumerate(scanned(source.text).splitlines(), start=1):
            for match in STATIC_REF.finditer(line):
                name = match.group(1)
                if name not in names and linked is not None:
                    links = linked() if links is None else links
                    if f"{static_folder}/{name}" not in links:
                        continue  # in a branch no page takes ({% if false %}): no page gets a 404
                if name not in names:
                    found.append(Diagnostic(
                        Severity.WARNING, "missing-static",
                        f"'{{{{ static }}}}{name}' is not a static file of the theme: every page linking it gets a 404",
                        SourceLocation(source.shown, number), url=f"{static_folder}/{name}",
                        hint=f"add static/{name} to the theme, or fix the name"))
    found += _deck_hooks(sources)
    return found


def _deck_hooks(sources: list[TemplateSource]) -> list[Diagnostic]:
    """deck.js needs `#tb-stage` and its `<section class="slide">`s; without them no key works, the deck never
    says it is ready and `talkbuild pdf` waits in vain. Everything else it uses is optional."""
    by_name = {s.name: s for s in sources}
    deck = by_name.get("deck.html")
    if deck is None or not deck.own:
        return []
    text = "\n".join(scanned(s.text) for s in _used_by(deck, by_name))
    if not DECK_JS.search(text):
        return []  # a deck of the theme's own making, with its own script
    line = next((n for n, ln in enumerate(scanned(deck.text).splitlines(), start=1) if DECK_JS.search(ln)), None)
    missing = [what for what, pattern in (('element with id="tb-stage"', STAGE),
                                         ('<section class="slide"> elements for the slides', SLIDE))
               if not pattern.search(text)]
    return [Diagnostic(Severity.WARNING, "theme-hook",
                       f"the deck template loads deck.js but has no {what}: deck.js cannot show the slides, no key "
                       "works and `talkbuild pdf` waits for a deck that never gets ready",
                       SourceLocation(deck.shown, line),
                       hint="keep the hooks listed in docs/themes.md, 'The deck's contract with deck.js'")
            for what in missing]


_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def _used_by(start: TemplateSource, by_name: Mapping[str, TemplateSource]) -> list[TemplateSource]:
    """`start` and every template it extends, includes or imports, directly or not."""
    seen: dict[str, TemplateSource] = {}
    todo = [start]
    while todo:
        source = todo.pop()
        if source.name in seen:
            continue
        seen[source.name] = source
        todo += [by_name[n] for n in _REFERENCE.findall(source.text) if n in by_name]
    return list(seen.values())


def _talk_templates(sources: Sequence[TemplateSource]) -> list[TemplateSource]:
    """The templates that render a talk's pages: deck.html, handout.html and what they extend, include or import
    (an id only index.html writes never meets a slide's)."""
    by_name = {s.name: s for s in sources}
    used: dict[str, TemplateSource] = {}
    for page in ("deck.html", "handout.html"):
        if page in by_name:
            used.update((s.name, s) for s in _used_by(by_name[page], by_name))
    return [s for s in sources if s.name in used]


def _index_without_groups(sources: list[TemplateSource], grouping: str) -> list[Diagnostic]:
    """index_group (folder, year, ...) with a theme's own index.html written before it (or without it): the flat
    list stays."""
    by_name = {s.name: s for s in sources}
    index = by_name.get("index.html")
    if index is None or not index.own or any(GROUPS.search(scanned(s.text)) for s in _used_by(index, by_name)):
        return []
    return [Diagnostic(Severity.WARNING, "theme-hook",
                       f"index_group is '{grouping}', but the theme's index.html never uses `groups`: the index "
                       f"lists the talks in one list, not by {grouping}", SourceLocation(index.shown, 1),
                       hint="loop over `groups` (each has `folder`, `title` and `talks`; docs/themes.md) as the "
                            "default index.html does, or leave index_group out")]


def _unlinked_theme_css(sources: Sequence[TemplateSource], static: Collection[str]) -> list[Diagnostic]:
    """A theme with a static/theme.css and its own base.html that never uses `theme_css` (one written before
    theme.css was linked by the default's): the file is published, but no page links it."""
    base = next((s for s in sources if s.name == "base.html"), None)
    if "theme.css" not in static or base is None or not base.own or THEME_CSS.search(scanned(base.text)):
        return []
    if any(s.own and "theme.css" in scanned(s.text) for s in sources):
        return []  # linked another way ({{ static }}theme.css)
    return [Diagnostic(Severity.WARNING, "theme-hook",
                       "the theme has a static/theme.css, but its base.html never links it (`theme_css`): the file "
                       "is published and no page uses it",
                       SourceLocation(base.shown, next((n for n, ln in enumerate(base.text.splitlines(), start=1)
                                                        if "</head>" in ln), 1)),
                       hint="keep the line after {% block head %}{% endblock %} of the default base.html: "
                            "{% if theme_css %}<link rel=\"stylesheet\" href=\"{{ theme_css }}\">{% endif %}")]


def template_ids(sources: Iterable[TemplateSource]) -> dict[str, SourceLocation]:
    """Ids written as is in the theme's own templates, where each is first written (a theme should start them
    with `tb-`; one that does not may take a slide's)."""
    ids: dict[str, SourceLocation] = {}
    for source in sources:
        if not source.own:
            continue  # the default theme's ids are all tb-..., or the title slide's `title`
        for number, line in enumerate(scanned(source.text).splitlines(), start=1):
            for match in LITERAL_ID.finditer(line):
                ident = match.group(1) or match.group(2)
                ids.setdefault(ident, SourceLocation(source.shown, number))
    return ids


def slide_id_clashes(talk: Talk, ids: Mapping[str, SourceLocation]) -> list[Diagnostic]:
    """A slide whose id a theme template also gives an element: two elements with one id on the page, and
    `#<id>` leads to whichever comes first."""
    return [Diagnostic(Severity.WARNING, "id-clash",
                       f"the slide id '{slide.id}' is also the id of an element of the theme ({ids[slide.id]}): "
                       f"the page has two elements with this id, and links to #{slide.id} may lead to the wrong one",
                       SourceLocation(talk.source.path, slide.line), url=f"#{slide.id}",
                       hint="give the slide another id ({#...} after its heading), or start the theme's ids with tb-")
            for slide in talk.slides if slide.kind != "title" and slide.id in ids]
