"""The build orchestrator: discover, parse and render every talk, then write the site atomically.

Rendering the talks is render_talks.py's (with the build cache), render_pool.py's (worker processes) and
render_one.py's (one talk, its Jinja2 environment and memo).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .codestyle import pygments_css
from .config import Config, talks_folder
from .discover import discover, look_alike_message
from .errors import ConfigError, ContentError, Diagnostic, Severity, TalkbuildError, distinct
from .index_list import folder_of
from .models import BuildResult, Page, PageRef, SiteFiles, Talk, talk_pages
from .redirects import plan_redirects, reached
from .render import NOT_FOUND, not_found_root, render_index, render_not_found, static_dir
from .render_one import environment
from .render_talks import render_talks_lazy, retry_cache_misses
from .search_index import SEARCH_INDEX_NAME, search_pages
from .sitemap_feed import machine_pages, over_reserved, reserved
from .sitepaths import STATIC_DIR, look_alike_key
from .staticrefs import page_refs
from .themecheck import theme_problems
from .themes import Theme, find_theme
from .titles import duplicate_titles
from .unlinked_documents import unlinked_documents
from .workers import raise_if_stopped
from .write import write_site

log = logging.getLogger(__name__)


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
    if not options.write or (options.out_dir and _resolved(config, options.out_dir) != config.out_path.resolve()):
        return retry_cache_misses(config, options, lambda attempt: _build(config, attempt))
    # The project's own _site/: remember which commit built it, or that the last build did not (publish --prebuilt).
    from . import build_record

    checkout = build_record.Checkout(config.root, config.out_path)
    try:
        result = retry_cache_misses(config, options, lambda attempt: _build(config, attempt))
    except BaseException:
        build_record.failed(config.root, checkout)
        raise
    build_record.built(config.root, result.out_dir, checkout)
    return result


def _resolved(config: Config, out_dir: Path) -> Path:
    return out_dir.resolve() if out_dir.is_absolute() else (config.root / out_dir).resolve()


def _build(config: Config, options: BuildOptions) -> BuildResult:
    out_dir = options.out_dir or config.out_path
    out_dir = _check_out_dir(config, out_dir) if options.write else out_dir
    timer = _Timer()
    theme = find_theme(config.theme, config.root)
    sources, problems = discover(talks_folder(config), config.root, config.exclude, config.exclude_lines)
    sources, clashes = over_reserved(sources, config)
    problems += clashes
    timer.lap("discover", len(sources))
    rendered, diagnostics, rebuilt = render_talks_lazy(config, theme, sources, options)
    listed = [t for t, _ in rendered if options.drafts or not t.meta.draft]
    clashes = _asset_clashes(config, rendered) + duplicate_titles(listed, folder_of if config.index_group == "folder" else None)
    diagnostics = distinct(problems + diagnostics + clashes + unlinked_documents(config, sources, [t for t, _ in rendered]))
    timer.lap("render", rebuilt)
    kept = [(talk, talk_pages) for talk, talk_pages in rendered if options.drafts or not talk.meta.draft]
    drafts = tuple(talk.slug for talk, _ in rendered if talk.meta.draft and not options.drafts)
    talks = [talk for talk, _ in kept]
    pages: list[Page | PageRef] = [page for _, talk_pages in kept for page in talk_pages]
    # The index is rendered even when a talk failed: an error in its template is reported with theirs, at once.
    try:
        pages.append(render_index(environment(theme), talks, config))
        pages.extend(machine_pages(talks, config))
        pages.extend(search_pages(talks, STATIC_DIR))
    except TalkbuildError as exc:  # an error in the theme's index template: one more finding, like a talk's
        diagnostics = distinct(diagnostics + exc.all_diagnostics())
    try:
        pages.append(render_not_found(environment(theme), config, not_found_root(config)))
    except TalkbuildError as exc:
        diagnostics = distinct(diagnostics + exc.all_diagnostics())
    redirects = plan_redirects(talks, {p.path for p in pages} | {a for t in talks for a in t.assets}, config.root,
                               config.publish.site_url)
    pages.extend(redirects.pages)
    diagnostics = distinct(reached(diagnostics, talks, redirects.targets) + list(redirects.diagnostics))
    timer.lap("index", 1)
    themes = {config.theme: theme} | {name: find_theme(name, config.root) for name in sorted(
        {t.meta.theme for t, _ in rendered if t.meta.theme and t.meta.theme != config.theme})}
    diagnostics = distinct(diagnostics + theme_problems(
        config.theme, themes, [t for t, _ in rendered], environment,
        linked=lambda: {ref for page in pages for ref in page_refs(page.path, page.read())},
        grouped=config.index_group))
    if _fails(diagnostics, options.strict) and not options.keep_going:
        raise ContentError(diagnostics, strict=options.strict)
    # Only the project's own output is remembered: check and publish build into scratch folders.
    own_output = out_dir == config.out_path.resolve()
    state = config.root / ".talkbuild" / "last-build.json" if options.use_cache and own_output else None
    static = static_files(theme, static_dir(theme.name, config.theme))
    for name in sorted({t.meta.theme for t in talks if t.meta.theme and t.meta.theme != config.theme}):
        static.update(static_files(find_theme(name, config.root), static_dir(name, config.theme)))
    static.pop(f"{STATIC_DIR}/{SEARCH_INDEX_NAME}", None)  # generated: a theme file of its name would hide it
    assets = _assets(config, talks)
    if not options.write:
        # Cached pages stay references: a check that finds a page's digest in its scan cache never reads
        # its bytes, and a large site is never held in memory at once.
        site = SiteFiles(tuple(pages), assets, static, redirects.targets)
        count = len({p.path for p in pages} | set(assets) | set(static))
        return BuildResult(tuple(talks), tuple(diagnostics), out_dir, count, rebuilt, site,
                           len(rendered) - rebuilt, drafts)
    raise_if_stopped()
    files = write_site(out_dir, pages, assets, static, state)
    timer.lap("write", files)
    return BuildResult(tuple(talks), tuple(diagnostics), out_dir, files, rebuilt, None,
                       len(rendered) - rebuilt, drafts)



def _fails(diagnostics: list[Diagnostic], strict: bool) -> bool:
    return any(d.is_error or (strict and d.severity is Severity.WARNING) for d in diagnostics)


def _assets(config: Config, talks: list[Talk]) -> dict[str, Path]:
    pages = {page for t in talks for page in talk_pages(t.slug)} | {"index.html", NOT_FOUND, *reserved(config)}
    return {rel: config.talks_path / rel for talk in talks for rel in talk.assets if rel not in pages}


def _asset_clashes(config: Config, rendered: Sequence[tuple[Talk, Sequence[Page | PageRef]]]) -> list[Diagnostic]:
    """A referenced file at the path of a generated page (talks/a/index.html beside talks/a.md), and two files
    whose paths differ only in case or accents (img/Case.png, img/case.png): one file in a clone on macOS."""
    pages = {page.path for _, talk_pages in rendered for page in talk_pages} | {"index.html", NOT_FOUND, *reserved(config)}
    found = [Diagnostic(Severity.ERROR, "slug-clash", f"'{ref.url}' is at the same place as a generated page ({ref.target})",
                        ref.location, url=ref.url, hint="rename or move the file")
             for talk, _ in rendered for ref in talk.references if ref.target in pages and ref.target in talk.assets]
    first: dict[str, str] = {}
    told: set[str] = set()
    for talk, _ in rendered:
        for ref in talk.references:
            if ref.target is None or ref.target not in talk.assets:
                continue
            seen = first.setdefault(look_alike_key(ref.target), ref.target)
            if seen != ref.target and ref.target not in told:
                told.add(ref.target)
                found.append(Diagnostic(Severity.WARNING, "case-clash", look_alike_message(ref.target, seen),
                                        ref.location, url=ref.url, hint="rename one of them"))
    return found


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


class _Timer:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str, count: int) -> None:
        now = time.perf_counter()
        log.debug("%-8s %5d  %6.0f ms", stage, count, (now - self.last) * 1000)
        self.last = now
