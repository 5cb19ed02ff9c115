"""pandoc's attributes on a picture, `![Chart](c.png){.r-stretch width=50%}`, as pandoc and reveal.js decks write
them: classes and sizes reach the <img> in the deck and the handout; anything else is left out with a warning at its
line, and the braces are never shown as text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from talkbuild.build import build
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]
FRONT = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n"  # the body starts on line 7
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def _images(root: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[tuple[str, int | None, str]], str]:
    result = build(load_config(root))
    views = [BeautifulSoup((result.out_dir / p).read_text(encoding="utf-8"), "html.parser")
             for p in ("t/index.html", "t/slides/index.html")]
    handout, deck = ([{k: " ".join(v) if isinstance(v, list) else v for k, v in img.attrs.items()}
                      for img in view.select("section img")] for view in views)
    found = [(d.code, d.location.line, d.message) for d in result.diagnostics]
    return handout, deck, found, views[1].get_text()


def test_classes_and_sizes_reach_the_picture_in_both_views(make_project: ProjectFactory) -> None:
    root = make_project({"talks/img/c.png": PNG, "talks/t.md": FRONT + (
        "## Charts\n\n"
        "![Stretched](img/c.png){.r-stretch width=50%} after\n\n"  # pandoc's unquoted percentage
        "![Pixels](img/c.png){width=200 height=100px}\n\n"
        '![Quoted](img/c.png){.a .b width="12.5em"}\n')})
    handout, deck, found, text = _images(root)
    lazy = ("loading", "decoding")  # the handout's pictures after its first two load lazily (handout_images.py)
    assert [{k: v for k, v in img.items() if k not in lazy} for img in handout] == [
        {**img, "src": "../img/c.png"} for img in deck]  # one level up from the deck
    assert deck == [
        {"src": "../../img/c.png", "alt": "Stretched", "class": "r-stretch", "style": "width:50%"},
        {"src": "../../img/c.png", "alt": "Pixels", "width": "200", "height": "100"},
        {"src": "../../img/c.png", "alt": "Quoted", "class": "a b", "style": "width:12.5em"},
    ]
    assert "{" not in text and "after" in text
    assert found == []


def test_what_a_picture_does_not_take_is_left_out_and_said_at_its_line(make_project: ProjectFactory) -> None:
    root = make_project({"talks/img/c.png": PNG, "talks/t.md": FRONT + (
        "## Charts\n\n"
        "Text first.\n"
        '![Bad](img/c.png){#fig style="color:red" width=big onclick=x}\n\n'
        "A [word]{lang=fr width=3} here.\n")})
    _, deck, found, text = _images(root)
    assert deck == [{"src": "../../img/c.png", "alt": "Bad"}]
    assert "{" not in text
    codes = [(code, line) for code, line, _ in found]
    assert codes == [("image-attribute", 10), ("span-attribute", 12)]
    message = found[0][2]
    assert "#id" in message and "style" in message and "width=big" in message
    assert "left out: width" in found[1][2]  # a span takes no size


def test_braces_after_a_space_stay_text_as_in_pandoc(make_project: ProjectFactory) -> None:
    root = make_project({"talks/img/c.png": PNG, "talks/t.md": FRONT + "## C\n\n![C](img/c.png) {.not-mine}\n"})
    _, deck, found, text = _images(root)
    assert deck == [{"src": "../../img/c.png", "alt": "C"}]
    assert "{.not-mine}" in text
    assert found == []
