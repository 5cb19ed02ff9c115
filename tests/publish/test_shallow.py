"""In a shallow clone the order check cannot see ancestry: publish refuses unless it can prove the build is newer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from talkbuild.publish import PublishConflict, publish_site
from talkbuild.publish.release import ShallowHistory

from ..support import require
from .conftest import done, site_files, write_site

TALKBUILD = str(Path(sys.executable).parent / "talkbuild")
# The commit must come from the clone's git, not from a CI run this test happens to run in.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")} | {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=CLEAN_ENV).stdout.strip()


@pytest.fixture
def origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with three commits on main, tagged c1, c2, c3 (oldest first)."""
    require(shutil.which("git"), "git is not installed")
    for key in [k for k in os.environ if k.startswith("GITHUB_")]:
        monkeypatch.delenv(key)
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for n in (1, 2, 3):
        (repo / "talk.md").write_text(f"version {n}\n", encoding="utf-8")
        git(repo, "add", "talk.md")
        git(repo, "commit", "-q", "-m", f"c{n}")
        git(repo, "tag", f"c{n}")
    return repo


def clone(origin: Path, dest: Path, tag: str, depth: int | None) -> Path:
    shallow = ["--depth", str(depth)] if depth else []
    git(origin.parent, "clone", "-q", *shallow, "--branch", tag, origin.resolve().as_uri(), str(dest))
    # Each checkout publishes its own build: the version in the site follows the commit.
    write_site(dest / "_site", site_files(int(tag[1:])))
    return dest


def publish(checkout: Path, target: str) -> str:
    events = list(publish_site(checkout / "_site", target, project_root=checkout))
    return done(events).message


def test_a_shallow_clone_of_an_older_commit_cannot_replace_a_newer_live_one(origin: Path, tmp_path: Path) -> None:
    target = (tmp_path / "deploy").as_uri()
    assert publish(clone(origin, tmp_path / "full-c2", "c2", None), target) == "published"
    old = clone(origin, tmp_path / "shallow-c1", "c1", 1)
    assert git(old, "rev-parse", "--is-shallow-repository") == "true"
    with pytest.raises(ShallowHistory) as refused:
        publish(old, target)
    assert refused.value.exit_code == 2
    assert "cannot show that this build" in str(refused.value) and "git fetch --unshallow" in (refused.value.hint or "")
    assert "fetch-depth: 0" in (refused.value.hint or "")
    # The same commit from a full clone: git proves it older, the refusal it always was.
    with pytest.raises(PublishConflict) as older:
        publish(clone(origin, tmp_path / "full-c1", "c1", None), target)
    assert not isinstance(older.value, ShallowHistory) and "newer than this build" in str(older.value)
    # Fetching the history turns the shallow refusal into the proven one.
    git(old, "fetch", "-q", "--unshallow", "origin", "+refs/heads/*:refs/remotes/origin/*")
    with pytest.raises(PublishConflict, match="newer than this build"):
        publish(old, target)


def test_a_shallow_clone_publishes_when_its_history_shows_the_live_commit(origin: Path, tmp_path: Path) -> None:
    target = (tmp_path / "deploy").as_uri()
    assert publish(clone(origin, tmp_path / "full-c2", "c2", None), target) == "published"
    # depth 1 at c3 does not contain c2: newer in fact, but not provably; refused, nothing switched.
    with pytest.raises(ShallowHistory):
        publish(clone(origin, tmp_path / "shallow-c3", "c3", 1), target)
    # depth 2 at c3 contains c2 as its parent: proven newer.
    assert publish(clone(origin, tmp_path / "deeper-c3", "c3", 2), target) == "published"
    # The same build again from a shallow clone is just "already live".
    assert publish(clone(origin, tmp_path / "again-c3", "c3", 1), target) == "already live"


def test_the_cli_refuses_with_exit_2_and_the_fetch_hint(origin: Path, tmp_path: Path) -> None:
    target = (tmp_path / "deploy").as_uri()
    assert publish(clone(origin, tmp_path / "full-c2", "c2", None), target) == "published"
    old = clone(origin, tmp_path / "shallow-c1", "c1", 1)
    # The site was handed over (written, not built here): the deploy job names its commit.
    done_ = subprocess.run([TALKBUILD, "publish", "-C", str(old), "--target", target, "--prebuilt", "--commit", "HEAD"],
                           capture_output=True, text=True, env=CLEAN_ENV, timeout=120)
    assert done_.returncode == 2, done_.stderr
    assert "shallow clone" in done_.stderr and "fetch-depth: 0" in done_.stderr and "Traceback" not in done_.stderr
    assert not (tmp_path / "deploy" / "manifests").exists() or len(list((tmp_path / "deploy" / "manifests").iterdir())) == 1
