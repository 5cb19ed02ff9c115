"""An image replaced by a file with the same size and modification time (cp -p, rsync -a, tar x, unzip, a file
system that keeps whole seconds) is noticed: a rebuild from the caches always equals a cold build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import talkbuild.filestamp
from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config

TALK = "---\ntitle: T\ndate: 2020-01-01\nauthor: a\n---\n## s\n\n![fig](fig.png)\n"


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


def _replace_keeping_mtime(path: Path, data: bytes) -> None:
    """The trial's recipe: a new file of the same size, given the old one's times (what cp -p / rsync -a do)."""
    st = os.stat(path)
    path.unlink()
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _overwrite_keeping_mtime(path: Path, data: bytes) -> None:
    """`cp -p new fig.png` onto an existing file: same inode, new bytes, old times."""
    st = os.stat(path)
    with open(path, "r+b") as f:
        f.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("change", [_replace_keeping_mtime, _overwrite_keeping_mtime])
def test_an_image_changed_with_the_same_size_and_mtime_is_copied_again(make_project, change) -> None:
    root = make_project({"talks/t/index.md": TALK, "talks/t/fig.png": b"AAAA-version-1"})
    assert _cli(root, "build").returncode == 0
    change(root / "talks/t/fig.png", b"BBBB-version-2")
    done = _cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert (root / "_site/t/fig.png").read_bytes() == b"BBBB-version-2"
    assert "1 rendered" in done.stderr  # the talk's cache entry named the old image


@pytest.mark.parametrize("change", [_replace_keeping_mtime, _overwrite_keeping_mtime])
def test_the_change_is_seen_long_after_the_last_write_without_hashing(make_project, change,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """No file is 'racily' recent here: the change time and inode alone must tell the new file from the old."""
    monkeypatch.setattr(talkbuild.filestamp, "RACY_NS", 0)
    monkeypatch.setattr(talkbuild.filestamp, "_sha256", lambda path: pytest.fail("hashed a file that is not recent"))
    root = make_project({"talks/t/index.md": TALK, "talks/t/fig.png": b"AAAA-version-1"})
    config = load_config(root)
    build(config)
    change(root / "talks/t/fig.png", b"BBBB-version-2")
    result = build(config)
    assert result.rebuilt == 1
    assert (root / "_site/t/fig.png").read_bytes() == b"BBBB-version-2"


def test_a_rebuild_after_the_change_equals_a_cold_build(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/t/index.md": TALK, "talks/t/fig.png": b"AAAA-version-1"})
    config = load_config(root)
    build(config)
    _replace_keeping_mtime(root / "talks/t/fig.png", b"BBBB-version-2")
    build(config)
    cold = tmp_path / "cold"
    build(config, BuildOptions(out_dir=cold, use_cache=False))
    site = root / "_site"
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == sorted(p.relative_to(cold) for p in cold.rglob("*"))
    for path in site.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (cold / path.relative_to(site)).read_bytes(), path


def test_an_unchanged_image_is_neither_rendered_nor_copied_again(make_project) -> None:
    root = make_project({"talks/t/index.md": TALK, "talks/t/fig.png": b"AAAA-version-1"})
    config = load_config(root)
    build(config)
    before = os.stat(root / "_site/t/fig.png").st_ino
    again = build(config)
    assert again.rebuilt == 0
    assert os.stat(root / "_site/t/fig.png").st_ino == before
    shutil.rmtree(root / "_site")
    assert build(config).rebuilt == 0
