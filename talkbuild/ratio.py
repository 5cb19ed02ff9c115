"""A deck's shape (`ratio: 4:3` in front matter or talkbuild.yml, Marp's `size: 4:3`) and whether its slides are
numbered (`slide_numbers: true`): read here, so the front matter and the config say the same thing the same way."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

RATIO_HINT = "write width:height in whole numbers, e.g. ratio: 4:3 (or 16:9, 16:10, 3:2, 1:1)"
"""The hint for a `ratio` that cannot be read, in talkbuild.yml and in front matter alike."""
LARGEST_PART = 100
"""21:9 and 32:9 are shapes people use; 1920:1080 is a screen's size in pixels, not a ratio (say 16:9)."""
MOST_ELONGATED = 4.0
"""A slide at most four times as wide as tall (or tall as wide): beyond, no text fits across or down it."""
PAGE_HEIGHT_PX = 720
"""Printed, every shape is 720 CSS pixels (7.5 in, 540 pt) tall: 16:9 is 1280 x 720, 4:3 is 960 x 720."""

_WRITTEN = re.compile(r"\s*(\d+)\s*[:/x×]\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class Ratio:
    """A slide's width to height, as written (4:3 stays 4:3, not 1.333)."""

    width: int = 16
    height: int = 9

    def __str__(self) -> str:
        return f"{self.width}:{self.height}"

    @property
    def page_width_px(self) -> int:
        """The printed page's width in CSS pixels, its height being PAGE_HEIGHT_PX."""
        return round(PAGE_HEIGHT_PX * self.width / self.height)


DEFAULT_RATIO = Ratio()


def read_ratio(value: Any) -> Ratio:
    """A `ratio` setting as written (`4:3`, `16/10`, `4x3`); raises ValueError with the message for anything else.
    A bare number (`1.5`) is refused: 16:10 and 1.6 look alike, but only one says which way round it is."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
    match = _WRITTEN.fullmatch(text) if text is not None else None
    if match is None:
        raise ValueError(f"'ratio' must be a slide's width:height, not {value!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (0 < width <= LARGEST_PART and 0 < height <= LARGEST_PART):
        common = math.gcd(width, height)
        said = f" (say {width // common}:{height // common})" if common > 1 and width and height else ""
        raise ValueError(f"'ratio' {text!r} must be two whole numbers from 1 to {LARGEST_PART}{said}")
    if max(width / height, height / width) > MOST_ELONGATED:
        raise ValueError(f"'ratio' {text!r} is too long a slide: it may be at most {MOST_ELONGATED:g} times as wide as "
                         "it is tall, or as tall as it is wide")
    return Ratio(width, height)
