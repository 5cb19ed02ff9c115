"""Diagnostics as text (people), JSON (tools), JUnit XML (CI test reports) or GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path
from xml.etree import ElementTree as ET

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


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """One line: how many errors, warnings and notes."""
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    if not diagnostics:
        return "no problems found"
    parts = [f"{counts[Severity.ERROR]} error(s)", f"{counts[Severity.WARNING]} warning(s)"]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} note(s)")
    files = len({d.location.path for d in diagnostics})
    return ", ".join(parts) + f" in {files} file(s)"


def format_text(diagnostics: Sequence[Diagnostic], *, colour: bool = False) -> str:
    """Grouped by file, sorted by line, then a one-line summary."""

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    out: list[str] = []
    for path, group in groupby(sorted(diagnostics, key=_key), key=lambda d: d.location.path):
        out.append(paint(path, _BOLD))
        for d in group:
            line = _place(d) or "-"
            label = paint(f"{d.severity.value}[{d.code}]", _COLOURS[d.severity])
            text = f"  {line:>5}  {label} {d.message}"
            if d.url and d.url not in d.message:
                text += f" <{d.url}>"
            out.append(text)
            if d.hint:
                out.append(f"         hint: {d.hint}")
        out.append("")
    out.append(summary(diagnostics))
    return "\n".join(out) + "\n"


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A list of {severity, code, file, line, column, message, url, hint}, sorted like the text report."""
    rows = [
        {"severity": d.severity.value, "code": d.code, "file": d.location.path, "line": d.location.line,
         "column": d.location.column, "message": d.message, "url": d.url, "hint": d.hint}
        for d in sorted(diagnostics, key=_key)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def format_junit(diagnostics: Sequence[Diagnostic]) -> str:
    """One test suite per file and one failing test case per error/warning; notes become passing cases.

    Test case names are unique within a suite (`path:line:column: code`, then ` #2`, ` #3` for problems that
    would still share one), since CI systems merge or drop cases of the same name. `time` is there for the
    parsers that require it; it is 0: findings have no duration, and the report stays the same run to run.
    """
    root = ET.Element("testsuites", name="talkbuild check")
    total = failures = 0
    for path, group in groupby(sorted(diagnostics, key=_key), key=lambda d: d.location.path):
        items = list(group)
        bad = [d for d in items if d.severity is not Severity.INFO]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(items)), failures=str(len(bad)),
                              errors="0", skipped="0", time="0")
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
            if d.severity is Severity.INFO:
                ET.SubElement(case, "system-out").text = body
            else:
                failure = ET.SubElement(case, "failure", message=d.message, type=f"{d.severity.value}:{d.code}")
                failure.text = body
        total += len(items)
        failures += len(bad)
    if total == 0:  # an empty report still records that the check ran and passed
        suite = ET.SubElement(root, "testsuite", name="talkbuild check", tests="1", failures="0", errors="0",
                              skipped="0", time="0")
        ET.SubElement(suite, "testcase", classname="talkbuild", name="site is clean", time="0")
        total = 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request's diff."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for d in sorted(diagnostics, key=_key):
        props = [f"file={_escape_property(d.location.path)}"]
        if d.location.line:
            props.append(f"line={d.location.line}")
            if d.location.column:
                props.append(f"col={d.location.column}")
        props.append(f"title={_escape_property(f'talkbuild {d.code}')}")
        message = d.message + (f" <{d.url}>" if d.url and d.url not in d.message else "")
        if d.hint:
            message += f" ({d.hint})"
        out.append(f"::{level[d.severity]} {','.join(props)}::{_escape_data(message)}")
    out.append(summary(diagnostics))
    return "\n".join(out) + "\n"


def render(diagnostics: Sequence[Diagnostic], fmt: str, *, colour: bool = False) -> str:
    """The report in one of FORMATS."""
    formatters: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
        "json": format_json, "junit": format_junit, "github": format_github,
        "text": lambda ds: format_text(ds, colour=colour),
    }
    return formatters[fmt](diagnostics)


def write_report(path: Path, text: str) -> None:
    """Write a report atomically, so CI never picks up half a file."""
    write_atomic(path, text)
