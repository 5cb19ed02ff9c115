"""The build orchestrator: discover, parse and render every talk, then write the site atomically."""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import os
import signal
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import jinja2

from . import __version__
from .cache import BuildCache, CacheMiss, TemplateCache, asset_stamps, packages_stamp, template_cache
from .codestyle import pygments_css
from .config import Config, talks_folder
from .discover import discover, tree_listing
from .errors import ConfigError, ContentError, Diagnostic, Severity, TalkbuildError, distinct
from .links import SiteMap
from .models import BuildResult, Page, PageRef, SiteFiles, SourceFile, Talk, talk_pages
from .parse import parse_talk
from .render import STATIC_DIR, make_environment, render_index, render_talk, static_dir
from .staticrefs import page_refs
from .themecheck import theme_problems
from .themes import Theme, builtin_themes_dir, find_theme
from .titles import duplicate_titles
from .workers import die_with_parent, expected_parent, pool_map, raise_if_stopped, start_worker
from .write import write_site

log = logging.getLogger(__name__)

PARALLEL_THRESHOLD = 8
"""Below this many talks to render, worker processes cost more than they save."""
CHUNKSIZE = 4
"""Talks per task sent to a worker: small, so both cores stay busy to the end and results stream back early."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build: everything a caller (CLI, serve, check) may choose."""

    out_dir: Path | None = None
    strict: bool = False
    jobs: int | None = None
    drafts: bool = False
    use_cache: bool = True
    keep_going: bool = False
    """Write what rendered even when some talks have errors (check wants every finding in one run)."""
    write: bool = True
    """False: write nothing and return the files in BuildResult.site (check inspects them in memory)."""


