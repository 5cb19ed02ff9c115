"""One question to git in the project's checkout: its answer, or None (no git, no repository, no answer)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_output(cwd: Path, *args: str) -> str | None:
    """`git ARGS` run in `cwd`: its output without surrounding whitespace, None when git fails or says nothing."""
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
