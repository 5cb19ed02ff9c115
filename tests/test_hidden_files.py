"""Files never published from talks/: hidden ones (.git, .env), and the author's own in the folder of the theme's files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def build(root: Path) -> subprocess.CompletedProcess[str]:
    """`talkbuild build` run in the project `root`, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "talkbuild", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)


def test_a_talk_linking_into_git_or_an_env_file_is_an_error_and_nothing_hidden_is_written(make_project) -> None:
    # The talks folder is the project itself (talks_dir: .), as in a repository of talks kept at its top.
    root = make_project({
        "talkbuild.yml": "talks_dir: .\nout_dir: ../out\n",
        "leak.md": "---\ntitle: Leak\n---\n\n## x\n\n[cfg](.git/config) and [env](.env)\n\n"
                   '<img src="img/.hidden.png" alt="a picture">\n\n![seen](img/ok.png)\n',
        ".git/config": "[remote]\n\turl = https://maint:ghp_FAKETOKEN@github.com/dept/talks.git\n",
        ".env": "AWS_SECRET_ACCESS_KEY=wJalrFAKE\n",
        "img/.hidden.png": b"\x89PNG\r\n\x1a\n",
        "img/ok.png": b"\x89PNG\r\n\x1a\n",
    })
    done = build(root)
    assert done.returncode == 1, done.stderr
    assert "leak.md:7: error[hidden-file]: '.git/config' names a hidden file or folder" in done.stderr
    assert "leak.md:7:" in done.stderr and "'.env' names a hidden file" in done.stderr
    assert "leak.md:9:" in done.stderr and "'img/.hidden.png' names a hidden file" in done.stderr
    assert "rename it without the leading dot" in done.stderr
    out = root.parent / "out"
    assert not out.exists() or not [p for p in out.rglob(".*")], "nothing hidden is written"


def test_without_the_hidden_links_the_same_talk_builds_and_publishes_only_what_it_shows(make_project) -> None:
    root = make_project({
        "talkbuild.yml": "talks_dir: .\nout_dir: ../out\n",
        "ok.md": "---\ntitle: Fine\n---\n\n## x\n\n![seen](img/ok.png)\n",
        ".git/config": "[core]\n",
        ".env": "A=1\n",
        "img/ok.png": b"\x89PNG\r\n\x1a\n",
    })
    done = build(root)
    assert done.returncode == 0, done.stderr
    out = root.parent / "out"
    assert (out / "img" / "ok.png").is_file()
    assert not [p for p in out.rglob(".*")]


def test_a_file_of_the_authors_in_talks_talkbuild_is_a_clash_at_its_link_not_silently_replaced(make_project) -> None:
    # talks/_talkbuild/ is where the theme's files go: the author's deck.js was dropped for the theme's without a word,
    # and search-index.js stopped the build with a message that named no line.
    root = make_project({
        "talks/a.md": "---\ntitle: A\n---\n\n## x\n\n[mine](_talkbuild/deck.js)\n\n[index](_talkbuild/search-index.js)\n",
        "talks/_talkbuild/deck.js": "// the author's own\n",
        "talks/_talkbuild/search-index.js": "// the author's own\n",
    })
    done = build(root)
    assert done.returncode == 1, done.stderr
    assert "talks/a.md:7: error[slug-clash]: '_talkbuild/deck.js' is in talks/_talkbuild/" in done.stderr
    assert "talks/a.md:9: error[slug-clash]: '_talkbuild/search-index.js' is in talks/_talkbuild/" in done.stderr
    assert "rename the folder" in done.stderr and "would overwrite a generated page" not in done.stderr


def test_a_symlink_with_an_ordinary_name_to_a_hidden_file_is_refused_too(make_project) -> None:
    # normal.png -> .secret.png and dirlink -> .hid: the name written is ordinary, the file is hidden.
    root = make_project({
        "talks/t.md": "---\ntitle: T\n---\n\n## x\n\n![norm](normal.png)\n\n![dl](dirlink/a.png)\n\n"
                      "[env](img/envlink.txt)\n",
        "talks/.secret.png": b"PNG-SECRET", "talks/.hid/a.png": b"X", "talks/.env": "SECRET_ENV=1\n",
        "talks/img/keep.txt": "",
    })
    (root / "talks/normal.png").symlink_to(".secret.png")
    (root / "talks/dirlink").symlink_to(".hid")
    (root / "talks/img/envlink.txt").symlink_to("../.env")
    done = build(root)
    assert done.returncode == 1, done.stderr
    for line, url in ((7, "normal.png"), (9, "dirlink/a.png"), (11, "img/envlink.txt")):
        assert f"talks/t.md:{line}: error[hidden-file]: '{url}' names a hidden file" in done.stderr
    assert not (root / "_site").exists()


def test_a_themes_hidden_files_and_links_out_of_its_folder_are_not_published(make_project, tmp_path) -> None:
    # A theme's static folder is copied whole, and a theme can come in a pull request with a talk that picks it.
    secret = tmp_path / "outside.txt"
    secret.write_text("HOST-SECRET\n")
    root = make_project({
        "talks/t.md": "---\ntitle: T\ntheme: mine\n---\n\n## x\n\nText.\n",
        "themes/mine/static/.env": "X=1\n", "themes/mine/static/ok.css": "p { color: black }\n",
        ".git/config": "[http]\n\textraheader = AUTHORIZATION: basic THEMELEAK\n",
    })
    (root / "themes/mine/static/host.txt").symlink_to(secret)
    (root / "themes/mine/static/style-extra.css").symlink_to("../../../.git/config")
    done = build(root)
    assert done.returncode == 0, done.stderr
    published = {p.name for p in (root / "_site").rglob("*")}
    assert "ok.css" in published
    assert not published & {".env", "host.txt", "style-extra.css"}
    assert not any(b"THEMELEAK" in p.read_bytes() or b"HOST-SECRET" in p.read_bytes()
                   for p in (root / "_site").rglob("*") if p.is_file())
