"""Render every talk of a project, reusing the build cache: a talk whose entry is current is not rendered
again, the others start from their memo of highlighted code and formulas (in worker processes when it pays),
and the cache keeps one entry per talk."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import __version__
from .cache import BuildCache, CacheMiss, asset_stamps, packages_stamp, template_cache
from .config import Config
from .discover import tree_listing
from .errors import Diagnostic
from .links import SiteMap
from .models import Page, PageRef, SourceFile, Talk
from .render_one import MemoEntries, reset_environments, use_memo_source
from .render_pool import render_each
from .themes import Theme, builtin_themes_dir

if TYPE_CHECKING:
    from .build import BuildOptions

log = logging.getLogger(__name__)

_CACHE_RETRIES = 3
"""Damaged cache entries tolerated in one build before the cache is ignored for it."""
T = TypeVar("T")


def retry_cache_misses(config: Config, options: BuildOptions, run: Callable[[BuildOptions], T]) -> T:
    """`run(options)`, again while it meets a damaged cache entry (each is dropped, so its talk is rendered
    anew); after _CACHE_RETRIES of them, once more without the build cache."""
    for _attempt in range(_CACHE_RETRIES):
        try:
            return run(options)
        except CacheMiss as miss:  # a cached page's bytes, read only when needed, were lost or damaged
            log.debug("build cache entry %s is damaged; rebuilding it", miss.key)
            BuildCache(config.root).drop(miss.key)
    return run(replace(options, use_cache=False))


def render_talks(config: Config, theme: Theme, sources: list[SourceFile], options: BuildOptions,
                 only: Collection[str] | None = None) -> tuple[list[tuple[Talk, tuple[Page, ...]]], list[Diagnostic], int]:
    """Parse and render every talk (cached ones are reused), in parallel when it pays.

    `sources` must be every talk of the project (links resolve against all of them); `only` limits which
    of them are rendered (talks-relative paths), for callers that know the rest is unchanged.
    """
    def loaded(attempt: BuildOptions) -> tuple[list[tuple[Talk, tuple[Page, ...]]], list[Diagnostic], int]:
        rendered, diagnostics, count = render_talks_lazy(config, theme, sources, attempt, only)
        return [(talk, tuple(Page(p.path, p.load()) if isinstance(p, PageRef) else p for p in pages))
                for talk, pages in rendered], diagnostics, count

    return retry_cache_misses(config, options, loaded)


def render_talks_lazy(config: Config, theme: Theme, sources: list[SourceFile], options: BuildOptions,
                      only: Collection[str] | None = None) -> tuple[list[tuple[Talk, tuple[Page | PageRef, ...]]], list[Diagnostic], int]:
    """render_talks, with cached talks' pages left on disk (`PageRef`s) until something needs their bytes."""
    sitemap = SiteMap(config.talks_path.resolve(), {s.rel: s.slug for s in sources})
    if only is not None:
        sources = [s for s in sources if s.rel in only]
    code = _code_fingerprint()
    reset_environments(template_cache(config.root, code) if options.use_cache else None)
    cache = BuildCache(config.root, enabled=options.use_cache)
    listing = "\n".join(tree_listing(config.talks_path))
    packages = packages_stamp()
    shared = BuildCache.key(__version__, code, packages, config.source_text, listing,
                            _themes_fingerprint(config.root))
    keys = {s.rel: BuildCache.key(shared, s.rel, _read(s.path)) for s in sources}
    done: dict[str, tuple[Talk, tuple[Page | PageRef, ...]]] = {}
    todo: list[SourceFile] = []
    stored: dict[str, str] = {}  # talk -> key of its entry for the current key (from the cache or written now)
    for source in sources:
        entry = cache.get(keys[source.rel], config.talks_path)
        if entry is None:
            todo.append(source)
        else:
            done[source.rel] = (entry.talk, entry.refs)
            stored[source.rel] = keys[source.rel]
    diagnostics: list[Diagnostic] = []
    jobs = options.jobs or os.cpu_count() or 1
    # Each talk rendered (here or in a worker) starts from its previous entry's highlighted code and formulas.
    stamp = memo_stamp()
    index = cache.talk_keys()
    use_memo_source((cache, stamp, index) if todo and options.use_cache else None)
    try:
        for source, (outcome, memo) in render_each(todo, config, sitemap, jobs):
            if isinstance(outcome, list):
                diagnostics.extend(outcome)
                continue
            talk, pages = outcome
            done[source.rel] = (talk, pages)
            if not any(d.is_error for d in talk.diagnostics):
                cache.put(keys[source.rel], talk, pages, asset_stamps(config.talks_path, talk.assets),
                          (stamp, source.rel, memo) if memo is not None else None)
                stored[source.rel] = keys[source.rel]
    finally:
        use_memo_source(None)
    _keep_entries(cache, index, stored, [s.rel for s in sources] if only is None else None)
    ordered = [done[s.rel] for s in sources if s.rel in done]
    for talk, _ in ordered:
        diagnostics.extend(talk.diagnostics)
    return ordered, diagnostics, len(todo)


def _keep_entries(cache: BuildCache, index: dict[str, str], stored: dict[str, str], every: list[str] | None) -> None:
    """Bring the talk -> key index up to date, and after a full build (`every` talk known) drop other entries.

    A talk with errors gets no entry: it keeps its previous one while that still exists, and with it its
    memo. A partial build (`serve` re-rendering what changed) only adds what it stored.
    """
    if every is None:
        kept = {**index, **stored}
    else:
        kept = {rel: stored[rel] if rel in stored else index[rel] for rel in every
                if rel in stored or (rel in index and cache.has(index[rel]))}
        cache.retain(set(kept.values()))
    if kept != index:
        cache.save_talk_keys(kept)


def cached_memo(config: Config, rel: str) -> MemoEntries:
    """Talk `rel`'s memo as the build cache's last full build left it (what `serve` starts an edit from)."""
    cache = BuildCache(config.root)
    return cache.memo(cache.talk_keys().get(rel), memo_stamp(), rel)


def memo_stamp() -> str:
    """What a memo is stamped with: the code and rendering packages this process runs (one made by any other
    may hold other HTML for the same code)."""
    return BuildCache.key(_code_fingerprint(), packages_stamp())


def _themes_fingerprint(root: Path) -> str:
    parts = [Theme("default", (builtin_themes_dir() / "default",)).fingerprint()]
    themes = root / "themes"
    if themes.is_dir():
        parts += [Theme(p.name, (p,)).fingerprint() for p in sorted(themes.iterdir()) if p.is_dir()]
    return ",".join(parts)


@functools.cache
def _code_fingerprint() -> str:
    """talkbuild's own files, so an upgraded or edited talkbuild never serves stale pages.

    Worked out once per process: it stands for the code this process runs (a `serve` started before an
    upgrade must neither trust nor write entries under the new code's name)."""
    here = Path(__file__).parent
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(here.rglob("*.py")))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
