"""Diagnostics as text (people), JSON (tools), JUnit XML (CI test reports) or GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path
from xml.etree import ElementTree as ET

from ..check_ignores import NAME as IGNORES
from ..check_ignores import Ignored
from ..errors import Diagnostic, Severity
from ..write import write_atomic

FORMATS = ("text", "json", "junit", "github")

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def _key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.location.path, d.location.line or 0, d.location.column or 0, d.code, d.url or "")


def _place(d: Diagnostic) -> str:
    """`line` or `line:column` (empty without a line)."""
    if not d.location.line:
        return ""
    return f"{d.location.line}:{d.location.column}" if d.location.column else str(d.location.line)


def summary(diagnostics: Sequence[Diagnostic], ignored: Sequence[Ignored] = (), *, listed: bool = False) -> str:
    """One line: how many errors, warnings and notes, and how many findings check.per_file_ignores left out."""
    return _counts(diagnostics) + (f"; {ignored_summary(ignored, listed=listed)}" if ignored else "")


def _counts(diagnostics: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    if not diagnostics:
        return "no problems found"
    parts = [f"{counts[Severity.ERROR]} error(s)", f"{counts[Severity.WARNING]} warning(s)"]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} note(s)")
    files = len({d.location.path for d in diagnostics})
    return ", ".join(parts) + f" in {files} file(s)"


def ignored_summary(ignored: Sequence[Ignored], *, listed: bool = False) -> str:
    """`5 ignored by check.per_file_ignores: 3 by 'talks/a/**' (talkbuild.yml:4), 2 by ...`."""
    by: dict[tuple[str, int | None], int] = {}
    for i in ignored:
        by[(i.rule.pattern, i.rule.line)] = by.get((i.rule.pattern, i.rule.line), 0) + 1
    parts = [f"{n} by {pattern!r}" + (f" (talkbuild.yml:{line})" if line else "")
             for (pattern, line), n in sorted(by.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0]))]
    return (f"{len(ignored)} ignored by {IGNORES}: {', '.join(parts)}"
            + ("" if listed else " (--show-ignored lists them)"))


def _ignored_by(i: Ignored) -> str:
    return f"ignored by {IGNORES} {i.rule.pattern!r}" + (f" (talkbuild.yml:{i.rule.line})" if i.rule.line else "")


def format_text(diagnostics: Sequence[Diagnostic], *, colour: bool = False, ignored: Sequence[Ignored] = (),
                show_ignored: bool = False) -> str:
    """Grouped by file, sorted by line, then (with `show_ignored`) what was ignored, then a one-line summary."""

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    def grouped(items: Sequence[Diagnostic], indent: str = "") -> None:
        for path, group in groupby(sorted(items, key=_key), key=lambda d: d.location.path):
            out.append(indent + paint(path, _BOLD))
            for d in group:
                line = _place(d) or "-"
                label = paint(f"{d.severity.value}[{d.code}]", _COLOURS[d.severity])
                text = f"{indent}  {line:>5}  {label} {d.message}"
                if d.url and d.url not in d.message:
                    text += f" <{d.url}>"
                out.append(text)
                if d.hint:
                    out.append(f"{indent}         hint: {d.hint}")
            out.append("")

    out: list[str] = []
    grouped(diagnostics)
    if show_ignored:
        for by, group in groupby(sorted(ignored, key=lambda i: (i.rule.line or 0, i.rule.pattern)),
                                 key=_ignored_by):
            items = [i.diagnostic for i in group]
            out.append(f"{by}: {len(items)}")
            grouped(items, "  ")
    out.append(summary(diagnostics, ignored, listed=show_ignored))
    return "\n".join(out) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], ignored: Sequence[Ignored] = (), show_ignored: bool = False) -> str:
    """A list of {severity, code, file, line, column, message, url, hint}, sorted like the text report.

    With `show_ignored`, an object instead: {"findings": that list, "ignored": the same rows for the findings
    check.per_file_ignores left out, each with "ignored_by" (the pattern) and "ignore_line" (its line)}. The
    plain list stays the default: tools that read it keep working.
    """
    rows = [_row(d) for d in sorted(diagnostics, key=_key)]
    if not show_ignored:
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    left_out = [_row(i.diagnostic) | {"ignored_by": i.rule.pattern, "ignore_line": i.rule.line}
                for i in sorted(ignored, key=lambda i: _key(i.diagnostic))]
    return json.dumps({"findings": rows, "ignored": left_out}, indent=2, ensure_ascii=False) + "\n"


def _row(d: Diagnostic) -> dict[str, object]:
    return {"severity": d.severity.value, "code": d.code, "file": d.location.path, "line": d.location.line,
            "column": d.location.column, "message": d.message, "url": d.url, "hint": d.hint}


def format_junit(diagnostics: Sequence[Diagnostic], ignored: Sequence[Ignored] = ()) -> str:
    """One test suite per file and one failing test case per error/warning; notes become passing cases, and
    findings check.per_file_ignores left out skipped ones (`<skipped message="ignored by ...">`).

    Test case names are unique within a suite (`path:line:column: code`, then ` #2`, ` #3` for problems that
    would still share one), since CI systems merge or drop cases of the same name. `time` is there for the
    parsers that require it; it is 0: findings have no duration, and the report stays the same run to run.
    """
    root = ET.Element("testsuites", name="talkbuild check")
    total = failures = skips = 0
    by: dict[Diagnostic, Ignored | None] = {d: None for d in diagnostics}
    by.update((i.diagnostic, i) for i in ignored)
    for path, group in groupby(sorted(by, key=_key), key=lambda d: d.location.path):
        items = list(group)
        bad = [d for d in items if d.severity is not Severity.INFO and by[d] is None]
        skipped = sum(1 for d in items if by[d] is not None)
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(items)), failures=str(len(bad)),
                              errors="0", skipped=str(skipped), time="0")
        seen: dict[str, int] = {}
        for d in items:
            place = _place(d)
            name = f"{path}:{place}: {d.code}" if place else f"{path}: {d.code}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name += f" #{seen[name]}"
            case = ET.SubElement(suite, "testcase", classname=path, name=name,
                                 file=path, line=str(d.location.line or 0), time="0")
            body = d.message + (f"\nurl: {d.url}" if d.url else "") + (f"\nhint: {d.hint}" if d.hint else "")
            left_out = by[d]
            if left_out is not None:
                ET.SubElement(case, "skipped", message=_ignored_by(left_out)).text = f"{d.severity.value}: {body}"
            elif d.severity is Severity.INFO:
                ET.SubElement(case, "system-out").text = body
            else:
                failure = ET.SubElement(case, "failure", message=d.message, type=f"{d.severity.value}:{d.code}")
                failure.text = body
        total += len(items)
        failures += len(bad)
        skips += skipped
    if total == 0:  # an empty report still records that the check ran and passed
        suite = ET.SubElement(root, "testsuite", name="talkbuild check", tests="1", failures="0", errors="0",
                              skipped="0", time="0")
        ET.SubElement(suite, "testcase", classname="talkbuild", name="site is clean", time="0")
        total = 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    if skips:
        root.set("skipped", str(skips))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], ignored: Sequence[Ignored] = (), show_ignored: bool = False) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request's diff; with
    `show_ignored`, each finding check.per_file_ignores left out becomes a notice that says so."""
    out = [_command(d) for d in sorted(diagnostics, key=_key)]
    if show_ignored:
        out += [_command(i.diagnostic, i) for i in sorted(ignored, key=lambda i: _key(i.diagnostic))]
    out.append(summary(diagnostics, ignored, listed=show_ignored))
    return "\n".join(out) + "\n"


