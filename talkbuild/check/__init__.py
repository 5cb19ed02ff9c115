"""`talkbuild check`: build the site in memory and prove it correct.

Reads like a table of contents: build, index the built site (each page scanned once),
internal links and images, talk hygiene, file sizes, then (optionally) external links.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..check_ignores import Ignored, apply
from ..config import Config
from ..errors import Diagnostic, Severity
from ..models import Page, PageRef, SiteFiles, Talk, talk_pages
from ..render import not_found_root
from .cache import CACHE_DIR, CACHE_FILE
from .external import Progress, check_external
from .htmlscan import HtmlPage, scan
from .hygiene import check_hygiene
from .ids import check_duplicate_ids
from .internal import Site, check_internal
from .language import check_language
from .scancache import SCAN_CACHE_FILE, ScanCache, page_key
from .sizes import check_file_sizes

if TYPE_CHECKING:
    from ..build import BuildOptions

log = logging.getLogger(__name__)

SUPERSEDED_BUILD_CODES = frozenset({"missing-file"})
"""Build warnings the check reports itself, more precisely (broken-link, missing-image, case-mismatch)."""
ERRORS_IN_CHECK = frozenset({"missing-static", "id-clash"})
"""Build warnings about a theme that check reports as errors, as it does a missing image or a broken fragment."""


@dataclass(frozen=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]
    talks: int
    pages: int
    external_checked: int = 0
    external_cached: int = 0
    ignored: tuple[Ignored, ...] = ()
    """Findings check.per_file_ignores leaves out of `diagnostics`: they fail nothing, and are counted."""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        """Exit status 1: any error, or with `strict` any warning."""
        return self.errors > 0 or (strict and self.warnings > 0)


def check_project(config: Config, *, external: bool | None = None, progress: Progress | None = None,
                  use_cache: bool = True, refresh_links: bool = False) -> CheckResult:
    """Check everything; `external` None means as configured (check.external); `refresh_links` requests every
    external link again rather than trusting the cache of successes (`check --no-cache`)."""
    return check_site(config, external=external, progress=progress, use_cache=use_cache,
                      refresh_links=refresh_links).result


@dataclass(frozen=True)
class CheckedSite:
    """A check's findings and the exact site they are about (publish compares it with _site)."""

    result: CheckResult
    files: SiteFiles
    page_digests: Mapping[str, str]
    """sha256 of each generated page, computed for the scan anyway."""

    def digests(self) -> dict[str, str]:
        """sha256 of every file of the checked site, by site path (assets and theme files are read)."""
        from ..publish.manifest import file_sha256  # what publish hashes _site with (only its gate asks)

        out = {rel: file_sha256(src) for rel, src in self.files.assets.items()}
        for rel, content in self.files.static.items():
            out[rel] = hashlib.sha256(content).hexdigest() if isinstance(content, bytes) else file_sha256(content)
        for page in self.files.pages:
            out[page.path] = self.page_digests.get(page.path) or page.digest
        return out


