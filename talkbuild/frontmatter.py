"""A talk's front matter: the YAML (or pandoc `%` block) at the top of the file, validated into a TalkMeta.

Every field is read even after one fails, so all of a talk's front matter problems are reported together.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import yamltext
from .authors import all_institutions, read_authors, read_institutions
from .conflicts import CODE as CONFLICT
from .conflicts import HINT as CONFLICT_HINT
from .conflicts import conflicts, has_markers
from .dates import read_date
from .direction import DIRECTIONS, dir_hint, dir_of_lang
from .errors import Diagnostic, Severity, SourceLocation, TalkbuildError, did_you_mean
from .models import TalkMeta
from .notes_marker import SEPARATOR_HINT, read_separator
from .ratio import RATIO_HINT, Ratio, read_ratio
from .reveal_options import HINT as REVEAL_HINT
from .reveal_options import HINT_OTHERS as REVEAL_HINT_OTHERS
from .reveal_options import read_reveal_options
from .stylesheets import read_css

KNOWN_KEYS = frozenset({
    "title", "subtitle", "author", "institution", "date", "layout", "slidelink", "lang", "dir",
    "tags", "description", "draft", "duration", "theme", "notes_separator", "ratio", "slide_numbers",
    "slide_addresses", "css",
})
# Keys other tools in the same family write; passed through to themes without a warning.
TOLERATED_KEYS = frozenset({"authors", "event", "venue", "short", "classes", "bibliography", "marp",
                            "aliases", "redirect_from"})  # the talk's old addresses: redirects.py reads them
FOREIGN_KEYS = {
    "separator": "reveal-md's slide separators are not read: talkbuild starts a slide at a '---' line or a '##' "
                 "heading, so replace each separator line with '---' (with a blank line before it)",
    "verticalSeparator": "reveal-md's vertical slides are not read: each '----' slide is an ordinary slide, in one "
                         "line; so that links shared from the reveal.js deck (#/2/1) still open their slides, set "
                         "slide_addresses: revealjs",
    "notesSeparator": "talkbuild's key is notes_separator, the text a notes line starts with (not a regular "
                      "expression): notes_separator: \"Note:\"",
    "highlightTheme": "reveal.js options are not read (themes can still read it); code is highlighted by the theme",
    "size": "Marp's slide size is read only in a Marp talk (marp: true); talkbuild's key is ratio: ratio: 4:3",
    "slideNumber": "talkbuild's key is slide_numbers: slide_numbers: true",
}
"""Keys of reveal-md's front matter, with what to do instead (a did-you-mean would suggest a talkbuild key)."""
TEXT_KEYS = frozenset({
    "title", "subtitle", "author", "authors", "institution", "date", "layout", "lang", "dir", "tags", "description",
    "theme", "event", "venue", "short", "classes", "ratio", "size", "bibliography", "slide_addresses", "css",
})
"""Keys whose values are text: taken exactly as written, so `title: No` is 'No' (YAML 1.1 says false),
`subtitle: 010` is '010' (not 8), `tags: [1.50]` is '1.50' and `ratio: 16:9` is '16:9' (not 969)."""
ITEM_LINE_KEYS = frozenset({"author", "authors", "institution", "css"})
"""Keys whose list items' lines are kept, so that a warning about one author points at that author."""
SHAPE = "front-matter-shape"
"""The code of a value YAML read as a list or mapping where talkbuild takes text: left out, with a warning."""
MARP_KEYS = frozenset({"size", "header", "footer", "paginate"})
"""Read only in a talk that says `marp: true` (elsewhere unknown keys): its slide size, and the global directives
written in its front matter."""
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
"""The shape of a BCP 47 language tag (en, pt-BR, zh-Hant-TW); which languages exist is the browser's business."""



