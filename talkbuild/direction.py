"""Writing direction: which languages are written right to left, and the `dir` values a talk or site may set."""

from __future__ import annotations

from markupsafe import Markup, escape

DIRECTIONS = ("rtl", "ltr", "auto")
"""The values of HTML's `dir` attribute, which `dir:` takes as they are."""
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "yi", "dv", "ug", "ckb", "syr"})
"""Primary language subtags written right to left (`iw` is Hebrew's withdrawn code, still sent by old systems).
A language written in more than one script (Sindhi, Kurdish) is taken in its usual one; `dir:` overrides it."""


def dir_of_lang(lang: str) -> str:
    """The direction a language tag is written in: "rtl" for Arabic, Hebrew, Persian, ...; "ltr" otherwise."""
    return "rtl" if lang.split("-", 1)[0].lower() in RTL_LANGUAGES else "ltr"


def dir_hint(text: str) -> str:
    """How to write a direction, from what was written instead."""
    word = text.strip().lower().replace("-", "").replace(" ", "")
    if word in ("righttoleft", "right", "r"):
        return "write 'dir: rtl'"
    if word in ("lefttoright", "left", "l"):
        return "write 'dir: ltr'"
    return "rtl (right to left: Arabic, Hebrew), ltr (left to right) or auto (the browser decides from the text)"


def is_english(lang: str) -> bool:
    """Whether a page in `lang` is English, so talkbuild's own (English) words need no language of their own."""
    return lang.split("-", 1)[0].lower() == "en"


def chrome_attrs(lang: str, direction: str) -> Markup:
    """The attributes that mark talkbuild's own English words on a page in `lang` ("" on an English page), so a
    screen reader voices them in English; on a page that is not plainly left to right they are also laid out so."""
    if is_english(lang):
        return Markup("")
    # With `auto` too: <html dir="auto"> takes the direction of the first text that has none of its own, which
    # should be the talk's, not talkbuild's skip link.
    return Markup(' lang="en"' if direction == "ltr" else ' lang="en" dir="ltr"')


def english(text: str, ui: str) -> Markup:
    """`"Handout"|en(ui)`: talkbuild's English words, in a span marked with `ui` (chrome_attrs) when it is not ""."""
    return Markup(f"<span{ui}>{escape(text)}</span>") if ui else escape(text)
