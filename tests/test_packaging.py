"""The wheel carries the default theme, so `pip install talkbuild` can build a project of its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from support import REPO

from talkbuild.themecheck import GENERATED, STATIC_REF


def test_wheel_contains_the_default_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("talkbuild-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "themes" / "default"
    expected = {f"talkbuild/_themes/default/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*") if p.is_file()}
    assert expected and expected <= names
    # Every file the default templates load (deck.html: deck.js and its parts) is in it, but the one each build writes.
    linked = {m for page in (theme / "templates").glob("*.html") for m in STATIC_REF.findall(page.read_text())} - GENERATED
    assert "deck-slides.js" in linked
    assert {f"talkbuild/_themes/default/static/{name}" for name in linked} <= names
