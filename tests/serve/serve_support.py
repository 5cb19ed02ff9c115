"""Helpers for the serve tests: a sample talk, waiting on conditions, a handle on a running server."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from talkbuild.serve import LiveServer
from talkbuild.serve.livereload import STATUS_PATH


def talk(title: str, third: str = "third", extra: str = "") -> str:
    """A talk with a title slide and three slides; the deck's slide 3 is '## Two': `third`, then one step."""
    return (f"---\ntitle: {title}\n---\n\n## One\n\nfirst slide\n\n## Two\n\n{third}\n\n. . .\n\nrevealed step\n\n"
            f"## Three\n\nlast slide\n{extra}")


def wait_until(predicate: Callable[[], object], what: str, timeout: float = 15.0) -> None:
    """Poll until `predicate()` is true; fail naming `what` after `timeout` seconds (a hang guard, not a speed test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for: {what}")
        time.sleep(0.02)


@dataclass
class Live:
    server: LiveServer
    root: Path
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def status(self) -> dict[str, object]:
        return dict(json.loads(self.get(STATUS_PATH)[1]))

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def wait_for_page(self, path: str, text: str) -> None:
        wait_until(lambda: text in self.get(path)[1], f"{path} to contain {text!r}")
