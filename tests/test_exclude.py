"""`exclude:` reads its patterns as .gitignore lines (as MkDocs' exclude_docs does), keeps what earlier
patterns matched, and warns about a pattern that matches nothing (a typo would publish the drafts)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TALK = "---\ntitle: {title}\n---\n\n## S\n\nHello.\n"
FILES = ["README.md", "groups/README.md", "groups/physics/README.md", "drafts/wip.md", "drafts/deep/wip2.md",
         "archive/old-2015.md", "archive/keep-2015.md", "archive/nested/old-2014.md", "talk.md", "x/drafts/y.md"]

CASES: dict[str, tuple[list[str], set[str]]] = {
    "folder with slash": (["drafts/"], {"drafts/wip.md", "drafts/deep/wip2.md", "x/drafts/y.md"}),
    "folder name": (["drafts"], {"drafts/wip.md", "drafts/deep/wip2.md", "x/drafts/y.md"}),
    "anchored folder": (["/drafts/*"], {"drafts/wip.md", "drafts/deep/wip2.md"}),
    "dot slash": (["./drafts/*"], {"drafts/wip.md", "drafts/deep/wip2.md"}),
    "documented drafts/*": (["drafts/*"], {"drafts/wip.md", "drafts/deep/wip2.md"}),
    "README at any depth": (["README.md"], {"README.md", "groups/README.md", "groups/physics/README.md"}),
    "only the top README": (["/README.md"], {"README.md"}),
    "double star README": (["**/README.md"], {"README.md", "groups/README.md", "groups/physics/README.md"}),
    "earlier */README.md": (["*/README.md"], {"groups/README.md", "groups/physics/README.md"}),
    "prefix in a folder": (["archive/old-*"], {"archive/old-2015.md"}),
    "prefix at any depth": (["archive/**/old-*"], {"archive/old-2015.md", "archive/nested/old-2014.md"}),
    "negation takes back": (["drafts/", "!drafts/wip.md"], {"drafts/deep/wip2.md", "x/drafts/y.md"}),
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("patterns, left_out", CASES.values(), ids=CASES.keys())
def test_exclude_patterns_read_as_gitignore_lines(patterns: list[str], left_out: set[str]) -> None:
    from talkbuild.exclude import compile_rules, excluded

    rules = compile_rules(tuple(patterns))
    assert {rel for rel in FILES if excluded(rules, rel)} == left_out


def test_excluded_talks_are_not_published_and_an_unused_pattern_is_reported_with_its_line(make_project) -> None:
    config = 'title: T\nexclude:\n  - drafts/\n  - "README.md"\n  - archive/olds-*\n'
    root = make_project({"talkbuild.yml": config, **{f"talks/{rel}": TALK.format(title=rel) for rel in FILES}})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "_site"
    assert not (site / "drafts").exists() and not (site / "x/drafts").exists()
    assert not (site / "groups/physics/README").exists() and not (site / "README").exists()
    assert (site / "archive/old-2015/index.html").is_file()
    assert ("talkbuild.yml:5: warning[exclude-unused]: the exclude pattern 'archive/olds-*' matches no Markdown "
            "file under the talks folder") in result.stderr
    assert "talkbuild.yml:3" not in result.stderr and "talkbuild.yml:4" not in result.stderr
    strict = run(root, "build", "--strict")
    assert strict.returncode == 1


def test_a_flow_list_reports_the_unused_pattern_on_its_line(make_project) -> None:
    root = make_project({"talkbuild.yml": 'title: T\n\nexclude: ["drafts/*", "nothing/"]\n',
                         "talks/a.md": TALK.format(title="A"), "talks/drafts/b.md": TALK.format(title="B")})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert "talkbuild.yml:3: warning[exclude-unused]: the exclude pattern 'nothing/'" in result.stderr
    assert "'drafts/*' matches no" not in result.stderr


# --- patterns from a hostile talkbuild.yml (a pull request can change it) ----------------------------------

DEEP = "/".join(["a"] * 20) + "/" + "a" * 30 + ".md"
"""A talk 20 folders down: as backtracking regexes, the patterns below tried every way to split this path."""
HOSTILE = {
    "stars": ("*a" * 25 + "b", "*a" * 25 + "*"),
    "double stars": ("**/" * 20 + "b", "**/" * 20 + "a*.md"),
    "folders of stars": ("*a/" * 20 + "*b", "*a/" * 20 + "*.md"),
    "classes and stars": ("[a]*" * 20 + "b", "[a]*" * 20 + ".md"),
}


@pytest.mark.timeout(60)  # a hang guard: these took hours before (n=12 `**/` took 57 s)
@pytest.mark.parametrize("missing, matching", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_patterns_are_matched_in_polynomial_time(missing: str, matching: str) -> None:
    from talkbuild.exclude import compile_rules, excluded

    for pattern in (missing, "/" + missing, missing + "/", "!" + missing):
        assert excluded(compile_rules((pattern,)), DEEP) is None, pattern
    assert excluded(compile_rules((matching,)), DEEP) is not None
    assert excluded(compile_rules(("/" + matching,)), DEEP) is not None


@pytest.mark.timeout(60)
def test_a_deep_tree_with_a_hostile_pattern_still_builds(make_project) -> None:
    deeper = "/".join(["a"] * 200) + "/" + "a" * 30 + ".md"
    config = 'title: T\nexclude:\n  - "' + "*a" * 25 + 'b"\n  - "' + "**/" * 20 + 'b"\n'
    root = make_project({"talkbuild.yml": config, f"talks/{DEEP}": TALK.format(title="Deep"),
                         f"talks/{deeper}": TALK.format(title="Deeper")})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert (root / "_site" / DEEP.removesuffix(".md") / "index.html").is_file()
    assert "talkbuild.yml:3: warning[exclude-unused]" in result.stderr
    assert "talkbuild.yml:4: warning[exclude-unused]" in result.stderr


def test_a_class_of_no_character_matches_nothing_and_is_reported(make_project) -> None:
    # `[z-a]` was handed to Python's re as it stood, and its "bad character range" ended the build in a traceback.
    root = make_project({"talkbuild.yml": 'title: T\nexclude: ["[z-a].md", "drafts/"]\n',
                         "talks/a.md": TALK.format(title="A"), "talks/drafts/b.md": TALK.format(title="B")})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "talkbuild.yml:2: warning[exclude-unused]: the exclude pattern '[z-a].md'" in result.stderr
    assert (root / "_site" / "a" / "index.html").is_file() and not (root / "_site" / "drafts").exists()


CLASSES: dict[str, tuple[str, set[str]]] = {
    "a class": ("archive/[ko]*-2015.md", {"archive/old-2015.md", "archive/keep-2015.md"}),
    "a negated class": ("archive/[!o]*", {"archive/keep-2015.md", "archive/nested/old-2014.md"}),
    # ... and so does `^`; earlier versions' fnmatch read `[^o]` as "'^' or 'o'", and what it matched stays matched.
    "a caret negates too": ("archive/[^o]*", {"archive/keep-2015.md", "archive/nested/old-2014.md",
                                              "archive/old-2015.md"}),
    "a range": ("archive/*-20[0-1][5-9].md", {"archive/old-2015.md", "archive/keep-2015.md"}),
    "an escaped star": ("x/\\*.md", set()),
    "a question mark is one character": ("group?/", {"groups/README.md", "groups/physics/README.md"}),
    # A folder pattern has no fnmatch form: there `?` stops at a slash (fnmatch's `?`, like its `*`, did not).
    "a question mark stops at a slash": ("groups?physics/", set()),
}


@pytest.mark.parametrize("pattern, left_out", CLASSES.values(), ids=CLASSES.keys())
def test_classes_and_escapes(pattern: str, left_out: set[str]) -> None:
    from talkbuild.exclude import compile_rules, excluded

    rules = compile_rules((pattern,))
    assert {rel for rel in FILES if excluded(rules, rel)} == left_out
