"""Publish targets, chosen by the URL's scheme (like lektor's publishers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ...errors import ConfigError, did_you_mean
from .base import Store
from .local import LocalStore


def folder_of(target: str, root: Path) -> Path | None:
    """The folder a `file://DIR` target (or a bare path) writes to, or None for other schemes."""
    if "://" not in target:
        target = "file://" + target
    parts = urlsplit(target)
    if parts.scheme != "file":
        return None
    if parts.netloc not in ("", "localhost"):
        # file://_deploy: a relative folder, written as the host part by convention
        path = Path(unquote(parts.netloc + parts.path))
    else:
        path = Path(unquote(parts.path))
    return path if path.is_absolute() else (root / path).resolve()


def _open_file(url: str, root: Path, options: dict[str, Any]) -> Store:
    path = folder_of(url, root)
    assert path is not None
    return LocalStore(path)


def _open_s3(url: str, root: Path, options: dict[str, Any]) -> Store:
    from .s3 import S3Store

    parts = urlsplit(url)
    if not parts.netloc:
        raise ConfigError(f"no bucket in target '{url}'", hint="write s3://BUCKET/PREFIX")
    return S3Store(parts.netloc, parts.path, **options)


SCHEMES: dict[str, Callable[[str, Path, dict[str, Any]], Store]] = {"file": _open_file, "s3": _open_s3}


def open_store(target: str, project_root: Path, **options: Any) -> Store:
    """A Store for `file://DIR` (relative to the project) or `s3://bucket/prefix`; a bare path is a folder."""
    scheme = urlsplit(target).scheme if "://" in target else "file"
    if scheme not in SCHEMES:
        raise ConfigError(f"unknown publish target scheme '{scheme}://' in '{target}'",
                          hint=did_you_mean(scheme, SCHEMES) or "use file://DIR or s3://BUCKET/PREFIX")
    if scheme == "file" and "://" not in target:
        target = "file://" + target
    if scheme == "file":
        options = {}
    return SCHEMES[scheme](target, project_root, options)
