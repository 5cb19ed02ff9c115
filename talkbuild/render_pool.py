"""Render talks in worker processes when there are enough of them to pay for the workers."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator

from .config import Config
from .links import SiteMap
from .models import SourceFile
from .render_one import MemoEntries, MemoSource, Outcome, memo_source, render_with_memo, use_memo_source
from .workers import expected_parent, pool_map, start_worker

PARALLEL_THRESHOLD = 8
"""Below this many talks to render, worker processes cost more than they save."""
CHUNKSIZE = 4
"""Talks per task sent to a worker: small, so both cores stay busy to the end and results stream back early."""


def render_each(todo: list[SourceFile], config: Config, sitemap: SiteMap,
                jobs: int) -> Iterator[tuple[SourceFile, tuple[Outcome, MemoEntries | None]]]:
    """Each talk with its outcome, in order; results stream back while the workers still render, so the
    parent's cache writes overlap with them instead of following them."""
    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
        yield from zip(todo, (render_with_memo(s, config, sitemap) for s in todo), strict=True)
        return
    # The config, site map and memo source go to each worker once, not with every talk (and whether the
    # workers are forked or started afresh: Python 3.14 starts them from a forkserver by default).
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_start_worker,
                                                initargs=(config, sitemap, memo_source(), expected_parent())) as pool:
        results = pool_map(pool, _render_one, todo, CHUNKSIZE)
        try:
            yield from zip(todo, results, strict=True)
        finally:  # SIGTERM, Ctrl-C, an error: pool_map stops the workers instead of waiting for their talks
            results.close()


_WORKER_ARGS: tuple[Config, SiteMap] | None = None


def _start_worker(config: Config, sitemap: SiteMap, memo: MemoSource | None, parent: int | None) -> None:
    global _WORKER_ARGS
    start_worker(parent)  # dies with the build, leaves signals to it
    _WORKER_ARGS = (config, sitemap)
    use_memo_source(memo)


def _render_one(source: SourceFile) -> tuple[Outcome, MemoEntries | None]:
    """render_with_memo in a worker process, with the arguments _start_worker was given."""
    assert _WORKER_ARGS is not None
    return render_with_memo(source, *_WORKER_ARGS)
