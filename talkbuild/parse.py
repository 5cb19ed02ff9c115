"""Read a talk file: bytes -> text -> front matter (frontmatter.py) + Markdown body -> a Talk of slides.

A talk without a title is named here, after its body is parsed: by its first slide heading."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Diagnostic, Severity, SourceLocation, TalkbuildError
from .frontmatter import MissingTitle, NoDatesLoader, split_source
from .models import SourceFile, TalkMeta

if TYPE_CHECKING:
    from pathlib import Path

    from .links import SiteMap
    from .models import Slide, Talk


def decode(data: bytes, where: str) -> str:
    """Bytes of a talk file to text with LF line endings; binary or non-UTF-8 input is an error."""
    if not data.strip():
        raise TalkbuildError("the file is empty", SourceLocation(where, 1),
                             hint="write the talk, or delete the file", code="empty-file")
    wide = _wide_encoding(data)
    if wide is not None:
        raise TalkbuildError(f"the file is {wide} text, not UTF-8", SourceLocation(where, 1),
                             hint="save it as UTF-8 (in most editors: Save with Encoding, UTF-8)", code="encoding")
    if b"\x00" in data[:8192]:
        raise TalkbuildError("this is a binary file, not Markdown", SourceLocation(where),
                             hint="rename it or add it to 'exclude' in talkbuild.yml", code="binary-file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TalkbuildError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", SourceLocation(where, line),
                             hint="save the file as UTF-8", code="encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))
"""Byte order marks of the encodings Windows tools save as "Unicode" (most often UTF-16 LE)."""


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' for text in one of them (by its byte order mark, or UTF-16 by its zero bytes)."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:512]
    if len(head) >= 8 and len(head) % 2 == 0:
        for zeros, other in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
            if zeros.count(0) == len(zeros) and other.count(0) == 0:  # ASCII text, each letter padded with a zero
                return "UTF-16"
    return None


def _marp(value: object) -> bool | None:
    """The front matter's `marp:`: True, False (said), None (not said, or not a yes or no)."""
    return value if isinstance(value, bool) else None


def parse_talk(source: SourceFile, project_root: Path, sitemap: SiteMap, notes_separator: str | None = None,
               site_lang: str = "en", site_dir: str | None = None, slide_addresses: str | None = None) -> Talk:
    """Read, split and render one talk file into a Talk; raises TalkbuildError when it cannot be read at all.
    `notes_separator` and `slide_addresses` are the site's (talkbuild.yml); the talk's front matter may set its own."""
    from .conflicts import CODE as CONFLICT
    from .heading_levels import heading_shift, slide_tags, talk_headings
    from .ids import TITLE_SLIDE_ID
    from .markup import RenderContext
    from .models import Slide, Talk
    from .slide_addresses import REVEALJS, reveal_md_separators
    from .slides import split_slides
    from .stylesheets import talk_stylesheets

    where = source.path.relative_to(project_root).as_posix() if source.path.is_relative_to(project_root) else str(source.path)
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise TalkbuildError(f"cannot read the file: {exc.strerror}", SourceLocation(where), code="io") from None
    text = decode(data, where)
    parts = split_source(text, where, project_root=project_root, site_lang=site_lang, site_dir=site_dir)
    ctx = RenderContext(where=where, rel=source.rel, line_offset=parts.body_line, sitemap=sitemap)
    md = _markdown()
    env: dict[str, Any] = {"tb": ctx}
    tokens = md.parse(parts.body, env)
    meta, diagnostics = parts.meta, parts.diagnostics
    stylesheets = talk_stylesheets(ctx, meta.css)
    ctx.body_lines = parts.body.split("\n")
    addresses = meta.slide_addresses or slide_addresses
    if addresses == REVEALJS:  # `Note: ...` right above `---` is no heading there: a slide break (reveal-md's)
        reveal_md_separators(tokens, ctx.body_line)
    separator = notes_separator if meta.notes_separator is None else meta.notes_separator
    tags = slide_tags(tokens)
    headings = talk_headings(tokens, tags, heading_shift(tokens, tags), parts.body_line)  # before split_slides shifts them
    shown = split_slides(md, tokens, env, parts.body_line, separator, marp=_marp(meta.extra.get("marp")),
                         front_matter=meta.extra, slide_addresses=addresses)
    if parts.untitled is not None:
        meta, missing = _title_from_slides(meta, shown, parts.untitled)
        # Around a conflict the "title" may be git's marker line: the conflict is the error to fix first.
        if not any(d.code == CONFLICT for d in ctx.diagnostics):
            diagnostics = (missing, *diagnostics)
    title = Slide(id=TITLE_SLIDE_ID, title=meta.title, title_html=html_escape(meta.title), kind="title",
                  line=1, body_html="", notes_html="", section="")
    slides = [title, *shown]
    return Talk(
        source=SourceLocation(where), slug=source.slug, meta=meta, slides=tuple(slides),
        references=tuple(ctx.references), assets=tuple(sorted(ctx.assets)),
        diagnostics=diagnostics + tuple(ctx.diagnostics),
        headings=headings, stylesheets=stylesheets,
    )


def _title_from_slides(meta: TalkMeta, slides: list[Slide], missing: MissingTitle) -> tuple[TalkMeta, Diagnostic]:
    """A talk without a title is named by the title of its first titled slide or section, as MkDocs names a page
    by its first heading (else by its file's name, as pandoc does): a Marp or reveal-md talk builds, and the
    warning says how to name it for good. A heading in the speaker notes is no slide's title: never the talk's."""
    from dataclasses import replace

    heading = next((slide.title for slide in slides if slide.title), None)
    title, source = (heading, "its first slide title") if heading else (meta.title, "its file's name")
    if missing.header == "pandoc":
        fix = f"write it on the first line: '% {title}'"
    else:
        line = f"title: {_yaml_text(title)}"
        fix = (f"add '{line}' to the front matter" if missing.header == "yaml"
               else f"start the file with front matter: a line '---', then '{line}', then '---'")
    return replace(meta, title=title), Diagnostic(
        Severity.WARNING, "missing-title", f"the talk has no title; it is shown under {source}, '{title}'",
        missing.where, hint=fix + "; if this file is not a talk, add it to 'exclude:' in talkbuild.yml")


def _yaml_text(text: str) -> str:
    """`text` as a YAML value that reads back as itself: plain when it can be, else double-quoted."""
    try:
        if yaml.load(f"title: {text}", NoDatesLoader) == {"title": text}:  # noqa: S506 (a safe loader)
            return text
    except yaml.YAMLError:
        pass
    import json

    return json.dumps(text, ensure_ascii=False)


@functools.cache
def _markdown() -> Any:
    """One MarkdownIt per process: building it costs more than parsing a small talk."""
    from .markup import make_markdown

    return make_markdown()


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
