"""check.per_file_ignores: a site accepts some findings in some files, says how many, and never hides what
guards the published site."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import click
from click.testing import CliRunner, Result

from talkbuild import cli_publish
from talkbuild.build import build
from talkbuild.check_ignores import IGNORE_CODES, KNOWN_CODES, NEVER_IGNORED
from talkbuild.cli import main
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]

HEAD = "---\ntitle: {t}\nauthor: A\ndate: 2024-01-01\n---\n\n## One\n\n"
SPEAKER = HEAD.format(t="Speaker 39") + "[x](gone.md) ![pic](nope.png)\n"  # line 9: broken-link, missing-image
OTHER = HEAD.format(t="Other") + "[x](gone.md)\n"
CLEAN = HEAD.format(t="Clean") + "text\n"


def _config(ignores: str) -> str:
    return "title: W\ncheck:\n  per_file_ignores:\n" + ignores


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "-C", str(root), *args])


def test_the_ignored_speakers_findings_fail_nothing_and_are_counted(make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**": [broken-link, missing-image]\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/other/index.md": CLEAN,
    })
    result = check(root)
    assert result.exit_code == 0, result.output
    assert "speaker-39" not in result.stdout.replace("'talks/speaker-39/**'", "")
    assert result.stdout.rstrip().endswith(
        "no problems found; 2 ignored by check.per_file_ignores: 2 by 'talks/speaker-39/**' (talkbuild.yml:4) "
        "(--show-ignored lists them)")


def test_other_files_and_other_codes_are_still_reported(make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**": broken-link\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/other/index.md": OTHER,
    })
    result = check(root, "--format", "json")
    assert result.exit_code == 1
    assert [(r["file"], r["code"]) for r in json.loads(result.stdout)] == [
        ("talks/other/index.md", "broken-link"), ("talks/speaker-39/index.md", "missing-image")]
    assert "1 ignored by check.per_file_ignores: 1 by 'talks/speaker-39/**'" in result.stderr


def test_patterns_read_as_exclude_reads_them_relative_to_the_project(make_project: ProjectFactory) -> None:
    files = {"talks/speaker-39/index.md": SPEAKER, "talks/top.md": OTHER}
    # a name without a slash matches at any depth; with a slash it starts at the project's top
    for pattern, reported in (("speaker-39/", ["talks/top.md"]),
                              ("talks/*.md", ["talks/speaker-39/index.md", "talks/speaker-39/index.md",
                                              "talkbuild.yml"]),  # top.md has no missing-image: unneeded
                              ("speaker-39/**", ["talks/speaker-39/index.md", "talks/speaker-39/index.md",
                                                 "talks/top.md", "talkbuild.yml"])):
        root = make_project(files | {"talkbuild.yml": _config(f'    "{pattern}": [broken-link, missing-image]\n')})
        rows = json.loads(check(root, "--format", "json").stdout)
        assert sorted(r["file"] for r in rows) == sorted(reported), pattern
    # `speaker-39/**` has a slash, so it names talkbuild.yml's folder: no file there, and it says so
    assert rows[0]["code"] == "ignore-unused" and rows[0]["line"] == 4


def test_all_ignores_every_code_but_never_what_guards_the_site(make_project: ProjectFactory) -> None:
    leak = HEAD.format(t="Leak") + "[secrets](.env)\n"
    root = make_project({
        "talkbuild.yml": _config('    "talks/**": all\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/leak/index.md": leak, "talks/leak/.env": "KEY=1\n",
    })
    result = check(root, "--format", "json")
    assert result.exit_code == 1
    assert [(r["file"], r["code"]) for r in json.loads(result.stdout)] == [("talks/leak/index.md", "hidden-file")]
    star = make_project({"talkbuild.yml": _config('    "talks/**": ["*"]\n'), "talks/speaker-39/index.md": SPEAKER},
                        root=root.parent / "star")
    assert check(star).exit_code == 0


def test_a_code_that_cannot_be_ignored_is_a_config_error_at_its_line(make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/a/**":\n      - broken-link\n      - slug-clash\n'
                                 '    "talks/b/**": [math]\n    "!talks/c/**": all\n'),
        "talks/a/index.md": CLEAN,
    })
    result = check(root)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("talkbuild: talkbuild.yml:6: 'check.per_file_ignores': slug-clash cannot be ignored: "
                               "two files would be published at one address")
    assert lines[1].startswith("talkbuild: talkbuild.yml:7: 'check.per_file_ignores': math cannot be ignored: "
                               "`talkbuild build` refuses a site with this error")
    assert lines[2].startswith("talkbuild: talkbuild.yml:8: 'check.per_file_ignores': '!talks/c/**' is not a path pattern")
    github = check(root, "--format", "github")
    assert github.exit_code == 2 and github.stdout.startswith("::error file=talkbuild.yml,line=6,")


def test_not_a_mapping_is_a_config_error(make_project: ProjectFactory) -> None:
    root = make_project({"talkbuild.yml": "check:\n  per_file_ignores: [broken-link]\n", "talks/a.md": CLEAN})
    result = check(root)
    assert result.exit_code == 2
    assert "talkbuild.yml:2: 'check.per_file_ignores' must be a section of path patterns, not a list" in result.stderr


def test_unknown_codes_and_unused_patterns_are_warnings_at_their_line(make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**":\n      - brokn-link\n      - missing-image\n'
                                 '    "talks/nobody/**": all\n'),
        "talks/speaker-39/index.md": SPEAKER,
    })
    result = check(root, "--format", "json")
    rows = [(r["file"], r["line"], r["severity"], r["code"], r["hint"]) for r in json.loads(result.stdout)]
    assert rows == [
        ("talkbuild.yml", 5, "warning", "ignore-unknown", "did you mean 'broken-link'?"),
        ("talkbuild.yml", 7, "warning", "ignore-unused", rows[1][4]),
        ("talks/speaker-39/index.md", 9, "error", "broken-link", rows[2][4]),
    ]
    assert result.exit_code == 1
    root.joinpath("talks/speaker-39/index.md").write_text(HEAD.format(t="S") + "![pic](nope.png)\n")
    assert check(root).exit_code == 0
    assert check(root, "--strict").exit_code == 1, "the setting's own warnings fail --strict"


def test_show_ignored_lists_them_in_every_format(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**": [broken-link, missing-image]\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/other/index.md": OTHER,
    })
    text = check(root, "--show-ignored").stdout
    listed = text[text.index("ignored by check.per_file_ignores 'talks/speaker-39/**' (talkbuild.yml:4): 2"):]
    assert re.search(r"talks/speaker-39/index.md\n +9:5 +error\[broken-link\]", listed)
    assert "error[missing-image]" in listed and "(--show-ignored lists them)" not in text

    assert isinstance(json.loads(check(root, "--format", "json").stdout), list), "the default JSON stays a list"
    report = json.loads(check(root, "--format", "json", "--show-ignored").stdout)
    assert [r["file"] for r in report["findings"]] == ["talks/other/index.md"]
    assert [(r["code"], r["severity"], r["line"], r["ignored_by"], r["ignore_line"]) for r in report["ignored"]] == [
        ("broken-link", "error", 9, "talks/speaker-39/**", 4), ("missing-image", "error", 9, "talks/speaker-39/**", 4)]

    github = check(root, "--format", "github").stdout
    assert "speaker-39/index.md" not in github and "2 ignored by check.per_file_ignores" in github
    shown = check(root, "--format", "github", "--show-ignored").stdout.splitlines()
    assert shown[1].startswith("::notice file=talks/speaker-39/index.md,line=9,col=5,title=talkbuild broken-link "
                               "(ignored)::ignored by check.per_file_ignores 'talks/speaker-39/**' (talkbuild.yml:4): "
                               "error: ")

    out = tmp_path / "junit.xml"
    result = check(root, "--format", "junit", "--output", str(out))
    assert result.exit_code == 1 and "2 ignored by check.per_file_ignores" in result.stderr
    junit = ET.fromstring(out.read_text())
    assert (junit.get("tests"), junit.get("failures"), junit.get("skipped")) == ("3", "1", "2")
    skipped = junit.findall(".//testcase/skipped")
    assert [s.get("message") for s in skipped] == [
        "ignored by check.per_file_ignores 'talks/speaker-39/**' (talkbuild.yml:4)"] * 2


def test_publish_ships_a_site_whose_only_errors_are_ignored_and_says_so(make_project: ProjectFactory,
                                                                       tmp_path: Path) -> None:
    @click.group()
    def cli() -> None:
        pass

    cli_publish.register(cli)
    files = {"talks/speaker-39/index.md": SPEAKER, "talks/other/index.md": CLEAN}
    refused = make_project(files, root=tmp_path / "refused")
    build(load_config(refused))
    result = CliRunner().invoke(cli, ["publish", "-C", str(refused)])
    assert result.exit_code == 1 and "nothing was published" in result.stderr

    root = make_project(files | {"talkbuild.yml": _config('    "talks/speaker-39/": [broken-link, missing-image]\n')},
                        root=tmp_path / "accepted")
    build(load_config(root))
    result = CliRunner().invoke(cli, ["publish", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert ("check: 2 ignored by check.per_file_ignores: 2 by 'talks/speaker-39/' (talkbuild.yml:4)"
            in result.stderr)
    assert (root / "_deploy/current/speaker-39/index.html").exists()


def test_every_documented_code_is_known_and_every_unignorable_one_is_explained() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs/check.md").read_text()
    table = docs[docs.index("## Diagnostic codes"):docs.index("## External links")]
    documented = {code for row in re.findall(r"^\| (`[^|]+`) \|", table, re.M) for code in re.findall(r"`([a-z-]+)`", row)}
    assert documented - IGNORE_CODES <= KNOWN_CODES
    section = docs[docs.index("## Accepting findings"):]
    assert all(f"`{code}`" in section for code in NEVER_IGNORED)


def test_a_pattern_that_ignores_nothing_any_more_is_reported_with_the_codes_to_remove(
        make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**": [broken-link, missing-image, missing-alt]\n'
                                 '    "talks/fixed/**": [broken-link]\n'
                                 '    "talks/done/**": all\n'
                                 '    "talks/linked/**": [external-not-found]\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/fixed/index.md": HEAD.format(t="Fixed") + "text\n",
        "talks/done/index.md": HEAD.format(t="Done") + "text\n", "talks/linked/index.md": CLEAN,
    })
    rows = [(r["line"], r["code"], r["message"], r["hint"]) for r in json.loads(check(root, "--format", "json").stdout)]
    assert rows == [
        (4, "ignore-unneeded", "check.per_file_ignores: 'talks/speaker-39/**' ignored nothing of: missing-alt",
         "its files no longer have these findings: remove these codes"),
        (5, "ignore-unneeded", "check.per_file_ignores: 'talks/fixed/**' ignored nothing of: broken-link",
         "its files no longer have these findings: remove the entry"),
    ], "external links were not checked: external-* codes and `all` prove nothing in this run"
    # The speaker fixed the talk: every code of the entry is now unneeded.
    root.joinpath("talks/speaker-39/index.md").write_text(CLEAN)
    rows = [r for r in json.loads(check(root, "--format", "json").stdout) if r["line"] == 4]
    assert rows[0]["message"].endswith("ignored nothing of: broken-link, missing-alt, missing-image")


def test_an_unused_pattern_suggests_the_form_that_matches(make_project: ProjectFactory) -> None:
    files = {"talks/speaker-39/index.md": SPEAKER, "talks/speaker-20/index.md": SPEAKER,
             "talks/speaker-16/index.md": SPEAKER}
    config = _config("    speaker-39/**: [broken-link, missing-image]\n"
                     "    talks/Speaker-20/**: [broken-link, missing-image]\n"
                     "    'talks\\speaker-16\\**': [broken-link, missing-image]\n"
                     "    Speaker-20/*.md: [broken-link]\n"
                     "    talks/nobody/**: all\n")
    root = make_project(files | {"talkbuild.yml": config})
    hints = {r["line"]: r["hint"] for r in json.loads(check(root, "--format", "json").stdout)
             if r["code"] == "ignore-unused"}
    assert hints[4].startswith("did you mean 'talks/speaker-39/**'? ")
    assert hints[5].startswith("did you mean 'talks/speaker-20/**'? ")
    assert hints[6].startswith("did you mean 'talks/speaker-16/**'? ")
    assert hints[7].startswith("did you mean 'talks/speaker-20/*.md'? ")
    assert hints[8].startswith("patterns are relative to the project"), "nothing close: no guess"


def test_the_setting_in_another_section_is_found_where_it_belongs(make_project: ProjectFactory) -> None:
    root = make_project({
        "talkbuild.yml": 'title: W\npublish:\n  per_file_ignores:\n    "talks/a/**": all\n  theme: dark\n'
                         "per_file_ignore: {}\ncheck:\n  targte: file://_deploy\n",
        "talks/a.md": CLEAN,
    })
    result = check(root)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "talkbuild: talkbuild.yml:3: unknown key 'publish.per_file_ignores' (did you mean 'check.per_file_ignores'? "
        "'per_file_ignores' belongs under 'check:')",
        "talkbuild: talkbuild.yml:5: unknown key 'publish.theme' (did you mean 'theme'? 'theme' belongs at the top "
        "level, not in a section)",
        "talkbuild: talkbuild.yml:6: unknown key 'per_file_ignore' (did you mean 'check.per_file_ignores'?)",
        "talkbuild: talkbuild.yml:8: unknown key 'check.targte' (did you mean 'publish.target'?)",
    ]


def test_build_does_not_print_the_warnings_check_would_ignore_and_says_how_many(make_project: ProjectFactory) -> None:
    # A 60-speaker site's accepted missing pictures drowned its real problems in `talkbuild build`'s output.
    root = make_project({
        "talkbuild.yml": _config('    "talks/speaker-39/**": [broken-link, missing-image]\n'),
        "talks/speaker-39/index.md": SPEAKER, "talks/other/index.md": OTHER,
    })
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning[" in line]
    assert [line.split(": warning")[0] for line in warnings] == ["talks/other/index.md:9"]  # the other talk's, still
    assert ("2 warning(s) not shown: in files check.per_file_ignores accepts them "
            "(`talkbuild check --show-ignored` lists them)") in result.stderr
    # --format github annotates only what is shown, too
    github = CliRunner().invoke(main, ["build", "-C", str(root), "--format", "github"])
    assert "speaker-39" not in github.stdout and "talks/other/index.md" in github.stdout
