"""Helpers for the CI/CD tests: the venv's talkbuild, the commands it has, make."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import require


@functools.cache
def talkbuild_bin() -> str:
    """The talkbuild console script of the interpreter running the tests (the checkout under test)."""
    candidate = Path(sys.executable).parent / "talkbuild"
    found = str(candidate) if candidate.exists() else shutil.which("talkbuild")
    assert found, "talkbuild is not installed in this environment (pip install -e '.[test]')"
    return found


@functools.cache
def talkbuild_commands() -> frozenset[str]:
    """The subcommands `talkbuild --help` lists."""
    out = subprocess.run([talkbuild_bin(), "--help"], capture_output=True, text=True, check=True).stdout
    listed = out.split("Commands:", 1)[1] if "Commands:" in out else ""
    return frozenset(line.split()[0] for line in listed.splitlines() if line.strip())


def require_commands(*names: str) -> None:
    """Skip (fail under CI=true) until every named command is on this branch (check: issue 4, the rest: issue 6)."""
    missing = sorted(set(names) - talkbuild_commands())
    require(not missing, f"`talkbuild {' / '.join(missing)}` not on this branch yet; `make ci` calls it "
                         "(issues 4 and 6 add it; under CI=true this is a failure)")


def require_make() -> str:
    make = shutil.which("make")
    require(make, "GNU make is not installed")
    assert make
    return make




def run_make(make: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`make ARGS` in `cwd` as a user would run it: not as a sub-make of the `make test` running this suite
    (its MAKEFLAGS/MAKELEVEL would add `make[1]: Entering directory` lines and pass its options down)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    return subprocess.run([make, "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, env=env)
