"""A build without a commit cannot be ordered against a live release that has one: refused (exit 2) unless asked."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from talkbuild.publish import publish_site
from talkbuild.publish.release import Unordered

from .conftest import done, site_files, write_site
from .test_shallow import CLEAN_ENV, TALKBUILD, clone, git, origin, publish

__all__ = ["origin"]  # the fixture, used by name


def export(repo: Path, tag: str, dest: Path) -> Path:
    """`git archive` of a tag: the files without .git, as a release tarball gives them."""
    raw = subprocess.run(["git", "archive", "--format=tar", tag], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        tar.extractall(dest, filter="data")
    write_site(dest / "_site", site_files(int(tag[1:])))
    return dest


def cli(project: Path, target: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TALKBUILD, "publish", "-C", str(project), "--target", target, "--prebuilt", *extra],
                          capture_output=True, text=True, env=CLEAN_ENV, timeout=120)


def test_a_build_without_a_commit_does_not_replace_a_live_release_with_one(origin: Path, tmp_path: Path) -> None:
    target = (tmp_path / "deploy").as_uri()
    assert publish(clone(origin, tmp_path / "full-c2", "c2", None), target) == "published"
    archived = export(origin, "c1", tmp_path / "archive-c1")
    with pytest.raises(Unordered) as refused:
        publish(archived, target)
    assert refused.value.exit_code == 2 and "this build has no commit" in str(refused.value)
    assert "publish from a clone" in (refused.value.hint or "") and "--allow-no-commit" in (refused.value.hint or "")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    git(fresh, "init", "-q", "-b", "main")  # a repository with nothing committed yet
    write_site(fresh / "_site", site_files(9))
    result = cli(fresh, target)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "has no commit" in result.stderr and "publish from a clone" in result.stderr
    assert len(list((tmp_path / "deploy" / "manifests").iterdir())) == 1, "nothing uploaded"
    # A preview to a new channel needs no ordering; asking by name replaces live.
    assert cli(archived, target, "--channel", "pr-1").returncode == 0
    forced = cli(archived, target, "--allow-no-commit", "--json")
    assert forced.returncode == 0, forced.stderr
    pointer = (tmp_path / "deploy" / "pointers" / "live.json").read_text()
    assert '"commit": null' in pointer


def test_without_any_commit_on_either_side_publish_works_as_before(tmp_path: Path) -> None:
    target = (tmp_path / "deploy").as_uri()
    project = tmp_path / "plain"
    for n in (1, 2):
        write_site(project / "_site", site_files(n))
        assert done(list(publish_site(project / "_site", target, project_root=project))).message == "published"
