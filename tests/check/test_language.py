"""`lang-mismatch`: a talk written in another script than its language's (a screen reader would read Japanese
slides with an English voice), judged from the slides' text without code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkbuild.check import check_project
from talkbuild.config import load_config

ProjectFactory = Callable[..., Path]

JAPANESE = "これは日本語で書かれたスライドです。画面読み上げソフトは言語を知る必要があります。" * 3
ARABIC = "هذه شريحة مكتوبة باللغة العربية ويجب أن يعرف قارئ الشاشة لغتها الصحيحة دائما" * 3


def talk(body: str, front: str = "") -> str:
    return f"---\ntitle: T\nauthor: A\ndate: 2024-01-01\n{front}---\n\n## One\n\n{body}\n\n## Two\n\n{body}\n"


def mismatches(root: Path) -> list[tuple[str, int | None, str, str]]:
    return [(Path(d.location.path).name, d.location.line, d.message, d.hint or "")
            for d in check_project(load_config(root)).diagnostics if d.code == "lang-mismatch"]


def test_a_talk_in_japanese_or_arabic_without_its_lang_is_warned_of_with_the_tag_to_write(
        make_project: ProjectFactory) -> None:
    root = make_project({"talks/ja.md": talk(JAPANESE), "talks/ar.md": talk(ARABIC)})
    found = sorted(mismatches(root))
    assert [(name, line) for name, line, _, _ in found] == [("ar.md", 1), ("ja.md", 1)]
    assert "written mostly in Arabic, but its language is 'en'" in found[0][2] and "lang: ar" in found[0][3]
    assert "written mostly in Japanese, but its language is 'en'" in found[1][2] and "lang: ja" in found[1][3]


def test_a_talk_whose_lang_fits_its_script_is_not_warned_of_from_its_front_matter_or_the_site(
        make_project: ProjectFactory, tmp_path: Path) -> None:
    assert mismatches(make_project({"talks/ja.md": talk(JAPANESE, "lang: ja-JP\n")})) == []
    site = make_project({"talkbuild.yml": "lang: ar\n", "talks/ar.md": talk(ARABIC)}, tmp_path / "site")
    assert mismatches(site) == []


def test_a_few_words_of_another_script_or_code_in_one_do_not_make_a_talk_foreign(make_project: ProjectFactory) -> None:
    english = "This slide is written in English, and it thanks 山田太郎 (Yamada Taro) for the photographs. " * 3
    code = "```python\n" + "\n".join(f'print("{JAPANESE}")' for _ in range(5)) + "\n```"
    root = make_project({"talks/en.md": talk(english), "talks/code.md": talk("Some English text here.\n\n" + code)})
    assert mismatches(root) == []


def test_text_marked_with_its_own_language_is_in_order(make_project: ProjectFactory) -> None:
    # The author marked the Japanese ([...]{lang=ja}, a <div lang="ja"> with a <div> inside): nothing to fix.
    spans = f"Introduction.\n\n[{JAPANESE}]{{lang=ja}}\n"
    divs = f'<div lang="ja"><div>{JAPANESE}</div>\n{JAPANESE}</div>\n\nThe end.\n'
    root = make_project({"talks/span.md": talk(spans), "talks/div.md": talk(divs)})
    assert mismatches(root) == []
    unmarked = make_project({"talks/div.md": talk(f"<div>{JAPANESE}</div>\n")}, root.parent / "unmarked")
    assert [name for name, *_ in mismatches(unmarked)] == ["div.md"]
