"""The site is the same bytes in every locale: talkbuild reads and writes names and text as UTF-8 even under
LC_ALL=C or a Latin-1 locale (the command re-starts itself in Python's UTF-8 mode)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FILES: dict[str, str | bytes] = {
    "talkbuild.yml": "title: Vorträge\n",
    "talks/Déjà Vu.md": "---\ntitle: Déjà Vu\ndate: 2022-12-01\n---\n\n## Eins\n\n[Über](Über Café/index.md) ![f](bilder/Grüße.png)\n",
    "talks/Über Café/index.md": "---\ntitle: Über Café 日本語\n---\n\n## Zwei\n\nÇa va.\n",
    "talks/中文/演讲.md": "---\ntitle: 中文演讲\nlang: zh-Hans\n---\n\n## 三\n\n好\n",
    "talks/bilder/Grüße.png": b"\x89PNG-not-really",
}
UTF8_ENV = {"LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}
C_ENV = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _commands() -> list[list[str]]:
    script = Path(sys.executable).parent / "talkbuild"
    # `python -m talkbuild` too: it goes through entry.run and cli.run, whose UTF-8 re-start keeps the `-m talkbuild`.
    commands = [[sys.executable, "-m", "talkbuild.cli"], [sys.executable, "-m", "talkbuild"]]
    if script.exists():  # the installed console script, as a user runs it
        commands.append([str(script)])
    return commands


def _run(command: list[str], root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENCODING"))}
    return subprocess.run([*command, *args], cwd=root, env={**clean, **env}, capture_output=True, timeout=120)


def _tree(site: Path) -> dict[bytes, bytes]:
    return {os.fsencode(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _site_in(env: dict[str, str], command: list[str], make_project, base: Path) -> dict[bytes, bytes]:
    root = make_project(FILES, base)
    done = _run(command, root, env, "build")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    checked = _run(command, root, env, "check")
    assert checked.returncode == 0, checked.stdout.decode("utf-8", "replace")
    return _tree(root / "_site")


def _latin1_locale(tmp_path: Path) -> dict[str, str]:
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("localedef is not installed: cannot make a Latin-1 locale (the LC_ALL=C case still runs)")
    target = tmp_path / "locales"
    target.mkdir()
    made = subprocess.run([localedef, "-i", "de_DE", "-f", "ISO-8859-1", str(target / "de_DE.ISO-8859-1")],
                          capture_output=True, timeout=120)
    if not (target / "de_DE.ISO-8859-1").exists():
        pytest.skip(f"localedef could not make de_DE.ISO-8859-1: {made.stderr.decode(errors='replace').strip()}")
    return {"LOCPATH": str(target), "LC_ALL": "de_DE.ISO-8859-1", "PYTHONUTF8": "0"}


@pytest.mark.parametrize("command", _commands(), ids=lambda c: "script" if len(c) == 1 else c[-1])
def test_the_c_locale_gives_the_same_site_as_utf8(make_project, tmp_path: Path, command: list[str]) -> None:
    utf8 = _site_in(UTF8_ENV, command, make_project, tmp_path / "utf8")
    assert "Über Café/index.html".encode() in utf8
    assert _site_in(C_ENV, command, make_project, tmp_path / "c") == utf8


def test_a_latin1_locale_gives_the_same_site_as_utf8(make_project, tmp_path: Path) -> None:
    latin1 = _latin1_locale(tmp_path)
    command = _commands()[-1]
    utf8 = _site_in(UTF8_ENV, command, make_project, tmp_path / "utf8")
    assert _site_in(latin1, command, make_project, tmp_path / "latin1") == utf8


def test_a_talk_whose_name_is_not_utf8_is_refused_by_name(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/ok.md": "---\ntitle: Ok\n---\n\n## A\n\nHi\n"})
    (root / "talks").joinpath(os.fsdecode(b"caf\xe9.md")).write_text("---\ntitle: Cafe\n---\n\n## A\n", encoding="utf-8")
    done = _run(_commands()[0], root, UTF8_ENV, "build")
    assert done.returncode == 1
    assert b"error[bad-name]" in done.stderr and b"not UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr
