"""Scans of built pages remembered between checks (`.talkbuild/cache/check-pages.pickle`).

A page's scan depends only on its bytes, the ids of its talk's slides and the scanner's code, so
it is keyed by exactly those: after editing one talk a re-check scans that talk's two pages and
the index, not every page. The file is stamped with talkbuild's version and the scanner's source,
so an upgraded or edited scanner starts afresh. It is framed with a CRC-32 as the build cache's
sections are, and a damaged file is ignored rather than trusted: a wrong scan would let a broken
link pass. Each save keeps only the pages of the site just checked, so entries of deleted talks do
not pile up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import frame, read_section, unpickle_section
from ..write import write_atomic
from . import htmlscan
from .htmlscan import HtmlLink, HtmlPage

log = logging.getLogger(__name__)

SCAN_CACHE_FILE = "check-pages.pickle"
SCHEMA = 4

_Entry = tuple[frozenset[str], tuple[tuple[Any, ...], ...], tuple[tuple[str, int, int], ...]]
"""A scan without its path: the ids, each link as a plain tuple (quick to pickle and load), the ids given twice."""


def scanner_fingerprint() -> str:
    """talkbuild's version, the scanner's own source and the pickle format: any change starts afresh."""
    h = hashlib.sha256(f"{SCHEMA}\0{__version__}\0{sys.version_info[:2]}\0".encode())
    h.update(Path(htmlscan.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def page_key(content_sha256: str, slide_ids: Collection[str]) -> str:
    """What a scan depends on: the page's bytes (by their sha256) and which ids are slides."""
    return hashlib.sha256(f"{content_sha256}\0{chr(0).join(sorted(slide_ids))}".encode()).hexdigest()


class ScanCache:
    """Load once, look pages up, remember new scans, save once (atomically, only if something changed)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.fingerprint = scanner_fingerprint()
        self._old: dict[str, _Entry] = _load(path, self.fingerprint) if path is not None else {}
        self._used: dict[str, _Entry] = {}

    def get(self, key: str, path: str) -> HtmlPage | None:
        entry = self._old.get(key)
        if entry is None:
            return None
        self._used[key] = entry
        ids, links, duplicates = entry
        return HtmlPage(path, ids, tuple(HtmlLink(*link) for link in links), duplicates)

    def put(self, key: str, page: HtmlPage) -> None:
        self._used[key] = (page.ids, tuple((lk.tag, lk.attr, lk.value, lk.line, lk.slide, lk.alt, lk.empty) for lk in page.links),
                           page.duplicates)

    def save(self) -> None:
        """Keep exactly the pages looked up or scanned in this run (pruning pages that are gone)."""
        if self.path is None or self._used.keys() == self._old.keys():
            return
        payload = pickle.dumps({"fingerprint": self.fingerprint, "pages": self._used}, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.path, frame(payload))


def _load(path: Path, fingerprint: str) -> dict[str, _Entry]:
    """The scans of the last check, or {} when there are none or they cannot be trusted (the next save
    replaces them: the cache is an optimisation)."""
    try:
        with open(path, "rb") as f:
            raw = read_section(f, os.fstat(f.fileno()).st_size)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.debug("check: ignoring the unreadable scan cache %s: %s", path, exc)
        return {}
    data = unpickle_section(raw)  # None when damaged (its CRC-32 does not match) or not a pickle of ours
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint or not isinstance(data.get("pages"), dict):
        log.debug("check: ignoring the scan cache %s: damaged, or from another talkbuild", path)
        return {}
    pages: dict[str, _Entry] = data["pages"]
    return pages
