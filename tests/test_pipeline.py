"""The whole pipeline as a user runs it: build, check, publish (gated by check), verify, rollback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def talkbuild(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=120)


def test_build_check_publish_verify_rollback(make_project) -> None:
    root = make_project({
        "talks/a.md": "---\ntitle: A\nauthor: Me\ndate: 2026-01-01\n---\n\n## One\n\n[b](b.md#two)\n",
        "talks/b.md": "---\ntitle: B\nauthor: Me\ndate: 2026-01-02\n---\n\n## Two\n\ntext\n",
    })
    assert talkbuild(root, "build").returncode == 0
    checked = talkbuild(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    first = talkbuild(root, "publish")
    assert first.returncode == 0, first.stderr
    live = root / "_deploy" / "current"
    assert live.is_symlink() and (live / "a" / "slides" / "index.html").exists()
    first_release = os.readlink(live)

    # an edit that is not rebuilt: publish refuses to ship a stale _site
    (root / "talks/b.md").write_text("---\ntitle: B2\nauthor: Me\ndate: 2026-01-02\n---\n\n## Two\n\nnew text\n")
    stale = talkbuild(root, "publish")
    assert stale.returncode == 1
    assert "is not what the talks build to now" in stale.stderr and "run `talkbuild build`, then publish again" in stale.stderr
    assert os.readlink(live) == first_release

    # a broken link: check fails and publish refuses, live unchanged
    (root / "talks/b.md").write_text("---\ntitle: B2\nauthor: Me\ndate: 2026-01-02\n---\n\n## Renamed\n\nnew text\n")
    assert talkbuild(root, "build").returncode == 0
    broken = talkbuild(root, "publish")
    assert broken.returncode == 1
    assert "talks/a.md:9: error[missing-fragment]" in broken.stderr
    assert os.readlink(live) == first_release

    (root / "talks/a.md").write_text("---\ntitle: A\nauthor: Me\ndate: 2026-01-01\n---\n\n## One\n\n[b](b.md#renamed)\n")
    assert talkbuild(root, "build").returncode == 0
    second = talkbuild(root, "publish")
    assert second.returncode == 0, second.stderr
    assert os.readlink(live) != first_release
    assert "new text" in (live / "b" / "index.html").read_text()
    assert talkbuild(root, "verify").returncode == 0

    back = talkbuild(root, "rollback")
    assert back.returncode == 0, back.stderr
    assert os.readlink(live) == first_release
    assert "new text" not in (live / "b" / "index.html").read_text()