def build(config: Config, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the whole site; raises ContentError (nothing written) when any talk has an error."""
    return retry_cache_misses(config, options, lambda attempt: _build(config, attempt))


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


def _build(config: Config, options: BuildOptions) -> BuildResult:
    out_dir = options.out_dir or config.out_path
    out_dir = _check_out_dir(config, out_dir) if options.write else out_dir
    timer = _Timer()
    theme = find_theme(config.theme, config.root)
    sources, problems = discover(talks_folder(config), config.root, config.exclude, config.exclude_lines)
    timer.lap("discover", len(sources))
    rendered, diagnostics, rebuilt = _render_talks(config, theme, sources, options)
    clashes = _asset_clashes(rendered) + duplicate_titles([t for t, _ in rendered if options.drafts or not t.meta.draft])
    diagnostics = distinct(problems + diagnostics + clashes)
    timer.lap("render", rebuilt)
    kept = [(talk, talk_pages) for talk, talk_pages in rendered if options.drafts or not talk.meta.draft]
    drafts = tuple(talk.slug for talk, _ in rendered if talk.meta.draft and not options.drafts)
    talks = [talk for talk, _ in kept]
    pages: list[Page | PageRef] = [page for _, talk_pages in kept for page in talk_pages]
    # The index is rendered even when a talk failed: an error in its template is reported with theirs, at once.
    try:
        pages.append(render_index(environment(theme), talks, config))
    except TalkbuildError as exc:  # an error in the theme's index template: one more finding, like a talk's
        diagnostics = distinct(diagnostics + exc.all_diagnostics())
    timer.lap("index", 1)
    themes = {config.theme: theme} | {name: find_theme(name, config.root) for name in sorted(
        {t.meta.theme for t, _ in rendered if t.meta.theme and t.meta.theme != config.theme})}
    diagnostics = distinct(diagnostics + theme_problems(
        config.theme, themes, [t for t, _ in rendered], environment,
        linked=lambda: {ref for page in pages for ref in page_refs(page.path, page.read())}))
    if _fails(diagnostics, options.strict) and not options.keep_going:
        raise ContentError(diagnostics, strict=options.strict)
    # Only the project's own output is remembered: check and publish build into scratch folders.
    own_output = out_dir == config.out_path.resolve()
    state = config.root / ".talkbuild" / "last-build.json" if options.use_cache and own_output else None
    static = static_files(theme, static_dir(theme.name, config.theme))
    for name in sorted({t.meta.theme for t in talks if t.meta.theme and t.meta.theme != config.theme}):
        static.update(static_files(find_theme(name, config.root), static_dir(name, config.theme)))
    assets = _assets(config, talks)
    if not options.write:
        # Cached pages stay references: a check that finds a page's digest in its scan cache never reads
        # its bytes, and a large site is never held in memory at once.
        site = SiteFiles(tuple(pages), assets, static)
        count = len({p.path for p in pages} | set(assets) | set(static))
        return BuildResult(tuple(talks), tuple(diagnostics), out_dir, count, rebuilt, site,
                           len(rendered) - rebuilt, drafts)
    raise_if_stopped()
    files = write_site(out_dir, pages, assets, static, state)
    timer.lap("write", files)
    return BuildResult(tuple(talks), tuple(diagnostics), out_dir, files, rebuilt, None,
                       len(rendered) - rebuilt, drafts)


def render_talks(config: Config, theme: Theme, sources: list[SourceFile], options: BuildOptions,
                 only: Collection[str] | None = None) -> tuple[list[tuple[Talk, tuple[Page, ...]]], list[Diagnostic], int]:
    """Parse and render every talk (cached ones are reused), in parallel when it pays.

    `sources` must be every talk of the project (links resolve against all of them); `only` limits which
    of them are rendered (talks-relative paths), for callers that know the rest is unchanged.
    """
    def loaded(attempt: BuildOptions) -> tuple[list[tuple[Talk, tuple[Page, ...]]], list[Diagnostic], int]:
        rendered, diagnostics, count = _render_talks(config, theme, sources, attempt, only)
        return [(talk, tuple(Page(p.path, p.load()) if isinstance(p, PageRef) else p for p in pages))
                for talk, pages in rendered], diagnostics, count

    return retry_cache_misses(config, options, loaded)


def _render_talks(config: Config, theme: Theme, sources: list[SourceFile], options: BuildOptions,
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
    _MEMO_SOURCE[:] = [(cache, stamp, index)] if todo and options.use_cache else []
    try:
        for source, (outcome, memo) in _map(todo, config, sitemap, jobs):
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
        _MEMO_SOURCE.clear()
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


_MEMO_SOURCE: list[tuple[BuildCache, str, dict[str, str]]] = []
"""While `render_talks` renders: the cache, the memo stamp of this code, and each talk's previous entry key
(each worker process is given it when it starts)."""

Outcome = tuple[Talk, tuple[Page, ...]] | list[Diagnostic]
MemoEntries = dict[tuple[str, str, str], str]


def _render_with_memo(source: SourceFile, config: Config, sitemap: SiteMap) -> tuple[Outcome, MemoEntries | None]:
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


def cached_memo(config: Config, rel: str) -> MemoEntries:
    """Talk `rel`'s memo as the build cache's last full build left it (what `serve` starts an edit from)."""
    cache = BuildCache(config.root)
    return cache.memo(cache.talk_keys().get(rel), memo_stamp(), rel)


def memo_stamp() -> str:
    """What a memo is stamped with: the code and rendering packages this process runs (one made by any other
    may hold other HTML for the same code)."""
    return BuildCache.key(_code_fingerprint(), packages_stamp())


def _map(todo: list[SourceFile], config: Config, sitemap: SiteMap,
         jobs: int) -> Iterator[tuple[SourceFile, tuple[Outcome, MemoEntries | None]]]:
    """Each talk with its outcome, in order; results stream back while the workers still render, so the
    parent's cache writes overlap with them instead of following them."""
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
        yield from zip(todo, (_render_with_memo(s, config, sitemap) for s in todo), strict=True)
        return
    # The config, site map and memo source go to each worker once, not with every talk (and whether the
    # workers are forked or started afresh: Python 3.14 starts them from a forkserver by default).
    memo_source = _MEMO_SOURCE[0] if _MEMO_SOURCE else None
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_start_worker,
                                                initargs=(config, sitemap, memo_source, expected_parent())) as pool:
        results = pool_map(pool, _render_one, todo, CHUNKSIZE)
        try:
            yield from zip(todo, results, strict=True)
        finally:  # SIGTERM, Ctrl-C, an error: pool_map stops the workers instead of waiting for their talks
            results.close()


