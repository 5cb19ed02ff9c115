"""The levels headings are shown at: a slide's heading sits where the theme puts it (the talk's title is the page's
<h1>), and the headings written inside a slide move down with it, so a `### Detail` under a `## Slide` stays one
level below its slide in the deck, the handout and the PDF's structure (WCAG 1.3.1)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from .models import Heading


def slide_tags(tokens: Sequence[Token]) -> tuple[str, str]:
    """The tags of the headings that start a section and a slide ("" for no sections): pandoc's rule, with no
    level-2 headings the level-1 headings are the slides."""
    levels = {t.tag for t in tokens if t.type == "heading_open" and t.level == 0}
    return ("h1", "h2") if "h2" in levels else ("", "h1")


def heading_shift(tokens: Sequence[Token], tags: tuple[str, str]) -> int:
    """How many levels the pages show the talk's headings below their Markdown level. The talk's title is the
    <h1>, so sections (`#`) are <h2> and their slides (`##`) <h3>; a talk whose slides are `#` shows them as <h2>;
    a talk of `##` slides without sections shows them as written (deck.html and handout.html, `sectioned`)."""
    section_tag, slide_tag = tags
    top = {t.tag for t in tokens if t.type == "heading_open" and t.level == 0}
    return 1 if (section_tag and section_tag in top) or (slide_tag == "h1" and "h1" in top) else 0


def shown_level(written: int, shift: int) -> int:
    """The <hN> a heading written at `written` becomes; HTML has no <h7>, so the deepest stay at <h6>."""
    return min(6, written + shift)


def is_slide_heading(token: Token, tags: tuple[str, str]) -> bool:
    """Whether `token` (a heading_open, or its heading_close) is a section's or a slide's own heading: at the top
    level, of a slide tag."""
    return token.level == 0 and token.tag in tags


def shift_body_headings(tokens: Sequence[Token], tags: tuple[str, str], shift: int) -> None:
    """Move every heading that is not a slide's or a section's own down `shift` levels, in place (before the
    tokens are rendered; the slides' own headings are the theme's to place)."""
    if not shift:
        return
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and not is_slide_heading(token, tags):
            token.tag = f"h{shown_level(int(token.tag[1]), shift)}"


def talk_headings(tokens: Sequence[Token], tags: tuple[str, str], shift: int, line_offset: int) -> tuple[Heading, ...]:
    """Every heading of a talk's body (`tokens` as parsed, before `shift_body_headings`), in order."""
    return tuple(
        Heading(int(t.tag[1]), line_offset + t.map[0] + 1, shown_level(int(t.tag[1]), shift), is_slide_heading(t, tags))
        for t in tokens if t.type == "heading_open" and t.map)
