"""`talkbuild pdf` in real headless Chromium: one page per slide, written from local files only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from decks import DEMO_SLIDES, DEMO_TALK, pdf_pages
from support import chromium, playwright_api

pytestmark = pytest.mark.browser


def test_pdf_command_writes_one_page_per_slide(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    playwright_api()
    root = make_project({"talks/demo.md": DEMO_TALK})
    out = tmp_path / "deck.pdf"
    # A process of its own: Playwright's sync API cannot start inside the session browser's event loop.
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "talks/demo.md", "-o", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"({len(DEMO_SLIDES)} pages)" in run.stdout
    assert pdf_pages(out.read_bytes()) == len(DEMO_SLIDES)


def test_pdf_names_a_slide_it_cuts_off_and_only_this_talks_warnings(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    long_list = "".join(f"- item {i}\n" for i in range(80))
    root = make_project({"talks/t.md": f"---\ntitle: T\n---\n\n## Short\n\nfine\n\n## Long {{#long}}\n\n{long_list}",
                         "talks/other.md": "---\ntitle: O\n---\n\n## S\n\n[gone](missing.md)\n"})
    out = tmp_path / "t.pdf"
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "t", "-o", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "talks/t.md:9: warning[overfull-slide]: slide 'long' does not fit its page even at half its text size: "
        "the PDF cuts it off (split it into two slides, or shorten it)"]
    assert pdf_pages(out.read_bytes()) == 3


def test_pdf_of_a_deck_without_its_stage_says_why_at_once(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    from talkbuild.themes import builtin_themes_dir

    deck = (builtin_themes_dir() / "default" / "templates" / "deck.html").read_text()
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## One\n\nfine\n", "talkbuild.yml": "theme: my\n",
                         "themes/my/templates/deck.html": deck.replace('id="tb-stage"', 'id="stage"')})
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "t", "-o", str(tmp_path / "t.pdf")]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines[0].startswith("themes/my/templates/deck.html:") and "warning[theme-hook]" in lines[0]
    assert 'the deck has no element with id="tb-stage"' in lines[-1]
    assert not (tmp_path / "t.pdf").exists()


def pdf_links(data: bytes) -> list[str]:
    import re

    return [m.decode() for m in re.findall(rb"/URI\s*\(([^)]*)\)", data)]


def test_pdf_links_lead_to_the_published_site_never_to_this_machine(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A teacher's PDF, mailed to students, linked to file:///home/teacher/course/_site/...: dead, and showing
    # the teacher's folders. The shell's forms of a talk's path (a folder talk, no .md) were refused too.
    chromium()
    root = make_project({
        "talks/week01/lab/index.md": "---\ntitle: Lab\n---\n\n## One\n\nSee [testing](../../week02/testing.md#why) "
                                     "and [the web](https://example.org/x).\n",
        "talks/week02/testing.md": "---\ntitle: Testing\n---\n\n## Why {#why}\n\nx\n",
    })
    for name, written in (("a", "talks/week01/lab"), ("b", "talks/week01/lab/"), ("c", "talks/week02/testing")):
        out = tmp_path / f"{name}.pdf"
        run = subprocess.run([sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), written, "-o", str(out)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, (written, run.stderr)
    assert pdf_links((tmp_path / "a.pdf").read_bytes()) == ["https://example.org/x"]
    (root / "talkbuild.yml").write_text("publish:\n  public_url: https://teach.example.org/comp101\n", encoding="utf-8")
    out = tmp_path / "d.pdf"
    run = subprocess.run([sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "week01/lab", "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    links = pdf_links(out.read_bytes())
    assert "https://teach.example.org/comp101/week02/testing/index.html#why" in links, links
    assert not any(link.startswith("file:") for link in links), links


def test_pdf_without_a_browser_is_a_setup_error_not_a_content_one(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    playwright_api()
    root = make_project({"talks/t.md": "---\ntitle: T\n---\n\n## One\n\nfine\n"})
    env = {**os.environ, "TALKBUILD_CHROMIUM": str(tmp_path / "no-such-chrome")}
    run = subprocess.run([sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "t", "-o", str(tmp_path / "t.pdf")],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 2, run.stderr  # 1 is for problems in the talks (README)
    assert "cannot start headless Chromium" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "t.pdf").exists()


def test_pdf_never_prints_a_local_file_from_outside_the_built_site(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium()
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_SECRET=HUNTER2-PDF-LEAK\n")
    root = make_project({"talks/p.md": f'---\ntitle: P\n---\n\n## Leak\n\n<iframe src="{secret.as_uri()}" width="800" '
                                       f'height="200"></iframe>\n\n<object data="{secret.as_uri()}" type="text/plain">'
                                       "</object>\n\n![a picture of the site](pic.png)\n",
                         "talks/pic.png": b"\x89PNG\r\n\x1a\n"})
    out = tmp_path / "p.pdf"
    command = [sys.executable, "-m", "talkbuild.cli", "pdf", "-C", str(root), "p", "-o", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"the deck asked for {secret.as_uri()}; refused" in run.stderr
    assert "pic.png" not in run.stderr, "the site's own files still load"
