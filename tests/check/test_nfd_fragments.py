"""A talk saved in decomposed Unicode (NFD, as macOS may save files): its links open the slides they name.

Ids are composed (NFC); before, a link's fragment was kept decomposed (`#u%CC%88bersicht`), which no browser
matches with the id `übersicht`, and `check` said "did you mean 'übersicht'?" about two identical-looking words.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from talkbuild.check import check_project
from talkbuild.config import load_config
from talkbuild.links import nfc_fragment

ProjectFactory = Callable[..., Path]

NFD = unicodedata.normalize("NFD", "übersicht")
NFC = unicodedata.normalize("NFC", "übersicht")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


TALK_A = nfd("---\ntitle: Übung\n---\n\n## Übersicht\n\nSiehe [oben](#übersicht) und [B](b.md#größe).\n\n"
             "## Maße {#maße}\n\n<a href=\"#maße\">roh</a> [Maße](#maße)\n")
TALK_B = nfd("---\ntitle: Übung B\n---\n\n## Größe\n\ntext\n")


@pytest.fixture
def project(make_project: ProjectFactory) -> Path:
    root = make_project({"talks/a.md": TALK_A, "talks/b.md": TALK_B})
    assert not unicodedata.is_normalized("NFC", (root / "talks/a.md").read_text(encoding="utf-8"))
    return root


def test_a_decomposed_talk_links_to_its_composed_ids(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "talkbuild", "build", "-C", str(project)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for page in ("a/index.html", "a/slides/index.html"):
        html = BeautifulSoup((project / "_site" / page).read_text(encoding="utf-8"), "html.parser")
        ids = {tag["id"] for tag in html.select("[id]")}
        assert {NFC, "maße"} <= ids
        hrefs = [a["href"] for a in html.select("section a, main a") if "slides/" not in a["href"]]
        assert "#%C3%BCbersicht" in hrefs, hrefs  # as markdown-it writes a composed ü; before: #u%CC%88bersicht
        assert any(h.endswith("/b/index.html#gr%C3%B6%C3%9Fe") for h in hrefs), hrefs
        assert hrefs.count("#ma%C3%9Fe") == 1 and "#maße" in hrefs, "a raw HTML link is composed too"
        assert all(unicodedata.is_normalized("NFC", href) for href in hrefs)


def test_check_finds_no_problem_in_a_decomposed_talk(project: Path) -> None:
    # Before: missing-fragment '#übersicht' is not an id in this page (did you mean 'übersicht'?).
    problems = [(d.code, d.message) for d in check_project(load_config(project)).diagnostics
                if d.code in ("missing-fragment", "broken-link")]
    assert problems == []


def test_an_id_and_a_link_that_differ_only_in_normalization_are_said_to(make_project: ProjectFactory) -> None:
    # Raw HTML keeps its ids as written: a decomposed one cannot be opened by the (composed) link.
    root = make_project({"talks/a.md": f"---\ntitle: A\n---\n\n## S\n\n<span id=\"{NFD}\">x</span> [go](#{NFC})\n"})
    found = [(d.location.line, d.message, d.hint) for d in check_project(load_config(root)).diagnostics
             if d.code == "missing-fragment"]
    assert found == [(7, f"'#{NFC}' is not an id in this page",
                      f"did you mean '{NFD}'? The two look alike but differ in Unicode normalization (such as 'ü' "
                      "written as one character or as 'u' and a combining mark, as files saved on macOS may have it): "
                      "type the link or the id again, or save the file in NFC")]


@pytest.mark.parametrize(("written", "built"), [
    ("u%CC%88bersicht", "%C3%BCbersicht"),          # as markdown-it encodes it
    (NFD, NFC),                                     # as raw HTML has it
    ("%C3%BCbersicht", "%C3%BCbersicht"),           # composed already: kept as written
    ("slide%20two", "slide%20two"),
    ("", ""),
])
def test_a_fragment_is_composed_and_stays_encoded_as_written(written: str, built: str) -> None:
    assert nfc_fragment(written) == built
