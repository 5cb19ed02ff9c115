"""Authors and affiliations as Quarto, pandoc and R Markdown users write them are shown on the deck, the handout
and the index; a shape talkbuild cannot use is a warning at its line, never a silent drop or a stopped build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QUARTO = """---
title: Quarto
author:
  - name: Ada Lovelace
    affiliation: ETH Zürich
    email: ada@example.org
  - name: Bob Smith
    affiliations:
      - ETH Zürich
      - name: Université de Montréal
    orcid: 0000-0002-1825-0097
  - name: {given: Carl, family: Gauss}
    affiliations:
      - ref: ug
  - [stray]
  - name: Dee
    colour: red
  - affiliation: Nowhere
subtitle: [one, two]
---

## S

Hi.
"""
LISTS = "---\ntitle: Lists\nauthor: [Ada, Bob]\ninstitution: [ETH Zürich, Université de Montréal]\n---\n\n## S\n\nHi.\n"
SHARED = """---
title: Shared
authors:
  - name: Ada
    affiliation: ETH Zürich
  - name: Bob
    affiliation: ETH Zürich
---

## S

Hi.
"""


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "talkbuild.cli", "build"], cwd=root, capture_output=True, text=True,
                          timeout=120)


def test_authors_and_affiliations_are_shown_and_unusable_shapes_warn_at_their_line(make_project) -> None:
    # Before: the Quarto talk stopped the build ('author' must be a name or a list of names), the lists'
    # institutions were dropped without a word, and `authors:` mappings were not shown.
    root = make_project({"talks/quarto.md": QUARTO, "talks/lists.md": LISTS, "talks/shared.md": SHARED})
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "front-matter-shape" in line] == [
        "talks/quarto.md:12: warning[front-matter-shape]: the 'affiliations' of Carl Gauss refers to an affiliation "
        "by 'ref: ug', which talkbuild does not look up (write the affiliation's name instead: 'affiliation: ETH "
        "Zürich')",
        "talks/quarto.md:15: warning[front-matter-shape]: item 4 of 'author' is a list inside the list, so it is not "
        "shown ('author' must be a name, a list of names, or a list of '- name: ... / affiliation: ...' mappings)",
        "talks/quarto.md:16: warning[front-matter-shape]: the key 'colour' of Dee is not read (an author takes name, "
        "affiliation (or affiliations), email, orcid and url)",
        "talks/quarto.md:18: warning[front-matter-shape]: item 6 of 'author' has no name, so it is not shown (give it "
        "one: '- name: Ada Lovelace')",
        "talks/quarto.md:19: warning[front-matter-shape]: 'subtitle' must be text, but YAML read a list, so it is left "
        "out (quote it: subtitle: \"[...]\")",
    ]
    site = root / "_site"
    numbered = ('<div class="tb-byline"><p class="tb-authors">Ada Lovelace<sup>1</sup>, Bob Smith<sup>1,2</sup>, '
                'Carl Gauss, Dee</p><p class="tb-institution"><sup>1</sup> ETH Zürich</p>'
                '<p class="tb-institution"><sup>2</sup> Université de Montréal</p></div>')
    for page in ("quarto/index.html", "quarto/slides/index.html"):
        assert numbered in (site / page).read_text(encoding="utf-8"), page
    listed = ('<div class="tb-byline"><p class="tb-authors">Ada, Bob</p><p class="tb-institution">ETH Zürich</p>'
              '<p class="tb-institution">Université de Montréal</p></div>')
    assert listed in (site / "lists/slides/index.html").read_text(encoding="utf-8")
    shared = '<p class="tb-authors">Ada, Bob</p><p class="tb-institution">ETH Zürich</p></div>'
    assert shared in (site / "shared/index.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert ('<span class="tb-authors">Ada Lovelace, Bob Smith, Carl Gauss, Dee</span> · '
            '<span class="tb-institution">ETH Zürich; Université de Montréal</span>') in index
    assert ('<span class="tb-authors">Ada, Bob</span> · <span class="tb-institution">ETH Zürich; Université de '
            'Montréal</span>') in index
    assert '<meta name="author" content="Ada Lovelace, Bob Smith, Carl Gauss, Dee">' in \
        (site / "quarto/index.html").read_text(encoding="utf-8")


def test_a_single_author_and_institution_are_shown_as_before(make_project) -> None:
    talk = "---\ntitle: One\nauthor: Ada Lovelace\ninstitution: University College London\n---\n\n## S\n\nHi.\n"
    root = make_project({"talks/a.md": talk})
    done = build(root)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    byline = ('<div class="tb-byline"><p class="tb-authors">Ada Lovelace</p><p class="tb-institution">University '
              'College London</p></div>')
    assert byline in (root / "_site/a/index.html").read_text(encoding="utf-8")
    assert ('<p class="tb-talk-meta"><span class="tb-authors">Ada Lovelace</span> · <span class="tb-institution">'
            'University College London</span></p>') in (root / "_site/index.html").read_text(encoding="utf-8")
