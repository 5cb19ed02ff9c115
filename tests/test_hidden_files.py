"""Files never published from talks/: hidden ones (.git, .env), and the author's own in the folder of the theme's files."""

from __future__ import annotations

import subprocess
import sys


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
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
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
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
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
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert "talks/a.md:7: error[slug-clash]: '_talkbuild/deck.js' is in talks/_talkbuild/" in done.stderr
    assert "talks/a.md:9: error[slug-clash]: '_talkbuild/search-index.js' is in talks/_talkbuild/" in done.stderr
    assert "rename the folder" in done.stderr and "would overwrite a generated page" not in done.stderr
