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


LONG_CODE = "\n".join(f"x{n} = {n}  # line {n}" for n in range(1, 71))
MIGRATED = f"""---
title: Migrated
notes_separator: "Note:"
---

## Grow

- first item <!-- .element: class="fragment grow" -->
- second <!-- .element: class="fragment shrink" -->

A paragraph that grows. <!-- .element: class="fragment grow" -->

## Long

```python [1-10|30-40|60-70]
{LONG_CODE}
```

## Plain long

```python
{LONG_CODE}
```

## Noted

Shown <!-- .element: class="fragment" -->

```js [1|2]
a
b
```

Note:
* in the notes <!-- .element: class="fragment" -->

::: notes
also <!-- .element: class="fragment" -->

. . .

after the pause
:::

## End

Thanks.
"""
RTL = """---
title: نمو
lang: ar
---

## ينمو

- البند الأول <!-- .element: class="fragment grow" -->
- الثاني <!-- .element: class="fragment shrink" -->
"""
INSIDE = """sel => { const slide = document.querySelector(sel).closest('section.slide').getBoundingClientRect();
  return [...document.querySelectorAll(sel)].map(el => { const b = el.getBoundingClientRect();
    return [el.textContent.trim(), b.left >= slide.left - 0.5 && b.right <= slide.right + 0.5,
            getComputedStyle(el).transform !== 'none']; }) }"""
LINES_SHOWN = """sel => { const pre = document.querySelector(sel), box = pre.getBoundingClientRect();
  const hl = [...pre.querySelectorAll('.tb-line.tb-hl')];
  return [hl[0].textContent.trim(), hl.every(l => { const b = l.getBoundingClientRect(); return b.top >= box.top - 1 && b.bottom <= box.bottom + 1; }),
          pre.scrollHeight > pre.clientHeight, document.scrollingElement.scrollTop + document.getElementById('tb-stage').scrollTop]; }"""


@pytest.fixture
def migrated(tmp_path: Path, page: Any, static_server: Any) -> Any:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "m"
    (root / "talks").mkdir(parents=True)
    (root / "talks/migrated.md").write_text(MIGRATED, encoding="utf-8")
    (root / "talks/rtl.md").write_text(RTL, encoding="utf-8")
    build(load_config(root))
    page.emulate_media(reduced_motion="reduce")
    page.site = str(static_server(root / "_site"))
    yield page
    assert page.outside_requests == [], "the deck must not reach beyond 127.0.0.1"


@pytest.mark.parametrize("talk, steps, fragments", [("migrated", 3, "li, p.fragment"), ("rtl", 2, "li")])
def test_grow_and_shrink_stay_inside_the_slide_on_screen_and_printed(migrated: Any, talk: str, steps: int,
                                                                      fragments: str) -> None:
    """Scaled from the start of the line (the right, right to left): a full-width box scaled from its centre pushed
    its text past the slide's edge, and `talkbuild pdf` called a one-word slide overfull."""
    migrated.goto(migrated.site + f"{talk}/slides/#/2/{steps}")
    wait_ready(migrated)
    sel = f"#tb-stage > section.tb-current :is({fragments})"
    for media in ("screen", "print"):
        migrated.emulate_media(media=media, reduced_motion="reduce")
        seen = migrated.evaluate(INSIDE, sel)
        assert len(seen) == steps and all(scaled for *_, scaled in seen), f"{media}: each is grown or shrunk: {seen}"
        assert [inside for _, inside, *_ in seen] == [True] * steps, f"{media}: {seen}"
    body = "document.querySelector('#tb-stage > section.tb-current .tb-slide-body')"
    assert migrated.evaluate(f"{body}.scrollWidth <= {body}.clientWidth + 1"), "printed, the slide is not overfull"


def test_long_code_scrolls_in_its_block_and_each_step_brings_its_lines_into_view(migrated: Any) -> None:
    migrated.goto(migrated.site + "migrated/slides/#long")
    wait_ready(migrated)
    pre = "#tb-stage > #long pre"
    seen = [migrated.evaluate(LINES_SHOWN, pre)]
    for _ in range(2):
        migrated.keyboard.press("ArrowRight")
        seen.append(migrated.evaluate(LINES_SHOWN, pre))
    assert seen == [["x1 = 1  # line 1", True, True, 0], ["x30 = 30  # line 30", True, True, 0],
                    ["x60 = 60  # line 60", True, True, 0]], "the block scrolls; the page and the stage never do"
    migrated.keyboard.press("ArrowLeft")
    migrated.keyboard.press("ArrowLeft")
    assert migrated.evaluate(LINES_SHOWN, pre)[:2] == ["x1 = 1  # line 1", True], "back to the first lines"


def test_long_code_without_steps_scrolls_and_the_keyboard_scrolls_it(migrated: Any) -> None:
    migrated.goto(migrated.site + "migrated/slides/#plain-long")
    wait_ready(migrated)
    pre = migrated.locator("#tb-stage > #plain-long pre")
    box = pre.bounding_box()
    slide = migrated.locator("#tb-stage > #plain-long").bounding_box()
    assert box is not None and slide is not None and box["y"] + box["height"] <= slide["y"] + slide["height"] + 0.5
    assert pre.evaluate("el => el.scrollHeight > el.clientHeight && el.tabIndex === 0 && !!el.getAttribute('aria-label')")
    pre.focus()
    migrated.keyboard.press("ArrowDown")
    migrated.wait_for_function("document.querySelector('#tb-stage > #plain-long pre').scrollTop > 0")
    assert current(migrated) == "plain-long", "Down scrolls the code, it does not leave the slide"
    migrated.keyboard.press("ArrowRight")
    assert current(migrated) == "noted"


def test_a_fragment_in_the_notes_is_no_step_and_the_build_counts_the_code_steps(migrated: Any) -> None:
    migrated.goto(migrated.site + "migrated/slides/#noted")
    wait_ready(migrated)
    built = migrated.evaluate("document.querySelector('#tb-stage > #noted').dataset.fragments")
    steps = 0
    while current(migrated) == "noted":
        migrated.keyboard.press("ArrowRight")
        steps += 1
    assert steps - 1 == 2 == int(built), "the fragment and the code's second group; none from the notes"
    notes = migrated.evaluate("document.querySelector('#tb-stage > #noted aside.notes').textContent")
    assert ". . ." not in notes and "after the pause" in notes
