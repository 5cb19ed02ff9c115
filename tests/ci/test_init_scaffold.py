"""`talkbuild init [DIR]`: a new talks repository that builds at once and never clobbers anything."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

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
    assert set(tree(target)) == EXPECTED


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
        assert warning and "before CI can run" in warning and result.warning == warning
    else:
        assert requirement.startswith("talkbuild==") and warning is None
