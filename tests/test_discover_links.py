"""Symlinks under talks/: a link to another folder inside talks/ is an alias, reported and not followed (its talks
are built at their own path), a link back to an ancestor is reported and not followed, a link out of talks/ is
an error naming the link and its target (as for a linked file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TALK = "---\ntitle: {title}\n---\n\n## S\n\nHello.\n"


def run_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)


def test_a_folder_symlink_to_a_folder_inside_talks_is_not_followed_and_warned_once(make_project) -> None:
    # Before: the same talks were built twice (_site/real/intro and _site/linked/intro), with a misleading
    # duplicate-title hint, and a loop link inside the folder was reported twice.
    root = make_project({"talks/real/intro.md": TALK.format(title="Intro")})
    os.symlink("real", root / "talks" / "linked")
    os.symlink("..", root / "talks/real/up")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert (root / "_site/real/intro/index.html").is_file()
    assert not (root / "_site/linked").exists()
    assert result.stderr.count("warning[symlink-alias]") == 1
    assert ("talks/linked: warning[symlink-alias]: the folder symlink points to real (talks/real), a folder inside "
            "the talks folder: it is not followed, its talks are built at their own path") in result.stderr
    assert result.stderr.count("warning[symlink-loop]") == 1
    assert "duplicate-title" not in result.stderr


def test_a_link_through_a_folder_alias_leads_to_the_talk_at_its_own_path(make_project) -> None:
    # Before: `../alias/index.md` copied the talk's Markdown into the site as alias/index.md, and check was silent.
    root = make_project({"talks/real/index.md": TALK.format(title="Real"),
                         "talks/c++/index.md": "---\ntitle: C\n---\n\n## S\n\n[a](../alias/index.md) [b](../alias/#s)\n"})
    os.symlink("real", root / "talks" / "alias")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    page = (root / "_site/c++/index.html").read_text()
    assert 'href="../real/index.html"' in page and 'href="../real/index.html#s"' in page
    assert not (root / "_site/alias").exists()


def test_a_folder_symlink_to_a_folder_the_walk_leaves_out_is_followed(make_project) -> None:
    # `_shared/` is never searched for talks: a link to it is the only way its talks are built, not an alias.
    root = make_project({"talks/_shared/physics/intro.md": TALK.format(title="Intro")})
    os.symlink("_shared/physics", root / "talks" / "physics")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert (root / "_site/physics/intro/index.html").is_file()
    assert "symlink-alias" not in result.stderr


def test_a_folder_symlink_to_an_ancestor_is_reported_and_not_followed(make_project) -> None:
    root = make_project({"talks/a/b/talk.md": TALK.format(title="T")})
    os.symlink("..", root / "talks/a/b/up")
    os.symlink("../..", root / "talks/a/b/top")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert "talks/a/b/up: warning[symlink-loop]: the folder symlink points to .., a folder that contains it" in result.stderr
    assert "talks/a/b/top: warning[symlink-loop]" in result.stderr
    assert (root / "_site/a/b/talk/index.html").is_file()
    assert not (root / "_site/a/b/up").exists()


def test_two_folders_linking_to_each_other_are_walked_once_each(make_project) -> None:
    root = make_project({"talks/a/x.md": TALK.format(title="X"), "talks/b/y.md": TALK.format(title="Y")})
    os.symlink("../b", root / "talks/a/to-b")
    os.symlink("../a", root / "talks/b/to-a")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert (root / "_site/a/x/index.html").is_file() and (root / "_site/b/y/index.html").is_file()
    assert not (root / "_site/a/to-b").exists() and not (root / "_site/b/to-a").exists()
    assert "talks/a/to-b: warning[symlink-alias]" in result.stderr
    assert "talks/b/to-a: warning[symlink-alias]" in result.stderr


def test_a_folder_symlink_out_of_talks_is_an_error_naming_link_and_target(make_project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text(TALK.format(title="Secret"))
    root = make_project({"talks/a.md": TALK.format(title="A")})
    os.symlink(elsewhere, root / "talks" / "linked")
    result = run_build(root)
    assert result.returncode == 1
    assert (f"talks/linked: error[outside-talks]: the folder symlink points outside the talks folder (to {elsewhere})"
            in result.stderr)
    assert not (root / "_site").exists()


def test_a_folder_symlink_out_of_talks_holding_only_images_is_left_to_the_talks_that_use_them(make_project,
                                                                                               tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    (images / "o.png").write_bytes(b"png")
    root = make_project({"talks/a.md": TALK.format(title="A")})
    os.symlink(images, root / "talks" / "img")
    result = run_build(root)
    assert result.returncode == 0, result.stderr


def test_a_dangling_talk_symlink_names_its_target(make_project) -> None:
    root = make_project({"talks/a.md": TALK.format(title="A")})
    os.symlink("../gone/talk.md", root / "talks" / "b.md")
    result = run_build(root)
    assert result.returncode == 1
    assert ("talks/b.md: error[broken-symlink]: the talk is a symlink to ../gone/talk.md, which does not exist "
            "(fix or remove the link)") in result.stderr


def test_an_image_under_a_folder_symlink_out_of_talks_names_the_symlink(make_project, tmp_path: Path) -> None:
    images = tmp_path / "imgs"
    images.mkdir()
    (images / "o.png").write_bytes(b"png")
    root = make_project({"talks/t/index.md": "---\ntitle: T\n---\n\n## S\n\n![o](img/o.png)\n"})
    os.symlink(images, root / "talks/t/img")
    result = run_build(root)
    assert result.returncode == 1
    assert (f"talks/t/index.md:7: error[outside-talks]: 'img/o.png' points outside the talks folder through the "
            f"symlink talks/t/img -> {images}") in result.stderr


def test_a_link_that_leaves_talks_from_a_talk_under_a_folder_symlink_says_where_links_start(make_project) -> None:
    # (A folder the walk leaves out: a link to one the walk reaches is not followed at all.)
    root = make_project({"talks/_groups/physics/intro.md": "---\ntitle: I\n---\n\n## S\n\n![l](../../shared/l.png)\n",
                         "talks/shared/l.png": b"png"})
    os.symlink("_groups/physics", root / "talks" / "linked")
    result = run_build(root)
    assert result.returncode == 1
    assert ("talks/linked/intro.md:7: error[outside-talks]: '../../shared/l.png' points outside the talks folder (the "
            "talk is found through the folder symlink talks/linked, and its links start from there)") in result.stderr
    assert "talks/_groups/physics/intro.md:7" not in result.stderr, "from where it is, the image is inside talks/"


def test_a_link_to_a_folder_without_a_page_says_so_not_that_it_does_not_exist(make_project) -> None:
    # The trial: '../images/' "does not exist", while the folder was right there (what it lacks is a page).
    root = make_project({"talks/images/a.png": "png", "talks/week01/dir.md":
                         "---\ntitle: D\n---\n\n## S\n\n[Images](../images/) and [gone](../nope/)\n"})
    result = run_build(root)
    assert ("talks/week01/dir.md:7: warning[missing-file]: '../images/' is a folder with no page to open (no "
            "index.html, no talk) (link to a file in it, or put an index.md talk in it)") in result.stderr
    assert "talks/week01/dir.md:7: warning[missing-file]: '../nope/' does not exist" in result.stderr


def test_a_missing_file_that_differs_only_in_case_or_accent_encoding_is_named_in_the_hint(make_project) -> None:
    # Both links work on a Mac (its file system ignores both differences) and break on the web server.
    nfc, nfd = "caf\u00e9.png", "cafe\u0301.png"
    root = make_project({"talks/t.md": f"---\ntitle: T\n---\n\n## x\n\n![a](img/{nfd})\n\n![b](img/chart.png)\n",
                         f"talks/img/{nfc}": b"\x89PNG\r\n\x1a\n", "talks/img/Chart.png": b"\x89PNG\r\n\x1a\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    lines = [line for line in done.stderr.splitlines() if "missing-file" in line]
    assert len(lines) == 2, done.stderr
    assert "talks/t.md:7:" in lines[0] and f"'{nfc}' is there, differing only in how its accents are encoded" in lines[0]
    assert "talks/t.md:9:" in lines[1] and "'Chart.png' is there, differing only in case" in lines[1]
