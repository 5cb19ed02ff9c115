"""Speaker notes marked the reveal.js / reveal-md way (`Note:`) or the remark way (`???`): read as notes when
`notes_separator` says so; otherwise shown as before, with a warning that they may be notes shown to the audience."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support import shared

TALK = "---\ntitle: T\n{extra}---\n\n## One\n\nFoo\nNote: bar *baz*\n\n- after\n\n## Two\n\n```\nNote: in code\n```\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=120)


def slides(root: Path, slug: str) -> dict[str, tuple[str, str]]:
    """Each slide's id -> (text shown on it, text of its notes)."""
    page = BeautifulSoup((root / f"_site/{slug}/slides/index.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for section in page.select("section.slide"):
        notes = section.select_one("aside.notes")
        body = section.select_one(".tb-slide-body")
        found[section["id"]] = (" ".join(body.get_text(" ").split()) if body else "",
                                " ".join(notes.get_text(" ").split()) if notes else "")
    return found


def test_unset_the_line_stays_on_the_slide_and_is_warned_of_at_its_line(make_project) -> None:
    root = make_project({"talks/a.md": TALK.format(extra="")})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("talks/a.md:8: warning[notes-marker]: 'Note:' starts the speaker notes in reveal.js and reveal-md, but "
            "talkbuild shows this on the slide, to the audience (to read the rest of the slide as notes, set "
            "'notes_separator: \"Note:\"' in talkbuild.yml") in result.stderr
    assert result.stderr.count("notes-marker") == 1  # not the one in the code block
    assert slides(root, "a")["one"] == ("One Foo Note: bar baz after", "")
    assert run(root, "build", "--strict").returncode == 1


def test_the_site_setting_makes_the_rest_of_the_slide_notes(make_project) -> None:
    root = make_project({"talks/a.md": TALK.format(extra=""), "talkbuild.yml": 'notes_separator: "Note:"\n'})
    result = run(root, "build")
    assert result.returncode == 0 and "notes-marker" not in result.stderr, result.stderr
    shown = slides(root, "a")
    assert shown["one"] == ("One Foo", "bar baz after")
    assert shown["two"] == ("Two Note: in code", "")  # a Note: in code is code
    handout = (root / "_site/a/index.html").read_text(encoding="utf-8")
    assert "bar <em>baz</em>" in handout  # the handout keeps the notes, as it does a ::: notes block


def test_a_talk_can_set_its_own_marker_and_false_silences_the_warning(make_project) -> None:
    remark = "---\ntitle: R\nnotes_separator: '???'\n---\n\n## One\n\nShown\n\n???\n\nSaid aloud\n"
    plain = "---\ntitle: P\nnotes_separator: false\n---\n\n## One\n\nNote: this is part of the slide\n"
    other = "---\ntitle: O\n---\n\n## One\n\nNotes: left on the slide\n\n???\n"
    root = make_project({"talks/r.md": remark, "talks/p.md": plain, "talks/o.md": other})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert slides(root, "r")["one"] == ("One Shown", "Said aloud")
    assert slides(root, "p")["one"] == ("One Note: this is part of the slide", "")
    assert "talks/p.md" not in result.stderr and "talks/r.md" not in result.stderr
    assert "talks/o.md:7: warning[notes-marker]: 'Notes:' starts the speaker notes in reveal.js" in result.stderr
    assert "talks/o.md:9: warning[notes-marker]: '???' starts the speaker notes in remark" in result.stderr


@pytest.mark.parametrize(("where", "expected"), [
    ("talkbuild.yml", "talkbuild.yml:1: 'notes_separator' must be the text that starts the notes line"),
    ("talks/a.md", "talks/a.md:3: error[front-matter]: 'notes_separator' must be the text that starts the notes line"),
])
def test_a_setting_that_is_not_text_is_an_error_at_its_line(make_project, where: str, expected: str) -> None:
    files = {"talks/a.md": TALK.format(extra="notes_separator: [1, 2]\n" if where != "talkbuild.yml" else "")}
    if where == "talkbuild.yml":
        files["talkbuild.yml"] = "notes_separator: true\n"
    root = make_project(files)
    result = run(root, "build")
    assert result.returncode == (2 if where == "talkbuild.yml" else 1)
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_the_reveal_md_demo_of_the_corpus_keeps_its_notes_off_the_slides(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(shared("corpus", "webpro__reveal-md"), project / "talks")
    (project / "talkbuild.yml").write_text('notes_separator: "Note:"\n', encoding="utf-8")
    result = run(project, "build")
    assert result.returncode == 0 and "notes-marker" not in result.stderr, result.stderr
    deck = slides(project, "demo/a")
    assert all("Note:" not in shown and "test note" not in shown for shown, _notes in deck.values()), deck
    assert any(notes == "test note" for _shown, notes in deck.values()), deck
