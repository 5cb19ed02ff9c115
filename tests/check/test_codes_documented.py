"""Every finding code the source writes is in docs/check.md's table and in check_ignores.KNOWN_CODES, so a new
check cannot land undocumented, nor be unignorable by mistake (per_file_ignores would call it unknown)."""

from __future__ import annotations

import re
from pathlib import Path

from talkbuild.check_ignores import IGNORE_CODES, KNOWN_CODES

ROOT = Path(__file__).resolve().parents[2]
_WRITTEN = re.compile(r'Severity\.(?:ERROR|WARNING|INFO)\s*,\s*"([a-z][a-z-]+)"|^CODE = "([a-z][a-z-]+)"', re.M)
NOT_CHECK = {"overfull-slide", "internal", "missing-file"}
"""Codes never in a check report: `talkbuild pdf`'s, serve's own failure, and the build's missing-file (check
reports the link as broken-link or missing-image instead)."""


def _written_codes() -> set[str]:
    return {code for path in (ROOT / "talkbuild").rglob("*.py") for found in _WRITTEN.findall(path.read_text())
            for code in found if code}


def test_every_code_the_source_writes_is_documented_and_known() -> None:
    written = _written_codes()
    assert len(written) > 40  # the pattern still finds the codes as the source writes them
    docs = (ROOT / "docs/check.md").read_text()
    table = docs[docs.index("## Diagnostic codes"):docs.index("## External links")]
    documented = {code for row in re.findall(r"^\| (`[^|]+`) \|", table, re.M) for code in re.findall(r"`([a-z-]+)`", row)}
    assert sorted(written - NOT_CHECK - documented) == []
    assert sorted(written - NOT_CHECK - KNOWN_CODES - IGNORE_CODES) == []
