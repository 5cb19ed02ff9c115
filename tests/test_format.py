"""The talk format, case by case, from tests/fixtures/format.txt (markdown-it-py's fixture style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkbuild.build import build
from talkbuild.config import load_config

FIXTURES = Path(__file__).parent / "fixtures" / "format.txt"


def read_cases() -> list[tuple[str, str, list[str]]]:
    lines = FIXTURES.read_text(encoding="utf-8").split("\n")
    cases = []
    i = 2
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"line {i + 2}: expected '.' after the title"
        j = lines.index(".", i + 2)
        body = "\n".join(lines[i + 2 : j])
        k = lines.index(".", j + 1)
        cases.append((title, body, lines[j + 1 : k]))
        i = k + 1
    return cases


@pytest.mark.parametrize(("title", "body", "expected"), read_cases(), ids=[c[0] for c in read_cases()])
def test_format(make_project, title: str, body: str, expected: list[str]) -> None:
    root = make_project({"talks/t.md": f"---\ntitle: T\n---\n\n{body}\n"})
    build(load_config(root))
    deck = (root / "_site/t/slides/index.html").read_text(encoding="utf-8")
    for fragment in expected:
        if fragment.startswith("!"):
            assert fragment[1:] not in deck, f"{title}: unexpected {fragment[1:]!r}"
        else:
            assert fragment in deck, f"{title}: missing {fragment!r}"


def test_a_system_error_without_a_file_is_said_once_without_a_traceback() -> None:
    import click
    from click.testing import CliRunner

    from talkbuild.cli_common import user_errors

    @click.command()
    @user_errors
    def full() -> None:
        raise OSError(28, "No space left on device")

    result = CliRunner().invoke(full, [])
    assert result.exit_code == 1 and result.stderr == "talkbuild: No space left on device\n"


def test_a_footnote_cited_on_two_slides_is_whole_on_each_and_check_passes(make_project) -> None:
    # Before: the plugin numbered citations across the talk: the second slide showed "[1:1]" and the first
    # slide's back-link led to an id on the second (check: missing-fragment in the handout).
    import subprocess
    import sys

    talk = "---\ntitle: Fn\nauthor: A\ndate: 2026-01-01\n---\n\n## One\n\nFirst[^s]\n\n## Two\n\nSecond[^s]\n\n[^s]: Shared.\n"
    root = make_project({"talks/a.md": talk})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "check", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    built = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    deck = (root / "_site/a/slides/index.html").read_text(encoding="utf-8")
    assert "[1:1]" not in deck and 'href="#fnref-one-1"' in deck and 'href="#fnref-two-1"' in deck
