"""reveal.js's `<!-- .element: class="fragment" -->` makes its block a step, as in reveal.js and reveal-md."""

from __future__ import annotations

import re
from pathlib import Path

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config

TALK = """---
title: R
---

## Steps

* Frag 1 <!-- .element: class="fragment" -->
* Frag 2 <!-- .element: class="fragment highlight-red" -->

A closing line. <!-- .element: class='fragment' -->

Written as code, it stays: `<!-- .element: class="fragment" -->`

## Plain

<!-- an ordinary comment --> stays a comment.
"""


def test_element_comments_give_their_block_the_class_and_the_slide_its_steps(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/r.md": TALK})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    assert not [d for d in result.diagnostics if d.is_error]
    deck = (tmp_path / "site/r/slides/index.html").read_text()
    steps = deck[deck.index('<section id="steps"'):deck.index('<section id="plain"')]
    assert '<li class="fragment">Frag 1</li>' in steps
    assert '<li class="fragment highlight-red">Frag 2</li>' in steps
    assert '<p class="fragment">A closing line.</p>' in steps
    assert "&lt;!-- .element: class=&quot;fragment&quot; --&gt;" in steps, "in a code span it is text"
    assert re.search(r'<section id="steps"[^>]*data-fragments="3"', deck)
    assert "<!-- an ordinary comment -->" in deck
    handout = (tmp_path / "site/r/index.html").read_text()
    assert ".element:" not in handout.replace("&lt;!-- .element:", ""), "the comments are gone from the pages"


INDEXED = """---
title: I
---

## Order

- First <!-- .element: class="fragment" data-fragment-index="2" -->
- Second <!-- .element: class="fragment" data-fragment-index='1' -->
- With second <!-- .element: class="fragment" data-fragment-index=1 -->
- Unnumbered <!-- .element: class="fragment" -->
- Bad <!-- .element: class="fragment" data-fragment-index="later" -->
"""


def test_data_fragment_index_is_kept_and_the_same_index_is_one_step(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/i.md": INDEXED})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/i/slides/index.html").read_text()
    assert '<li class="fragment" data-fragment-index="2">First</li>' in deck
    assert '<li class="fragment" data-fragment-index="1">Second</li>' in deck
    assert '<li class="fragment" data-fragment-index="1">With second</li>' in deck
    assert '<li class="fragment">Bad</li>' in deck
    # index 1, index 2, then the two without one
    assert re.search(r'<section id="order"[^>]*data-fragments="4"', deck)
    [warning] = [d for d in result.diagnostics if d.code == "fragment-index"]
    assert str(warning.location) == "talks/i.md:11"
    assert "'later'" in warning.message and 'data-fragment-index="1"' in (warning.hint or "")


ATTRIBUTES = """---
title: A
---

## Pictures

![Chart](chart.png) <!-- .element: class="r-stretch fragment" style="height:120px" width="30%" data-fragment-index="1" -->

Sized <!-- .element: style="color: #333" data-id="box" height="40" -->

## Named <!-- .element: id="named-heading" class="big" -->

Risky <!-- .element: class="fragment" onclick="alert(1)" id="para" title="t" -->
"""


def test_element_comments_carry_styles_sizes_and_data_to_the_picture_or_block_before_them(make_project,
                                                                                           tmp_path: Path) -> None:
    root = make_project({"talks/a.md": ATTRIBUTES, "talks/chart.png": b"\x89PNG\r\n\x1a\n"})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/a/slides/index.html").read_text()
    # the picture the comment follows takes it, not its paragraph (reveal.js: the element just before the comment)
    assert re.search(r'<p><img src="[^"]*chart.png" alt="Chart" class="r-stretch fragment" style="height:120px" '
                     r'width="30%" data-fragment-index="1" ?/></p>', deck), deck
    assert re.search(r'<section id="pictures"[^>]*data-fragments="1"', deck), "a picture's step is counted"
    assert '<p style="color: #333" data-id="box" height="40">Sized</p>' in deck
    assert '<section id="named-heading" class="slide slide-slide big"' in deck, "a slide heading's id, as its {#id}"
    assert '<p class="fragment">Risky</p>' in deck, "no handler, and no id beside the slides' ids"
    [warning] = [d for d in result.diagnostics if d.code == "element-attribute"]
    assert str(warning.location) == "talks/a.md:13"
    assert "left out: onclick, id, title" in warning.message
