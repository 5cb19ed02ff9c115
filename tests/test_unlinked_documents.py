"""A speaker's slides left under talks/ without a talk (`talks/speaker-50/Keynote Final v3 (1).pdf`, no .md):
talkbuild publishes only what talks link, so the build says so at the file (`unlinked-document`), with the
Markdown that would publish it, and check reports it too."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TALK = "---\ntitle: {title}\n---\n\n## S\n\n{body}\n"
KEYNOTE = "talks/speaker-50/Keynote Final v3 (1).pdf"
PDF = b"%PDF-1.4\n%%EOF\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild", *args, "-C", str(root)], capture_output=True, text=True,
                          timeout=120)


def unlinked(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "unlinked-document" in line]


def test_a_talk_that_is_only_a_pdf_is_a_warning_at_the_file_whose_hint_publishes_it(make_project) -> None:
    root = make_project({"talks/speaker-01/index.md": TALK.format(title="Opening", body="x"), KEYNOTE: PDF})
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    assert unlinked(done.stderr) == [
        "talks/speaker-50/Keynote Final v3 (1).pdf: warning[unlinked-document]: 'Keynote Final v3 (1).pdf' is "
        "linked by no talk, so it is not published (to publish it, write a talk that links it: "
        "talks/speaker-50/index.md with a title in its front matter and the line "
        "[Slides (PDF)](<Keynote Final v3 (1).pdf>))"]
    assert not (root / "_site/speaker-50").exists()
    assert run(root, "build", "--strict").returncode != 0, "a warning fails --strict"
    # Do as the hint says: the talk it names, with the line it gives.
    line = re.search(r"the line (\[.*\]\(.*\))\)$", unlinked(done.stderr)[0]).group(1)  # type: ignore[union-attr]
    (root / "talks/speaker-50/index.md").write_text(TALK.format(title="Keynote", body=line), encoding="utf-8")
    done = run(root, "build", "--strict")
    assert done.returncode == 0 and unlinked(done.stderr) == [], done.stderr
    assert (root / "_site" / KEYNOTE.removeprefix("talks/")).read_bytes() == PDF
    handout = (root / "_site/speaker-50/index.html").read_text(encoding="utf-8")
    assert 'Keynote%20Final%20v3%20(1).pdf">Slides (PDF)</a>' in handout


def test_the_hint_names_the_talk_beside_the_file_and_a_plain_name_needs_no_brackets(make_project) -> None:
    root = make_project({"talks/speaker-02/intro.md": TALK.format(title="Intro", body="x"),
                         "talks/speaker-02/deck.PPTX": b"PK", "talks/handout.odp": b"PK"})
    assert unlinked(run(root, "build").stderr) == [
        "talks/handout.odp: warning[unlinked-document]: 'handout.odp' is linked by no talk, so it is not published "
        "(to publish it, write a talk that links it: talks/handout.md with a title in its front matter and the line "
        "[Slides (OpenDocument)](handout.odp))",
        "talks/speaker-02/deck.PPTX: warning[unlinked-document]: 'deck.PPTX' is linked by no talk, so it is not "
        "published (to publish it, link it from a talk: add [Slides (PowerPoint)](deck.PPTX) to "
        "talks/speaker-02/intro.md)"]


def test_pictures_linked_files_hidden_folders_and_excluded_ones_are_not_reported(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "exclude: [archive/]\n",
        "talks/a/index.md": TALK.format(title="A", body="[slides](slides.pdf) [other](../b/deck.key)"),
        "talks/a/slides.pdf": PDF, "talks/b/deck.key": b"k",
        "talks/c/index.md": "---\ntitle: C\ndraft: true\n---\n\n## S\n\n[old](old.ppt)\n", "talks/c/old.ppt": b"p",
        "talks/a/unused.png": b"\x89PNG", "talks/a/photo.jpg": b"\xff\xd8",
        "talks/_drafts/x.pdf": PDF, "talks/.cache/y.pdf": PDF, "talks/a/_z.pdf": PDF,
        "talks/archive/2019.pdf": PDF, "talks/archive/2019.md": TALK.format(title="Old", body="x"),
        "talks/d/reused.pdf": PDF,
    })
    done = run(root, "build")
    assert done.returncode == 0, done.stderr
    assert [line.split(":")[0] for line in unlinked(done.stderr)] == ["talks/d/reused.pdf"], done.stderr


def test_a_folder_whose_talk_failed_is_not_reported_since_its_links_are_unknown(make_project) -> None:
    root = make_project({"talks/a/index.md": "---\ntitle: [unclosed\n---\n\n## S\n\n[s](s.pdf)\n", "talks/a/s.pdf": PDF,
                         "talks/b/index.md": TALK.format(title="B", body="x"), "talks/b/t.pdf": PDF})
    done = run(root, "build")
    assert done.returncode == 1, done.stderr
    assert [line.split(":")[0] for line in unlinked(done.stderr)] == ["talks/b/t.pdf"]


def test_check_reports_it_and_it_can_be_ignored_for_a_folder(make_project) -> None:
    root = make_project({"talks/speaker-01/index.md": TALK.format(title="Opening", body="x"), KEYNOTE: PDF})
    done = run(root, "check")
    assert f"{KEYNOTE}\n      -  warning[unlinked-document] 'Keynote Final v3 (1).pdf' is linked by no talk, so it " \
           "is not published\n" in done.stdout + done.stderr, done.stdout + done.stderr
    (root / "talkbuild.yml").write_text('check:\n  per_file_ignores:\n    "talks/speaker-50/": [unlinked-document]\n',
                                        encoding="utf-8")
    done = run(root, "check", "--strict")
    out = done.stdout + done.stderr
    assert "warning[unlinked-document]" not in out and "1 ignored by check.per_file_ignores" in out, out
