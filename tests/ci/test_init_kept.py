"""`init --force` in an existing repository: kept files are completed or warned about, never silently broken."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import ci_support
from ci_support import talkbuild_bin

from talkbuild.init import init_project
from talkbuild.init_pin import requirement_for


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([talkbuild_bin(), *args], capture_output=True, text=True, cwd=cwd)


def git(cwd: Path, *args: str) -> str:
    env_args = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    return subprocess.run(["git", *env_args, *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def test_a_kept_requirements_txt_without_talkbuild_gets_the_pin_appended(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "requirements.txt").write_text("requests==2.32.0", encoding="utf-8")  # no final newline
    result = init_project(repo, force=True)
    lines = (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "requests==2.32.0" and lines[-1].startswith("talkbuild")
    assert any("requirements.txt (kept) had no talkbuild line: appended" in n for n in result.notes)
    # A kept file with its own talkbuild line stays as it was, and nothing claims a pin init did not write.
    own = tmp_path / "own"
    own.mkdir()
    (own / "requirements.txt").write_text("talkbuild @ git+https://example.org/t@abc\n", encoding="utf-8")
    result = init_project(own, force=True)
    assert (own / "requirements.txt").read_text(encoding="utf-8") == "talkbuild @ git+https://example.org/t@abc\n"
    assert not any("requirements.txt pins" in w or "requirements.txt installs talkbuild from" in w
                   for w in result.warnings)
    assert any("installs talkbuild as `talkbuild @ git+https://example.org/t@abc`" in n for n in result.notes)
    assert not any("not on PyPI" in w for w in result.warnings)
    # A kept index pin cannot install in CI (talkbuild is not on PyPI): said as loudly as for a pin init writes.
    pinned = tmp_path / "pinned"
    pinned.mkdir()
    (pinned / "requirements.txt").write_text("talkbuild==0.0.1\n", encoding="utf-8")
    result = init_project(pinned, force=True)
    assert (pinned / "requirements.txt").read_text(encoding="utf-8") == "talkbuild==0.0.1\n"
    assert any("installs talkbuild as `talkbuild==0.0.1`, from a package index, but talkbuild is not on PyPI" in w
               for w in result.warnings)


def test_a_lowercase_makefile_is_the_kept_makefile(tmp_path: Path) -> None:
    make = ci_support.require_make()
    for name in ("makefile", "GNUmakefile"):
        repo = tmp_path / name
        repo.mkdir()
        (repo / name).write_text("test:\n\t@echo mine\n", encoding="utf-8")
        done = run("init", "--force", str(repo))
        assert done.returncode == 0, done.stderr
        out = " ".join(done.stdout.split())
        assert f"this folder has a {name}, which GNU make reads instead of Makefile" in out
        assert f"your {name} (kept as it was) has no target ci" in out and "include talkbuild.mk" in out
        assert not (repo / "Makefile").exists() or name == "makefile" and (repo / "Makefile").samefile(repo / name)
        with (repo / name).open("a", encoding="utf-8") as f:
            f.write("include talkbuild.mk\n")
        dry = ci_support.run_make(make, "-n", "ci", "TALKBUILD=true", cwd=repo)
        assert dry.returncode == 0, dry.stderr


def test_talkbuild_mk_changes_none_of_the_users_variables_or_targets(tmp_path: Path) -> None:
    make = ci_support.require_make()
    repo = tmp_path / "mine"
    repo.mkdir()
    (repo / "Makefile").write_text(
        "VENV = venv\nSTAMP = my-stamp\nPORT = 9999\n"
        "show:\n\t@echo $(VENV) $(STAMP) $(PORT)\ntest:\n\t@echo my tests\nclean:\n\t@echo my clean\n"
        "include talkbuild.mk\n", encoding="utf-8")
    done = run("init", "--force", str(repo))
    assert done.returncode == 0 and "changes none of yours" in " ".join(done.stdout.split())

    def make_(*args: str) -> subprocess.CompletedProcess[str]:
        return ci_support.run_make(make, *args, cwd=repo)

    show = make_("show")
    assert show.stdout.strip() == "venv my-stamp 9999", show.stdout
    for target, expected in (("test", "my tests"), ("clean", "my clean")):
        got = make_(target)
        assert got.returncode == 0 and got.stdout.strip() == expected and "overriding" not in got.stderr, got
    serve = make_("-n", "serve")
    assert "python3 -m venv .venv" in serve.stdout and ".venv/bin/talkbuild serve --port 8000" in serve.stdout
    assert "overriding" not in serve.stderr
    deploy = make_("-n", "deploy", "TALKBUILD=true")
    assert deploy.returncode == 0, deploy.stderr
    # make ci runs the scaffold's strict build (tb-test), not the user's own `test`.
    ci = make_("-n", "ci", "TALKBUILD=true")
    assert ci.returncode == 0 and " tb-test" in ci.stdout and " tb-deploy" in ci.stdout, ci.stdout
    assert "build --strict" in make_("-n", "tb-test", "TALKBUILD=true").stdout


def test_a_kept_gitignore_gets_the_build_folders_and_a_kept_workflow_without_deploy_warns(tmp_path: Path) -> None:
    repo = tmp_path / "g"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".gitignore").write_text("*.pyc\n/_site\n", encoding="utf-8")
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs:\n  test:\n    runs-on: x\n",
                                                           encoding="utf-8")
    result = init_project(repo, force=True)
    text = (repo / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith("*.pyc\n/_site\n") and ".venv/" in text and "_deploy/" in text and ".talkbuild/" in text
    assert text.count("_site") == 1, "an entry written differently (/_site) counts"
    assert any(".gitignore (kept) did not ignore .venv/, _deploy/" in n for n in result.notes)
    assert any("ci.yml (kept) has no deploy job" in w for w in result.warnings)
    git(repo, "init", "-q", "-b", "main")
    (repo / "_deploy").mkdir()
    (repo / "_deploy" / "x").write_text("x", encoding="utf-8")
    (repo / ".venv").mkdir()
    (repo / ".venv" / "x").write_text("x", encoding="utf-8")
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert "_deploy/" not in status and ".venv/" not in status


def test_init_on_a_detached_head_warns(tmp_path: Path) -> None:
    repo = tmp_path / "d"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.txt").write_text("a", encoding="utf-8")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "a")
    git(repo, "checkout", "-q", "--detach")
    done = run("init", "--force", str(repo))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "HEAD is detached" in out and "git switch main" in out and "git init -b main" not in out


def test_pins_for_unusual_installs() -> None:
    sha = "3f9c2a1b4d5e6f708192a3b4c5d6e7f801234567"
    line, warning = requirement_for(json.dumps({"url": "ssh://git@example.org/acme/talkbuild",
                                                "vcs_info": {"vcs": "git", "commit_id": sha}}), "0.1.0")
    assert line == f"talkbuild @ git+ssh://git@example.org/acme/talkbuild@{sha}" and warning and "SSH" in warning
    line, _ = requirement_for(json.dumps({"url": "https://example.org/mono", "subdirectory": "tools/talkbuild",
                                          "vcs_info": {"vcs": "git", "commit_id": sha}}), "0.1.0")
    assert line == f"talkbuild @ git+https://example.org/mono@{sha}#subdirectory=tools/talkbuild"
    line, _ = requirement_for(json.dumps({"url": "https://example.org/t.whl",
                                          "archive_info": {"hash": "sha256=" + "cd" * 32}}), "0.1.0")
    assert line == f"talkbuild @ https://example.org/t.whl#sha256={'cd' * 32}"


def test_an_editable_git_install_suggests_its_origin_at_head(tmp_path: Path) -> None:
    src = tmp_path / "src" / "talkbuild"
    src.mkdir(parents=True)
    git(src, "init", "-q", "-b", "main")
    git(src, "remote", "add", "origin", "https://example.org/acme/talkbuild.git")
    (src / "x").write_text("x", encoding="utf-8")
    git(src, "add", "x")
    git(src, "commit", "-q", "-m", "x")
    head = git(src, "rev-parse", "HEAD")
    line, warning = requirement_for(json.dumps({"url": src.as_uri(), "dir_info": {"editable": True}}), "0.1.0")
    assert line == f"talkbuild @ {src.as_uri()}"
    assert warning and f"'talkbuild @ git+https://example.org/acme/talkbuild.git@{head}'" in warning
