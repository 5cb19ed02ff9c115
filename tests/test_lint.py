"""The package stays typed (mypy --strict) and lint-clean (ruff), as the style guide asks."""

from __future__ import annotations

import shutil
import subprocess
import sys

from support import REPO, require


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(tool, path=str(REPO / ".venv" / "bin")) or shutil.which(tool)
    require(exe, f"{tool} is not installed (pip install -e '.[test]')")
    assert exe
    return subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "talkbuild", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = run("mypy", "--python-executable", sys.executable)
    assert result.returncode == 0, result.stdout + result.stderr
