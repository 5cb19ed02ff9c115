"""A talk without a title (Marp, reveal-md and remark talks have none) builds under its first heading, with a
warning that says how to name it; before, one such talk stopped the whole site from being written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from tests.support import shared


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=120)


def index_titles(root: Path) -> list[str]:
    page = BeautifulSoup((root / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    return [" ".join(a.get_text().split()) for a in page.select("main h2 a, main h3 a")]


def deck_title(root: Path, slug: str) -> str:
    page = BeautifulSoup((root / f"_site/{slug}/slides/index.html").read_text(encoding="utf-8"), "html.parser")
    return page.title.get_text() if page.title else ""


def test_a_marp_talk_is_named_by_its_first_heading_and_the_site_builds(make_project) -> None:
    root = make_project({
        "talks/marp.md": "---\nmarp: true\n---\n\n<!-- paginate: true -->\n\n# Robots **that** `move`\n\n---\n\n## Two\n",
        "talks/good.md": "---\ntitle: Good\n---\n\n## Fine\n",
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("talks/marp.md:1: warning[missing-title]: the talk has no title; it is shown under its first slide title, "
            "'Robots that move' (add 'title: Robots that move' to the front matter; if this file is not a talk, "
            "add it to 'exclude:' in talkbuild.yml)") in result.stderr
    assert "Robots that move" in deck_title(root, "marp")
    assert "Robots that move" in (root / "_site/index.html").read_text(encoding="utf-8")
    assert (root / "_site/good/slides/index.html").exists()


def test_without_front_matter_or_heading_the_file_name_is_the_title(make_project) -> None:
    root = make_project({"talks/demo/a.md": "Foo\n\n---\n\nBar\n"})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("talks/demo/a.md:1: warning[missing-title]: the talk has no title; it is shown under its file's name, 'a' "
            "(start the file with front matter: a line '---', then 'title: a', then '---';") in result.stderr
    assert "a" == deck_title(root, "demo/a").split(" ")[0]


def test_an_empty_title_is_reported_at_its_own_line(make_project) -> None:
    root = make_project({"talks/r.md": "---\nlayout: remark\ntitle:\n---\n\n# Loops\n"})
    result = run(root, "check", "--format", "github")
    assert ("::warning file=talks/r.md,line=3,title=talkbuild missing-title::the talk has no title; it is shown under its first "
            "slide title, 'Loops'") in result.stdout, result.stdout
    assert result.returncode == 0
    assert run(root, "check", "--strict").returncode == 1


def test_a_strict_build_refuses_an_untitled_talk_and_keeps_the_old_site(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n"})
    assert run(root, "build").returncode == 0
    before = (root / "_site/index.html").read_bytes()
    (root / "talks/b.md").write_text("# Untitled\n", encoding="utf-8")
    result = run(root, "build", "--strict")
    assert result.returncode == 1
    assert "talks/b.md:1: warning[missing-title]" in result.stderr
    assert (root / "_site/index.html").read_bytes() == before


def test_the_suggested_line_is_yaml_that_reads_back_as_the_title(make_project) -> None:
    # A heading with ': ', '#' or a leading quote is not a plain YAML value: the hint quotes it.
    headings = ["corpus-raw: sources", "C# and F# #1", "[draft] notes", "@home and away", "Plain title", "yes"]
    root = make_project({f"talks/t{i}.md": f"---\nmarp: true\n---\n\n# {h}\n" for i, h in enumerate(headings)})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    for i, heading in enumerate(headings):
        found = re.search(rf"^talks/t{i}\.md:1: warning\[missing-title\].*\(add '(title: .*)' to the front matter;",
                          result.stderr, re.M)
        assert found, result.stderr
        line = found.group(1)
        assert yaml.load(line, yaml.BaseLoader) == {"title": heading}, line  # noqa: S506 (BaseLoader: all text)
        path = root / f"talks/t{i}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("marp: true", line), encoding="utf-8")
    fixed = run(root, "build")
    assert fixed.returncode == 0 and "missing-title" not in fixed.stderr, fixed.stderr
    for i, heading in enumerate(headings):
        assert deck_title(root, f"t{i}").startswith(heading)


def test_the_marp_and_reveal_md_sites_of_the_corpus_build(tmp_path: Path) -> None:
    import shutil

    for repo in ("ryuichiueda__slides_marp", "webpro__reveal-md"):
        project = tmp_path / repo
        shutil.copytree(shared("corpus", repo), project / "talks")
        result = run(project, "build")
        assert result.returncode == 0, result.stderr
        assert "warning[missing-title]" in result.stderr


def test_the_title_comes_from_a_slide_heading_never_from_the_notes(make_project) -> None:
    root = make_project({
        "talks/t.md": "Intro\n\n::: notes\n# My private reminder\n:::\n\n## First slide<br>two\n\nx\n",
        "talks/p.md": "%\n% Ann\n% 2020-01-01\n\n# Real heading\n",
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert "it is shown under its first slide title, 'First slide two'" in result.stderr
    assert "My private reminder" not in (root / "_site/index.html").read_text(encoding="utf-8")
    # pandoc's title block with an empty title line is read (the author stays), and the fix is in its own form
    assert ("talks/p.md:1: warning[missing-title]: the talk has no title; it is shown under its first slide title, "
            "'Real heading' (write it on the first line: '% Real heading';") in result.stderr
    assert "Ann" in (root / "_site/p/index.html").read_text(encoding="utf-8")
    assert "% Ann" not in (root / "_site/p/slides/index.html").read_text(encoding="utf-8")


def test_a_heading_in_the_notes_after_a_marker_never_names_the_talk(make_project) -> None:
    root = make_project({"talks/r.md": "Intro text\n\n???\n\n### Remember to breathe\n\n---\n\n## Agenda<br>today\n\ny\n",
                         "talkbuild.yml": 'notes_separator: "???"\n'})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert "it is shown under its first slide title, 'Agenda today'" in result.stderr, result.stderr
    assert deck_title(root, "r").startswith("Agenda today")
    assert 'data-title="Agenda today"' in (root / "_site/r/slides/index.html").read_text(encoding="utf-8")
    assert "breathe" not in (root / "_site/index.html").read_text(encoding="utf-8")
