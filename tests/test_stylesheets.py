"""A talk's own stylesheet, as reveal-md's front matter names it (`css: custom.css`): published, linked after the
theme's on the deck and the handout, and checked like the talk's other files."""

from __future__ import annotations

import re
from pathlib import Path

from talkbuild.build import BuildOptions, build
from talkbuild.check import check_project
from talkbuild.config import load_config

TALK = "---\ntitle: S\ncss: {css}\n---\n\n## One\n\nText.\n"


def stylesheets(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)


def test_a_talk_s_stylesheet_is_published_and_linked_last_on_its_deck_and_handout(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/course/s.md": TALK.format(css="[custom.css, ../shared/base.css]"),
                         "talks/course/custom.css": ".slide h2 { color: teal; }\n",
                         "talks/shared/base.css": "body { margin: 0; }\n", "talks/other.md": "# Other\n"})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    site = tmp_path / "site"
    assert (site / "course/custom.css").read_text() == ".slide h2 { color: teal; }\n"
    assert (site / "shared/base.css").exists()
    deck = stylesheets((site / "course/s/slides/index.html").read_text())
    handout = stylesheets((site / "course/s/index.html").read_text())
    assert deck[-2:] == ["../../../course/custom.css", "../../../shared/base.css"], deck
    assert "_talkbuild/deck.css" in deck[-3], "after the theme's own, so its rules win ties"
    assert handout[-2:] == ["../../course/custom.css", "../../shared/base.css"], handout
    assert not [d for d in result.diagnostics if d.code in ("unknown-key", "missing-file")], result.diagnostics
    assert "custom.css" not in (site / "other/index.html").read_text(), "only its own talk links it"


def test_a_missing_stylesheet_is_said_at_its_line_and_a_hidden_or_outside_one_is_refused(make_project,
                                                                                          tmp_path: Path) -> None:
    talk = "---\ntitle: S\ncss:\n  - gone.css\n  - [nested]\n---\n\n## One\n"
    root = make_project({"talks/s.md": talk})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    said = sorted((d.location.path, d.location.line, d.code) for d in result.diagnostics)
    assert said == [("talks/s.md", 4, "missing-file"), ("talks/s.md", 5, "front-matter-shape")], said
    checked = check_project(load_config(root))
    found = sorted((d.location.path, d.location.line, d.code) for d in checked.diagnostics if d.is_error)
    assert found == [("talks/s.md", 4, "broken-link")], "once, at the line of the front matter that names it"

    (root / "talks/s.md").write_text(talk.replace("[nested]", ".secret/x.css\n  - ../../outside.css"))
    (root / "talks/.secret").mkdir()
    (root / "talks/.secret/x.css").write_text("a {}\n")
    (root / "outside.css").write_text("a {}\n")
    checked = check_project(load_config(root))
    refused = sorted((d.location.line, d.code) for d in checked.diagnostics if d.code in ("hidden-file", "outside-talks"))
    assert refused == [(5, "hidden-file"), (6, "outside-talks")], checked.diagnostics


def test_a_stylesheet_linked_in_html_on_the_first_lines_makes_no_empty_slide(make_project, tmp_path: Path) -> None:
    talk = "---\ntitle: L\n---\n\n<link rel=\"stylesheet\" href=\"custom.css\">\n\n## One\n\nText.\n\n---\n\n<style>h2 { color: red; }</style>\n\n## Two\n"
    root = make_project({"talks/l.md": talk, "talks/custom.css": "a {}\n"})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/l/slides/index.html").read_text()
    assert re.findall(r'<section id="([^"]+)" class="slide', deck) == ["title", "one", "two"]
    assert '<link rel="stylesheet" href="../../custom.css">' in deck and (tmp_path / "site/custom.css").exists()
