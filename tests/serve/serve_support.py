"""Helpers for the serve tests: a sample talk, waiting on conditions, a handle on a running server."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


# --- in a browser (the tests that take playwright's `page`) ---------------------------------------------

NOT_RELOADED = "() => window.__tbMark === 'still here'"

CURRENT = "#tb-stage > section.tb-current"
POSITION = f"""() => {{
  const slide = document.querySelector("{CURRENT}");
  return [Array.from(document.querySelectorAll("#tb-stage > section.slide")).indexOf(slide) + 1,
          slide.querySelectorAll(".fragment.tb-visible").length, location.hash];
}}"""


def position(page: Any) -> tuple[int, int, str]:
    """(1-based slide number, fragment steps shown, URL hash) of what the deck shows."""
    number, step, hash_ = page.evaluate(POSITION)
    return int(number), int(step), str(hash_)


def open_on_slide_3(page: Any, site: Live, slug: str) -> None:
    """Open a deck, go to slide 3 and its first step the way a speaker does (keys), and mark the window:
    a reload clears the mark."""
    page.goto(site.url + f"{slug}/slides/")
    page.wait_for_selector("html[data-tb-ready]", state="attached")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({POSITION})()[0] === 3 && ({POSITION})()[1] === 1")
    page.wait_for_function("() => window.__tbLive !== undefined")
    page.evaluate("window.__tbMark = 'still here'")


def assert_on_slide_3_step_1(page: Any) -> None:
    page.wait_for_selector("html[data-tb-ready]", state="attached")
    number, step, hash_ = position(page)
    assert (number, step) == (3, 1), hash_
    assert hash_.endswith("/1")


def seen_generation(page: Any, site: Live) -> None:
    """Wait until the page's live-reload stream has heard about the server's latest build."""
    generation = site.status()["generation"]
    page.wait_for_function(f"() => window.__tbLive && window.__tbLive.generation >= {generation}")
