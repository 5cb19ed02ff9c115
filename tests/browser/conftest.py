"""Fixtures for the browser suite: a built demo site, axe-core, and helpers to read the deck's state."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from decks import DEMO_TALK, OLDER_TALK, wait_ready
from support import require

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"

@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with the demo talk (talks/demo.md) and an older one; returns the output folder."""
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path_factory.mktemp("demo")
    (root / "talks").mkdir()
    (root / "talks" / "demo.md").write_text(DEMO_TALK, encoding="utf-8")
    (root / "talks" / "older.md").write_text(OLDER_TALK, encoding="utf-8")
    (root / "talkbuild.yml").write_text("title: Talks at the Engine Works\ndescription: Slides and handouts.\n")
    result = build(load_config(root))
    assert [t.slug for t in result.talks] == ["demo", "older"]
    return result.out_dir


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, installed from tests/browser/package.json with npm on first use."""
    # Test workers (pytest-xdist) may get here at once: one installs while the others wait on the lock.
    with open(HERE / ".npm-install.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not AXE.exists():
            npm = shutil.which("npm")
            require(npm, "npm is needed to install axe-core for the accessibility tests (apt-get install -y npm)")
            assert npm
            lock = HERE / "package-lock.json"
            subprocess.run([npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund"], cwd=HERE,
                           check=True, capture_output=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def deck(page: Any, demo_site: Path, static_server: Any) -> Any:
    """The demo deck opened at its first content slide (`#opening`), ready; it must not reach beyond 127.0.0.1.

    test_deck.py (the deck from its start) and test_deck_ids.py (decks of their own) define their own `deck`.
    """
    page.deck_url = static_server(demo_site) + "demo/slides/"
    page.goto(page.deck_url + "#opening")
    wait_ready(page)
    yield page
    assert page.outside_requests == []
