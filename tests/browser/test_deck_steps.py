"""reveal.js's steps in real Chromium: data-fragment-index order, the fragment styles, code line highlights in steps;
in the deck, the presenter's preview, print, the handout, and what a screen reader is told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready

pytestmark = pytest.mark.browser

TALK = """---
title: Steps
---

## Order

- First <!-- .element: class="fragment" data-fragment-index="2" -->
- Second <!-- .element: class="fragment" data-fragment-index="1" -->
- With second <!-- .element: class="fragment" data-fragment-index="1" -->
- Unnumbered <!-- .element: class="fragment" -->

<p class="fragment" data-fragment-index="3">Raw third</p>

## Styles

- Fades out <!-- .element: class="fragment fade-out" -->
- Turns red <!-- .element: class="fragment highlight-red" -->
- In then out <!-- .element: class="fragment fade-in-then-out" -->
- Red while current <!-- .element: class="fragment highlight-current-red" -->
- Half gone <!-- .element: class="fragment semi-fade-out" -->
- Comes up <!-- .element: class="fragment fade-up" -->
- Struck <!-- .element: class="fragment strike" -->

## Code

```js [1-2|3|4-5]
let a = 1;
let b = 2;
let c = a + b;
console.log(c);
export { c };
```

## End

Thanks.
"""

SHOWN = """id => [...document.querySelectorAll(`#tb-stage > #${id} li, #tb-stage > #${id} p.fragment`)]
  .filter(el => getComputedStyle(el).visibility === 'visible' && getComputedStyle(el).opacity !== '0')
  .map(el => el.textContent.trim())"""
LOOKS = """sel => [...document.querySelectorAll(sel)].map(el => {
  const s = getComputedStyle(el);
  const hidden = s.visibility !== 'visible' || s.opacity === '0';
  return [el.textContent.trim(), hidden ? 'hidden' : [s.opacity === '1' ? '' : 'faded', s.color === 'rgb(179, 38, 30)' ? 'red' : '',
          s.textDecorationLine === 'line-through' ? 'struck' : '', s.transform === 'none' ? '' : 'moved']
          .filter(Boolean).join(' ') || 'plain'];
})"""
HIGHLIGHTED = """sel => [...document.querySelectorAll(sel + ' .tb-line')]
  .filter(el => getComputedStyle(el).color !== 'rgb(91, 98, 112)').map(el => el.textContent.trim())"""
STATUS = "document.getElementById('tb-status').textContent"


@pytest.fixture
def site(tmp_path: Path, static_server: Any) -> str:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "p"
    (root / "talks").mkdir(parents=True)
    (root / "talks/steps.md").write_text(TALK, encoding="utf-8")
    build(load_config(root))
    return str(static_server(root / "_site"))


@pytest.fixture
def deck(page: Any, site: str) -> Any:
    """The deck, without motion: a state is read at once, not after a transition."""
    page.emulate_media(reduced_motion="reduce")
    page.deck_url = site + "steps/slides/"
    yield page
    assert page.outside_requests == [], "the deck must not reach beyond 127.0.0.1"


def open_at(deck: Any, slide: str) -> None:
    deck.goto(deck.deck_url + "#" + slide)
    wait_ready(deck)
    assert current(deck) == slide


def test_data_fragment_index_orders_the_steps_and_the_same_index_is_one_step(deck: Any) -> None:
    open_at(deck, "order")
    seen = [deck.evaluate(SHOWN, "order")]
    announced = []
    for _ in range(4):
        deck.keyboard.press("ArrowRight")
        seen.append(deck.evaluate(SHOWN, "order"))
        announced.append(deck.evaluate(STATUS).strip())
    # reveal.js's numbering: by index (raw HTML's too), then the unnumbered ones in the order written
    assert seen == [
        [],
        ["Second", "With second"],
        ["First", "Second", "With second"],
        ["First", "Second", "With second", "Raw third"],
        ["First", "Second", "With second", "Unnumbered", "Raw third"],
    ]
    assert announced == ["Second With second", "First", "Raw third", "Unnumbered"]
    assert deck.evaluate("location.hash") == "#order/4"
    deck.keyboard.press("ArrowRight")
    assert current(deck) == "styles", "four steps, then the next slide"


def test_each_fragment_style_looks_as_in_reveal_js_at_each_step(deck: Any) -> None:
    open_at(deck, "styles")
    looks = "#tb-stage > #styles li"
    steps = [dict(deck.evaluate(LOOKS, looks))]
    for _ in range(7):
        deck.keyboard.press("ArrowRight")
        steps.append(dict(deck.evaluate(LOOKS, looks)))
    assert steps[0] == {"Fades out": "plain", "Turns red": "plain", "In then out": "hidden",
                        "Red while current": "plain", "Half gone": "plain", "Comes up": "hidden", "Struck": "plain"}
    assert steps[1]["Fades out"] == "hidden"
    assert steps[2]["Turns red"] == "red"
    assert steps[3]["In then out"] == "plain" and steps[4]["In then out"] == "hidden"
    assert steps[4]["Red while current"] == "red" and steps[5]["Red while current"] == "plain"
    assert steps[5]["Half gone"] == "faded"
    assert steps[6]["Comes up"] == "plain" and steps[7]["Struck"] == "struck"
    assert steps[7] == {"Fades out": "hidden", "Turns red": "red", "In then out": "hidden",
                        "Red while current": "plain", "Half gone": "faded", "Comes up": "plain", "Struck": "struck"}
    deck.keyboard.press("ArrowLeft")
    assert dict(deck.evaluate(LOOKS, looks))["Struck"] == "plain", "stepping back undoes the step"


def test_with_motion_fade_up_moves_in_and_with_reduced_motion_it_only_appears(page: Any, site: str) -> None:
    moved = "getComputedStyle([...document.querySelectorAll('#styles li')].find(el => el.textContent.trim() === 'Comes up')).transform"
    page.goto(site + "steps/slides/#styles")
    wait_ready(page)
    assert page.evaluate(moved) != "none", "before its step it waits lower down"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(moved) == "none"


def test_code_line_highlights_step_through_their_groups(deck: Any) -> None:
    open_at(deck, "code")
    code = "#tb-stage > #code .highlight"
    seen = [deck.evaluate(HIGHLIGHTED, code)]
    announced = []
    for _ in range(2):
        deck.keyboard.press("ArrowRight")
        seen.append(deck.evaluate(HIGHLIGHTED, code))
        announced.append(deck.evaluate(STATUS).strip())
    assert seen == [["let a = 1;", "let b = 2;"], ["let c = a + b;"], ["console.log(c);", "export { c };"]]
    assert announced == ["let c = a + b;", "console.log(c); export { c };"]
    number = "el => getComputedStyle(el, '::before').content"
    assert "counter(tb-line)" in deck.locator("#code .tb-line").first.evaluate(number), "lines numbered, as reveal.js does"
    deck.keyboard.press("ArrowRight")
    assert current(deck) == "end"


def test_the_presenter_s_next_step_preview_shows_the_next_step_s_state(deck: Any) -> None:
    deck.goto(deck.deck_url + "?presenter#order/1")
    wait_ready(deck)
    preview = "#tb-p-next section"
    assert deck.locator("#tb-p-next-label").text_content() == "Next step (2 of 4)"
    shown = deck.evaluate(f"""[...document.querySelectorAll('{preview} li, {preview} p.fragment')]
      .filter(el => getComputedStyle(el).visibility === 'visible').map(el => el.textContent.trim())""")
    assert shown == ["First", "Second", "With second"]
    deck.goto(deck.deck_url + "?presenter#code")
    deck.wait_for_function("document.querySelector('#tb-p-next-label').textContent === 'Next step (1 of 2)'")
    assert deck.evaluate(HIGHLIGHTED, preview) == ["let c = a + b;"]


def test_printed_each_slide_is_as_it_ends_and_no_code_line_is_dimmed(deck: Any) -> None:
    open_at(deck, "order")
    deck.emulate_media(media="print", reduced_motion="reduce")
    assert deck.evaluate(SHOWN, "order") == ["First", "Second", "With second", "Unnumbered", "Raw third"]
    assert dict(deck.evaluate(LOOKS, "#tb-stage > #styles li")) == {
        "Fades out": "hidden", "Turns red": "red", "In then out": "hidden", "Red while current": "plain",
        "Half gone": "faded", "Comes up": "plain", "Struck": "struck"}
    assert len(deck.evaluate(HIGHLIGHTED, "#tb-stage > #code .highlight")) == 5


def test_the_handout_shows_every_step_readable_and_the_code_once_undimmed(page: Any, site: str) -> None:
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        page.goto(site + "steps/")
        looks = dict(page.evaluate(LOOKS, "#styles li, section li"))
        assert looks["Fades out"] == "plain" and looks["In then out"] == "plain" and looks["Half gone"] == "plain"
        assert page.locator(".highlight .tb-line").count() == 5
        assert len(page.evaluate(HIGHLIGHTED, ".highlight")) == 5, "no line dimmed"


def test_every_step_of_these_slides_passes_axe(deck: Any, axe_source: str) -> None:
    """Dimmed code lines keep their contrast (a grey, not an opacity); a hidden step is hidden from the reader too."""
    deck.goto(deck.deck_url + "#order")
    wait_ready(deck)
    deck.add_script_tag(content=axe_source)
    found = []
    while current(deck) != "end":
        result = deck.evaluate("() => axe.run(document.querySelector('#tb-stage > section.tb-current'))")
        found += [f"{current(deck)}{deck.evaluate('location.hash')}: {v['id']} {[n['target'] for n in v['nodes']][:3]}"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
        deck.keyboard.press("ArrowRight")
    assert found == []
