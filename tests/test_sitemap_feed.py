"""sitemap.xml, feed.xml (Atom), canonical links and link previews, made of `publish.public_url`."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.incremental import TALKS, Builder

ATOM = "{http://www.w3.org/2005/Atom}"
MAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://talks.example.org/group/"
CONFIG = "title: Group talks\ndescription: What we said\npublish:\n  public_url: https://talks.example.org/group\n"
TALKS_FILES = {
    "talks/a.md": "---\ntitle: A & B <now>\nauthor: [Ann, Bob]\ndate: 2024-05-18\ndescription: About \"things\"\n"
                  "tags: [x, y]\nlang: de\n---\n\n## S\n\nx\n",
    "talks/old/c d.md": "---\ntitle: Old one\ndate: 2019\n---\n\n## S\n\nx\n",
    "talks/undated.md": "---\ntitle: Undated\nauthor: Cy\n---\n\n## S\n\nx\n",
    "talks/wip.md": "---\ntitle: Work in progress\ndate: 2030-01-01\ndraft: true\n---\n\n## S\n\nx\n",
}


def built(root: Path, **options: Any) -> Path:
    out = root / "_site"
    build(load_config(root), BuildOptions(out_dir=out, jobs=1, **options))
    return out


def page(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def local(out: Path, url: str) -> Path:
    """The built file a public URL is served from."""
    assert url.startswith(BASE), url
    rel = unquote(url[len(BASE):])
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def test_the_sitemap_lists_every_published_page_by_its_public_address(make_project: Callable[..., Path]) -> None:
    out = built(make_project(TALKS_FILES | {"talkbuild.yml": CONFIG}))
    locs = [e.text or "" for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{MAP}loc")]
    assert locs[0] == BASE
    assert sorted(locs[1:]) == sorted(BASE + p for p in ("a/", "a/slides/", "old/c%20d/", "old/c%20d/slides/",
                                                           "undated/", "undated/slides/"))
    assert all(local(out, url).is_file() for url in locs)  # and the draft is not announced


def test_the_feed_lists_dated_talks_newest_first(make_project: Callable[..., Path]) -> None:
    out = built(make_project(TALKS_FILES | {"talkbuild.yml": CONFIG}))
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Group talks" and feed.findtext(f"{ATOM}subtitle") == "What we said"
    assert feed.findtext(f"{ATOM}updated") == "2024-05-18T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.xml"  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["A & B <now>", "Old one"]
    first, second = entries
    assert first.findtext(f"{ATOM}id") == BASE + "a/"
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == ["Ann", "Bob"]
    assert first.findtext(f"{ATOM}summary") == 'About "things"'
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["x", "y"]
    assert first.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    for entry in entries:
        for link in entry.findall(f"{ATOM}link"):
            assert local(out, link.get("href") or "").is_file()
    assert second.findtext(f"{ATOM}updated") == "2019-01-01T00:00:00Z" and not second.findall(f"{ATOM}author")
    # Atom wants an author for every entry: the feed's own stands in for the talk that names none.
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Group talks"  # type: ignore[union-attr]
    index = page(out, "index.html")
    assert index.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == "feed.xml"


def test_pages_carry_their_canonical_address_and_link_previews(make_project: Callable[..., Path]) -> None:
    out = built(make_project(TALKS_FILES | {"talkbuild.yml": CONFIG}))
    for rel, url, title, kind in (("index.html", BASE, "Group talks", "website"),
                                  ("a/index.html", BASE + "a/", "A & B <now>", "article"),
                                  ("old/c d/slides/index.html", BASE + "old/c%20d/slides/", "Old one", "article")):
        soup = page(out, rel)
        assert soup.select_one("link[rel=canonical]")["href"] == url
        og = {m["property"]: m["content"] for m in soup.select("meta[property]")}
        assert og["og:url"] == url and og["og:title"] == title and og["og:type"] == kind
        assert og["og:site_name"] == "Group talks"
    assert {m["property"]: m["content"] for m in page(out, "a/index.html").select("meta[property]")}[
        "og:description"] == 'About "things"'


def test_without_public_url_there_is_no_sitemap_feed_or_canonical(make_project: Callable[..., Path]) -> None:
    out = built(make_project(TALKS_FILES))
    assert not (out / "sitemap.xml").exists() and not (out / "feed.xml").exists()
    soup = page(out, "a/index.html")
    assert soup.select_one("link[rel=canonical]") is None and soup.select_one("meta[property='og:url']") is None
    assert soup.select_one("meta[property='og:title']")["content"] == "A & B <now>"  # previews still get a title
    assert page(out, "index.html").select_one("link[type='application/atom+xml']") is None


def test_a_site_of_undated_talks_has_a_sitemap_but_no_empty_feed(make_project: Callable[..., Path]) -> None:
    out = built(make_project({"talks/undated.md": TALKS_FILES["talks/undated.md"], "talkbuild.yml": CONFIG}))
    assert (out / "sitemap.xml").is_file() and not (out / "feed.xml").exists()
    assert page(out, "index.html").select_one("link[type='application/atom+xml']") is None


def test_text_xml_cannot_carry_is_left_out(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": '---\ntitle: "Bell\\x07 ]]> & co"\ndate: 2024-01-02\n---\n\n## S\n\nx\n',
                         "talkbuild.yml": CONFIG})
    feed = ET.parse(built(root) / "feed.xml").getroot()
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Bell ]]> & co"  # type: ignore[union-attr]


def test_a_new_public_url_reaches_pages_from_the_cache(make_project: Callable[..., Path]) -> None:
    root = make_project(TALKS_FILES | {"talkbuild.yml": CONFIG})
    built(root)
    (root / "talkbuild.yml").write_text(CONFIG.replace("talks.example.org/group", "example.net"), encoding="utf-8")
    out = built(root)
    assert page(out, "a/index.html").select_one("link[rel=canonical]")["href"] == "https://example.net/a/"
    assert b"https://example.net/a/slides/" in (out / "sitemap.xml").read_bytes()


def test_serve_makes_the_same_files_and_keeps_the_feed_current(make_project: Callable[..., Path]) -> None:
    root = make_project(TALKS_FILES | {"talkbuild.yml": CONFIG})
    out = built(root)
    builder = Builder(root, drafts=False)
    site = builder.build()
    for name in ("sitemap.xml", "feed.xml"):
        assert site.files[name] == (out / name).read_bytes()
    (root / "talks/undated.md").write_text(TALKS_FILES["talks/undated.md"].replace("author: Cy\n", "author: Cy\ndate: 2025-03-04\n"),
                                           encoding="utf-8")
    again = builder.build(frozenset({TALKS}))
    feed = ET.fromstring(again.files["feed.xml"])  # type: ignore[arg-type]
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Undated", "A & B <now>", "Old one"]


def test_a_talk_file_where_the_feed_goes_is_a_clash(make_project: Callable[..., Path]) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\n## S\n\n[data](feed.xml)\n",
                         "talks/feed.xml": "<x/>", "talkbuild.yml": CONFIG})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "talks/a.md:8" in done.stderr and "slug-clash" in done.stderr
    (root / "talkbuild.yml").write_text("title: T\n", encoding="utf-8")  # no feed made: the file is the talk's
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (root / "_site/feed.xml").read_text(encoding="utf-8") == "<x/>"


@pytest.mark.parametrize(("value", "hint"), [
    ("talks.example.org", "https://talks.example.org"),
    ("ftp://talks.example.org/", "https://talks.example.org/"),
    ("https://", "has no host"),
    ("https://me:secret@talks.example.org/", "user name or password"),
    ("https://talks.example.org/?lang=en", "write https://talks.example.org/"),
    ("https://talks example.org/", "write the address visitors open"),
])
def test_a_public_url_that_cannot_be_an_address_is_refused_at_its_line(make_project: Callable[..., Path],
                                                                        value: str, hint: str) -> None:
    root = make_project({"talks/a.md": TALKS_FILES["talks/a.md"],
                         "talkbuild.yml": f"title: T\npublish:\n  target: file://_deploy\n  public_url: '{value}'\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(root)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "talkbuild.yml:4" in done.stderr and "publish.public_url" in done.stderr
    assert hint in done.stderr
    assert not (root / "_site").exists()


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def unpublished_site() -> Iterator[tuple[str, list[str]]]:
    """A public_url on 127.0.0.1 where nothing is published yet: every request is a 404, and recorded."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/talks/", seen
    httpd.shutdown()
    httpd.server_close()


