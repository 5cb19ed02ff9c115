"""`talkbuild new`: start a talk from a template that shows the format."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from .errors import ConfigError, TalkbuildError

TEMPLATE = """---
title: {title}
author: {author}
date: {date}
duration: 20
---

First section
=============

A slide
-------

* A point
* Another point

::: notes
What to say here: the audience sees none of this.
:::

Code
----

``` python
print("hello")
```
"""


def new_talk(talks_dir: Path, path: str, *, title: str | None = None, author: str = "Your Name",
             today: datetime.date | None = None) -> Path:
    """Create `talks/<path>.md` (or `<path>/index.md` when path ends with '/'); never overwrite."""
    rel = path.strip()
    if not rel or rel.startswith("/") or ".." in Path(rel).parts:
        raise ConfigError(f"'{path}' is not a path inside talks/", hint="for example: talkbuild new 2026/my-talk")
    target = talks_dir / (rel + "index.md" if rel.endswith("/") else rel if rel.endswith(".md") else rel + ".md")
    if target.exists():
        raise TalkbuildError(f"{target} already exists", hint="choose another path")
    name = Path(rel.rstrip("/")).name.removesuffix(".md")
    # JSON strings are valid YAML scalars: a title or name with ': ' or '#' stays text.
    text = TEMPLATE.format(title=json.dumps(title or name.replace("-", " ").replace("_", " ").capitalize(), ensure_ascii=False),
                           author=json.dumps(author, ensure_ascii=False), date=(today or datetime.date.today()).isoformat())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