@dataclass(frozen=True, slots=True)
class MissingTitle:
    """Where a talk's title should be, and the header the file has to put it in."""

    where: SourceLocation
    header: str
    """"yaml" (front matter), "pandoc" (a `% title` block) or "" (none)."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A talk file split into its parts, with the line where the body starts."""

    meta: TalkMeta
    body: str
    body_line: int
    """0-based line of the file where `body` starts (add to markdown-it's Token.map)."""
    diagnostics: tuple[Diagnostic, ...]
    untitled: MissingTitle | None = None
    """Set when the title is missing (Marp, reveal-md and remark talks have none): `meta.title` is then the file's
    name until the body is parsed and its first heading, if any, becomes the title."""


class NoDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so an impossible date is our error with a line, not PyYAML's crash."""


NoDatesLoader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def split_source(text: str, where: str, *, project_root: Path | None = None, site_lang: str = "en",
                 site_dir: str | None = None) -> SourceText:
    """Separate front matter from the body and validate it. A talk without `lang` (and `dir`) is in the site's
    language (`site_lang`, `site_dir`: talkbuild.yml's), as every page of an MkDocs site is."""
    lines = text.split("\n")
    diagnostics: list[Diagnostic] = []
    if lines and lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            raise TalkbuildError("front matter opened here is never closed", SourceLocation(where, 1),
                                 hint="end it with a line of three dashes '---'", code="front-matter")
        try:
            data, lines_of, diagnostics = _load_yaml("\n".join(lines[1:end]), where, first_line=2)
        except TalkbuildError as exc:
            # Not YAML, but closed: the body is still read, so `check` reports its problems in the same run
            # (under a stand-in title; the error keeps the build from writing the talk).
            diagnostics = exc.all_diagnostics()
            data, lines_of = {"title": _stand_in_title(where)}, {}
        body_line = end + 1
    elif lines and (lines[0].startswith("% ") or lines[0].rstrip() == "%"):  # pandoc allows an empty title line
        data, body_line = _pandoc_title_block(lines)
        lines_of = {k: 1 + i for i, k in enumerate(("title", "author", "date")) if k in data}
    else:
        data, lines_of, body_line = {}, {}, 0
    meta = _validate(data, lines_of, where, diagnostics, project_root, site_lang, site_dir)
    title = data.get("title")
    untitled = (None if _text(title) or isinstance(title, list | dict)
                else MissingTitle(SourceLocation(where, lines_of.get("title", 1)),
                                  "" if body_line == 0 else "yaml" if lines[0].rstrip() == "---" else "pandoc"))
    return SourceText(meta, "\n".join(lines[body_line:]), body_line, tuple(diagnostics), untitled)


def _stand_in_title(where: str) -> str:
    """The title a talk is rendered under while its own is in error: its file's (or folder's) name."""
    path = PurePosixPath(where)
    return path.stem if path.stem != "index" else path.parent.name


def _load_yaml(text: str, where: str, first_line: int) -> tuple[dict[str, Any], dict[str, int], list[Diagnostic]]:
    found = conflicts(text.split("\n")) if has_markers(text) else []
    if found:  # as YAML, git's markers are a syntax error that seems to be about quoting
        raise TalkbuildError(found[0].message(first_line, "the front matter"),
                             SourceLocation(where, first_line + found[0].start), hint=CONFLICT_HINT, code=CONFLICT)
    try:
        data, node, duplicates = yamltext.load(text, NoDatesLoader)
    except yaml.YAMLError as exc:
        problem = yamltext.syntax_problem(exc, text, first_line)
        raise TalkbuildError(f"front matter is not valid YAML: {problem.message}", SourceLocation(where, problem.line),
                             hint=problem.hint, code="front-matter") from None
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict):
        raise TalkbuildError("front matter must be a mapping of keys to values", SourceLocation(where, first_line),
                             hint="write it as 'title: My talk'", code="front-matter")
    data = {str(k): v for k, v in data.items()}
    lines_of = {}
    for key, key_node, value_node in yamltext.entries(node):  # in file order: of a repeated key, the last is used
        lines_of[key] = first_line + key_node.start_mark.line
        if (key in TEXT_KEYS or key == "duration") and key in data:  # duration: 010 is 10 minutes, not octal 8
            data[key] = yamltext.as_written(value_node, data[key])
        if key in ITEM_LINE_KEYS and isinstance(value_node, yaml.SequenceNode):  # a byline's problems at their item
            lines_of.update({f"{key}[{i}]": first_line + item.start_mark.line for i, item in enumerate(value_node.value)})
    diagnostics = [Diagnostic(Severity.WARNING, "duplicate-key", f"{d.message(first_line)}; the last one is used",
                              SourceLocation(where, first_line + d.lines[1]), hint="remove the one you do not mean")
                   for d in duplicates]
    return data, lines_of, diagnostics


