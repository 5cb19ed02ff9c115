"""A talk written in another script than its language's: a screen reader reads Japanese slides in an English voice.

Only the script is judged (kana, hangul, Arabic letters... against Latin), from the slides' text without code: a
Portuguese talk in an English site cannot be told from an English one this way, and is not reported.
"""

from __future__ import annotations

import re

from ..errors import Diagnostic, Severity, SourceLocation
from ..models import Talk

SCRIPTS: tuple[tuple[str, str, frozenset[str], re.Pattern[str]], ...] = (
    # (script, language to suggest, languages written in it, its letters)
    ("Japanese kana", "ja", frozenset({"ja"}), re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")),
    ("Korean hangul", "ko", frozenset({"ko"}), re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("Chinese characters", "zh", frozenset({"zh", "ja", "yue", "wuu", "hak", "nan"}), re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("Arabic", "ar", frozenset({"ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug"}), re.compile("[\u0600-\u06ff\u0750-\u077f]")),
    ("Hebrew", "he", frozenset({"he", "yi", "iw"}), re.compile("[\u0590-\u05ff]")),
    ("Cyrillic", "ru", frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt", "ba", "cv", "sah"}),
     re.compile("[\u0400-\u04ff]")),
    ("Greek", "el", frozenset({"el", "grc"}), re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Thai", "th", frozenset({"th"}), re.compile("[\u0e00-\u0e7f]")),
    ("Devanagari", "hi", frozenset({"hi", "mr", "ne", "sa", "kok", "mai"}), re.compile("[\u0900-\u097f]")),
)
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
ENOUGH = 100
"""Letters needed before a talk's script is judged: a title slide with a Japanese name in it is not a Japanese talk."""
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_LANG_OPEN = re.compile(r"""<([a-zA-Z][\w-]*)\b[^>]*?\slang\s*=\s*["']?[^"'\s>]""")
"""An element the author marked with its language (`[Bonjour]{lang=fr}`, `::: {lang=ja}`): its text is in order."""


def _without_marked(html: str) -> str:
    """`html` without the elements that carry a `lang` of their own (nested elements of their name counted)."""
    out: list[str] = []
    at = 0
    for opened in _LANG_OPEN.finditer(html):
        if opened.start() < at:
            continue
        out.append(html[at:opened.start()])
        at = _end_of(html, opened.group(1), html.find(">", opened.end()) + 1 or len(html))
    out.append(html[at:])
    return "".join(out)


def _end_of(html: str, tag: str, start: int) -> int:
    """Where the element `tag` opened just before `start` ends (the end of the text when it never does)."""
    depth = 1
    for found in re.finditer(rf"<(/?){re.escape(tag)}\b[^>]*>", html[start:], re.IGNORECASE):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start + found.end()
    return len(html)


def check_language(talk: Talk) -> list[Diagnostic]:
    """`lang-mismatch` when most of the talk's letters are of a script its language is not written in."""
    parts = [talk.meta.title] + [part for slide in talk.slides for part in (slide.title, slide.body_html)]
    if all(part.isascii() for part in parts):  # most talks: no letter of another script, nothing to count
        return []
    text = _TAG.sub(" ", _CODE.sub(" ", _without_marked(" ".join(parts))))
    counts = {name: len(letters.findall(text)) for name, _, _, letters in SCRIPTS}
    if counts["Japanese kana"]:  # Japanese is written in kana and kanji (Chinese characters) together
        counts["Japanese kana"] += counts.pop("Chinese characters")
    total = len(LATIN.findall(text)) + sum(counts.values())
    most = max(counts, key=lambda name: counts[name])
    if counts[most] < ENOUGH or counts[most] * 2 <= total:
        return []
    _, suggest, written, _ = next(script for script in SCRIPTS if script[0] == most)
    if talk.meta.lang.split("-")[0].lower() in written:
        return []
    name = "Japanese" if most == "Japanese kana" else most
    return [Diagnostic(Severity.WARNING, "lang-mismatch",
                       f"the talk is written mostly in {name}, but its language is '{talk.meta.lang}': screen readers "
                       "will read it with that language's voice and rules",
                       SourceLocation(talk.source.path, 1),
                       hint=f"add 'lang: {suggest}' to the front matter (or set lang in talkbuild.yml for the whole site)")]
