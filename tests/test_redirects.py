"""A talk's old addresses (front matter `aliases:`, `redirect_from:`) lead to it: redirect pages, their errors, check."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from talkbuild.build import BuildOptions, build
from talkbuild.check import check_project
from talkbuild.config import load_config
from talkbuild.errors import ContentError

MOVED = """---
title: Moved & kept
aliases:
  - speaker-55/talk
redirect_from: old/talk.md
---

## First

x

## Second {#second}

y
"""


def built(root: Path) -> Path:
    out = root / "_site"
    build(load_config(root), BuildOptions(out_dir=out, jobs=1, use_cache=False))
    return out


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        built(root)
    return [d.format() for d in raised.value.diagnostics if d.is_error]


def test_an_alias_writes_a_redirect_page_for_the_old_handout_and_deck(make_project: Callable[..., Path]) -> None:
    out = built(make_project({"talks/track-a/speaker-55/talk.md": MOVED}))
    handout = (out / "speaker-55/talk/index.html").read_text()
    deck = (out / "speaker-55/talk/slides/index.html").read_text()
    for page, target in ((handout, "../../track-a/speaker-55/talk/index.html"),
                         (deck, "../../../track-a/speaker-55/talk/slides/index.html")):
        soup = BeautifulSoup(page, "html.parser")
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
        assert soup.find("link", rel="canonical")["href"] == target
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.find("a")["href"] == target and soup.find("a").text == "Moved & kept"
        assert f'location.replace("{target}" + location.hash)' in soup.find("script").text
    # redirect_from: says the same; `.md` is dropped as from the talk's own path
    assert "../../track-a/speaker-55/talk/index.html" in (out / "old/talk/index.html").read_text()
    # the redirect pages are not talks: not listed in the index
    assert (out / "index.html").read_text().count("Moved &amp; kept</a>") == 1


def test_redirect_pages_are_byte_identical_between_builds(make_project: Callable[..., Path], tmp_path: Path) -> None:
    first = built(make_project({"talks/track-a/speaker-55/talk.md": MOVED}))
    again = built(make_project({"talks/track-a/speaker-55/talk.md": MOVED}, tmp_path / "copy"))
    for rel in ("speaker-55/talk/index.html", "speaker-55/talk/slides/index.html", "404.html"):
        assert (first / rel).read_bytes() == (again / rel).read_bytes()


def test_the_canonical_link_is_absolute_with_a_public_url(make_project: Callable[..., Path]) -> None:
    out = built(make_project({"talks/new/t.md": "---\ntitle: T\naliases: [t]\n---\n\n## S\n\nx\n",
                              "talkbuild.yml": "title: S\npublish:\n  public_url: https://talks.example.org/group\n"}))
    soup = BeautifulSoup((out / "t/slides/index.html").read_text(), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://talks.example.org/group/new/t/slides/"
    assert soup.find("a")["href"] == "../../new/t/slides/index.html"  # still relative: works from file:// too
    assert "t/index.html" not in (out / "sitemap.xml").read_text().replace("new/t/", "")


def test_aliases_that_cannot_be_written_are_errors_at_their_line(make_project: Callable[..., Path]) -> None:
    root = make_project({
        "talks/a.md": "---\ntitle: A\n---\n\n## S\n\n![p](img/p.png)\n",
        "talks/img/p.png": b"png",
        "talks/b.md": ("---\ntitle: B\naliases:\n  - a\n  - ../outside\n  - .git/x\n  - shared/old\n"
                       "  - img/p.png\n  - https://example.org/x\n  - b\n---\n\n## S\n\nx\n"),
        "talks/c.md": "---\ntitle: C\nredirect_from:\n  - shared/old.md\n---\n\n## S\n\nx\n",
        "talks/d.md": "---\ntitle: D\naliases: {old: x}\n---\n\n## S\n\nx\n",
    })
    found = errors_of(root)
    assert found == [
        "talks/b.md:4: error[alias]: the alias 'a' is the address of the talk talks/a.md (an alias is an address "
        "that no longer leads anywhere: remove it, or move what is there)",
        "talks/b.md:5: error[alias]: the alias '../outside' climbs out of the site (write the old address relative "
        "to talks/, as the talk's own path: aliases: [speaker-55/talk])",
        "talks/b.md:6: error[alias]: the alias '.git/x' names a hidden file or folder (its name starts with a dot), "
        "which is never published (write the old address relative to talks/, as the talk's own path: "
        "aliases: [speaker-55/talk])",
        "talks/b.md:8: error[alias]: the alias 'img/p.png' is at the file 'img/p.png' of the site (an alias is an "
        "address that no longer leads anywhere: remove it, or move what is there)",
        "talks/b.md:9: error[alias]: the alias 'https://example.org/x' is a full URL; an alias is an address in "
        "this site (write the old address relative to talks/, as the talk's own path: aliases: [speaker-55/talk])",
        "talks/b.md:10: error[alias]: the alias 'b' is this talk's own address (write the old address relative to "
        "talks/, as the talk's own path: aliases: [speaker-55/talk])",
        "talks/c.md:4: error[alias]: the alias 'shared/old.md' is also claimed by talks/b.md (at talks/b.md:7) "
        "(only one talk can be at an old address: remove the alias from one of them)",
        "talks/d.md:3: error[alias]: 'aliases' must be an address or a list of addresses (write the old address "
        "relative to talks/, as the talk's own path: aliases: [speaker-55/talk])",
    ]


def test_check_accepts_links_to_an_old_address_and_its_slides(make_project: Callable[..., Path]) -> None:
    root = make_project({
        "talks/track-a/speaker-55/talk.md": MOVED,
        "talks/other.md": "---\ntitle: Other\nauthor: O\ndate: 2024-01-01\n---\n\n## S\n\n"
                          "[handout](speaker-55/talk/) and [deck](speaker-55/talk/slides/#second) "
                          "and [gone](speaker-55/talk/slides/#third)\n",
    })
    result = check_project(load_config(root), external=False, use_cache=False)
    problems = [(d.code, d.message) for d in result.diagnostics if d.location.path == "talks/other.md"]
    # the redirect exists, and the fragment is looked for where it leads
    assert problems == [("missing-fragment", "'#third' is not an id in 'track-a/speaker-55/talk/slides/index.html'")]
    # and build --strict does not warn about them either
    build(load_config(root), BuildOptions(out_dir=root / "_site", jobs=1, strict=True, use_cache=False))


@pytest.mark.parametrize(("link", "aliases"), [
    ("speaker-55/talk.md", ""),  # no alias: the talk of that path elsewhere
    ("old-name.md", "aliases: [old-name]\n"),  # its alias, though the file has another name
])
def test_check_suggests_where_a_linked_talk_moved(make_project: Callable[..., Path], link: str, aliases: str) -> None:
    root = make_project({
        "talks/track-a/speaker-55/talk.md": f"---\ntitle: Moved\n{aliases}---\n\n## S\n\nx\n",
        "talks/other.md": f"---\ntitle: Other\n---\n\n## S\n\n[moved]({link})\n",
    })
    result = check_project(load_config(root), external=False, use_cache=False)
    broken = [d for d in result.diagnostics if d.code == "broken-link"]
    assert [(d.location.line, d.hint) for d in broken] == [
        (7, "the talk is now talks/track-a/speaker-55/talk.md: link to it there")]


def test_the_404_page_links_from_the_site_root_whatever_the_depth(make_project: Callable[..., Path]) -> None:
    out = built(make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\nx\n",
                              "talkbuild.yml": "title: Our talks\n"}))
    soup = BeautifulSoup((out / "404.html").read_text(), "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "Page not found" in soup.find("h1").text and "Our talks" in soup.title.text
    assert soup.find("form")["action"] == "/index.html" and soup.find("input", attrs={"name": "q"})
    hrefs = [tag.get("href") or tag.get("src") for tag in soup.find_all(["a", "link", "script"])]
    assert "/index.html" in hrefs and "/_talkbuild/talkbuild.css" in hrefs
    assert all(h.startswith(("/", "data:")) for h in hrefs if h), hrefs


def test_the_404_page_starts_from_the_public_urls_path(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\nx\n",
                         "talkbuild.yml": "title: T\npublish:\n  public_url: https://me.github.io/talks\n"})
    html = (built(root) / "404.html").read_text()
    assert 'href="/talks/_talkbuild/talkbuild.css"' in html and 'href="/talks/index.html"' in html
    # check reads its links as from the site's root, where they lead once published
    result = check_project(load_config(root), external=False, use_cache=False)
    assert [d for d in result.diagnostics if d.location.path.endswith("404.html")] == []


def test_a_talks_file_named_404_html_is_not_copied_over_the_404_page(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\n[x](404.html)\n", "talks/404.html": "mine"})
    with pytest.raises(ContentError) as raised:
        built(root)
    assert any(re.search("same place as a generated page", d.message) for d in raised.value.diagnostics)


def test_the_nginx_config_serves_the_404_page(tmp_path: Path) -> None:
    from talkbuild.publish.routing import generate

    config = generate("nginx", str(tmp_path / "deploy"))
    assert config.count("error_page 404 /404.html;") == 2  # the live site and the previews


def test_an_alias_that_only_looks_like_another_address_is_an_error_naming_it(
        make_project: Callable[..., Path]) -> None:
    """On macOS, Windows or a case-insensitive file:// target, `Speaker-09/` is `speaker-09/`: its redirect would
    overwrite the handout, which would then redirect to itself. NFC and NFD `ü` are two folders that read alike."""
    root = make_project({
        "talks/speaker-09/index.md": '---\ntitle: A\naliases: ["Speaker-09"]\n---\n\n## S\n\n![p](img/p.png)\n',
        "talks/speaker-09/img/p.png": b"png",
        "talks/b.md": "---\ntitle: B\naliases:\n  - sprecher-mu\u0308/vortrag\n  - Speaker-09/Slides\n"
                      "  - speaker-09/IMG/p.png/x\n---\n\n## S\n\nx\n",
        "talks/c.md": "---\ntitle: C\naliases: [sprecher-m\u00fc/vortrag]\n---\n\n## S\n\nx\n",
    })
    alike = "on macOS and Windows they are one file, and they look alike"
    assert errors_of(root) == [
        "talks/b.md:5: error[alias]: the alias 'Speaker-09/Slides' and the address of the talk "
        f"talks/speaker-09/index.md ('speaker-09/slides') differ only in case: {alike} (an alias is an address "
        "that no longer leads anywhere: remove it, or move what is there)",
        "talks/b.md:6: error[alias]: the alias 'speaker-09/IMG/p.png/x' would put a folder 'speaker-09/IMG/p.png' "
        f"where the site has the file 'speaker-09/img/p.png', and they differ only in case: {alike} (an alias is "
        "an address that no longer leads anywhere: remove it, or move what is there)",
        "talks/c.md:3: error[alias]: the alias 'sprecher-m\u00fc/vortrag' and the alias 'sprecher-mu\u0308/vortrag' "
        "of talks/b.md (at talks/b.md:4) differ only in how their accents are encoded (NFC and NFD): "
        f"{alike} (only one talk can be at an old address: remove the alias from one of them)",
        "talks/speaker-09/index.md:3: error[alias]: the alias 'Speaker-09' and this talk's own address "
        f"'speaker-09' differ only in case: {alike} (remove it: its redirect pages would overwrite the talk's "
        "own pages there)",
    ]


def test_an_alias_with_a_query_or_fragment_is_an_error(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/b.md": '---\ntitle: B\naliases: ["old15e#frag", "old15f?x=1"]\n---\n\n## S\n\nx\n'})
    assert errors_of(root) == [
        "talks/b.md:3: error[alias]: the alias 'old15e#frag' has a #fragment: a redirect page is found by the path "
        "alone, and cannot match one (write the address without it: aliases: [old15e])",
        "talks/b.md:3: error[alias]: the alias 'old15f?x=1' has a ?query: a redirect page is found by the path "
        "alone, and cannot match one (write the address without it: aliases: [old15f])",
    ]


@pytest.mark.parametrize("written", ["old15b/slides", "old15b/slides/", "old15b/slides/index.html"])
def test_an_old_deck_address_leads_to_the_deck(make_project: Callable[..., Path], written: str) -> None:
    """reveal-md users shared deck links: `old15b/slides/#/7` must open the deck, and `old15b/` the handout."""
    out = built(make_project({"talks/new/t15b.md": f'---\ntitle: T\naliases: ["{written}"]\n---\n\n## S\n\nx\n'}))
    assert "../../new/t15b/slides/index.html" in (out / "old15b/slides/index.html").read_text()
    assert "../new/t15b/index.html" in (out / "old15b/index.html").read_text()
    assert not (out / "old15b/slides/slides").exists()


def test_a_talks_own_path_ending_in_slides_is_that_talks_address(make_project: Callable[..., Path]) -> None:
    out = built(make_project({"talks/t.md": '---\ntitle: T\naliases: ["old/slides.md"]\n---\n\n## S\n\nx\n'}))
    assert "../../t/index.html" in (out / "old/slides/index.html").read_text()
    assert "../../../t/slides/index.html" in (out / "old/slides/slides/index.html").read_text()
