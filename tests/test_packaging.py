"""The wheel carries the default theme, so `pip install talkbuild` can build a project of its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from support import REPO


def test_wheel_contains_the_default_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("talkbuild-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "themes" / "default"
    expected = {f"talkbuild/_themes/default/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*") if p.is_file()}
    assert expected and expected <= names