def test_check_does_not_request_the_pages_own_addresses(make_project: Callable[..., Path],
                                                        unpublished_site: tuple[str, list[str]]) -> None:
    """Before a first publish, every canonical URL is a 404: it says where the page will be, not a link to test."""
    url, seen = unpublished_site
    root = make_project(TALKS_FILES | {"talkbuild.yml": f"title: T\npublish:\n  public_url: {url}\n"})
    done = subprocess.run([sys.executable, "-m", "talkbuild", "check", "--external", "-C", str(root)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert seen == []


def test_a_public_url_beyond_ascii_is_written_as_a_url(make_project: Callable[..., Path]) -> None:
    """Sitemaps and feeds want RFC 3986 addresses: the host in punycode, the path percent-encoded."""
    root = make_project(TALKS_FILES | {"talkbuild.yml": "title: T\npublish:\n  public_url: https://bücher.example/tälks\n"})
    out = built(root)
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{MAP}loc")]
    assert locs[0] == "https://xn--bcher-kva.example/t%C3%A4lks/"
    assert "https://xn--bcher-kva.example/t%C3%A4lks/old/c%20d/" in locs
    assert page(out, "a/index.html").select_one("link[rel=canonical]")["href"] == "https://xn--bcher-kva.example/t%C3%A4lks/a/"


def test_the_feed_lists_a_days_talks_in_the_indexs_order(make_project: Callable[..., Path]) -> None:
    """Latest first within a day too: 14:30 UTC before 14:30 +0100 (13:30 UTC), whatever their paths."""
    talk = "---\ntitle: {title}\ndate: {date}\nauthor: A\n---\n\n## S\n\nx\n"
    root = make_project({"talks/a.md": talk.format(title="Earlier", date="2016-05-18 14:30:00 +0100"),
                         "talks/b.md": talk.format(title="Later", date="2016-05-18T14:30:00Z"),
                         "talkbuild.yml": CONFIG})
    out = built(root)
    feed = ET.parse(out / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    listed = [a.get_text(strip=True) for a in page(out, "index.html").select("li.tb-talk h2 a")]
    assert titles == ["Later", "Earlier"] == listed


@pytest.mark.parametrize("talk", ["feed.xml.md", "sitemap.xml/index.md", "feed.xml/more.md"])
def test_a_talk_published_where_the_feed_goes_is_a_clash_in_build_and_check(make_project: Callable[..., Path],
                                                                            talk: str) -> None:
    root = make_project({f"talks/{talk}": TALKS_FILES["talks/a.md"], "talkbuild.yml": CONFIG})
    for command in ("build", "check"):
        done = subprocess.run([sys.executable, "-m", "talkbuild", command, "-C", str(root)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "slug-clash" in done.stdout + done.stderr and f"talks/{talk}" in done.stdout + done.stderr
        assert "File exists" not in done.stdout + done.stderr