def _pandoc_title_block(lines: list[str]) -> tuple[dict[str, Any], int]:
    """Pandoc's `% title / % author / % date` header (used by several talks in the wild)."""
    values: list[str] = []
    i = 0
    while i < len(lines) and lines[i].startswith("%") and len(values) < 3:
        values.append(lines[i][1:].strip())
        i += 1
    data: dict[str, Any] = {}
    for key, value in zip(("title", "author", "date"), values, strict=False):
        if value:
            data[key] = [a.strip() for a in value.split(";") if a.strip()] if key == "author" else value
    return data, i


def _validate(data: dict[str, Any], lines_of: dict[str, int], where: str, diagnostics: list[Diagnostic],
              project_root: Path | None = None, site_lang: str = "en", site_dir: str | None = None) -> TalkMeta:
    def loc(key: str) -> SourceLocation:
        return SourceLocation(where, lines_of.get(key, 1))

    def fail(key: str, message: str, hint: str | None = None) -> TalkbuildError:
        return TalkbuildError(message, loc(key), hint=hint, code="front-matter")

    def warn(at: str, message: str, hint: str) -> None:
        line = lines_of.get(at) or lines_of.get(at.split("[")[0], 1)
        diagnostics.append(Diagnostic(Severity.WARNING, SHAPE, message, SourceLocation(where, line), hint=hint))

    def text(key: str) -> str | None:
        """A text key's value; a list or mapping (`subtitle: [a, b]`) is left out with a warning, not silently."""
        value = data.get(key)
        if isinstance(value, dict | list):
            warn(key, f"'{key}' must be text, but YAML read a {'list' if isinstance(value, list) else 'mapping'}, "
                      "so it is left out", f"quote it: {key}: \"[...]\"")
            return None
        return _text(value)

    extra = {}
    marp = data.get("marp") is True
    for key in sorted(k for k in data if k not in KNOWN_KEYS):
        extra[key] = data[key]
        if key in TOLERATED_KEYS or (marp and key in MARP_KEYS) or key == "revealOptions":
            continue  # revealOptions: what is applied and what is not is said below
        diagnostics.append(Diagnostic(Severity.WARNING, "unknown-key", f"unknown front matter key '{key}'", loc(key),
                                      hint=FOREIGN_KEYS.get(key) or did_you_mean(key, KNOWN_KEYS) or "themes can still read it"))
    # Every field is read even after one fails, so a talk's front matter problems are reported together.
    errors: list[TalkbuildError] = []

    def attempt(read: Callable[[], Any], default: Any) -> Any:
        try:
            return read()
        except TalkbuildError as exc:
            errors.append(exc)
            return default

    title = attempt(lambda: _title(data, fail), "")
    date, date_text, date_precision = attempt(lambda: _date(data.get("date"), fail, diagnostics, loc("date")),
                                              (None, None, "day"))
    author_key = "author" if data.get("author") is not None or "authors" not in data else "authors"
    if author_key == "author" and data.get("authors") is not None:
        warn("authors", "both 'author' and 'authors' are written: 'authors' is not shown",
             "keep one of them (a list of names, or of '- name: ... / affiliation: ...')")
    author_details = read_authors(data.get(author_key), author_key, warn)
    institutions = all_institutions(read_institutions(data.get("institution"), "institution", warn), author_details)
    slidelink = attempt(lambda: _bool(data.get("slidelink", True), "slidelink", fail), True)
    tags = attempt(lambda: _strings(data.get("tags"), "tags", fail, split_commas=True), ())
    draft = attempt(lambda: _bool(data.get("draft", False), "draft", fail), False)
    duration = attempt(lambda: _duration(data.get("duration"), fail), None)
    lang = attempt(lambda: _lang(text("lang"), fail) or site_lang, site_lang)
    # Unwritten, the direction is the site's when the language is too, else the talk's language's.
    inherited = site_dir if _text(data.get("lang")) is None else None
    direction = attempt(lambda: _dir(text("dir"), lang, fail, inherited), inherited or dir_of_lang(lang))
    theme = attempt(lambda: _theme(text("theme"), project_root, loc("theme"), diagnostics), None)
    notes_separator = attempt(lambda: _notes_separator(data.get("notes_separator"), fail), None)
    ratio = attempt(lambda: _ratio(data, marp, fail, diagnostics, loc), None)
    slide_numbers = attempt(lambda: None if data.get("slide_numbers") is None
                            else _bool(data["slide_numbers"], "slide_numbers", fail), None)
    slide_addresses = attempt(lambda: _slide_addresses(data.get("slide_addresses"), fail), None)
    if "revealOptions" in data:
        reveal = read_reveal_options(data["revealOptions"], talk_sets_slide_numbers=slide_numbers is not None)
        slide_numbers = slide_numbers if reveal.slide_numbers is None else reveal.slide_numbers
        if (said := reveal.message()) is not None:
            hint = REVEAL_HINT_OTHERS if slide_addresses == "revealjs" else REVEAL_HINT  # not what it already says
            diagnostics.append(Diagnostic(Severity.WARNING, "unknown-key", said, loc("revealOptions"), hint=hint))
    # The talk is still rendered, with a default for each field in error (the file's name for a title), so
    # `check` finds the problems in its body in the same run; the errors keep the build from writing it.
    diagnostics.extend(error.diagnostic() for error in errors)
    if not title:
        title = _stand_in_title(where)
    return TalkMeta(
        title=title,
        subtitle=text("subtitle"),
        authors=tuple(author.name for author in author_details),
        institution="; ".join(institutions) or None,
        date=date,
        date_text=date_text,
        date_precision=date_precision,
        layout=text("layout"),
        slidelink=slidelink,
        lang=lang,
        dir=direction,
        tags=tags,
        description=text("description"),
        draft=draft,
        duration=duration,
        theme=theme,
        notes_separator=notes_separator,
        ratio=ratio,
        slide_numbers=slide_numbers,
        slide_addresses=slide_addresses,
        css=read_css(data.get("css"), lambda at: lines_of.get(at) or lines_of.get(at.split("[")[0], 1), warn),
        extra=extra,
        author_details=author_details,
        institutions=institutions,
    )


