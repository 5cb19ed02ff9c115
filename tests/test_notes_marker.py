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


def test_another_tools_marker_is_still_warned_of_when_a_separator_is_set(make_project) -> None:
    # The trial's mixed site: with notes_separator "???", a reveal-md talk's Note: went to the audience silently.
    talk = "---\ntitle: R\n---\n\n## S\n\nvisible\n\nNote: private\n\n## T\n\nshown\n\nNotes: cut too\n"
    root = make_project({"talks/r.md": talk, "talkbuild.yml": 'notes_separator: "???"\n'})
    result = run(root, "build")
    assert ("talks/r.md:9: warning[notes-marker]: 'Note:' starts the speaker notes in reveal.js and reveal-md, but "
            "talkbuild shows this on the slide, to the audience (this talk's notes start at a line '???' "
            "(notes_separator): write that instead") in result.stderr, result.stderr
    (root / "talkbuild.yml").write_text('notes_separator: "Note:"\n', encoding="utf-8")
    result = run(root, "build")
    assert "notes-marker" not in result.stderr, result.stderr
    assert slides(root, "r")["t"] == ("T shown", "cut too")  # reveal.js's notes?: takes Notes: too


def test_a_marker_inside_a_list_or_quote_is_warned_of_with_the_blank_line_fix(make_project) -> None:
    talk = "---\ntitle: L\nnotes_separator: 'Note:'\n---\n\n## S\n\n- item 1\n- item 2\nNote: private\n\n> q\nNote: x\n"
    root = make_project({"talks/l.md": talk})
    result = run(root, "build")
    lines = [line for line in result.stderr.splitlines() if "notes-marker" in line]
    assert [line.split(": warning")[0] for line in lines] == ["talks/l.md:10", "talks/l.md:13"], result.stderr
    assert all("it is inside a list, a quote or a block, where it does not start the notes: leave a blank line "
               "before it" in line for line in lines)
    fixed = talk.replace("- item 2\nNote:", "- item 2\n\nNote:")
    (root / "talks/l.md").write_text(fixed, encoding="utf-8")
    assert run(root, "build").returncode == 0
    assert slides(root, "l")["s"] == ("S item 1 item 2", "private q Note: x")


@pytest.mark.parametrize(("written", "reads_as"), [('"^Note:"', "Note:"), ('"notes?:"', "Note:"), ("'???'", "???")])
def test_reveal_md_regular_expressions_that_mean_a_line_start_are_read(make_project, written: str,
                                                                       reads_as: str) -> None:
    root = make_project({"talks/a.md": f"---\ntitle: A\n---\n\n## S\n\nshown\n\n{reads_as} said\n",
                         "talkbuild.yml": f"notes_separator: {written}\n"})
    assert run(root, "build").returncode == 0
    assert slides(root, "a")["s"] == ("S shown", "said")


@pytest.mark.parametrize(("written", "message"), [
    ('"---"', "a line that starts with it is not a paragraph in Markdown"),
    ('"##"', "a line that starts with it is not a paragraph in Markdown"),
    ('"- "', "a line that starts with it is not a paragraph in Markdown"),
    ('"<!-- notes -->"', "a line that starts with it is not a paragraph in Markdown"),
    ('"Note[s]*:"', "not a regular expression"),
    ("5", "must be the text that starts the notes line"),
])
def test_a_separator_that_could_never_start_the_notes_is_refused(make_project, written: str, message: str) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n", "talkbuild.yml": f"notes_separator: {written}\n"})
    result = run(root, "build")
    assert result.returncode == 2 and "talkbuild.yml:1:" in result.stderr and message in result.stderr, result.stderr


def test_a_footnote_cited_only_in_the_notes_stays_in_the_notes(make_project) -> None:
    talk = ("---\ntitle: R\nnotes_separator: 'Note:'\n---\n\n## S\n\nvisible[^pub]\n\nNote: see[^priv]\n\n"
            "[^priv]: private footnote\n[^pub]: public one\n")
    root = make_project({"talks/r.md": talk})
    assert run(root, "build").returncode == 0
    shown, notes = slides(root, "r")["s"]
    assert "public one" in shown and "private footnote" not in shown
    assert "private footnote" in notes