def check_site(config: Config, *, external: bool | None = None, progress: Progress | None = None,
               use_cache: bool = True, refresh_links: bool = False) -> CheckedSite:
    """Build the site in memory (nothing is written), then check it; see check_project."""
    from ..build import BuildOptions
    from ..render_talks import retry_cache_misses

    started = time.perf_counter()

    def built_and_indexed(options: BuildOptions) -> tuple[list[Talk], list[Diagnostic], SiteFiles, Site, dict[str, str]]:
        # Cached pages are read only while indexing: a damaged one is met here, after the build's own retries.
        talks, build_diagnostics, phantom, files, drafts = _build(config, options)
        log.debug("check: build %.0f ms", (time.perf_counter() - started) * 1000)
        reported = frozenset(d.url for d in build_diagnostics if d.code == "missing-static" and d.url)
        return talks, build_diagnostics, files, *_index_site(config, files, talks, phantom, drafts, use_cache, reported)

    options = BuildOptions(use_cache=use_cache, keep_going=True, write=False)
    talks, build_diagnostics, files, site, page_digests = retry_cache_misses(config, options, built_and_indexed)
    log.debug("check: index %d pages %.0f ms", len(site.pages), (time.perf_counter() - started) * 1000)
    diagnostics = [replace(d, severity=Severity.ERROR) if d.code in ERRORS_IN_CHECK else d
                   for d in build_diagnostics if d.code not in SUPERSEDED_BUILD_CODES]
    diagnostics += check_internal(site)
    known = {(d.location, d.url) for d in diagnostics if d.code == "id-clash"}
    diagnostics += [d for d in check_duplicate_ids(site) if (d.location, d.url) not in known]
    for talk in talks:
        diagnostics += check_hygiene(talk) + check_language(talk)
    diagnostics += check_file_sizes(talks, files.assets, config.check)
    log.debug("check: internal %.0f ms", (time.perf_counter() - started) * 1000)
    checked = cached = 0
    external = config.check.external if external is None else external
    if external:
        result = check_external((r for t in talks for r in t.references), config.check,
                                cache_path=config.root / CACHE_DIR / CACHE_FILE if use_cache else None,
                                progress=progress, refresh=refresh_links)
        diagnostics += result.diagnostics
        checked, cached = result.checked, result.cached
    build_errors = {d for d in build_diagnostics if d.is_error}  # `talkbuild build` refuses them, whatever check says
    reported, ignored = apply(config.check.per_file_ignores, _sorted_unique(diagnostics), build_errors.__contains__,
                              _project_paths(config, site.source_files), external=external)
    checked_result = CheckResult(_sorted_unique(reported), len(talks), len(site.pages), checked, cached,
                                 tuple(sorted(ignored, key=lambda i: _key(i.diagnostic))))
    return CheckedSite(checked_result, files, page_digests)


def _build(config: Config, options: BuildOptions) -> tuple[list[Talk], list[Diagnostic], set[str], SiteFiles,
                                                          dict[str, str]]:
    """Build in memory; with content errors, keep what rendered so every problem is found in one run.

    Returns the talks, the build's diagnostics, the page paths of talks that failed to render
    (treated as existing, so a broken talk does not make every link to it a second error) and the files.
    """
    from ..build import build
    from ..discover import discover

    result = build(config, options)
    assert result.site is not None
    sources, _ = discover(config.talks_path, config.root, config.exclude)
    # A talk that did not render (its error is reported, wherever it is: the talk, or a theme template) is
    # treated as present, so links to it are not errors too.
    present = {talk.slug for talk in result.talks} | set(result.drafts)
    phantom: set[str] = set()
    for source in sources:
        if source.slug not in present:
            phantom.update(talk_pages(source.slug))
    if not any(page.path == "index.html" for page in result.site.pages):
        phantom.add("index.html")  # the theme's index template failed: its error is reported, not every link to it
    drafts = {page: slug for slug in result.drafts for page in talk_pages(slug)}
    return list(result.talks), list(result.diagnostics), phantom, result.site, drafts