def ignore_sigint() -> None:
    """Ctrl-C is the parent's to handle; workers printing their own KeyboardInterrupt tracebacks helps nobody.
    (check's workers start here too: they also end with their parent, even when it is killed.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(None)


_WORKER_ARGS: tuple[Config, SiteMap] | None = None


def _start_worker(config: Config, sitemap: SiteMap,
                  memo_source: tuple[BuildCache, str, dict[str, str]] | None, parent: int | None) -> None:
    global _WORKER_ARGS
    start_worker(parent)  # dies with the build, leaves signals to it
    _WORKER_ARGS = (config, sitemap)
    _MEMO_SOURCE[:] = [memo_source] if memo_source is not None else []


def _render_one(source: SourceFile) -> tuple[Outcome, MemoEntries | None]:
    """_render_with_memo in a worker process, with the arguments _start_worker was given."""
    assert _WORKER_ARGS is not None
    return _render_with_memo(source, *_WORKER_ARGS)


def render_one(source: SourceFile, config: Config, sitemap: SiteMap) -> Outcome:
    """Parse and render one talk with its theme; user errors come back as a list of Diagnostics."""
    try:
        talk = parse_talk(source, config.root, sitemap, config.notes_separator)
        name = talk.meta.theme or config.theme
        theme = find_theme(name, config.root)
        return talk, tuple(render_talk(environment(theme), talk, config, static_dir(name, config.theme)))
    except TalkbuildError as exc:
        return exc.all_diagnostics()


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


def _fails(diagnostics: list[Diagnostic], strict: bool) -> bool:
    return any(d.is_error or (strict and d.severity is Severity.WARNING) for d in diagnostics)


def _assets(config: Config, talks: list[Talk]) -> dict[str, Path]:
    pages = {page for t in talks for page in talk_pages(t.slug)} | {"index.html"}
    return {rel: config.talks_path / rel for talk in talks for rel in talk.assets if rel not in pages}


def _asset_clashes(rendered: Sequence[tuple[Talk, Sequence[Page | PageRef]]]) -> list[Diagnostic]:
    """A referenced file at the path of a generated page (talks/a/index.html beside talks/a.md)."""
    pages = {page.path for _, talk_pages in rendered for page in talk_pages} | {"index.html"}
    return [Diagnostic(Severity.ERROR, "slug-clash", f"'{ref.url}' is at the same place as a generated page ({ref.target})",
                       ref.location, url=ref.url, hint="rename or move the file")
            for talk, _ in rendered for ref in talk.references if ref.target in pages and ref.target in talk.assets]


def static_files(theme: Theme, folder: str) -> dict[str, Path | bytes]:
    """A theme's static files under their site folder, with the generated pygments.css unless the theme has one
    (a theme's own file of any name wins over talkbuild's, this one included)."""
    files: dict[str, Path | bytes] = {f"{folder}/{name}": path for name, path in theme.static_files().items()}
    files.setdefault(f"{folder}/pygments.css", pygments_css().encode())
    return files


def _check_out_dir(config: Config, out_dir: Path) -> Path:
    """The output folder, refused when replacing it would destroy something that is not a talkbuild site."""
    out = (config.root / out_dir).resolve() if not out_dir.is_absolute() else out_dir.resolve()
    talks = config.talks_path.resolve()
    guarded = [talks, *(config.root / name for name in (".git", "themes", ".talkbuild", ".github"))]
    if out == config.root or out in config.root.parents or any(out == g or out.is_relative_to(g) or g.is_relative_to(out)
                                                                 for g in guarded):
        raise ConfigError(f"refusing to build into {out}: it holds the project, its talks or its settings",
                          hint="choose an output folder of its own, e.g. _site")
    store = next((p for p in (out, *out.parents) if (p / "releases").is_dir() and (p / "pointers").is_dir()), None)
    if store is not None:  # `current` (a symlink into releases/) resolves to a sealed, live release
        raise ConfigError(f"refusing to build into {out}: it is in the publish target {store}, whose releases "
                          "never change once sealed", hint="build into _site and run `talkbuild publish`")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"refusing to replace {out}: it is a file, not a folder talkbuild built",
                          hint="move the file away, or build elsewhere with --out")
    if out.is_dir() and any(out.iterdir()) and not (out / STATIC_DIR).is_dir():
        raise ConfigError(f"refusing to replace {out}: it is not empty and was not built by talkbuild",
                          hint="choose a new or empty folder, or remove this one yourself")
    return out


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


class _Timer:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str, count: int) -> None:
        now = time.perf_counter()
        log.debug("%-8s %5d  %6.0f ms", stage, count, (now - self.last) * 1000)
        self.last = now
