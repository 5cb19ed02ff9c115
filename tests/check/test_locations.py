"""Every occurrence of a problem is reported where it is written: its own line and column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkbuild.check import check_project
from talkbuild.config import load_config

from .conftest import Scripted

ProjectFactory = Callable[..., Path]

HEAD = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n"  # the body starts on line 9


def places(root: Path, external: bool = False) -> list[tuple[int | None, int | None, str]]:
    result = check_project(load_config(root), external=external)
    return [(d.location.line, d.location.column, d.code) for d in result.diagnostics]


def test_a_repeated_url_on_a_later_line_of_a_paragraph_is_reported_there(
        make_project: ProjectFactory, http_server: Callable[..., Scripted]) -> None:
    # The trial's paragraph: lines 10 and 12 were never reported (pinned to the paragraph's first hit, then
    # merged with it as one finding).
    srv = http_server({})
    dead = srv.url("/404?p=1")
    talk = (HEAD + f"First [a]({dead}) in a paragraph,\nthen the same [b]({dead}) on the next line,\n"
            "and a local one [c](missing.pdf)\nand again [d](missing.pdf).\n")
    root = make_project({"talks/t.md": talk, "talkbuild.yml": "check:\n  backoff: 0.01\n  per_host_interval: 0\n"})
    assert places(root, external=True) == [
        (9, 11, "external-not-found"), (10, 19, "external-not-found"),
        (11, 21, "broken-link"), (12, 15, "broken-link")]
    assert srv.count("/404?p=1", "GET") == 1  # still requested once


def test_fragments_and_reference_links_are_reported_at_each_occurrence(make_project: ProjectFactory) -> None:
    talk = HEAD + "[a](#zz) and [b](#zz)\n[c](#zz) next.\n\n[r1][r] [r2][r]\n  [r3][r]\n\n[r]: nothere.pdf\n"
    root = make_project({"talks/t.md": talk})
    assert places(root) == [
        (9, 5, "missing-fragment"), (9, 18, "missing-fragment"), (10, 5, "missing-fragment"),
        (12, 1, "broken-link"), (12, 9, "broken-link"), (13, 3, "broken-link")]


def test_columns_count_from_the_source_line_in_lists_and_quotes(make_project: ProjectFactory) -> None:
    talk = HEAD + "- item [x](gone.html)\n  and [y](gone.html)\n\n> quoted [z](#nope)\n"
    root = make_project({"talks/t.md": talk})
    assert places(root) == [(9, 12, "broken-link"), (10, 11, "broken-link"), (12, 14, "missing-fragment")]


def test_a_bare_url_in_text_is_not_a_link_and_is_not_requested(make_project: ProjectFactory,
                                                                http_server: Callable[..., Scripted]) -> None:
    # CommonMark without linkify (docs/check.md): only <...> makes it a link.
    srv = http_server({})
    talk = HEAD + f"See {srv.url('/bare')} for more, or <{srv.url('/angle')}>.\n"
    root = make_project({"talks/t.md": talk, "talkbuild.yml": "check:\n  backoff: 0.01\n  per_host_interval: 0\n"})
    assert places(root, external=True) == [(9, 25 + len(srv.base), "external-not-found")]
    assert srv.count("/bare") == 0 and srv.count("/angle") == 2


def test_a_link_repeated_in_other_cells_of_a_table_row_is_reported_in_each_cell(make_project: ProjectFactory) -> None:
    # Before: each cell was looked for from the row's start, so every `[t](m4.md)` landed on the first cell
    # (12:3 only, the others merged into it), and in the second row the third cell was lost.
    talk = HEAD + ("| a | b | c |\n|---|---|---|\n| [t](m4.md) | [t](m4.md) | [t](m4.md) |\n"
                   "| [t](m4.md) | [t](m5.md) | [t](m4.md) |\n| x | [t](m4.md) [u](m4.md) | ![i](m4.png) |\n")
    root = make_project({"talks/t.md": talk})
    assert places(root) == [
        (11, 7, "broken-link"), (11, 20, "broken-link"), (11, 33, "broken-link"),
        (12, 7, "broken-link"), (12, 20, "broken-link"), (12, 33, "broken-link"),
        (13, 11, "broken-link"), (13, 22, "broken-link"), (13, 36, "missing-image")]


def test_each_link_in_raw_html_is_reported_at_its_own_column(make_project: ProjectFactory) -> None:
    # Before: raw HTML had its line only, so the second m1.md on a line merged with the first (2 findings for 3).
    talk = HEAD + ('<p><a href="m1.md">x</a> <a href="m2.md">y</a> <a href="m1.md">z</a></p>\n\n'
                   "Text <a href='m1.md'>x</a> and <a href=m1.md>z</a>\n\n"
                   '> <img src="p.png" alt="a"> <img src="p.png" alt="b">\n')
    root = make_project({"talks/t.md": talk})
    assert places(root) == [
        (9, 13, "broken-link"), (9, 35, "broken-link"), (9, 57, "broken-link"),
        (11, 15, "broken-link"), (11, 40, "broken-link"),
        (13, 13, "missing-image"), (13, 39, "missing-image")]


def test_a_link_in_a_table_cell_with_an_escaped_pipe_has_its_column(make_project: ProjectFactory) -> None:
    # markdown-it hands the cell over with `\|` unescaped to `|`: the cell's text was not found on its source
    # line, so the first link had no column, and the next cells were looked for from the row's start.
    talk = HEAD + ("| a | b |\n|---|---|\n| x \\| y [l](m1.md) | [m](m1.md) \\|\\| [n](m1.md) |\n"
                   "| [o](m1.md) | a\\|b |\n")
    root = make_project({"talks/t.md": talk})
    assert places(root) == [(11, 14, "broken-link"), (11, 27, "broken-link"), (11, 43, "broken-link"),
                            (12, 7, "broken-link")]
