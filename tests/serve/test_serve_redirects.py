"""The dev server answers a missing address with the site's 404 page, and an old address with its redirect."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from serve_support import Live, talk, wait_until

LiveFactory = Callable[..., Live]


def test_a_missing_path_gets_the_themed_404_page_with_status_404(live: LiveFactory) -> None:
    # publish.public_url's path is the published site's; the dev server is at the root of its own host
    site = live({"talks/a.md": talk("Alpha"), "talkbuild.yml": "title: Our talks\npublish:\n"
                 "  public_url: https://me.github.io/talks\n"})
    for path in ("/nope/", "/a/b/c/", "/a/slides/missing.png"):
        status, body = site.get(path)
        assert status == 404, path
        soup = BeautifulSoup(body, "html.parser")
        assert "Page not found" in soup.find("h1").text and "Our talks" in soup.title.text
        links = {a["href"] for a in soup.find_all("a")} | {link["href"] for link in soup.find_all("link")}
        assert "/index.html" in links and "/_talkbuild/talkbuild.css" in links
    assert site.get("/_talkbuild/talkbuild.css")[0] == 200  # what the 404 page links is there, from any depth


def test_an_old_address_is_served_as_its_redirect_page(live: LiveFactory) -> None:
    site = live({"talks/new/a.md": talk("Alpha").replace("title: Alpha", "title: Alpha\naliases: [a]")})
    status, body = site.get("/a/slides/")
    assert status == 200 and 'url=../../new/a/slides/index.html' in body
    site.write("talks/new/a.md", talk("Alpha"))  # the alias removed: the old address is gone again
    site.wait_for_page("/new/a/", "Alpha")
    wait_until(lambda: site.get("/a/slides/")[0] == 404, "the old address to be gone")
