"""git's conflict markers left in a talk or talkbuild.yml: one error at the `<<<<<<<` line, never published."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from support import shared

from talkbuild.frontmatter import split_source
from talkbuild.incremental import TALKS, Builder

OURS, BASE, MIDDLE, THEIRS = "<" * 7, "|" * 7, "=" * 7, ">" * 7
"""git diff --check would call this file conflicted if it held the markers at the start of a line."""

CONFLICTED = f"""---
title: Conflict demo
author: A
date: 2025-01-01
---

## Results {{#results}}

{OURS} HEAD
Results (colleague): 42.
{MIDDLE}
Results (mine): 43.
{THEIRS} ec0758c (my edits)

## Plan

{OURS} HEAD
* step one
{BASE} base
* step
{MIDDLE}
* step 1
{THEIRS} ec0758c (my edits)
"""
GOOD = CONFLICTED.split("<<<<<<<")[0] + "Results: 42.\n"
LESSON = f"""---
title: Git lesson
author: A
date: 2025-01-01
---

Conflicts
=========

## What git writes

```
{OURS} HEAD
mine
{MIDDLE}
theirs
{THEIRS} other
```

    {OURS} HEAD
    indented code too
    {THEIRS} other
"""
HINT = "delete the <<<<<<<, ======= and >>>>>>> lines"


def talkbuild(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild", *args, "-C", str(root)], capture_output=True,
                          text=True, timeout=120)


def test_each_conflict_in_a_talk_is_an_error_at_its_first_marker(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/t.md": GOOD})
    assert talkbuild(root, "build").returncode == 0
    before = (root / "_site/t/index.html").read_bytes()
    (root / "talks/t.md").write_text(CONFLICTED, encoding="utf-8")
    done = talkbuild(root, "check", "--format", "json")
    assert done.returncode == 1
    found = [(d["line"], d["code"], d["message"]) for d in json.loads(done.stdout)]
    assert found == [
        (9, "merge-conflict", "unresolved merge conflict (lines 9–13): both versions are in the talk"),
        (17, "merge-conflict", "unresolved merge conflict (lines 17–23): both versions are in the talk")]
    built = talkbuild(root, "build")
    assert built.returncode == 1 and "talks/t.md:9: error[merge-conflict]" in built.stderr and HINT in built.stderr
    assert (root / "_site/t/index.html").read_bytes() == before  # nothing of the conflict is published


def test_markers_in_code_and_setext_headings_are_the_talks_own(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/lesson.md": LESSON})
    done = talkbuild(root, "check")
    assert done.returncode == 0, done.stdout
    assert "merge-conflict" not in done.stdout
    assert talkbuild(root, "build").returncode == 0
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; HEAD" in (root / "_site/lesson/index.html").read_text(encoding="utf-8")


def test_a_conflict_never_closed_is_reported_from_its_start(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/t.md": GOOD + "\n<<<<<<< HEAD\nmine\n=======\n"})
    done = talkbuild(root, "build")
    assert done.returncode == 1
    assert "talks/t.md:11: error[merge-conflict]: unresolved merge conflict (from line 11)" in done.stderr


def test_a_conflict_in_the_front_matter_is_named_as_such() -> None:
    read = split_source("---\n<<<<<<< HEAD\ntitle: Colleague's\n=======\ntitle: Mine\n>>>>>>> ec0758c (edits)\n"
                        "author: A\ndate: 2025-01-01\n---\n\n## A\n\nx\n", "talks/t.md")
    errors = [d for d in read.diagnostics if d.is_error]
    assert [(d.code, d.location.line, d.message) for d in errors] == [
        ("merge-conflict", 2, "unresolved merge conflict (lines 2–6): both versions are in the front matter")]
    assert errors[0].hint and HINT in errors[0].hint and "quote" not in errors[0].hint


def test_a_conflict_in_talkbuild_yml_is_a_usage_error_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/t.md": GOOD,
                         "talkbuild.yml": "title: X\n<<<<<<< HEAD\ntheme: a\n=======\ntheme: b\n>>>>>>> x\n"})
    done = talkbuild(root, "build")
    assert done.returncode == 2
    assert "talkbuild.yml:2: unresolved merge conflict (lines 2–6): both versions are in talkbuild.yml" in done.stderr
    assert not (root / "_site").exists()


def test_serve_keeps_the_last_good_pages_of_a_conflicted_talk(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/t.md": GOOD})
    builder = Builder(root)
    good = builder.build()
    (root / "talks/t.md").write_text(CONFLICTED, encoding="utf-8")
    conflicted = builder.build(frozenset({TALKS}))
    assert [(e.code, str(e.location)) for e in conflicted.errors] == [
        ("merge-conflict", "talks/t.md:9"), ("merge-conflict", "talks/t.md:17")]
    assert conflicted.files["t/slides/index.html"] == good.files["t/slides/index.html"]


def test_the_corpus_lesson_on_version_control_has_no_conflict(make_project: Callable[..., Path]) -> None:
    """A real talk that shows git's markers in a code block (UCL's research software lessons)."""
    lesson = shared("corpus", "UCL__rsd-talks", "technical", "version_control.md")
    root = make_project({"talks/vc.md": lesson.read_bytes()})
    done = talkbuild(root, "check", "--format", "json")
    assert "merge-conflict" not in {d["code"] for d in json.loads(done.stdout)}


def test_a_conflict_around_the_front_matter_is_the_only_finding(make_project: Callable[..., Path]) -> None:
    """No `missing-title` whose hint says `title: <<<<<<< HEAD`, no `no-author`: the conflict comes first."""
    root = make_project({"talks/t.md": f"{OURS} HEAD\n---\ntitle: A\n---\n{MIDDLE}\n---\ntitle: B\n---\n{THEIRS} x\n\n## S\n"})
    done = talkbuild(root, "check", "--format", "json")
    assert [(d["code"], d["line"]) for d in json.loads(done.stdout)] == [("merge-conflict", 1)]
