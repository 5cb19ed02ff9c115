"""reveal-md's `revealOptions:`: `slideNumber` shows the slides' numbers as `slide_numbers: true` does; the warning
names what was applied and what was ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkbuild.build import BuildOptions, build
from talkbuild.config import load_config

TALK = "---\ntitle: R\n{extra}---\n\n## One\n\nText.\n"


def numbered(site: Path) -> bool:
    return 'class="tb-slide-edge tb-slide-number"' in (site / "r/slides/index.html").read_text()


@pytest.mark.parametrize("option", ["true", "'c/t'", "h.v", "c"])
def test_reveal_options_slide_number_shows_the_numbers(make_project, tmp_path: Path, option: str) -> None:
    root = make_project({"talks/r.md": TALK.format(extra=f"revealOptions:\n  slideNumber: {option}\n")})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    assert numbered(tmp_path / "site")
    assert [d for d in result.diagnostics if d.code == "unknown-key"] == [], "everything it says was applied"


def test_the_warning_names_what_was_applied_and_what_ignored_and_the_talk_s_own_setting_wins(
        make_project, tmp_path: Path) -> None:
    extra = "revealOptions:\n  transition: fade\n  slideNumber: 'c/t'\n  controls: false\n"
    root = make_project({"talks/r.md": TALK.format(extra=extra)})
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    assert numbered(tmp_path / "site")
    [warning] = [d for d in result.diagnostics if d.code == "unknown-key"]
    assert warning.location.line == 3
    assert warning.message == ("revealOptions applied: slideNumber (as slide_numbers: true); "
                               "ignored: transition, controls"), warning.message
    assert "slide_addresses: revealjs" in (warning.hint or "")

    root = make_project({"talks/r.md": TALK.format(extra="slide_numbers: false\n" + extra)}, root=root)
    result = build(load_config(root), BuildOptions(out_dir=tmp_path / "site2"))
    assert not numbered(tmp_path / "site2")
    [warning] = [d for d in result.diagnostics if d.code == "unknown-key"]
    assert "ignored: transition, slideNumber (the talk sets slide_numbers), controls" in warning.message


def test_a_talk_that_already_reads_reveal_js_addresses_is_not_told_to(make_project, tmp_path: Path) -> None:
    # An integration trial: the hint asked a migrated talk to set what it had set.
    extra = "slide_addresses: revealjs\nrevealOptions:\n  transition: fade\n"
    root = make_project({"talks/r.md": TALK.format(extra=extra)})
    [warning] = [d for d in build(load_config(root), BuildOptions(out_dir=tmp_path / "site")).diagnostics
                 if d.code == "unknown-key"]
    assert warning.hint == "talkbuild's deck reads none of reveal.js's other options"
