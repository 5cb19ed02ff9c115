"""`talkbuild init [DIR]`: a new talks repository that builds at once and never clobbers anything."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import ci_support
import pytest
import yaml
from ci_support import talkbuild_bin

from talkbuild.config import load_config
from talkbuild.init import InitError, init_project, scaffold_files

EXPECTED = {
    ".github/workflows/ci.yml", ".github/workflows/preview-cleanup.yml", ".github/workflows/prune.yml",
    ".github/workflows/rollback.yml", ".gitignore", "Makefile", "README.md", "requirements.txt",
    "talkbuild.yml", "talks/welcome/index.md", "talks/welcome/pipeline.svg",
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([talkbuild_bin(), *args], capture_output=True, text=True, cwd=cwd)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_init_writes_the_scaffold_and_says_what_next(tmp_path: Path) -> None:
    done = run("init", str(tmp_path / "new"))
    assert done.returncode == 0, done.stderr
    assert set(tree(tmp_path / "new")) == EXPECTED
    assert "make ci" in done.stdout and "make serve" in done.stdout and "TALKBUILD_TARGET" in done.stdout
    assert not list((tmp_path / "new").rglob("*.tmp")), "no temporary files left behind"


def test_the_scaffold_builds_strictly(scaffold: Path) -> None:
    done = run("build", "-C", str(scaffold), "--strict")
    assert done.returncode == 0, done.stderr
    site = scaffold / "_site"
    assert (site / "welcome" / "index.html").is_file() and (site / "welcome" / "slides" / "index.html").is_file()
    assert (site / "welcome" / "pipeline.svg").read_bytes() == (scaffold / "talks/welcome/pipeline.svg").read_bytes()
    assert 'src="../welcome/pipeline.svg"' in (site / "welcome" / "index.html").read_text(encoding="utf-8")


def test_the_scaffold_passes_check_with_external_links_and_reaches_no_server(scaffold: Path) -> None:
    # Its example talk once linked to serve's address, so `check --external` warned on every new project.
    done = run("check", "-C", str(scaffold), "--external", "--strict", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "[]"


def test_init_refuses_a_non_empty_folder_and_touches_nothing(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    done = run("init", str(target))
    assert done.returncode == 2
    assert "is not empty" in done.stderr and "--force" in done.stderr and "Traceback" not in done.stderr
    assert tree(target) == {"notes.txt": b"keep me"}


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    done = run("init", str(tmp_path / "f"))
    assert done.returncode == 2 and "is a file" in done.stderr
    with pytest.raises(InitError, match="not a folder"):
        init_project(tmp_path / "f")


def test_force_adds_missing_files_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    (target / "talks").mkdir(parents=True)
    (target / "README.md").write_text("my own readme\n", encoding="utf-8")
    (target / "Makefile").write_text("all:\n\techo mine\n", encoding="utf-8")
    done = run("init", "--force", str(target))
    assert done.returncode == 0, done.stderr
    assert (target / "README.md").read_text(encoding="utf-8") == "my own readme\n"
    assert (target / "Makefile").read_text(encoding="utf-8") == "all:\n\techo mine\n"
    assert "kept as it was: Makefile" in done.stdout and "kept as it was: README.md" in done.stdout
    # Their Makefile lacks the targets the workflows call: the scaffold's is written beside it to include.
    assert set(tree(target)) == EXPECTED | {"talkbuild.mk"}


def test_a_folder_with_only_git_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert run("init", str(tmp_path / "repo")).returncode == 0
    assert (tmp_path / "repo" / "talkbuild.yml").is_file()


def test_init_without_dir_uses_the_current_folder(tmp_path: Path) -> None:
    done = run("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "talks" / "welcome" / "index.md").is_file()
    assert "cd " not in done.stdout


def test_titles_with_yaml_syntax_stay_valid(tmp_path: Path) -> None:
    title = 'Talks: "Group #1" – ünïcode'
    result = init_project(tmp_path / "t", title=title, today=datetime.date(2026, 3, 1))
    assert load_config(result.root).title == title
    front = (result.root / "talks/welcome/index.md").read_text(encoding="utf-8").split("---")[1]
    assert yaml.safe_load(front) == {"title": f"Welcome to {title}", "author": "Your Name",
                                     "date": datetime.date(2026, 3, 1), "duration": 10}
    assert run("build", "-C", str(result.root), "--strict").returncode == 0


def test_every_placeholder_is_filled_and_output_is_deterministic() -> None:
    one = scaffold_files("T", datetime.date(2026, 1, 2))
    assert one == scaffold_files("T", datetime.date(2026, 1, 2))
    for rel, content in one.items():
        assert b"@@" not in content, f"{rel} still has a placeholder"
    assert b"talkbuild==" in one["requirements.txt"]


def test_default_title_comes_from_the_folder_name(tmp_path: Path) -> None:
    result = init_project(tmp_path / "research-group_talks")
    assert load_config(result.root).title == "Research group talks"


def test_init_from_a_source_checkout_points_requirements_at_it_and_says_what_ci_needs(tmp_path: Path) -> None:
    from talkbuild.init import init_project, talkbuild_requirement

    requirement, warning = talkbuild_requirement()
    result = init_project(tmp_path / "group")
    written = (tmp_path / "group" / "requirements.txt").read_text(encoding="utf-8")
    assert requirement in written
    if requirement.startswith("talkbuild @ file://"):  # this test suite runs from an editable install
        assert warning and "before CI can run" in warning and warning in result.warnings
    else:
        assert requirement.startswith("talkbuild==") and warning and "not on PyPI" in warning
        assert "# talkbuild is not on PyPI" in written


# --- How the new repository installs talkbuild: exactly as this one was installed (PEP 610 direct_url.json)
GIT_SHA = "3f9c2a1b4d5e6f708192a3b4c5d6e7f801234567"


def test_a_pip_vcs_install_is_pinned_to_its_url_and_commit() -> None:
    from talkbuild.init import requirement_for

    direct = json.dumps({"url": "https://github.com/acme/talkbuild", "vcs_info": {
        "vcs": "git", "commit_id": GIT_SHA, "requested_revision": "main"}})
    assert requirement_for(direct, "0.1.0") == (f"talkbuild @ git+https://github.com/acme/talkbuild@{GIT_SHA}", None)


def test_a_git_file_url_keeps_git_and_the_commit_and_warns_that_only_this_machine_has_it() -> None:
    from talkbuild.init import requirement_for

    # pip records `git+file:///x#egg=talkbuild` as url file:///x with vcs_info; it used to be pinned as
    # `talkbuild @ file:///x`, which installs whatever the folder holds, not the commit.
    direct = json.dumps({"url": "file:///x", "vcs_info": {"vcs": "git", "commit_id": GIT_SHA}})
    line, warning = requirement_for(direct, "0.1.0")
    assert line == f"talkbuild @ git+file:///x@{GIT_SHA}"
    assert warning and "only this machine has" in warning and "git+https://" in warning


def test_a_local_folder_install_is_pinned_to_it_with_the_warning() -> None:
    from talkbuild.init import requirement_for

    line, warning = requirement_for(json.dumps({"url": "file:///src/talkbuild", "dir_info": {"editable": True}}),
                                    "0.1.0")
    assert line == "talkbuild @ file:///src/talkbuild" and warning and "before CI can run" in warning


def test_an_index_install_is_pinned_by_version_and_an_archive_by_url_and_hash() -> None:
    from talkbuild.init import requirement_for

    line, warning = requirement_for(None, "0.2.0")
    assert line == "talkbuild==0.2.0" and warning and "talkbuild is not on PyPI" in warning
    assert "git+https://HOST/OWNER/talkbuild@COMMIT" in warning
    archive = {"url": "https://files.example.org/talkbuild-0.2.0-py3-none-any.whl",
               "archive_info": {"hashes": {"sha256": "ab" * 32}}}
    assert requirement_for(json.dumps(archive), "0.2.0") == (
        f"talkbuild @ https://files.example.org/talkbuild-0.2.0-py3-none-any.whl#sha256={'ab' * 32}", None)


def test_the_new_readme_says_how_talkbuild_is_installed_and_links_no_package_index() -> None:
    files = scaffold_files("T", datetime.date(2026, 1, 2), f"talkbuild @ git+https://github.com/acme/talkbuild@{GIT_SHA}")
    readme = files["README.md"].decode()
    assert "pypi.org" not in readme
    assert f"talkbuild @ git+https://github.com/acme/talkbuild@{GIT_SHA}" in readme
    assert files["requirements.txt"].decode().splitlines()[-1] == f"talkbuild @ git+https://github.com/acme/talkbuild@{GIT_SHA}"


# --- The branch the workflows publish from, and a kept Makefile or talks/ in an existing repository
def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_init_warns_when_the_repository_is_not_on_main(tmp_path: Path) -> None:
    repo = tmp_path / "talks-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "master")
    done = run("init", str(repo))
    assert done.returncode == 0, done.stderr
    assert "on branch 'master'" in done.stdout and "git branch -m master main" in done.stdout
    assert "publish only from" in done.stdout and "git init" not in done.stdout


def test_init_on_main_does_not_warn_and_a_new_folder_is_told_to_start_on_main(tmp_path: Path) -> None:
    repo = tmp_path / "on-main"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    done = run("init", str(repo))
    assert done.returncode == 0, done.stderr
    assert "git branch -m" not in done.stdout and "on branch" not in done.stdout
    fresh = run("init", str(tmp_path / "fresh"))
    assert "git init -b main" in fresh.stdout and "publish from 'main' only" in fresh.stdout.replace("\n", " ")


def test_force_warns_when_a_kept_makefile_lacks_the_targets_the_workflows_call(tmp_path: Path) -> None:
    make = ci_support.require_make()
    repo = tmp_path / "existing"
    repo.mkdir()
    (repo / "Makefile").write_text("test:\n\t@echo my tests\n", encoding="utf-8")
    done = run("init", "--force", str(repo))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    for target in ("ci", "deploy", "prune", "rollback", "serve", "site", "undeploy"):
        assert target in out.split("has no target ", 1)[1].split(";", 1)[0], target
    assert "has no target ci, deploy," in out and "test," not in out.split("has no target ", 1)[1].split(";")[0]
    assert "include talkbuild.mk" in out
    assert (repo / "Makefile").read_text(encoding="utf-8") == "test:\n\t@echo my tests\n", "never overwritten"
    # Following the hint works: the included file brings every missing target.
    with (repo / "Makefile").open("a", encoding="utf-8") as f:
        f.write("include talkbuild.mk\n")
    for target in ("ci", "site", "deploy", "undeploy", "rollback", "prune", "serve"):
        dry = ci_support.run_make(make, "-n", target, "TALKBUILD=true", cwd=repo)
        assert dry.returncode == 0, f"make -n {target}: {dry.stderr}"
    assert "has no target" not in run("init", "--force", str(repo)).stdout, "an included Makefile counts"


def test_force_with_a_complete_makefile_does_not_warn(tmp_path: Path) -> None:
    repo = tmp_path / "complete"
    repo.mkdir()
    (repo / "Makefile").write_bytes(scaffold_files("T", datetime.date(2026, 1, 2))["Makefile"])
    done = run("init", "--force", str(repo))
    assert done.returncode == 0 and "has no target" not in done.stdout
    assert not (repo / "talkbuild.mk").exists()


def test_force_adds_no_example_talk_to_a_repository_that_has_talks(tmp_path: Path) -> None:
    repo = tmp_path / "with-talks"
    (repo / "talks" / "2025").mkdir(parents=True)
    (repo / "talks" / "2025" / "intro.md").write_text("---\ntitle: Intro\n---\n\n## A\n\nx\n", encoding="utf-8")
    done = run("init", "--force", str(repo))
    assert done.returncode == 0, done.stderr
    assert not (repo / "talks" / "welcome").exists()
    assert "example talk (talks/welcome/) was not added" in done.stdout
    # Only drafts kept out of the build (`_drafts/`) are not talks: the example is still added then.
    other = tmp_path / "drafts-only"
    (other / "talks" / "_drafts").mkdir(parents=True)
    (other / "talks" / "_drafts" / "idea.md").write_text("x\n", encoding="utf-8")
    assert run("init", "--force", str(other)).returncode == 0
    assert (other / "talks" / "welcome" / "index.md").is_file()


def test_init_warns_when_the_folder_is_inside_another_repository(tmp_path: Path) -> None:
    """GitHub reads workflows only at a repository's root: a scaffold in a subfolder would never run."""
    outer = tmp_path / "group"
    outer.mkdir()
    git(outer, "init", "-q", "-b", "main")
    done = run("init", str(outer / "talks-site"))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "is inside the git repository" in out and "GitHub runs only the workflows in" in out
    assert "not on" not in out and "git branch -m" not in out
    assert "inside the git repository" not in run("init", "--force", str(outer)).stdout
