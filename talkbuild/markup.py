"""The markdown-it setup: pandoc-flavoured Markdown with build-time code highlighting and MathML."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import code_lines
from .divs import fenced_div_plugin
from .errors import Diagnostic, Severity, SourceLocation
from .image_attributes import IMAGE_ATTRIBUTES, image_attributes
from .links import SiteMap
from .markup_warnings import (
    line_within,
    merge_conflicts,
    span_attributes,
    unclosed_divs,
    unclosed_fences,
)
from .models import Reference
from .reveal_comments import element_comments
from .reveal_html import reveal_sections
from .rewrite_urls import resolve_urls
from .slide_attributes import HEADING_META, slide_attributes
from .sourcepos import track_spans

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

_HEADING_ATTRS = re.compile(r"\s*\{((?:\s*(?:#[\w:.-]+|\.[\w-]+|[\w-]+=(?:\"[^\"]*\"|[^\s}]*)))+)\s*\}\s*$")
_ATTR_PART = re.compile(r"#([\w:.-]+)|\.([\w-]+)|([\w-]+)=(\"[^\"]*\"|[^\s}]*)")
_UNKNOWN_COMMAND = re.compile(r"<mi>\\([A-Za-z]+)</mi>")
_MISSING_OPERATORS = re.compile(r"\\(arg)(?![A-Za-z])")
"""Standard LaTeX operators latex2mathml does not know (of the ~30 log-like ones, only \\arg): written as
\\operatorname{...}, which is what LaTeX defines them as."""


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    from pygments.formatters import HtmlFormatter  # imported when a block is highlighted, not by every build

    return HtmlFormatter(cssclass="highlight", wrapcode=True)


@dataclass
class Memo:
    """Highlighted code blocks and converted formulas by (kind, language or mode, source text).

    The build cache keeps one per talk, so re-rendering an edited talk whose code and formulas did not
    change needs no Pygments lexer and no latex2mathml (their start-up dominates a one-talk rebuild).
    """

    entries: dict[tuple[str, str, str], str] = field(default_factory=dict)
    used: set[tuple[str, str, str]] = field(default_factory=set)


MEMO: list[Memo] = []
"""The memo in use while a talk renders (the build sets one per talk), if any."""


def use_memo(memo: Memo | None) -> None:
    MEMO[:] = [memo] if memo is not None else []


def _memo_get(key: tuple[str, str, str]) -> str | None:
    if not MEMO:
        return None
    MEMO[0].used.add(key)
    return MEMO[0].entries.get(key)


def _memo_put(key: tuple[str, str, str], value: str) -> str:
    if MEMO:
        MEMO[0].entries[key] = value
    return value


@dataclass
class RenderContext:
    """Per-talk state the rules read and fill while one talk is rendered (lives in markdown-it's env)."""

    where: str
    """Project-relative path of the Markdown file, for messages."""
    rel: str
    """Talks-relative path, for resolving relative URLs."""
    line_offset: int
    sitemap: SiteMap
    references: list[Reference] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    assets: set[str] = field(default_factory=set)
    body_lines: list[str] = field(default_factory=list)
    """The Markdown parsed, by line (what a line really starts with, where markdown-it dropped `- ` or `> `)."""

    def body_line(self, map_line: int) -> str:
        return self.body_lines[map_line] if 0 <= map_line < len(self.body_lines) else ""

    def location(self, map_line: int, column: int | None = None) -> SourceLocation:
        return SourceLocation(self.where, self.line_offset + map_line + 1, column)


def make_markdown() -> MarkdownIt:
    """The one Markdown engine used for decks and handouts alike."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(fenced_div_plugin, render=_render_div)
    # pandoc's bracketed spans, `[Bonjour]{lang=fr}`: a word in another language (WCAG 3.1.2), or a class. Only
    # these attributes: an id would escape the slide id bookkeeping (ids.py), and the rest has raw HTML.
    # pandoc's `![Chart](chart.png){.r-stretch width=50%}` too: a picture's classes and size (image_attributes.py).
    md.use(attrs_plugin, after=("image",), spans=True, allowed=SPAN_ATTRIBUTES + IMAGE_ATTRIBUTES)
    track_spans(md)  # where each link starts, so a repeated URL is reported at each of its lines
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)
    md.core.ruler.push("element_comments", element_comments)  # reveal.js's `<!-- .element: class="fragment" -->`
    md.core.ruler.push("slide_attributes", slide_attributes)  # `<!-- .slide: data-background-color="#222" -->`
    md.core.ruler.push("reveal_sections", reveal_sections)  # a reveal.js deck's <section>s pasted into a talk
    md.core.ruler.push("image_attributes", image_attributes)  # sizes with units as CSS; the rest left out, said
    md.core.ruler.push("resolve_urls", resolve_urls)
    md.core.ruler.push("unclosed_divs", unclosed_divs)
    md.core.ruler.push("span_attributes", span_attributes)
    md.core.ruler.push("unclosed_fences", unclosed_fences)
    md.core.ruler.push("merge_conflicts", merge_conflicts)
    md.core.ruler.push("math", _convert_math)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("table_open", _render_table_open)
    for name in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
        md.add_render_rule(name, _render_math)
    return md


SPAN_ATTRIBUTES = ("class", "lang", "dir")
"""What a bracketed span may set; others (`{#id}`, `{style=...}`) are left out, with a `span-attribute` warning."""


def html_block(content: str) -> Token:
    """A block of raw HTML made by talkbuild (a wrapper around a slide's steps or background pictures)."""
    token = Token("html_block", "", 0)
    token.content = content
    return token


def div_classes(info: str) -> tuple[str | None, list[str], dict[str, str]]:
    """Parse a pandoc fenced-div opener: `notes`, `{.columns #id key=v}` -> (id, classes, attrs)."""
    info = info.strip()
    if not info.startswith("{"):
        return None, [w for w in info.split() if w], {}
    ident, classes, attrs = None, [], {}
    for m in _ATTR_PART.finditer(info.strip("{}")):
        if m.group(1):
            ident = unicodedata.normalize("NFC", m.group(1))  # as links' fragments are (links.nfc_fragment)
        elif m.group(2):
            classes.append(m.group(2))
        else:
            attrs[m.group(3)] = m.group(4).strip('"')
    return ident, classes, attrs


def _render_div(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    ident, classes, attrs = div_classes(token.info)
    if "id" in token.meta:  # the slides stage renamed (or dropped) an id that clashes: see ids.py
        ident = token.meta["id"]
    parts = [f' id="{html.escape(ident)}"'] if ident else []
    if classes:
        parts.append(f' class="{html.escape(" ".join(classes))}"')
    parts += [f' {html.escape(k)}="{html.escape(v)}"' for k, v in sorted(attrs.items()) if k.replace("-", "").isalnum()]
    return f"<div{''.join(parts)}>\n"


def _heading_attrs(state: StateCore) -> None:
    """Pandoc `## Title {#id .class}` heading attributes."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        match = _HEADING_ATTRS.search(inline.content)
        if not match:
            continue
        inline.content = inline.content[: match.start()]
        ident, classes, attrs = div_classes("{" + match.group(1) + "}")
        if attrs:  # `{data-background-image="x.jpg"}`: read as a slide's attributes (slide_attributes.py)
            token.meta[HEADING_META] = attrs
        if ident:
            token.attrSet("id", ident)
        if classes:
            token.attrSet("class", " ".join(classes))


def _convert_math(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("tb")
    for token in state.tokens:
        if token.type in ("math_block", "math_block_label"):
            token.meta["html"] = _mathml(token.content, True, ctx, token.map[0] if token.map else 0)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("math_inline", "math_inline_double"):
                    line = (token.map[0] if token.map else 0) + line_within(token.content, child.content)
                    child.meta["html"] = _mathml(child.content, child.type == "math_inline_double", ctx, line)


def _mathml(tex: str, display: bool, ctx: RenderContext | None, line: int) -> str:
    key = ("math", "block" if display else "inline", tex)
    known = _memo_get(key)  # only formulas that converted cleanly are in the memo
    if known is not None:
        return known
    out, problem = _convert_formula(tex, display)
    if problem is None:
        return _memo_put(key, out)
    if ctx is not None:
        ctx.diagnostics.append(Diagnostic(Severity.ERROR, "math", f"{problem}: ${tex.strip()}$", ctx.location(line),
                                          hint="check the braces and command names of the formula"))
    return out


@lru_cache(maxsize=4096)
def _convert_formula(tex: str, display: bool) -> tuple[str, str | None]:
    """(MathML, None), or (the error markup, what is wrong); remembered, as decks repeat their formulas."""
    problem = _math_problem(tex)
    if problem is None:
        try:
            from latex2mathml.converter import convert as latex_to_mathml  # 30 ms to import: only for a new formula

            out = latex_to_mathml(_MISSING_OPERATORS.sub(r"\\operatorname{\1}", tex), display="block" if display else "inline")
            unknown = _UNKNOWN_COMMAND.search(out)
            if unknown is None:
                return out, None
            problem = f"unknown LaTeX command \\{unknown.group(1)}"
        except Exception as exc:  # latex2mathml raises many internal types for malformed input
            problem = f"cannot convert formula ({type(exc).__name__})"
    return f'<code class="math-error">{html.escape(tex)}</code>', problem


def _math_problem(tex: str) -> str | None:
    depth = 0
    for i, ch in enumerate(tex):
        if ch in "{}" and i and tex[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return "unbalanced '}'"
    return "unclosed '{'" if depth else None


def _render_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    out = token.meta.get("html") or _mathml(token.content, token.type.startswith("math_block"), None, 0)
    if token.type.startswith("math_block"):
        # A long formula scrolls sideways in the handout, so it takes keyboard focus, like code.
        out = out.replace('<math ', '<math tabindex="0" ', 1) if out.startswith("<math ") else out
        return f'<div class="math display">{out}</div>\n'
    return f'<span class="math inline">{out}</span>'


@lru_cache(maxsize=256)
def _lexer(name: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


def code_language(info: str) -> str:
    """The language of a fence info string: ``` bash, ```Python, ```{.python .numberLines}."""
    word = info.strip().split()[0] if info.strip() else ""
    return word.strip("{}").lstrip(".").lower()


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info, lines = code_lines.read_info(token.info, token.content) if token.type == "fence" else ("", code_lines.CodeLines())
    ctx: RenderContext | None = env.get("tb") if isinstance(env, dict) else None
    if lines.problem and ctx is not None:  # before the memo: a block remembered from the last build is still wrong
        ctx.diagnostics.append(Diagnostic(Severity.WARNING, "code-lines", f"{lines.problem}, so no line is highlighted",
                                          ctx.location(token.map[0] if token.map else 0),
                                          hint="write the lines as reveal.js does: ```js [1,3-4] or ```js [1-2|3|4-6]"))
    lang = code_language(info)
    key = ("fence", lang if not code_lines.wanted(lines) else f"{lang} {lines}", token.content)
    known = _memo_get(key)
    if known is not None:
        return known
    lexer = _lexer(lang) if lang else None
    if lexer is None:
        cls = f' class="language-{html.escape(lang)}"' if lang else ""
        pre = _pre_open(f"{lang} code" if lang else "Code")
        out = f'<div class="highlight">{pre}<code{cls}>{html.escape(token.content)}</code></pre></div>\n'
    else:
        from pygments import highlight as pygments_highlight

        out = str(pygments_highlight(token.content, lexer, _formatter()))
        out = out.replace("<pre>", _pre_open(f"{lexer.name} code"), 1)
        out = out.replace('<div class="highlight">', f'<div class="highlight" data-lang="{html.escape(lang)}">', 1)
    return _memo_put(key, _with_lines(out, lines) if code_lines.wanted(lines) else out)


def _with_lines(out: str, lines: code_lines.CodeLines) -> str:
    """A rendered block with its lines wrapped (numbers, highlights) and its steps after the `<pre>`."""
    head, _, rest = out.partition("<code")
    opening, _, rest = rest.partition(">")
    code, _, tail = rest.rpartition("</code>")
    classes, attrs = code_lines.block_attrs(lines)
    head = head.replace('<div class="highlight"', f'<div class="highlight{classes}"{attrs}', 1)
    tail = tail.replace("</pre>", "</pre>" + code_lines.step_marks(lines), 1)
    return f"{head}<code{opening}>{code_lines.wrap(code, lines)}</code>{tail}"


def _render_table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A table wider than the handout's text scrolls sideways in its box: like code, it takes keyboard focus."""
    tokens[idx].attrSet("tabindex", "0")
    return str(self.renderToken(tokens, idx, options, env))


def _pre_open(label: str) -> str:
    """A code block's `<pre>`: a long line scrolls it sideways (in the handout), so it must take keyboard focus.

    A region that scrolls but cannot be focused cannot be scrolled from the keyboard (axe:
    scrollable-region-focusable). It is a named group, so a screen reader says what got focus.
    """
    return f'<pre tabindex="0" role="group" aria-label="{html.escape(label)}">'
