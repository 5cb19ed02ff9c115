"""pandoc's bracketed spans: `[Bonjour]{lang=fr}` marks a word in another language (WCAG 3.1.2, Language of Parts)
in the deck and the handout, as `::: {lang=fr}` does for a block; a span takes classes, lang and dir only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from talkbuild.build import build
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]
FRONT = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n"  # the body starts on line 7


def pages(root: Path) -> tuple[BeautifulSoup, BeautifulSoup, list[tuple[str, int | None, str]]]:
    result = build(load_config(root))
    read = [BeautifulSoup((result.out_dir / p).read_text(encoding="utf-8"), "html.parser")
            for p in ("t/index.html", "t/slides/index.html")]
    found = [(d.code, d.location.line, d.message) for d in result.diagnostics]
    return read[0], read[1], found


def test_a_bracketed_span_marks_a_word_in_another_language_in_both_views(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": FRONT + "## Greetings\n\nShe said [Bonjour]{lang=fr} and "
                                               "[*shalom*]{lang=he dir=rtl .foreign} to us.\n"})
    handout, deck, found = pages(root)
    for view in (handout, deck):
        p = view.select_one("section#greetings p")
        assert p is not None
        assert str(p) == ('<p>She said <span lang="fr">Bonjour</span> and <span class="foreign" dir="rtl" lang="he">'
                          "<em>shalom</em></span> to us.</p>")
    assert found == []


def test_a_fenced_div_does_the_same_for_a_block(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": FRONT + "## Quote\n\n::: {lang=fr}\nLe style est l'homme même.\n:::\n"})
    handout, deck, _ = pages(root)
    assert [div.get("lang") for div in deck.select("section#quote div[lang]")] == ["fr"]
    assert [div.get("lang") for div in handout.select("section#quote div[lang]")] == ["fr"]


def test_brackets_that_are_no_span_are_kept_as_they_were(make_project: ProjectFactory) -> None:
    body = ("## Plain\n\n[not a span] and [a link](https://example.org/) and [ref]{.x}\n\n"
            "A footnote[^1] and $[0, 1]^{2}$ math.\n\n[^1]: Note.\n\n[ref]: https://example.org/ref\n")
    root = make_project({"talks/t.md": FRONT + body})
    handout, _, _ = pages(root)
    p = handout.select_one("section#plain p")
    assert p is not None and p.get_text().startswith("[not a span] and a link and ref{.x}")
    assert [a["href"] for a in p.select("a")] == ["https://example.org/", "https://example.org/ref"]
    assert not handout.select("section#plain span[class=x]")


def test_a_span_in_a_slide_title_keeps_its_language_and_its_id_comes_from_its_text(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": FRONT + "## [Hola]{lang=es} amigos\n\nText.\n"})
    _, deck, _ = pages(root)
    heading = deck.select_one("section#hola-amigos h2")
    assert heading is not None and heading.select_one("span[lang=es]").get_text() == "Hola"


def test_attributes_a_span_does_not_take_are_left_out_and_said(make_project: ProjectFactory) -> None:
    root = make_project({"talks/t.md": FRONT + "## S\n\nFirst line\nthen [x]{#anchor style=\"color: red\" lang=de}.\n"})
    handout, _, found = pages(root)
    span = handout.select_one("section#s p span")
    assert span is not None and span.attrs == {"lang": "de"}
    assert found == [("span-attribute", 10, "a bracketed span takes only classes, lang and dir; left out: #id, style")]
