"""The demo talks the browser tests build, and helpers that read a deck's state from a page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
"""Screenshots for people to look at (git-ignored)."""
CURRENT = "#tb-stage > section.tb-current"
"""The showing slide (the presenter's preview copy is outside #tb-stage)."""
SHOWN_STEPS = f"document.querySelectorAll('{CURRENT} .fragment.tb-visible').length"

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


def current(page: Any) -> str:
    """The id of the visible slide."""
    return str(page.evaluate(f"document.querySelector('{CURRENT}').id"))


def visible_fragments(page: Any) -> int:
    return int(page.evaluate(SHOWN_STEPS))


def wait_ready(page: Any) -> None:
    page.wait_for_selector("html[data-tb-ready]", state="attached")


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF written by Chromium (it writes page objects uncompressed)."""
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
