"""Report formats and the `talkbuild check` command: what a user and a CI system see."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from talkbuild.check.report import format_github, format_json, format_junit, format_text
from talkbuild.cli import main
from talkbuild.errors import Diagnostic, Severity, SourceLocation

from .conftest import Scripted

ProjectFactory = Callable[..., Path]

DIAGS = [
    Diagnostic(Severity.WARNING, "missing-alt", "image has no alt text", SourceLocation("talks/b.md", 9), url="x.png"),
    Diagnostic(Severity.ERROR, "broken-link", "'a, b: c' does not exist", SourceLocation("talks/a.md", 12),
               url="a,b.html", hint="check the path"),
    Diagnostic(Severity.INFO, "external-moved", "permanently redirected to https://new/",
               SourceLocation("talks/a.md", 3), url="https://old/"),
]


def test_text_groups_by_file_sorts_by_line_and_ends_with_a_summary() -> None:
    text = format_text(DIAGS)
    assert text.index("talks/a.md") < text.index("talks/b.md")
    assert text.index("external-moved") < text.index("broken-link")
    assert "\033[" not in text
    assert text.rstrip().endswith("1 error(s), 1 warning(s), 1 note(s) in 2 file(s)")
    assert "\033[31m" in format_text(DIAGS, colour=True)


def test_json_is_a_list_of_the_documented_fields() -> None:
    rows = json.loads(format_json(DIAGS))
    assert rows[1] == {"severity": "error", "code": "broken-link", "file": "talks/a.md", "line": 12,
                       "column": None, "message": "'a, b: c' does not exist", "url": "a,b.html", "hint": "check the path"}


def test_junit_has_a_failure_per_error_and_warning() -> None:
    root = ET.fromstring(format_junit(DIAGS))
    assert root.get("tests") == "3" and root.get("failures") == "2"
    assert len(root.findall(".//failure")) == 2
    assert ET.fromstring(format_junit([])).get("failures") == "0"


def test_github_workflow_commands_escape_properties_and_data() -> None:
    lines = format_github(DIAGS).splitlines()
    assert lines[0].startswith("::notice file=talks/a.md,line=3,title=talkbuild external-moved::")
    assert lines[1] == ("::error file=talks/a.md,line=12,title=talkbuild broken-link::"
                        "'a, b: c' does not exist <a,b.html> (check the path)")
    assert lines[2].startswith("::warning file=talks/b.md,line=9,")


BROKEN = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n[x](gone.md)\n"
WARN_ONLY = "---\ntitle: T\n---\n\n## S\n\ntext\n"


def test_a_broken_config_is_in_the_machine_report_too(make_project: ProjectFactory, tmp_path: Path) -> None:
    # CI turns the report into annotations; a usage error only on stderr left the pull request silent.
    root = make_project({"talkbuild.yml": "titel: T\n", "talks/t.md": WARN_ONLY})
    github = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "github"])
    assert github.exit_code == 2
    assert github.stdout.startswith("::error file=talkbuild.yml,line=1,")
    assert "unknown key 'titel'" in github.stdout
    report = tmp_path / "report.json"
    as_json = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "json", "--output", str(report)])
    assert as_json.exit_code == 2
    assert [(f["file"], f["line"], f["severity"]) for f in json.loads(report.read_text())] == [("talkbuild.yml", 1, "error")]
    text = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert text.exit_code == 2 and text.stdout == "", "the text report is the stderr message alone"


def test_cli_exits_1_on_errors_and_prints_path_line(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": BROKEN})
    result = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert result.exit_code == 1
    assert "talks/t.md" in result.output and "error[broken-link]" in result.output
    assert "Traceback" not in result.output


def test_cli_warnings_fail_only_with_strict(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": WARN_ONLY})
    assert CliRunner().invoke(main, ["check", "-C", str(root)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "-C", str(root), "--strict"]).exit_code == 1


def test_cli_writes_the_report_to_a_file(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project({"talks/t.md": BROKEN})
    out = tmp_path / "reports" / "check.json"
    result = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    assert [(r["file"], r["line"], r["code"]) for r in json.loads(out.read_text())] == [
        ("talks/t.md", 9, "broken-link")]


def test_cli_usage_error_exits_2(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": BROKEN})
    assert CliRunner().invoke(main, ["check", "-C", str(root), "--format", "xml"]).exit_code == 2


def test_cli_external_uses_the_project_cache(make_project: ProjectFactory,
                                             http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/ok": lambda m, n: (200, {}), "/dead": lambda m, n: (404, {})})
    talk = (f"---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n[a]({srv.url('/ok')})\n"
            f"[b]({srv.url('/dead')})\n")
    root = make_project({"talks/t.md": talk, "talkbuild.yml": "check:\n  backoff: 0.01\n  per_host_interval: 0\n"})
    first = CliRunner().invoke(main, ["check", "-C", str(root), "--external", "--format", "json"])
    assert first.exit_code == 1
    assert [(r["line"], r["code"]) for r in json.loads(first.output)] == [(10, "external-not-found")]
    assert CliRunner().invoke(main, ["check", "-C", str(root)]).exit_code == 0  # external is opt-in
    CliRunner().invoke(main, ["check", "-C", str(root), "--external"])
    assert srv.count("/ok") == 1
    assert (root / ".talkbuild" / "cache" / "external-links.json").is_file()
