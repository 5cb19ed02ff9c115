"""`talkbuild check`: build the site into a temporary folder and prove it correct.

Reads like a table of contents: build, index the built site (each page scanned once),
internal links and images, talk hygiene, then (optionally) external links.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import Diagnostic, Severity
from ..models import Talk
from .cache import CACHE_DIR, CACHE_FILE
from .external import Progress, check_external
from .htmlscan import HtmlPage, scan
from .hygiene import check_hygiene
from .internal import Site, check_internal

log = logging.getLogger(__name__)

SUPERSEDED_BUILD_CODES = frozenset({"missing-file"})
"""Build warnings the check reports itself, more precisely (broken-link, missing-image, case-mismatch)."""


@dataclass(frozen=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]
    talks: int
    pages: int
    external_checked: int = 0
    external_cached: int = 0

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
                  use_cache: bool = True, site_dir: Path | None = None) -> CheckResult:
    """Check everything; `external` None means as configured (check.external).

    The site is built into a temporary folder, or into `site_dir` (a new folder) for a caller that wants
    to look at the checked site afterwards, as publish does.
    """
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="talkbuild-check-") as tmp:
        out = site_dir or Path(tmp) / "site"
        talks, build_diagnostics, phantom = _build(config, out, use_cache)
        log.debug("check: build %.0f ms", (time.perf_counter() - started) * 1000)
        site = _index_site(config, out, talks, phantom)
        log.debug("check: index %d pages %.0f ms", len(site.pages), (time.perf_counter() - started) * 1000)
    diagnostics = [d for d in build_diagnostics if d.code not in SUPERSEDED_BUILD_CODES]
    diagnostics += check_internal(site)
    for talk in talks:
        diagnostics += check_hygiene(talk)
    log.debug("check: internal %.0f ms", (time.perf_counter() - started) * 1000)
    checked = cached = 0
    if config.check.external if external is None else external:
        result = check_external((r for t in talks for r in t.references), config.check,
                                cache_path=config.root / CACHE_DIR / CACHE_FILE if use_cache else None,
                                progress=progress)
        diagnostics += result.diagnostics
        checked, cached = result.checked, result.cached
    return CheckResult(_sorted_unique(diagnostics), len(talks), len(site.pages), checked, cached)


def _build(config: Config, out: Path, use_cache: bool) -> tuple[list[Talk], list[Diagnostic], set[str]]:
    """Build into `out`; with content errors, still write what rendered so every problem is found in one run.

    Returns the talks, the build's diagnostics and the page paths of talks that failed to render
    (treated as existing, so a broken talk does not make every link to it a second error).
    """
    from ..build import BuildOptions, build
    from ..discover import discover

    result = build(config, BuildOptions(out_dir=out, use_cache=use_cache, keep_going=True))
    sources, _ = discover(config.talks_path, config.root, config.exclude)
    failed = {d.location.path for d in result.diagnostics if d.is_error}
    phantom: set[str] = set()
    for source in sources:
        if _project_rel(config, source.path) in failed:
            phantom |= {f"{source.slug}/index.html", f"{source.slug}/slides/index.html"}
    return list(result.talks), list(result.diagnostics), phantom


def _index_site(config: Config, out: Path, talks: list[Talk], phantom: set[str]) -> Site:
    files = set(_walk(out))
    talks_by_page: dict[str, Talk] = {}
    for talk in talks:
        talks_by_page[f"{talk.slug}/index.html"] = talk
        talks_by_page[f"{talk.slug}/slides/index.html"] = talk
    jobs = [(rel, str(out / rel), frozenset(s.id for s in talks_by_page[rel].slides) if rel in talks_by_page else frozenset())
            for rel in sorted(files) if rel.endswith((".html", ".htm"))]
    pages = {page.path: page for page in _scan_all(jobs)}
    source_files = frozenset(_walk(config.talks_path)) if config.talks_path.is_dir() else frozenset()
    return Site(frozenset(files | phantom), source_files, pages, talks_by_page, config.out_dir.rstrip("/"))


SCAN_PARALLEL_THRESHOLD = 64
"""Below this many pages, worker processes cost more than they save."""


def _scan_all(jobs: list[tuple[str, str, frozenset[str]]]) -> list[HtmlPage]:
    """Scan every page, on every core when there are many (the scan is most of an internal check)."""
    workers = min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(jobs) < SCAN_PARALLEL_THRESHOLD:
        return [_scan_file(job) for job in jobs]
    from ..build import ignore_sigint

    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, initializer=ignore_sigint) as pool:
        return list(pool.map(_scan_file, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def _scan_file(job: tuple[str, str, frozenset[str]]) -> HtmlPage:
    rel, path, slide_ids = job
    return scan(rel, Path(path).read_text(encoding="utf-8", errors="replace"), slide_ids)


def _walk(root: Path) -> Iterable[str]:
    for dirpath, _dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            yield name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")


def _project_rel(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()



def _sorted_unique(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = {(d.location.path, d.location.line or 0, d.code, d.url or "", d.message): d for d in diagnostics}
    return tuple(unique[k] for k in sorted(unique))
