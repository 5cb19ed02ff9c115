"""A deck's shape (`ratio: 4:3`, Marp's `size: 4:3`) and numbered slides (`slide_numbers: true`), in front matter
and talkbuild.yml: read as written, a bad value an error at its line with a hint, and what deck.html is given."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkbuild.cli import main
from talkbuild.frontmatter import split_source
from talkbuild.ratio import Ratio, read_ratio

Project = Callable[..., Path]


def meta(front: str):  # type: ignore[no-untyped-def]
    return split_source(f"---\ntitle: T\n{front}---\n\n## S\n", "talks/t.md")


@pytest.mark.parametrize("written, shape", [("16:9", (16, 9)), ("4:3", (4, 3)), ("'16:10'", (16, 10)),
                                            ("3:2", (3, 2)), ("1:1", (1, 1)), ("16/10", (16, 10)), ("9:16", (9, 16))])
def test_a_ratio_is_read_as_written_not_as_yaml_1_1_sexagesimal(written: str, shape: tuple[int, int]) -> None:
    parts = meta(f"ratio: {written}\n")  # unquoted 16:9 is the number 969 to YAML 1.1
    assert parts.meta.ratio == Ratio(*shape) and not parts.diagnostics
    assert "ratio" not in parts.meta.extra  # a key of its own now, not passed through for themes


@pytest.mark.parametrize("written, message", [
    ("1.5", "'ratio' must be a slide's width:height, not '1.5'"),
    ("wide", "'ratio' must be a slide's width:height, not 'wide'"),
    ("1920:1080", "'ratio' '1920:1080' must be two whole numbers from 1 to 100 (say 16:9)"),
    ("0:1", "'ratio' '0:1' must be two whole numbers from 1 to 100"),
    ("10:1", "'ratio' '10:1' is too long a slide"),
])
def test_a_bad_ratio_is_an_error_at_its_line_with_a_hint(written: str, message: str) -> None:
    problems = [d for d in meta(f"author: A\nratio: {written}\n").diagnostics if d.code == "front-matter"]
    assert len(problems) == 1 and problems[0].location.line == 4, problems
    assert problems[0].message.startswith(message) and "ratio: 4:3" in (problems[0].hint or "")


def test_marps_size_is_the_ratio_of_a_marp_talk_only() -> None:
    assert meta("marp: true\nsize: 4:3\n").meta.ratio == Ratio(4, 3)
    assert meta("marp: true\nsize: 4:3\nratio: 16:10\n").meta.ratio == Ratio(16, 10)  # talkbuild's own key wins
    odd = meta("marp: true\nsize: A4\n")  # a Marp theme's own size: no error in Marp, so none here
    assert odd.meta.ratio is None and [(d.code, d.location.line) for d in odd.diagnostics] == [("unknown-size", 4)]
    plain = meta("size: 4:3\n")
    assert plain.meta.ratio is None
    assert [(d.code, d.hint) for d in plain.diagnostics] == [
        ("unknown-key", "Marp's slide size is read only in a Marp talk (marp: true); talkbuild's key is ratio: ratio: 4:3")]


def test_slide_numbers_is_true_or_false() -> None:
    assert meta("slide_numbers: yes\n").meta.slide_numbers is True
    assert meta("").meta.slide_numbers is None  # the site's setting
    bad = [d for d in meta("slide_numbers: every\n").diagnostics if d.code == "front-matter"]
    assert [(d.location.line, d.message) for d in bad] == [(3, "'slide_numbers' must be true or false, not 'every'")]


def test_read_ratio_refuses_what_is_not_two_numbers() -> None:
    for value in (True, None, [4, 3], 1.5):
        with pytest.raises(ValueError):
            read_ratio(value)


def deck(root: Path, slug: str) -> str:
    return (root / "_site" / slug / "slides" / "index.html").read_text(encoding="utf-8")


def test_the_site_sets_every_decks_shape_and_numbers_and_a_talk_its_own(make_project: Project) -> None:
    talk = "---\ntitle: {t}\n{extra}---\n\n## One\n\nx\n\n## Two\n\ny\n"
    root = make_project({"talkbuild.yml": "ratio: 4:3\nslide_numbers: true\n",
                         "talks/a.md": talk.format(t="A", extra=""),
                         "talks/b.md": talk.format(t="B", extra="ratio: 16:9\nslide_numbers: false\n")})
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    a, b = deck(root, "a"), deck(root, "b")
    assert "--tb-aspect-w: 4; --tb-aspect-h: 3;" in a and "@page tb-slides { size: 960px 720px;" in a
    assert "--tb-aspect-w: 16; --tb-aspect-h: 9;" in b and "@page tb-slides { size: 1280px 720px;" in b
    # every slide but the title slide shows its number, in the place Marp's paginate draws it
    assert re.findall(r'tb-slide-number" aria-hidden="true">(\d+)<', a) == ["2", "3"]
    assert "tb-slide-number" not in b


def test_a_bad_ratio_in_talkbuild_yml_is_an_error_at_its_line(make_project: Project) -> None:
    root = make_project({"talkbuild.yml": "title: T\nratio: 4x3x2\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 2 and "Traceback" not in result.output  # config errors are usage errors (README)
    assert ("talkbuild.yml:2: 'ratio' must be a slide's width:height, not '4x3x2' "
            "(write width:height in whole numbers, e.g. ratio: 4:3 (or 16:9, 16:10, 3:2, 1:1))") in result.output


def test_talkbuild_yml_reads_a_quoted_true_and_an_empty_ratio_as_front_matter_does(make_project) -> None:  # type: ignore[no-untyped-def]
    """A re-trial: `slide_numbers: "true"` was refused "must be true or false, not 'true'", `ratio: ~` "not None"."""
    from talkbuild.config import load_config
    from talkbuild.ratio import DEFAULT_RATIO

    root = make_project({"talkbuild.yml": 'slide_numbers: "true"\nratio: ~\ncheck:\n  external: "no"\n'})
    config = load_config(root)
    assert config.slide_numbers is True and config.ratio == DEFAULT_RATIO and config.check.external is False
