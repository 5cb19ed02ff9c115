"""A one-line progress bar on a terminal while external links are checked (nothing when not a TTY)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO


class ProgressLine:
    """`update(done, total)` redraws one line on `stream`; the line is cleared on exit."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None, width: int = 30) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.width = width
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rexternal links [{bar}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