def test_reveal_md_and_marp_front_matter_keys_get_advice_not_a_wrong_did_you_mean(make_project) -> None:
    talk = "---\ntitle: C\nseparator: <!--s-->\nmarp: true\n---\n\nFoo\n"
    root = make_project({"talks/c.md": talk})
    result = run(root, "build")
    assert ("talks/c.md:3: warning[unknown-key]: unknown front matter key 'separator' (reveal-md's slide separators "
            "are not read: talkbuild starts a slide at a '---' line") in result.stderr
    assert "notes_separator'?" not in result.stderr and "'marp'" not in result.stderr


def test_notes_from_a_marker_and_from_a_notes_block_keep_the_order_they_are_written_in(make_project) -> None:
    talk = ("---\ntitle: R\nnotes_separator: 'Note:'\n---\n\n## S\n\n::: notes\nzero\n:::\n\nshown\n\nNote: first\n\n"
            "::: notes\nsecond\n:::\n")
    root = make_project({"talks/r.md": talk})
    assert run(root, "build").returncode == 0
    assert slides(root, "r")["s"] == ("S shown", "zero first second")


def test_a_list_item_or_quote_that_starts_with_note_and_a_comment_are_not_notes_markers(make_project) -> None:
    # reveal.js cuts at a line that starts with Note:; '- Note: ...' is a list item there too, and a comment is not
    # shown. Before, these were warned of, and a plain talk that passed --strict failed it.
    talk = ("---\ntitle: P\nauthor: A\ndate: 2026-01-01\n---\n\n## Caveats\n\n- Note: the API changed in v2\n\n"
            "> Note: quoted from the manual\n\n<!--\nNote: a reminder Marp keeps for the presenter\n-->\n")
    root = make_project({"talks/p.md": talk})
    result = run(root, "build", "--strict")
    assert result.returncode == 0 and "notes-marker" not in result.stderr, result.stderr


def test_a_separator_that_ends_in_a_letter_must_end_a_word(make_project) -> None:
    talk = "---\ntitle: N\nnotes_separator: Note\n---\n\n## T\n\nNotebooks are great\n\n## S\n\nShown\n\nNote that x\n"
    root = make_project({"talks/n.md": talk})
    assert run(root, "build").returncode == 0
    deck = slides(root, "n")
    assert deck["t"] == ("T Notebooks are great", "")
    assert deck["s"] == ("S Shown", "that x")


def test_reveal_md_keys_in_talkbuild_yml_get_the_same_advice(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n", "talkbuild.yml": 'separator: "^---$"\n'})
    result = run(root, "build")
    assert result.returncode == 2
    assert ("talkbuild.yml:1: unknown key 'separator' (reveal-md's slide separators are not read" in result.stderr
            and "notes_separator'?" not in result.stderr), result.stderr


def test_a_pause_followed_only_by_notes_makes_no_empty_step(make_project) -> None:
    # The trial: '. . .' then a Note: line (or a ::: notes block) left a last step that showed nothing.
    talk = ("---\ntitle: P\nnotes_separator: 'Note:'\n---\n\n## S\n\nshown\n\n. . .\n\nNote: said aloud\n\n"
            "## T\n\nshown\n\n. . .\n\n::: notes\nsaid\n:::\n\n## U\n\nfirst\n\n. . .\n\nsecond\n")
    root = make_project({"talks/p.md": talk})
    assert run(root, "build").returncode == 0
    page = BeautifulSoup((root / "_site/p/slides/index.html").read_text(encoding="utf-8"), "html.parser")
    steps = {s["id"]: s["data-fragments"] for s in page.select("section.slide")}
    assert steps["s"] == "0" and steps["t"] == "0" and steps["u"] == "1", steps
    assert slides(root, "p")["s"] == ("S shown", "said aloud")


def test_a_notes_block_inside_columns_is_notes_too(make_project) -> None:
    # Before: hidden on the deck by CSS, missing from the presenter's notes, and shown as text in the handout.
    talk = ("---\ntitle: C\n---\n\n## S\n\n:::: columns\n::: column\nleft\n\n::: notes\nsaid in the left column\n:::\n"
            ":::\n::: column\nright\n:::\n::::\n")
    root = make_project({"talks/c.md": talk})
    assert run(root, "build").returncode == 0
    assert slides(root, "c")["s"] == ("S left right", "said in the left column")
