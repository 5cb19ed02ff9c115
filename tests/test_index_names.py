"""Index entries can be told apart, and every href to a talk is percent-encoded as image URLs are."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TALK = "---\ntitle: {title}\ndate: {date}\nauthor: Ann Example\n---\n\n## S\n\n{body}\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


def _entries(index: str) -> list[str]:
    """Each talk's entry as a screen reader hears its links: the link texts, tags stripped."""
    items = re.findall(r'<li class="tb-talk".*?</li>\n', index, re.S)
    return [" | ".join(re.sub(r"<[^>]+>", "", a) for a in re.findall(r"<a [^>]*>(.*?)</a>", item)) for item in items]


def test_two_talks_with_one_title_date_and_author_warn_and_differ_in_the_index(make_project) -> None:
    root = make_project({
        "talks/42 answers.md": TALK.format(title="Same Title", date="2020-03-03", body="Hi."),
        "talks/Same/index.md": TALK.format(title="Same Title", date="2020-03-03", body="Hi."),
        "talks/other.md": TALK.format(title="Other", date="2020-03-03", body="Hi."),
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert ("talks/Same/index.md: warning[duplicate-title]: 'Same Title' is also the title of talks/42 answers.md, "
            "with the same date and author") in result.stderr
    entries = _entries((root / "_site/index.html").read_text())
    same = [e for e in entries if "Same Title" in e]
    assert len(same) == 2 and same[0] != same[1]
    assert any("(42 answers)" in e for e in same) and any("(Same)" in e for e in same)
    assert not any("(other)" in e for e in entries), "a title no other talk has is shown as before"
    assert run(root, "build", "--strict").returncode == 1


def test_one_title_on_different_days_shows_the_paths_without_a_warning(make_project) -> None:
    root = make_project({
        "talks/day 1/intro.md": TALK.format(title="Introduction", date="2019-05-01", body="Hi."),
        "talks/day 2/intro.md": TALK.format(title="Introduction", date="2019-05-02", body="Hi."),
    })
    result = run(root, "build")
    assert result.returncode == 0 and "duplicate-title" not in result.stderr
    entries = _entries((root / "_site/index.html").read_text())
    assert sorted(entries) == ["Introduction (day 1/intro) | Handout: Introduction (day 1/intro) | Slides: Introduction (day 1/intro)",
                               "Introduction (day 2/intro) | Handout: Introduction (day 2/intro) | Slides: Introduction (day 2/intro)"]


def test_hrefs_to_talks_are_percent_encoded_and_check_resolves_them(make_project) -> None:
    root = make_project({
        "talks/42 answers.md": TALK.format(title="Answers", date="2020-03-03", body="[Déjà](<more/Déjà Vu.md#s>)"),
        "talks/more/Déjà Vu.md": TALK.format(title="Déjà Vu", date="2020-03-04",
                                             body="[back](<../42 answers.md>) [deck](<../42 answers/slides/>)"),
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    index = (root / "_site/index.html").read_text()
    assert 'href="42%20answers/index.html"' in index and 'href="more/D%C3%A9j%C3%A0%20Vu/slides/index.html"' in index
    assert not re.search(r'href="[^"]*[ àé][^"]*"', index), "no raw space or non-ASCII letter in an href"
    answers = (root / "_site/42 answers/index.html").read_text()
    assert 'href="../more/D%C3%A9j%C3%A0%20Vu/index.html#s"' in answers
    deja = (root / "_site/more/Déjà Vu/index.html").read_text()
    assert 'href="../../42%20answers/index.html"' in deja and 'href="../../42%20answers/slides/index.html"' in deja
    checked = run(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_plus_in_a_talk_path_is_percent_encoded_and_every_href_reaches_its_file(make_project, static_server) -> None:
    # S3 website endpoints read a raw `+` in a path as a space: before, `c++/intro/` was looked up as `c  /intro/`.
    import urllib.parse
    import urllib.request

    root = make_project({
        "talks/c++/intro.md": TALK.format(title="Cpp", date="2024-01-01", body="[ab](../a+b.md) ![i](x+y.png)"),
        "talks/c++/x+y.png": b"png",
        "talks/a+b.md": TALK.format(title="AB", date="2024-01-02",
                                    body='[cpp](c++/intro.md) <a href="c++/intro.md#s">raw</a>'),
    })
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "_site"
    pages = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html")}
    index = pages["index.html"]
    assert 'href="c%2B%2B/intro/index.html"' in index and 'href="a%2Bb/index.html"' in index
    assert 'src="../../c%2B%2B/x%2By.png"' in pages["c++/intro/index.html"]
    base = static_server(site)
    for rel, html in pages.items():
        for url in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', html):
            if "%2B" in url or "+" in url:
                assert "+" not in url, f"{rel}: raw + in {url}"
                with urllib.request.urlopen(urllib.parse.urljoin(base + rel, url), timeout=10) as answer:
                    assert answer.status == 200, url
    checked = run(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
