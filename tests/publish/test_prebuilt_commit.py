"""publish --prebuilt names only a commit known to have built _site/: the one `talkbuild build` recorded while
_site/ is still what it wrote, or --commit; never the checkout's HEAD after a failed build."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkbuild.cli import main

from ..support import require
from .conftest import Deploy
from .test_shallow import CLEAN_ENV

TALK = "---\ntitle: {title}\nauthor: Ada\ndate: 2026-01-01\n---\n\n## Welcome\n\nHello.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env=CLEAN_ENV).stdout.strip()


def target_args(deploy: Deploy) -> list[str]:
    return ["-C", str(deploy.project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])


def commit_all(project: Path, message: str) -> str:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)
    return git(project, "rev-parse", "HEAD")


@pytest.fixture
def repo(deploy: Deploy, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The deploy's project as a git repository with one talk committed and built."""
    require(shutil.which("git"), "git is not installed")
    for key in ("GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_HEAD_REF"):
        monkeypatch.delenv(key, raising=False)
    project = deploy.project
    (project / ".gitignore").write_text("_site/\n.talkbuild/\n")
    (project / "talks").mkdir()
    (project / "talks" / "intro.md").write_text(TALK.format(title="Intro"))
    git(project, "init", "-q", "-b", "main")
    return project


def test_after_a_failed_build_prebuilt_refuses_and_never_names_the_new_commit(deploy: Deploy, repo: Path) -> None:
    good = commit_all(repo, "intro")
    assert run("build", "-C", str(repo))[0] == 0
    (repo / "talks" / "intro.md").write_text(TALK.format(title="Intro: broken"))  # an unquoted colon
    bad = commit_all(repo, "speaker 55 breaks title")
    code, _, err = run("build", "-C", str(repo))
    assert code == 1, err
    before = deploy.snapshot()
    code, out, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-55")
    assert code == 1, out
    assert "the last `talkbuild build`" in err and bad[:12] in err and "failed" in err
    assert f"its commit: {good[:12]}" in err and "--commit SHA" in err
    assert deploy.snapshot() == before, "nothing uploaded or switched"
    # Naming the commit that is not the site's is refused too; naming the one that built it publishes.
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-55", "--commit", bad)
    assert code == 1 and f"was built from commit {good[:12]}" in err, err
    code, out, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-55", "--commit", good[:8])
    assert code == 0, err
    pointer = deploy.pointer("pr-55")
    assert pointer is not None and pointer.commit == good
    code, out, _ = run("history", *target_args(deploy), "--channel", "pr-55", "--json")
    assert json.loads(out.splitlines()[0])["commit"] == good


def test_prebuilt_names_the_recorded_commit_while_site_is_what_the_build_wrote(deploy: Deploy, repo: Path) -> None:
    first = commit_all(repo, "intro")
    assert run("build", "-C", str(repo))[0] == 0
    (repo / "README.md").write_text("notes\n")  # a commit that changes no talk: the same site, built again
    second = commit_all(repo, "readme")
    assert run("build", "-C", str(repo))[0] == 0
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-1")
    assert code == 0, err
    assert f"commit {second[:12]} (`talkbuild build` at" in err
    pointer = deploy.pointer("pr-1")
    assert pointer is not None and pointer.commit == second and pointer.commit != first
    assert pointer.branch == "main"
    assert not any(second.encode() in p.read_bytes() for p in (repo / "_site").rglob("*") if p.is_file())


@pytest.mark.parametrize("change", ["site", "dirty", "none"])
def test_prebuilt_names_no_commit_when_nothing_vouches_for_one(deploy: Deploy, repo: Path, change: str) -> None:
    commit_all(repo, "intro")
    if change == "dirty":  # built with an uncommitted talk: the commit's talks are not the site's
        (repo / "talks" / "new.md").write_text(TALK.format(title="New"))
    assert run("build", "-C", str(repo))[0] == 0
    if change == "site":  # written to after the build (a minifier, a hand edit)
        (repo / "_site" / "extra.txt").write_text("added\n")
    if change == "none":  # an artifact from another job: no build here recorded it
        shutil.rmtree(repo / ".talkbuild")
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-2")
    assert code == 0, err
    assert "commit UNKNOWN" in err and {"dirty": "talks/new.md", "site": "changed since", "none": "recorded it"}[change] in err
    pointer = deploy.pointer("pr-2")
    assert pointer is not None and pointer.commit is None


def test_a_release_naming_no_commit_does_not_replace_live_that_names_one(deploy: Deploy, repo: Path) -> None:
    commit_all(repo, "intro")
    assert run("build", "-C", str(repo))[0] == 0
    assert run("publish", *target_args(deploy))[0] == 0
    (repo / "_site" / "extra.txt").write_text("added\n")
    code, _, err = run("publish", *target_args(deploy), "--prebuilt")
    assert code == 2 and "has no commit" in err and "--commit SHA" in err, err
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--commit", "HEAD")
    assert code == 0, err


def test_commit_needs_prebuilt_and_a_known_or_full_sha(deploy: Deploy, repo: Path) -> None:
    commit_all(repo, "intro")
    assert run("build", "-C", str(repo))[0] == 0
    code, _, err = run("publish", *target_args(deploy), "--commit", "HEAD")
    assert code == 2 and "--commit goes with --prebuilt" in err
    shutil.rmtree(repo / ".talkbuild")
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--commit", "abc123", "--channel", "pr-3")
    assert code == 2 and "does not know that commit" in err, err
    artifact = "a" * 40  # the build job's commit, which this checkout need not have
    code, _, err = run("publish", *target_args(deploy), "--prebuilt", "--commit", artifact, "--channel", "pr-3")
    assert code == 0, err
    pointer = deploy.pointer("pr-3")
    assert pointer is not None and pointer.commit == artifact


def test_a_publish_of_uncommitted_changes_says_the_recorded_commit_does_not_hold_them(deploy: Deploy,
                                                                                       repo: Path) -> None:
    # An integration trial: a laptop publish with an uncommitted talk recorded HEAD as if it built the release.
    head = commit_all(repo, "intro")
    (repo / "talks" / "draft.md").write_text(TALK.format(title="Not committed"))
    assert run("build", "-C", str(repo))[0] == 0
    code, _, err = run("publish", *target_args(deploy))
    assert code == 0, err
    assert (f"warning: the site holds changes not in commit {head[:12]} (talks/draft.md), which the release "
            "records as its commit") in err
    commit_all(repo, "draft")  # committed: nothing to say
    assert run("build", "-C", str(repo))[0] == 0
    code, _, err = run("publish", *target_args(deploy))
    assert code == 0 and "changes not in commit" not in err, err