def _title(data: dict[str, Any], fail: Fail) -> str:
    if isinstance(data.get("title"), list | dict):
        raise fail("title", "'title' must be text, but YAML read a list or mapping",
                   "quote it: title: \"[Tuesday] talk\"")
    return _text(data.get("title")) or ""


Fail = Callable[..., TalkbuildError]


def _theme(name: str | None, project_root: Path | None, where: SourceLocation,
           diagnostics: list[Diagnostic]) -> str | None:
    """A usable theme name; an unknown one (e.g. a reveal.js theme like 'night') falls back to the site's theme."""
    if name is None or project_root is None:
        return name
    from .themes import THEME_NAME, theme_problem

    problem = theme_problem(name, project_root)
    if problem is None:
        return name
    if not THEME_NAME.fullmatch(name):
        raise TalkbuildError(problem[0], where, hint=problem[1], code="theme")
    diagnostics.append(Diagnostic(Severity.WARNING, "theme", problem[0] + "; the site's theme is used", where, hint=problem[1]))
    return None


def _notes_separator(value: Any, fail: Fail) -> str | None:
    if value is None:
        return None
    try:
        return read_separator(value)
    except ValueError as exc:
        raise fail("notes_separator", str(exc), SEPARATOR_HINT) from None


def _slide_addresses(value: Any, fail: Fail) -> str | None:
    from .slide_addresses import SLIDE_ADDRESSES

    text = _text(value)
    if text is None:
        return None
    if text.lower() not in SLIDE_ADDRESSES:
        raise fail("slide_addresses", f"'slide_addresses' must be talkbuild or revealjs, not {text!r}",
                   "revealjs reads the deck's #/2/1 as reveal.js does (links shared from a reveal-md deck)")
    return text.lower()


