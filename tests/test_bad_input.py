"""Each kind of bad input gets a clear error naming the file (and line), and loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "unclosed front matter": (
        {"talks/a.md": "---\ntitle: A\n\n## Slide\n"},
        "talks/a.md:1: error[front-matter]: front matter opened here is never closed (end it with a line of three dashes '---')",
    ),
    "malformed front matter": (
        {"talks/a.md": "---\ntitle: A\nauthor: [unclosed\n---\n"},
        "talks/a.md:3: error[front-matter]: front matter is not valid YAML",
    ),
    "bracket left open before the next key": (
        {"talks/a.md": "---\ntitle: [oops\nauthor: Ann\n---\n"},
        "talks/a.md:2: error[front-matter]: front matter is not valid YAML: the bracket '[' is not closed before "
        "line 3 (expected ',' or ']', but got ':') (close the bracket opened at line 2)",
    ),
    "brace left open before the next key": (
        {"talks/a.md": "---\ntitle: A\nlinks: {a: 1\nauthor: Ann\n---\n"},
        "talks/a.md:3: error[front-matter]: front matter is not valid YAML: the bracket '{' is not closed before "
        "line 4 (expected ',' or '}', but got ':') (close the bracket opened at line 3)",
    ),
    "UTF-16 with a byte order mark (LE)": (
        {"talks/a.md": "\ufeff---\ntitle: A\n---\n\n## S\n".encode("utf-16-le")},
        "talks/a.md:1: error[encoding]: the file is UTF-16 text, not UTF-8 (save it as UTF-8",
    ),
    "UTF-16 with a byte order mark (BE)": (
        {"talks/a.md": "\ufeff---\ntitle: A\n---\n\n## S\n".encode("utf-16-be")},
        "talks/a.md:1: error[encoding]: the file is UTF-16 text, not UTF-8 (save it as UTF-8",
    ),
    "UTF-16 without a byte order mark": (
        {"talks/a.md": "---\ntitle: A\n---\n\n## S\n".encode("utf-16-le")},
        "talks/a.md:1: error[encoding]: the file is UTF-16 text, not UTF-8 (save it as UTF-8",
    ),
    "front matter not a mapping": (
        {"talks/a.md": "---\n- just\n- a list\n---\n"},
        "talks/a.md:2: error[front-matter]: front matter must be a mapping of keys to values",
    ),
    "title that is a list": (
        {"talks/a.md": "---\nauthor: Me\ntitle: [Tuesday]\n---\n\n## S\n"},
        "talks/a.md:3: error[front-matter]: 'title' must be text, but YAML read a list or mapping",
    ),
    "impossible ISO date": (
        {"talks/a.md": "---\ntitle: A\n\ndate: 2016-02-30\n---\n"},
        "talks/a.md:4: error[front-matter]: impossible date '2016-02-30'",
    ),
    "impossible human date": (
        {"talks/a.md": "---\ntitle: A\ndate: 31 June 2016\n---\n"},
        "talks/a.md:3: error[front-matter]: impossible date '31 June 2016'",
    ),
    "impossible date in American style": (
        {"talks/a.md": "---\ntitle: A\ndate: February 30, 2016\n---\n"},
        "talks/a.md:3: error[front-matter]: impossible date 'February 30, 2016'",
    ),
    "non-UTF-8 bytes": (
        {"talks/a.md": b"---\ntitle: A\n---\n\ncaf\xe9\n"},
        "talks/a.md:5: error[encoding]: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)",
    ),
    "binary file named .md": (
        {"talks/a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        "talks/a.md: error[binary-file]: this is a binary file, not Markdown",
    ),
    "empty file": (
        {"talks/a.md": ""},
        "talks/a.md:1: error[empty-file]: the file is empty",
    ),
    "reference outside talks/": (
        {"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n![x](../../etc/passwd)\n", "secret.txt": "s"},
        "talks/a.md:7: error[outside-talks]: '../../etc/passwd' points outside the talks folder",
    ),
    "raw HTML reference outside talks/": (
        {"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n<img src=\"../secret.txt\">\n", "secret.txt": "s"},
        "talks/a.md:7: error[outside-talks]: '../secret.txt' points outside the talks folder",
    ),
    "invalid duration": (
        {"talks/a.md": "---\ntitle: A\nduration: soon\n---\n"},
        "talks/a.md:3: error[front-matter]: 'duration' must be a whole number of minutes",
    ),
    "broken math": (
        {"talks/a.md": "---\ntitle: A\n---\n\n## S\n\nA formula $\\frac{1}{2$ here\n"},
        "talks/a.md:7: error[math]: unclosed '{'",
    ),
    "theme name that climbs out of themes/": (
        {"talks/a.md": "---\ntitle: A\ntheme: ../../../../tmp/evil\n---\n"},
        "talks/a.md:3: error[theme]: '../../../../tmp/evil' is not a theme name",
    ),
    "two talks at one address": (
        {"talks/a.md": "---\ntitle: A\n---\n", "talks/a/index.md": "---\ntitle: B\n---\n"},
        "error[slug-clash]",
    ),
}


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", "build", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_and_the_old_site_survives(make_project, name: str) -> None:
    files, message = CASES[name]
    root = make_project({"talks/good.md": "---\ntitle: Good\n---\n\n## Fine\n"})
    assert run_build(root).returncode == 0
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    make_project(files, root)
    result = run_build(root)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(root.glob("._site*")), "no temporary folder is left behind"


def test_symlink_that_escapes_the_project_is_an_error(make_project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\n")
    root = make_project({})
    os.symlink(outside, root / "talks" / "linked.md")
    result = run_build(root)
    assert result.returncode == 1
    assert "talks/linked.md: error[outside-talks]: symlink points outside the talks folder" in result.stderr


def test_symlinked_image_that_escapes_is_not_copied(make_project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n![pic](pic.png)\n"})
    os.symlink(secret, root / "talks" / "pic.png")
    result = run_build(root)
    assert result.returncode == 1
    assert "talks/a.md:7: error[outside-talks]: 'pic.png' points outside the talks folder" in result.stderr
    assert not (root / "_site").exists()


def test_every_error_of_a_build_is_reported(make_project) -> None:
    root = make_project({
        "talks/a.md": "---\ntitle: A\ndate: 2016-13-40\n---\n",
        "talks/b.md": "---\nauthor: Me\nslidelink: maybe\n---\n",
        "talks/c.md": "---\ntitle: C\n---\n\n## S\n\n$\\frac{1}{$\n",
    })
    result = run_build(root)
    assert result.returncode == 1
    assert "talks/a.md:3: error[front-matter]: impossible date" in result.stderr
    assert "talks/b.md:3: error[front-matter]: 'slidelink' must be true or false" in result.stderr
    assert "talks/c.md:7: error[math]" in result.stderr
    assert "3 error(s) found" in result.stderr


def test_unknown_key_is_a_warning_with_a_suggestion_that_fails_a_strict_build(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\nautor: Me\n---\n"})
    result = run_build(root)
    assert result.returncode == 0
    warning = "talks/a.md:3: warning[unknown-key]: unknown front matter key 'autor' (did you mean 'author'?)"
    assert warning in result.stderr
    strict = run_build(root, "--strict")
    assert strict.returncode == 1 and warning in strict.stderr  # as MkDocs: the warning, then why the build stopped
    assert "0 error(s) and 1 warning(s) found, and --strict fails on warnings; nothing was written" in strict.stderr


def test_unknown_config_key_is_a_usage_error_with_a_suggestion(make_project) -> None:
    root = make_project({"talkbuild.yml": "title: My talks\nthem: dark\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:2: unknown key 'them' (did you mean 'theme'?)" in result.stderr


def test_an_unknown_talk_theme_is_a_warning_at_its_line_and_the_site_theme_is_used(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\ntheme: night\n---\n\n## S\n"})
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert "talks/a.md:3: warning[theme]: no theme named 'night'; the site's theme is used" in result.stderr
    assert (root / "_site/a/slides/index.html").exists()
    assert run_build(root, "--strict").returncode == 1


def test_config_errors_name_their_line(make_project) -> None:
    root = make_project({"talkbuild.yml": "title: T\ntheme: nosuch\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:2: no theme named 'nosuch'" in result.stderr
    (root / "talkbuild.yml").write_bytes(b"title: caf\xe9\n")
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:1: not valid UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_a_project_without_talks_says_so_and_names_ignored_formats(make_project) -> None:
    root = make_project({"talks/deck/index.qmd": "---\ntitle: Q\n---\n"})
    result = run_build(root)
    assert result.returncode == 0
    assert "talks: warning[no-talks]: no talks found" in result.stderr
    assert "1 file(s) in other formats were ignored (e.g. deck/index.qmd)" in result.stderr


def test_a_title_that_yaml_reads_as_a_list_says_to_quote_it(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: [Tuesday, talk]\n---\n"})
    result = run_build(root)
    assert result.returncode == 1
    assert "talks/a.md:2: error[front-matter]: 'title' must be text" in result.stderr


def test_config_numbers_out_of_range_are_refused_at_their_line(make_project) -> None:
    root = make_project({"talkbuild.yml": "publish:\n  jobs: 0\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:2: 'publish.jobs' must be at least 1, not 0" in result.stderr


def test_a_file_at_the_place_of_a_generated_page_is_reported_at_the_link(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n[old page](a/index.html)\n",
                         "talks/a/index.html": "<p>hand-written</p>"})
    result = run_build(root)
    assert result.returncode == 1
    assert "talks/a.md:7: error[slug-clash]: 'a/index.html' is at the same place as a generated page" in result.stderr
    checked = subprocess.run([sys.executable, "-m", "talkbuild.cli", "check", "-C", str(root), "--format", "json"],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 1
    found = [(p["file"], p["line"], p["code"]) for p in json.loads(checked.stdout) if p["severity"] == "error"]
    assert found == [("talks/a.md", 7, "slug-clash")]


def test_every_front_matter_error_of_one_talk_is_reported_together(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\ndate: 2016-02-30\ntags: {a: 1}\nduration: soon\n---\n"})
    result = run_build(root)
    assert result.returncode == 1
    for line in ("talks/a.md:3: error[front-matter]: impossible date", "talks/a.md:4: error[front-matter]: 'tags' must be",
                 "talks/a.md:5: error[front-matter]: 'duration' must be"):
        assert line in result.stderr
    assert "3 error(s) found" in result.stderr


def test_every_problem_of_talkbuild_yml_is_reported_together(make_project) -> None:
    root = make_project({"talkbuild.yml": "titel: T\npublish:\n  jobs: 0\n  targett: x\n", "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild: talkbuild.yml:1: unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert "talkbuild: talkbuild.yml:3: 'publish.jobs' must be at least 1, not 0" in result.stderr
    assert "talkbuild: talkbuild.yml:4: unknown key 'publish.targett' (did you mean 'target'?)" in result.stderr


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=60)


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}


def test_a_talks_folder_that_is_not_there_is_a_usage_error_and_the_site_survives(make_project) -> None:
    root = make_project({"talks/good.md": "---\ntitle: Good\n---\n\n## Fine\n"})
    assert run_build(root).returncode == 0
    before = site_files(root)
    cases = {
        "title: T\ntalks_dir: talk\n":
            "talkbuild: talkbuild.yml:2: talks_dir 'talk' does not exist (did you mean 'talks'?)",
        "talks_dir: ../../etc\n":
            "talkbuild: talkbuild.yml:1: talks_dir '../../etc' is outside the project (talks_dir is relative to "
            "talkbuild.yml and stays inside the project; move or link the talks into it)",
        "talks_dir: notes.txt\n":
            "talkbuild: talkbuild.yml:1: talks_dir 'notes.txt' is a file, not a folder "
            "(talks_dir names the folder that holds your talks)",
    }
    (root / "notes.txt").write_text("x")
    for config, message in cases.items():
        (root / "talkbuild.yml").write_text(config)
        for command in ("build", "check"):
            result = run_cli(root, command)
            assert (result.returncode, result.stderr.strip()) == (2, message), (command, config)
            assert "no problems found" not in result.stdout
    assert site_files(root) == before


def test_a_project_without_a_talks_folder_says_how_to_start_one(make_project) -> None:
    root = make_project({"talks/good.md": "---\ntitle: Good\n---\n"})
    assert run_build(root).returncode == 0
    before = site_files(root)
    (root / "talks/good.md").unlink()
    (root / "talks").rmdir()
    result = run_build(root)
    assert (result.returncode, result.stderr.strip()) == (2, (
        f"talkbuild: there is no talks/ folder in {root.resolve()} (run `talkbuild init` to start a project here, "
        "or create talks/ and put your talks in it)"))
    (root / "talks").write_text("not a folder")
    result = run_build(root)
    assert (result.returncode, result.stderr.strip()) == (2, (
        "talkbuild: talks: this is a file, not a folder (talks go in a folder: talks/<name>.md or talks/<name>/index.md)"))
    assert site_files(root) == before
    (root / "talks").unlink()
    (root / "talks").mkdir()  # an empty talks folder is a project that has no talks yet: a warning, as before
    result = run_build(root)
    assert result.returncode == 0
    assert "talks: warning[no-talks]: no talks found" in result.stderr


def test_text_fields_keep_the_text_as_written_not_yaml_1_1_booleans_and_numbers(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "title: Off\nlang: no\n",
        "talks/a.md": "---\ntitle: No\nsubtitle: 010\nauthor: [Yes, Off]\ntags: [yes, 1.50]\nlang: no\n---\n\n## S\n",
    })
    result = run_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = (root / "_site/a/index.html").read_text()
    assert "<title>No</title>" in page
    assert '<p class="tb-subtitle">010</p>' in page
    assert '<p class="tb-authors">Yes, Off</p>' in page
    assert "<li>yes</li><li>1.50</li>" in page
    assert '<html lang="no"' in page
    index = (root / "_site/index.html").read_text()
    assert "<title>Off</title>" in index


def test_an_unclosed_quote_is_reported_where_it_was_opened(make_project) -> None:
    root = make_project({"talks/a.md": '---\ntitle: "Ship It: Continuous\nauthor: Ada\ndate: 2026-11-30\nduration: 20\n---\n'})
    result = run_build(root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "talks/a.md:2: error[front-matter]: front matter is not valid YAML: the quote '\"' is never closed "
        "(close the quote opened at line 2)")
    root = make_project({"talkbuild.yml": "description: Talks\ntitle: 'Ship It\nlang: en\n"}, root)
    result = run_build(root)
    assert (result.returncode, result.stderr.strip()) == (2, (
        "talkbuild: talkbuild.yml:2: invalid YAML: the quote \"'\" is never closed (close the quote opened at line 2)"))


YAML_HINTS = {
    "tab": ("title: A\n\tauthor: Ada\n",
            "talks/a.md:3: error[front-matter]: front matter is not valid YAML: found character '\\t' that cannot "
            "start any token (indent with spaces, not tabs)"),
    "unclosed bracket": ("title: A\ntags: [a, b\nauthor: Ada\n",
                         "talks/a.md:3: error[front-matter]: front matter is not valid YAML: the bracket '[' is not "
                         "closed before line 4 (expected ',' or ']', but got ':') (close the bracket opened at line 3)"),
    "unclosed bracket at the end": ("title: A\ntags: {a: b\n",
                                    "talks/a.md:3: error[front-matter]: front matter is not valid YAML: the bracket '{' "
                                    "is never closed (close the bracket opened at line 3)"),
    "undefined alias": ("title: *x\n",
                        "talks/a.md:2: error[front-matter]: front matter is not valid YAML: found undefined alias 'x' "
                        "(define the anchor &x first, or quote the value)"),
    "list item out of line": ("title: A\nauthor:\n  - a\n - b\n",
                              "talks/a.md:5: error[front-matter]: front matter is not valid YAML: expected <block end>, "
                              "but found '<block sequence start>' (check the indentation: the items of one list, and "
                              "the keys of one mapping, start in the same column)"),
    "colon in a value": ("title: Ship it: now\n",
                         "talks/a.md:2: error[front-matter]: front matter is not valid YAML: mapping values are not "
                         "allowed here (quote values that contain ': ' or start with a special character)"),
}


@pytest.mark.parametrize("name", sorted(YAML_HINTS))
def test_a_yaml_error_gets_the_hint_that_fits_it(make_project, name: str) -> None:
    front_matter, message = YAML_HINTS[name]
    root = make_project({"talks/a.md": f"---\n{front_matter}---\n"})
    result = run_build(root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == message


def test_a_key_given_twice_is_a_warning_in_a_talk_and_an_error_in_talkbuild_yml(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\ntitle: B\n---\n"})
    result = run_build(root)
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == ("talks/a.md:3: warning[duplicate-key]: 'title' is given twice "
                                             "(line 2 and line 3); the last one is used (remove the one you do not mean)")
    assert "<title>B</title>" in (root / "_site/a/index.html").read_text()
    assert run_build(root, "--strict").returncode == 1
    root = make_project({"talkbuild.yml": "title: A\ncheck:\n  retries: 1\n  retries: 2\ntitle: B\n"}, root)
    result = run_build(root)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "talkbuild: talkbuild.yml:4: 'check.retries' is given twice (line 3 and line 4) (remove the one you do not mean)",
        "talkbuild: talkbuild.yml:5: 'title' is given twice (line 1 and line 5) (remove the one you do not mean)",
    ]


def test_lang_must_have_the_shape_of_a_language_tag(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\nlang: 5\n---\n", "talks/b.md": "---\ntitle: B\nlang: pt_BR\n---\n",
                         "talks/c.md": "---\ntitle: C\nlang: zh-Hant-TW\n---\n"})
    result = run_build(root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "talks/a.md:3: error[front-matter]: 'lang' must be a language tag, not '5' (a BCP 47 tag such as 'en', 'pt-BR' or 'zh-Hant')",
        "talks/b.md:3: error[front-matter]: 'lang' must be a language tag, not 'pt_BR' (separate its parts with '-': 'pt-BR')",
    ]
    assert "2 error(s) found" in result.stderr


def test_config_types_are_named_in_words_with_their_unit(make_project) -> None:
    root = make_project({"talkbuild.yml": "check:\n  timeout: fast\n  retries: 1.5\n  external: maybe\n  exclude: x\n",
                         "talks/a.md": "---\ntitle: A\n---\n"})
    result = run_build(root)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "talkbuild: talkbuild.yml:2: 'check.timeout' must be a number (seconds), not 'fast'",
        "talkbuild: talkbuild.yml:3: 'check.retries' must be a whole number, not 1.5",
        "talkbuild: talkbuild.yml:4: 'check.external' must be true or false, not 'maybe'",
        "talkbuild: talkbuild.yml:5: 'check.exclude' must be a list of text values, not 'x' "
        "(write it as [first, second], or one '- value' line per item)",
    ]


def test_config_numbers_are_read_as_written_not_as_yaml_1_1_octal(make_project) -> None:
    from talkbuild.config import load_config

    root = make_project({"talkbuild.yml": "check:\n  timeout: 010\n  retries: 007\n  per_host_concurrency: +3\n",
                         "talks/a.md": "---\ntitle: A\n---\n"})
    config = load_config(root)
    assert (config.check.timeout, config.check.retries, config.check.per_host_concurrency) == (10.0, 7, 3)
    (root / "talkbuild.yml").write_text("check:\n  retries: '3'\n")  # quoted: text, as before
    result = run_build(root)
    assert result.returncode == 2
    assert "talkbuild.yml:2: 'check.retries' must be a whole number, not '3'" in result.stderr
