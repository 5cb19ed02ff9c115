"""Fixtures for the CI/CD tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ci_support import talkbuild_bin


@pytest.fixture
def scaffold(tmp_path: Path) -> Path:
    """A fresh `talkbuild init` project."""
    root = tmp_path / "group-talks"
    done = subprocess.run([talkbuild_bin(), "init", str(root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root
