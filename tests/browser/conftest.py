"""Fixtures for the browser suite: a built demo site, axe-core, and helpers to read the deck's state."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support import require

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"

DEMO_TALK = """\
---
title: Steps, Notes and Sections
subtitle: Everything the deck viewer has to handle
author: [Ada Lovelace, Grace Hopper]
institution: Analytical Engines Ltd
date: 2024-03-01
duration: 10
tags: [demo, accessibility]
lang: en-GB
---

Opening
=======

::: notes
Welcome everyone.
:::

Build steps
-----------

::: incremental
- first point
- second point
- third point
:::

::: notes
Say **first**, then second, then third.
:::

Pauses
------

Before the pause.

. . .

After the pause, with math: $e^{i\\pi} + 1 = 0$.

---

An untitled slide with code:

```python
def double(x: int) -> int:
    return x * 2  # twice as much
```

Details
=======

Last slide {#the-end}
----------

Thanks. See [the first steps](#build-steps).
"""

OLDER_TALK = """\
---
title: An Older Talk
author: Charles Babbage
institution: Difference Engines
date: 2019-05-18
tags: [history]
---

Only slide
----------

Hello.
"""

DEMO_SLIDES = ["title", "opening", "build-steps", "pauses", "slide-5", "details", "the-end"]
"""The deck's slide ids in order (the untitled slide is the fifth)."""


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
    if not AXE.exists():
        npm = shutil.which("npm")
        require(npm, "npm is needed to install axe-core for the accessibility tests (apt-get install -y npm)")
        assert npm
        lock = HERE / "package-lock.json"
        subprocess.run([npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund"], cwd=HERE,
                       check=True, capture_output=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


def current(page: Any) -> str:
    """The id of the visible slide."""
    return str(page.evaluate("document.querySelector('#tb-stage > section.tb-current').id"))


def visible_fragments(page: Any) -> int:
    return int(page.evaluate("document.querySelectorAll('#tb-stage > section.tb-current .fragment.tb-visible').length"))


def wait_ready(page: Any) -> None:
    page.wait_for_selector("html[data-tb-ready]", state="attached")


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF written by Chromium (it writes page objects uncompressed)."""
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