def _index_site(config: Config, built: SiteFiles, talks: list[Talk], phantom: set[str], drafts: dict[str, str],
                use_cache: bool, reported: frozenset[str] = frozenset()) -> tuple[Site, dict[str, str]]:
    """Every file of the site and a scan of every HTML file (from the scan cache where the bytes are known).

    A cached page's digest is known without reading it, so a page found in the scan cache is never read;
    the others are read and scanned a batch at a time, so a large site is never held in memory at once.
    """
    contents: dict[str, Path | bytes | Page | PageRef] = {**built.assets, **built.static}
    contents.update((page.path, page) for page in built.pages)
    talks_by_page: dict[str, Talk] = {}
    for talk in talks:
        talks_by_page.update(dict.fromkeys(talk_pages(talk.slug), talk))
    cache = ScanCache(config.root / CACHE_DIR / SCAN_CACHE_FILE if use_cache else None)
    pages: dict[str, HtmlPage] = {}
    digests: dict[str, str] = {}
    todo: list[tuple[str, Path | bytes | Page | PageRef, frozenset[str]]] = []
    keys: dict[str, str] = {}
    for rel in sorted(contents):
        if not rel.endswith((".html", ".htm")):
            continue
        source = contents[rel]
        slide_ids = frozenset(s.id for s in talks_by_page[rel].slides) if rel in talks_by_page else frozenset()
        digests[rel] = source.digest if isinstance(source, (Page, PageRef)) else hashlib.sha256(_bytes(source)).hexdigest()
        keys[rel] = page_key(digests[rel], slide_ids)
        hit = cache.get(keys[rel], rel)
        if hit is None:
            todo.append((rel, source, slide_ids))
        else:
            pages[rel] = hit
    for page in _scan_all(todo):
        pages[page.path] = page
        cache.put(keys[page.path], page)
    cache.save()
    source_files = frozenset(_walk(config.talks_path)) if config.talks_path.is_dir() else frozenset()
    site = Site(frozenset(set(contents) | phantom), source_files, {k: pages[k] for k in sorted(pages)},
                talks_by_page, config.out_dir.rstrip("/"), drafts, reported, built.redirects, not_found_root(config))
    return site, digests


SCAN_PARALLEL_THRESHOLD = 64
"""Below this many pages, worker processes cost more than they save."""
SCAN_BATCH = 256
"""Pages read into memory at a time for scanning (a large site's pages are ~60 KB each)."""


def _scan_all(todo: list[tuple[str, Path | bytes | Page | PageRef, frozenset[str]]]) -> Iterator[HtmlPage]:
    """Scan every page, on every core when there are many (the scan is most of an internal check)."""
    batches = (todo[i:i + SCAN_BATCH] for i in range(0, len(todo), SCAN_BATCH))
    workers = min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(todo) < SCAN_PARALLEL_THRESHOLD:
        for batch in batches:
            yield from map(_scan_bytes, [(rel, _bytes(src), ids) for rel, src, ids in batch])
        return
    from ..workers import ignore_sigint, pool_map

    # Not forked: a forked worker starts out with the parent's memory (the talks, the site's pages), and
    # with two or more workers the process tree would hold it several times over.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, initializer=ignore_sigint,
                                                mp_context=context) as pool:
        for batch in batches:
            jobs = [(rel, _bytes(src), ids) for rel, src, ids in batch]
            # Ctrl-C, SIGTERM, an error: pool_map stops the workers instead of waiting for their pages
            yield from pool_map(pool, _scan_bytes, jobs, max(1, len(jobs) // (workers * 4)))


def _bytes(source: Path | bytes | Page | PageRef) -> bytes:
    if isinstance(source, bytes):
        return source
    return source.read_bytes() if isinstance(source, Path) else source.read()


def _scan_bytes(job: tuple[str, bytes, frozenset[str]]) -> HtmlPage:
    rel, content, slide_ids = job
    return scan(rel, content.decode("utf-8", errors="replace"), slide_ids)


def _walk(root: Path) -> Iterable[str]:
    for dirpath, _dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            yield name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")


def _project_paths(config: Config, talks_relative: Iterable[str]) -> Iterator[str]:
    """The talks folder's files as check reports them: relative to the project."""
    folder = os.path.relpath(config.talks_path, config.root).replace(os.sep, "/")
    for rel in talks_relative:
        yield rel if folder == "." else f"{folder}/{rel}"


def _key(d: Diagnostic) -> tuple[str, int, int, str, str, str]:
    return (d.location.path, d.location.line or 0, d.location.column or 0, d.code, d.url or "", d.message)


def _sorted_unique(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = {_key(d): d for d in diagnostics}
    return tuple(unique[k] for k in sorted(unique))
