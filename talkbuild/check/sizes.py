"""Files too large for a reader on a phone: a picture a page shows, or a video, sound or download it links, over
the size set in `check:` (`large_image_mb`, `large_file_mb`), reported at each place it is written.

A picture a page shows is loaded with it (the deck loads every one at once); a video, a sound or a download is
fetched when the reader asks for it, so it may be larger before it is worth a word.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..config import CheckConfig
from ..errors import Diagnostic, Severity
from ..imagesize import image_size
from ..models import Talk

MB = 1_000_000
"""Megabytes as browsers' developer tools and file managers count them."""
PICTURES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff", ".ico",
                      ".apng", ".jxl", ".heic"})
PICTURE_HINT = ("resize it to the size it is shown at (1920 px across is plenty for a slide) and compress it: a photo "
                "as JPEG or WebP (quality 80), a screenshot or diagram as PNG (oxipng, pngquant) or SVG")
FILE_HINT = ("compress it (a video as H.264 MP4 at 1080p or less, a sound as MP3 or Opus, a PDF with its pictures "
             "downsampled), or link it where large files are kept (a video site, a release, a data repository)")


def check_file_sizes(talks: Iterable[Talk], assets: Mapping[str, Path], config: CheckConfig) -> list[Diagnostic]:
    """A `large-file` warning at every place a talk shows or links a file of the site larger than its limit."""
    found: list[Diagnostic] = []
    sizes: dict[str, int | None] = {}
    for talk in talks:
        for ref in talk.references:
            if ref.target is None or ref.target not in assets:
                continue
            picture = ref.kind == "image" and posixpath.splitext(ref.target)[1].lower() in PICTURES
            limit = config.large_image_mb if picture else config.large_file_mb
            if limit <= 0:
                continue
            if ref.target not in sizes:
                sizes[ref.target] = _size(assets[ref.target])
            size = sizes[ref.target]
            if size is None or size <= limit * MB:
                continue
            setting = "large_image_mb" if picture else "large_file_mb"
            what = f"'{ref.url}' is {size / MB:.1f} MB{_pixels(assets[ref.target]) if picture else ''}"
            found.append(Diagnostic(
                Severity.WARNING, "large-file",
                f"{what}, over check.{setting} ({limit:g} MB): " + (
                    "every reader downloads all of it, on a phone too" if picture else "slow to load on a phone"),
                ref.location, url=ref.url, hint=PICTURE_HINT if picture else FILE_HINT))
    return found


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None  # gone since the build copied its name: the build's own finding, not this one


def _pixels(path: Path) -> str:
    size = image_size(path)
    return f" ({size[0]} × {size[1]} px)" if size else ""