def _command(d: Diagnostic, ignored: Ignored | None = None) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    props = [f"file={_escape_property(d.location.path)}"]
    if d.location.line:
        props.append(f"line={d.location.line}")
        if d.location.column:
            props.append(f"col={d.location.column}")
    title = f"talkbuild {d.code}" + (" (ignored)" if ignored else "")
    props.append(f"title={_escape_property(title)}")
    message = d.message + (f" <{d.url}>" if d.url and d.url not in d.message else "")
    if d.hint:
        message += f" ({d.hint})"
    if ignored is not None:
        message = f"{_ignored_by(ignored)}: {d.severity.value}: {message}"
    return f"::{'notice' if ignored else level[d.severity]} {','.join(props)}::{_escape_data(message)}"


def render(diagnostics: Sequence[Diagnostic], fmt: str, *, colour: bool = False, ignored: Sequence[Ignored] = (),
           show_ignored: bool = False) -> str:
    """The report in one of FORMATS; `ignored` are the findings check.per_file_ignores left out (always counted,
    listed with `show_ignored`; JUnit always lists them, as skipped test cases)."""
    formatters: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
        "json": lambda ds: format_json(ds, ignored, show_ignored),
        "junit": lambda ds: format_junit(ds, ignored),
        "github": lambda ds: format_github(ds, ignored, show_ignored),
        "text": lambda ds: format_text(ds, colour=colour, ignored=ignored, show_ignored=show_ignored),
    }
    return formatters[fmt](diagnostics)


def write_report(path: Path, text: str) -> None:
    """Write a report atomically, so CI never picks up half a file."""
    write_atomic(path, text)
