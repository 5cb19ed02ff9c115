"""Code line numbers and highlights written in a fence's info string: reveal.js's `[1,3-4]` and `[1-2|3]`, pandoc's
`{.numberLines startFrom=10}`; a range that names no line of the block is reported at the fence."""

from __future__ import annotations

import re
from pathlib import Path

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config

TALK = """---
title: C
---

## Steps

```js [1-2|3|4-5]
let a = 1;
let b = 2;
let c = a + b;
console.log(c);
export { c };
```

## Static

```python [1,3]
a = 1
b = 2
c = 3
```

## Pandoc

```{.python .numberLines startFrom=10}
x = 1
```

## Wrong

```python [1-x]
z = 3
```

```python [2-4]
z = 3
y = 4
```
"""


def _slide(deck: str, ident: str) -> str:
    start = deck.index(f'<section id="{ident}"')
    return deck[start:deck.index("</section>", start)]


def _lines(html: str) -> list[str]:
    return re.findall(r'<span class="(tb-line[^"]*)"(?: data-steps="([^"]*)")?>', html)


def _built(make_project, tmp_path: Path) -> tuple[str, str, list]:  # type: ignore[type-arg]
    root = make_project({"talks/c.md": TALK})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    return ((tmp_path / "site/c/slides/index.html").read_text(), (tmp_path / "site/c/index.html").read_text(),
            result.diagnostics)


def test_line_groups_become_steps_of_the_slide(make_project, tmp_path: Path) -> None:
    deck, _, _ = _built(make_project, tmp_path)
    steps = _slide(deck, "steps")
    assert 'class="highlight tb-lines tb-numbered tb-line-steps"' in steps
    assert _lines(steps) == [("tb-line", "1"), ("tb-line", "1"), ("tb-line", "2"), ("tb-line", "3"), ("tb-line", "3")]
    # the first group shows with the slide; each later one is a step
    assert re.findall(r'<span class="fragment tb-code-step" data-lines="([^"]*)"></span>', steps) == ["3", "4-5"]
    assert re.search(r'<section id="steps"[^>]*data-fragments="2"', deck)
    assert "[1-2" not in steps and 'data-lang="js"' in steps, "the ranges are not taken for the language"


def test_one_group_highlights_lines_without_steps_in_the_deck_and_the_handout(make_project, tmp_path: Path) -> None:
    deck, handout, _ = _built(make_project, tmp_path)
    for page in (_slide(deck, "static"), handout[handout.index('id="static"'):]):
        assert "tb-line-highlight" in page and "tb-code-step" not in page
        assert _lines(page)[:3] == [("tb-line tb-hl", ""), ("tb-line", ""), ("tb-line tb-hl", "")]
    assert re.search(r'<section id="static"[^>]*data-fragments="0"', deck)


def test_pandoc_number_lines_start_from(make_project, tmp_path: Path) -> None:
    deck, _, _ = _built(make_project, tmp_path)
    pandoc = _slide(deck, "pandoc")
    assert '<div class="highlight tb-lines tb-numbered" style="counter-reset: tb-line 9" data-lang="python">' in pandoc


def test_a_range_naming_no_line_is_reported_at_its_fence_and_nothing_is_highlighted(make_project, tmp_path: Path) -> None:
    deck, _, diagnostics = _built(make_project, tmp_path)
    wrong = [d for d in diagnostics if d.code == "code-lines"]
    assert [str(d.location) for d in wrong] == ["talks/c.md:31", "talks/c.md:35"]
    assert "'1-x'" in wrong[0].message and "outside the block's lines 1-2" in wrong[1].message
    assert all("```js [1-2|3|4-6]" in (d.hint or "") for d in wrong)
    assert "tb-hl" not in _slide(deck, "wrong") and "tb-code-step" not in _slide(deck, "wrong")


def test_a_plain_fence_is_rendered_as_before(make_project, tmp_path: Path) -> None:
    root = make_project({"talks/p.md": "---\ntitle: P\n---\n\n## S\n\n```python\nx = 1\n```\n"})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    deck = (tmp_path / "site/p/slides/index.html").read_text()
    assert '<div class="highlight" data-lang="python">' in deck and "tb-line" not in deck


def test_every_range_that_names_no_line_is_reported_in_one_message() -> None:
    from talkbuild.code_lines import read_info

    five = "a\nb\nc\nd\ne\n"
    _, lines = read_info("js [1-2|x|9]", five)
    assert "'x' is not a line or two joined by '-'" in lines.problem
    assert "'9' is outside the block's lines 1-5" in lines.problem and not lines.groups
    _, lines = read_info("js [0|3-1]", five)
    assert "'0' is outside the block's lines 1-5" in lines.problem
    assert "'3-1' runs backwards (write 1-3)" in lines.problem
    _, lines = read_info("js [1-2|7]", five)
    assert lines.problem == "in [1-2|7], line range '7' is outside the block's lines 1-5"
    _, lines = read_info("py [1-300000000]", five)  # a typo: never counted out (it filled memory, the build hung)
    assert lines.problem == "in [1-300000000], line range '1-300000000' is outside the block's lines 1-5"
