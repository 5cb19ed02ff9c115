"""What is shared between talks (remembered formulas, worker processes that stream results back) never changes
what a talk gets, nor the order problems are reported in."""

from __future__ import annotations

import pytest

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config
from talkbuild.errors import ContentError
from talkbuild.render_pool import PARALLEL_THRESHOLD

BROKEN = "$\\frac{1}{2$"


def test_a_broken_formula_is_reported_at_every_place_it_appears(make_project) -> None:
    root = make_project({
        "talks/a.md": f"---\ntitle: A\n---\n\n## S\n\nOne {BROKEN} here\n\nTwo {BROKEN} here\n",
        "talks/b.md": f"---\ntitle: B\n---\n\n## S\n\n{BROKEN}\n",
    })
    for _ in range(2):  # the second build converts every formula again in the same process
        with pytest.raises(ContentError) as caught:
            build(load_config(root), BuildOptions(use_cache=False, jobs=1))
        found = sorted(str(d.location) for d in caught.value.diagnostics if d.code == "math")
        assert found == ["talks/a.md:7", "talks/a.md:9", "talks/b.md:7"]


def test_one_formula_inline_and_displayed_keeps_each_form(make_project) -> None:
    root = make_project({"talks/a.md": "---\ntitle: A\n---\n\n## S\n\nSay $x^2$ then\n\n$$x^2$$\n\nand $x^2$ again\n"})
    build(load_config(root), BuildOptions(use_cache=False, jobs=1))
    deck = (root / "_site/a/slides/index.html").read_text(encoding="utf-8")
    assert deck.count('<span class="math inline"><math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 2
    assert deck.count('<div class="math display"><math tabindex="0" xmlns="http://www.w3.org/1998/Math/MathML" display="block">') == 1


def test_worker_processes_report_the_same_problems_in_the_same_order_as_one_process(make_project, tmp_path) -> None:
    files = {f"talks/t{i:02d}.md": f"---\ntitle: T{i}\n---\n\n## S\n\n![x](img/none-{i}.png)\n" for i in range(3 * PARALLEL_THRESHOLD)}
    files["talks/t05.md"] = f"---\ntitle: T5\n---\n\n## S\n\n{BROKEN}\n"
    files["talks/t17.md"] = "---\ntitle: [T17\n---\n"  # unreadable talks are reported as their outcomes arrive
    files["talks/t03.md"] = "---\ntitle: T3\ndate: 2020-13-01\n---\n"
    root = make_project(files)
    config = load_config(root)
    serial = build(config, BuildOptions(out_dir=tmp_path / "a", jobs=1, use_cache=False, keep_going=True))
    pooled = build(config, BuildOptions(out_dir=tmp_path / "b", jobs=2, use_cache=False, keep_going=True))
    assert [d.format() for d in pooled.diagnostics] == [d.format() for d in serial.diagnostics]
    assert len(serial.diagnostics) == 3 * PARALLEL_THRESHOLD
    assert [t.slug for t in pooled.talks] == [t.slug for t in serial.talks]
