"""Parse and render one talk, in the build's process or a worker: its theme's Jinja2 environment (kept per
process) and the memo of highlighted code and formulas it starts from."""

from __future__ import annotations

from dataclasses import replace

import jinja2

from .cache import BuildCache, TemplateCache
from .config import Config
from .errors import Diagnostic, TalkbuildError
from .links import SiteMap
from .models import Page, SourceFile, Talk
from .parse import parse_talk
from .render import make_environment, render_talk, static_dir
from .search_index import talk_entry
from .themes import Theme, find_theme

Outcome = tuple[Talk, tuple[Page, ...]] | list[Diagnostic]
MemoEntries = dict[tuple[str, str, str], str]
MemoSource = tuple[BuildCache, str, dict[str, str]]
"""The build cache, the memo stamp of this code, and each talk's previous entry key."""


def render_one(source: SourceFile, config: Config, sitemap: SiteMap) -> Outcome:
    """Parse and render one talk with its theme; user errors come back as a list of Diagnostics."""
    try:
        talk = parse_talk(source, config.root, sitemap, config.notes_separator, config.lang, config.direction,
                          config.slide_addresses)
        talk = replace(talk, search=talk_entry(talk))  # here, in the worker: a build only joins these
        name = talk.meta.theme or config.theme
        theme = find_theme(name, config.root)
        return talk, tuple(render_talk(environment(theme), talk, config, static_dir(name, config.theme)))
    except TalkbuildError as exc:
        return exc.all_diagnostics()


_MEMO_SOURCE: list[MemoSource] = []
"""While `render_talks` renders: where each talk's previous memo is found (each worker process is given it
when it starts)."""


def use_memo_source(source: MemoSource | None) -> None:
    """Where render_with_memo finds each talk's previous memo from now on (None: nowhere)."""
    _MEMO_SOURCE[:] = [source] if source is not None else []


def memo_source() -> MemoSource | None:
    """What use_memo_source last set."""
    return _MEMO_SOURCE[0] if _MEMO_SOURCE else None


def render_with_memo(source: SourceFile, config: Config, sitemap: SiteMap) -> tuple[Outcome, MemoEntries | None]:
    """render_one, starting from the talk's previous memo in the cache; also returns what the memo should keep."""
    if not _MEMO_SOURCE:
        return render_one(source, config, sitemap), None
    cache, stamp, previous = _MEMO_SOURCE[0]
    return render_remembering(source, config, sitemap, cache.memo(previous.get(source.rel), stamp, source.rel))


def render_remembering(source: SourceFile, config: Config, sitemap: SiteMap,
                       memo: MemoEntries) -> tuple[Outcome, MemoEntries]:
    """render_one, reusing the highlighted code and formulas in `memo`; returns the outcome and the entries
    this render used (the memo to keep for the talk's next render)."""
    from .markup import Memo, use_memo  # the Markdown stack: only when something is rendered

    used = Memo(dict(memo))
    use_memo(used)
    try:
        outcome = render_one(source, config, sitemap)
    finally:
        use_memo(None)
    return outcome, {key: used.entries[key] for key in sorted(used.used) if key in used.entries}


_ENVIRONMENTS: dict[tuple[str, ...], jinja2.Environment] = {}
_TEMPLATE_CACHE: list[TemplateCache] = []
"""The project's compiled-template cache, when the build may use one (set by `render_talks`)."""


def reset_environments(template_cache: TemplateCache | None = None) -> None:
    """Forget compiled templates: Jinja2's cache notices edits to files it loaded, not a new override file."""
    _ENVIRONMENTS.clear()
    _TEMPLATE_CACHE[:] = [template_cache] if template_cache is not None else []


def environment(theme: Theme) -> jinja2.Environment:
    key = tuple(theme.template_dirs)
    if key not in _ENVIRONMENTS:
        env = make_environment(theme)
        if _TEMPLATE_CACHE:
            env.bytecode_cache = _TEMPLATE_CACHE[0]
        _ENVIRONMENTS[key] = env
    return _ENVIRONMENTS[key]