def _ratio(data: dict[str, Any], marp: bool, fail: Fail, diagnostics: list[Diagnostic],
           loc: Callable[[str], SourceLocation]) -> Ratio | None:
    """`ratio: 4:3`; in a Marp talk, Marp's `size: 4:3` says the same (`ratio` wins when both are written)."""
    if data.get("ratio") is not None:
        try:
            return read_ratio(data["ratio"])
        except ValueError as exc:
            raise fail("ratio", str(exc), RATIO_HINT) from None
    if not marp or data.get("size") is None:
        return None
    try:
        return read_ratio(data["size"])
    except ValueError:  # a Marp theme's own size (`size: A4`) is no error in Marp: the talk still builds
        diagnostics.append(Diagnostic(Severity.WARNING, "unknown-size",
                                      f"Marp's size {data['size']!r} is not a slide shape talkbuild knows; 16:9 is used",
                                      loc("size"), hint="write the shape as width:height: size: 4:3, or ratio: 4:3"))
        return None


def _lang(value: Any, fail: Fail) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if not LANG_TAG.fullmatch(text):
        raise fail("lang", f"'lang' must be a language tag, not {text!r}", lang_hint(text))
    return text


def _dir(value: Any, lang: str, fail: Fail, inherited: str | None = None) -> str:
    """The talk's writing direction: as written, or the site's (`inherited`) for a talk in the site's language,
    or its language's (rtl for Arabic, Hebrew, ...)."""
    text = _text(value)
    if text is None:
        return inherited or dir_of_lang(lang)
    if text.lower() not in DIRECTIONS:
        raise fail("dir", f"'dir' must be rtl, ltr or auto, not {text!r}", dir_hint(text))
    return text.lower()


def lang_hint(text: str) -> str:
    """How to write a language tag, from what was written instead."""
    if LANG_TAG.fullmatch(text.replace("_", "-")):
        return f"separate its parts with '-': '{text.replace('_', '-')}'"
    return "a BCP 47 tag such as 'en', 'pt-BR' or 'zh-Hant'"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _strings(value: Any, key: str, fail: Fail, split_commas: bool = False) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(",") if split_commas else [value]
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    raise fail(key, f"'{key}' must be a name or a list of names")


def _bool(value: Any, key: str, fail: Fail) -> bool:
    read = yamltext.as_bool(value)
    if read is None:
        raise fail(key, f"'{key}' must be true or false, not {value!r}")
    return read


def _duration(value: Any, fail: Fail) -> int | None:
    if value is None:
        return None
    text = str(value)
    clock = re.fullmatch(r"\s*(\d+):([0-5]\d)\s*", text)  # 1:30, as YAML 1.1 read it too: 90 minutes
    match = re.fullmatch(r"\s*(\d+)\s*(min|mins|minutes|m)?\s*", text)
    minutes = int(clock.group(1)) * 60 + int(clock.group(2)) if clock else int(match.group(1)) if match else 0
    if isinstance(value, bool) or not minutes:
        raise fail("duration", f"'duration' must be a whole number of minutes, not {value!r}", "for example 'duration: 45'")
    return minutes


def _date(value: Any, fail: Fail, diagnostics: list[Diagnostic],
          where: SourceLocation) -> tuple[datetime.date | None, str | None, str]:
    text = _text(value)
    if text is None:
        return None, None, "day"
    reading = read_date(text)
    if reading.day is not None:
        return reading.day, text, reading.precision
    if reading.impossible:
        raise fail("date", f"impossible date '{text}'", "check the day and month")
    diagnostics.append(Diagnostic(Severity.WARNING, "date-format", f"cannot read the date '{text}'; it is shown as written and sorted last",
                                  where, hint=reading.hint))
    return None, text, "day"
