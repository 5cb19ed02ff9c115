"""Cut a talk's token stream into slides: `#` opens a section, `##` starts a slide, `---` an untitled one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import code_lines
from .autoplay import autoplay_warnings, defer_autoplay
from .backgrounds import Split, heading_backgrounds, marp_syntax_warnings, only_backgrounds, size_pictures, take_backgrounds
from .errors import Diagnostic, Severity
from .heading_levels import heading_shift, shift_body_headings, slide_tags
from .ids import TITLE_SLIDE_ID, Claim, assign_ids, slugify
from .links import ROOT, url_path
from .markup import RenderContext, div_classes, html_block
from .marp_directives import Edges, comment_notes, edges_of_slides
from .models import Slide
from .notes_marker import cut_at_marker, heading_warnings, marker_warnings
from .rawhtml import LEFT_OUT, Repair, keep_structure
from .reveal_comments import fragment_indices, step_count
from .slide_addresses import REVEALJS, Pieces, rewrite_links, vertical_warning
from .slide_attributes import SlideAttributes, attributes_only, carries_attributes, give_id, take_attributes
from .stylesheets import head_only

PAUSE = ". . ."


@dataclass
class _Draft:
    kind: str
    heading: list[Token]
    line: int
    section: str
    body: list[Token] = field(default_factory=list)
    notes: list[Token] = field(default_factory=list)
    ended: bool = False
    """A rule closed it: a heading after it starts another slide, even when it holds only background pictures."""
    note_starts: list[tuple[int, int]] = field(default_factory=list)
    """(source line, index in `notes`) where each `::: notes` block starts: a `Note:` line's notes go between."""
    attributes: SlideAttributes | None = None
    """Its `<!-- .slide: -->` and heading attributes (slide_attributes.py)."""
    reveal: str = ""
    """The "h/v" of the reveal-md slide it was cut from (slide_addresses.py)."""


def split_slides(md: MarkdownIt, tokens: list[Token], env: dict[str, object], line_offset: int,
                 notes_separator: str | None = None, marp: bool | None = None,
                 front_matter: Mapping[str, object] | None = None, slide_addresses: str | None = None) -> list[Slide]:
    """Render `tokens` (a whole talk body) into slides, in order, without the title slide. `notes_separator`
    is the line start that begins a slide's notes (`Note:`), "" for none, None for none but warn of one.
    `marp`: the talk's `marp:` (True: its pictures' alt texts are read as Marp reads them; None, not said: a
    picture in Marp's syntax is warned of; False: neither). `slide_addresses`: the talk's (or the site's) setting;
    with "revealjs" each slide carries its reveal.js address."""
    section_tag, slide_tag = tags = slide_tags(tokens)
    shift_body_headings(tokens, tags, heading_shift(tokens, tags))
    footnotes = _footnote_groups(tokens)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    section = ""
    pending: list[Token] = []
    pieces = Pieces()
    ctx = env.get("tb")
    if isinstance(ctx, RenderContext):
        ctx.diagnostics.extend(heading_warnings(tokens, notes_separator, ctx.location))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level == 0 and token.type == "heading_open" and token.tag in (section_tag, slide_tag):
            end = i + 3
            pictures = heading_backgrounds(tokens[i + 1]) if marp else []
            title = plain_text(tokens[i + 1], br_as_space=True)
            kind = "section" if token.tag == section_tag else "slide"
            if kind == "section":
                section = title
            if (current is not None and not current.heading and not current.notes and not current.ended
                    and ((marp and only_backgrounds(current.body)) or attributes_only(current.body)
                         or head_only(current.body))):
                # Marp's `![bg](photo.jpg)` written above the slide's heading: the heading's slide, not one before it
                current.kind, current.heading, current.section = kind, tokens[i:end], section
            else:
                current = _Draft(kind, tokens[i:end], _line(token, line_offset), section, reveal=pieces.address)
                drafts.append(current)
            current.body[:0] = pending + pictures
            pending = []
            i = end
            continue
        if token.level == 0 and token.type == "hr":
            pieces.passed(token, ctx.body_line(token.map[0]) if isinstance(ctx, RenderContext) and token.map else "")
            if _heading_follows(tokens, i + 1, (section_tag, slide_tag)):
                i += 1  # `---` then a heading: the heading starts the slide (pandoc drops the rule; remark, Marp need it)
                if current is not None:
                    current.ended = True
                # Marp's directives there are the next slide's, and so is a `<!-- .slide: -->` comment
                while tokens[i].type == "html_block" and (marp or carries_attributes(tokens[i])):
                    pending.append(tokens[i])
                    i += 1
                continue
            current = _Draft("slide", [], _line(token, line_offset), section, reveal=pieces.address)
            drafts.append(current)
            i += 1
            continue
        if token.type == "footnote_block_open":
            i = _skip_to(tokens, i, "footnote_block_close") + 1
            continue
        if current is None:
            current = _Draft("slide", [], _line(token, line_offset), section, reveal=pieces.address)
            drafts.append(current)
        if token.type == "container_div_open" and "notes" in div_classes(token.info)[1]:  # also inside columns
            end = _skip_matching(tokens, i)
            current.note_starts.append((token.map[0] if token.map else 0, len(current.notes)))
            current.notes.extend(tokens[i + 1 : end])
            i = end + 1
            continue
        current.body.append(token)
        i += 1
    for draft in drafts:  # before notes are cut: a `.slide:` comment is never a note
        draft.attributes = take_attributes(draft.heading, draft.body, draft.notes)
        if draft.attributes is not None:
            draft.line = min(draft.line, line_offset + draft.attributes.line + 1)
            give_id(draft.heading, draft.attributes, env.get("tb"))
    _marked_notes(drafts, notes_separator, env.get("tb"))
    revealjs = slide_addresses == REVEALJS
    if pieces.first_vertical is not None and not revealjs and isinstance(ctx, RenderContext):
        ctx.diagnostics.append(vertical_warning(pieces.first_vertical, ctx.location((pieces.first_vertical.map or [0])[0])))
    if marp:  # Marp's presenter notes are its comments that are no directive, on a slide that shows something
        for draft in drafts:
            kept, notes = comment_notes(draft.body)
            if notes and (draft.heading or len(kept) > sum(_is_comment(t) for t in kept)):
                draft.body, draft.notes = kept, draft.notes + notes
    # A slide of directives only is no slide, but what it says goes on: the edges are read before it goes.
    edges = edges_of_slides([d.body for d in drafts], front_matter) if marp else [Edges()] * len(drafts)
    shown = [(d, e) for n, (d, e) in enumerate(zip(drafts, edges, strict=True))
             if not _invisible(d, last=n == len(drafts) - 1)]
    return _finish(md, [d for d, _ in shown], env, footnotes, line_offset, marp, [e for _, e in shown], revealjs)


def _marked_notes(drafts: list[_Draft], separator: str | None, ctx: object) -> None:
    """Move what follows a `Note:` (or the talk's own marker) line into the slide's notes, or warn of one."""
    for draft in drafts:
        if separator:
            cut = cut_at_marker(draft.body, separator)
            if cut is not None:
                draft.body, marked = cut
                line = next((t.map[0] for t in marked if t.map), 0)
                at = next((index for start, index in draft.note_starts if start > line), len(draft.notes))
                draft.notes[at:at] = marked  # in the order they are written
        if isinstance(ctx, RenderContext):
            ctx.diagnostics.extend(marker_warnings(draft.body, ctx.location, separator, ctx.body_line))


def _invisible(draft: _Draft, last: bool) -> bool:
    """An untitled slide with nothing to show: only HTML comments (a Marp `<!-- footer: -->` directive between
    two rules), or nothing at all after a trailing `---`. (An empty slide between two rules mid-talk stays:
    check calls it `empty-slide`, and it may be meant.)"""
    if draft.heading or draft.notes:
        return False
    if not draft.body:
        return last
    return all(t.type == "html_block" and _only_comments(t.content) for t in draft.body)


def _is_comment(token: Token) -> bool:
    return token.type == "html_block" and _only_comments(token.content)


def _heading_follows(tokens: list[Token], i: int, tags: tuple[str, ...]) -> bool:
    """Whether the next token, HTML comments aside, is a heading that starts a slide or a section."""
    while i < len(tokens) and tokens[i].type == "html_block" and _only_comments(tokens[i].content):
        i += 1
    return i < len(tokens) and tokens[i].level == 0 and tokens[i].type == "heading_open" and tokens[i].tag in tags


def _only_comments(html: str) -> bool:
    return re.fullmatch(r"(\s*<!--.*?-->)+\s*", html, re.DOTALL) is not None


def _finish(md: MarkdownIt, drafts: list[_Draft], env: dict[str, object],
            footnotes: dict[int, list[Token]], line_offset: int, marp: bool | None,
            edges: list[Edges], revealjs: bool = False) -> list[Slide]:
    slides: list[Slide] = []
    slide_ids = _assign_ids(drafts, env, line_offset)
    reveal = ["", *(d.reveal if revealjs else "" for d in drafts)]  # the title slide has no reveal.js address
    deck = _deck_url(env.get("tb"))
    for draft in drafts:  # `#/2` written in the talk, by the slide's id: the handout opens it too
        rewrite_links(draft.body + draft.notes, [TITLE_SLIDE_ID, *slide_ids], reveal, deck)
    for draft, ident, edge in zip(drafts, slide_ids, edges, strict=True):
        title = plain_text(draft.heading[1], br_as_space=True) if draft.heading else ""
        title_html = _inline_html(md, draft.heading[1], env) if draft.heading else ""
        classes = tuple(str(draft.heading[0].attrGet("class") or "").split()) if draft.heading else ()
        shown, split = take_backgrounds(draft.body) if marp else (draft.body, None)
        attributes = draft.attributes
        if attributes is not None:
            classes += tuple(c for c in attributes.classes if c not in classes)
            if attributes.background:
                shown = [html_block(attributes.background), *shown]
                split = split or Split()
        if marp:
            size_pictures(draft.notes)
        elif marp is None and isinstance(ctx := env.get("tb"), RenderContext):  # `marp: false` is not warned of
            ctx.diagnostics.extend(marp_syntax_warnings(draft.heading + draft.body + draft.notes, ctx.location))
        body, fragments = _fragments(shown)
        counts: dict[int, int] = {}
        _number_references(draft.body, counts)
        shown_counts = dict(counts)
        _number_references(draft.notes, counts)  # going on: the notes are in the same page, their ids too
        body += _footnotes_for(draft.body, footnotes, shown_counts)
        notes = _without_pauses(draft.notes) + _footnotes_for(draft.notes, footnotes, counts, shown=draft.body)
        # A footnote cited on two slides is shown on both; the slide id in its anchors keeps the
        # handout (all slides on one page) free of duplicate ids.
        env["docId"] = ident
        slides.append(Slide(
            id=ident, title=title, title_html=title_html, kind=draft.kind, line=draft.line,
            body_html=_rendered(md, body, env),
            notes_html=_rendered(md, notes, env),
            section=draft.section, classes=classes, fragments=fragments,
            background=(split.side or "full") if split else "", split=split.width if split and split.side else "",
            header=edge.header, footer=edge.footer, paginate=edge.paginate,
            reveal=draft.reveal if revealjs else "",
        ))
    env.pop("docId", None)
    return slides


def _deck_url(ctx: object) -> str:
    """The talk's deck, from any of its pages (ROOT is the site root, as each page sees it)."""
    slug = ctx.sitemap.slugs.get(ctx.rel) if isinstance(ctx, RenderContext) else None
    return f"{ROOT}{url_path(slug)}/slides/index.html" if slug else "slides/index.html"


def _assign_ids(drafts: list[_Draft], env: dict[str, object], line_offset: int) -> list[str]:
    """Each slide's id; `{#id}`s inside slides are renamed or left out in their tokens when they clash."""
    claims: list[Claim] = []
    owners: list[Token | None] = []  # the token that carries each claim's id (None: a slide without a heading)
    for n, draft in enumerate(drafts, start=2):
        heading = draft.heading[0] if draft.heading else None
        title = plain_text(draft.heading[1]) if draft.heading else ""
        claims.append(Claim("slide", draft.line, _written(heading) if heading else "", slugify(title) or f"slide-{n}"))
        owners.append(heading)
        inner = sorted((t for t in draft.body + draft.notes if _written(t)), key=lambda t: t.map[0] if t.map else 0)
        for token in inner:
            kind = "div" if token.type == "container_div_open" else "heading"
            claims.append(Claim(kind, draft.line if token.map is None else _line(token, line_offset), _written(token)))
            owners.append(token)
    ctx = env.get("tb")
    ids, diagnostics = assign_ids(claims, ctx.where if isinstance(ctx, RenderContext) else "")
    if isinstance(ctx, RenderContext):
        ctx.diagnostics.extend(diagnostics)
    slide_ids: list[str] = []
    for claim, owner, ident in zip(claims, owners, ids, strict=True):
        if claim.kind == "slide":
            slide_ids.append(ident or claim.generated)  # assign_ids always gives a slide one
        elif owner is not None and ident != claim.written:
            _set_id(owner, ident)
    return slide_ids


def _written(token: Token) -> str:
    """The `{#id}` written on a heading or fenced div ('' when none)."""
    if token.type == "heading_open":
        return str(token.attrGet("id") or "")
    if token.type == "container_div_open":
        return div_classes(token.info)[0] or ""
    return ""


def _set_id(token: Token, ident: str | None) -> None:
    if token.type == "container_div_open":
        token.meta["id"] = ident  # markup's div renderer prefers it to the id in the opener
    elif ident is None:
        token.attrs.pop("id", None)
    else:
        token.attrSet("id", ident)


def _rendered(md: MarkdownIt, tokens: list[Token], env: dict[str, object]) -> str:
    """The tokens' HTML; raw HTML in them is kept from closing or swallowing what surrounds the slide, and its
    media from playing before their slide is shown."""
    html: str = md.renderer.render(tokens, md.options, env)
    raw = _raw_html(tokens)
    if not raw:
        return html
    html, repairs = keep_structure(defer_autoplay(html))
    ctx = env.get("tb")
    if isinstance(ctx, RenderContext):
        seen: dict[tuple[str, bool], int] = {}
        for repair in repairs:
            nth = seen[(repair.tag, repair.stray)] = seen.get((repair.tag, repair.stray), -1) + 1
            ctx.diagnostics.append(_repair_diagnostic(repair, raw, tokens, ctx, nth))
        ctx.diagnostics.extend(autoplay_warnings(raw, ctx.location))
    return html


def _raw_html(tokens: list[Token]) -> list[Token]:
    """The tokens with raw HTML in them: HTML blocks, and paragraphs (inline tokens) with inline HTML."""
    return [t for t in tokens if t.type == "html_block" or (
        t.type == "inline" and any(c.type == "html_inline" for c in t.children or []))]


def _repair_diagnostic(repair: Repair, raw: list[Token], tokens: list[Token], ctx: RenderContext,
                       nth: int = 0) -> Diagnostic:
    """The warning for a repair, at the line of the tag it is about: for a tag always cut (`<base>`), the `nth` one
    written (the nth repair of that tag); otherwise the last one written, the likelier culprit."""
    end_tag = repair.stray and repair.tag not in LEFT_OUT
    written = re.compile(rf"</{repair.tag}\s*>" if end_tag else rf"<{re.escape(repair.tag)}(?![\w-])", re.IGNORECASE)
    places = sorted((t.map[0] + n for t in raw if t.map for n, text in enumerate(t.content.splitlines())
                     if written.search(text)))
    if repair.tag in LEFT_OUT and nth < len(places):
        line = places[nth]
    else:
        line = places[-1] if places else next((t.map[0] for t in tokens if t.map), 0)
    if repair.tag == "!--":
        message = ("<!-- starts a comment that is never closed: the rest of the talk is in it; it was closed at this "
                   "slide's end, or it would have hidden the rest of the page")
        hint = "end the comment with -->"
    elif repair.tag == "plaintext":
        message, hint = "<plaintext> would turn the rest of the page into text; it was left out", "use <pre> for text shown as written"
    elif repair.tag == "base":
        message = ("<base> would move every relative URL of the page (the deck's own scripts, the other slides' "
                   "pictures) to where it points; it was left out")
        hint = "write full URLs in the links that need them"
    elif repair.stray:
        message = (f"</{repair.tag}> closes an element this slide did not open; it was left out, or it would have "
                   "ended the slide (and the deck) early")
        hint = (f"delete </{repair.tag}> (each slide is its own section: no <section> tags needed), or open "
                f"<{repair.tag}> on the same slide")
    else:
        message = (f"<{repair.tag}> is never closed on this slide; it was closed at the slide's end, or the slides "
                   "after it would have ended up inside it")
        hint = f"add </{repair.tag}> before the next slide's heading"
    return Diagnostic(Severity.WARNING, "raw-html", message, ctx.location(line), hint=hint)


def _inline_html(md: MarkdownIt, inline: Token, env: dict[str, object]) -> str:
    html: str = md.renderer.renderInline(inline.children or [], md.options, env)  # type: ignore[attr-defined]
    return html


def _fragments(body: list[Token]) -> tuple[list[Token], int]:
    """Turn pandoc pauses (`. . .`) and `::: incremental` lists into fragment markup."""
    out: list[Token] = []
    pauses = 0
    # Blocks given the class by reveal.js's `<!-- .element: class="fragment" -->` (reveal_comments.py).
    # Those with a `data-fragment-index` share a step with the others of the same index; a code block's line
    # highlights in `|` groups add a step per group after the first (code_lines.py).
    count = step_count(fragment_indices(body))
    count += sum(code_lines.read_info(t.info, t.content)[1].steps for t in body if t.type == "fence")
    i = 0
    while i < len(body):
        t = body[i]
        if (t.type == "paragraph_open" and t.level == 0 and i + 2 < len(body)
                and body[i + 1].content.strip() == PAUSE):
            if i + 3 >= len(body):  # nothing after it on the slide (the rest is notes): no step that shows nothing
                break
            if pauses:
                out.append(html_block("</div>\n"))
            out.append(html_block('<div class="fragment">\n'))
            count += 1
            pauses += 1
            i += 3
            continue
        if t.type == "container_div_open" and "incremental" in div_classes(t.info)[1]:
            for inner in body[i + 1 : _skip_matching(body, i)]:
                if inner.type == "list_item_open" and inner.level == t.level + 2:
                    inner.attrJoin("class", "fragment")
                    count += 1
        out.append(t)
        i += 1
    if pauses:
        out.append(html_block("</div>\n"))
    return out, count


def _without_pauses(notes: list[Token]) -> list[Token]:
    """The notes without pandoc's pauses (`. . .`): pandoc drops them there; they are no step and say nothing."""
    pauses = {k + d for k in range(1, len(notes) - 1) for d in (-1, 0, 1)
              if notes[k - 1].type == "paragraph_open" and notes[k].type == "inline" and notes[k].content.strip() == PAUSE}
    return [t for k, t in enumerate(notes) if k not in pauses]


def _footnote_groups(tokens: list[Token]) -> dict[int, list[Token]]:
    groups: dict[int, list[Token]] = {}
    i = 0
    while i < len(tokens):
        if tokens[i].type == "footnote_open":
            end = _skip_to(tokens, i, "footnote_close")
            groups[int(tokens[i].meta["id"])] = tokens[i : end + 1]
            i = end
        i += 1
    return groups


def _number_references(tokens: list[Token], counts: dict[int, int]) -> None:
    """Number each footnote's citations on one slide alone, going on from `counts`: the plugin numbers them
    across the talk, so a footnote cited on two slides was "[1:1]" on the second and its back-link led to
    the other slide (a broken link in the handout)."""
    for t in tokens:
        for child in t.children or []:
            if child.type == "footnote_ref":
                fid = child.meta["id"]
                child.meta = {**child.meta, "subId": counts.get(fid, 0)}
                counts[fid] = counts.get(fid, 0) + 1


def _footnotes_for(tokens: list[Token], groups: dict[int, list[Token]], counts: dict[int, int],
                   shown: Sequence[Token] = ()) -> list[Token]:
    """Footnotes referenced on a slide are shown on that slide; those referenced only in its notes, in the notes
    (not to the audience). `shown`: tokens whose footnotes are already shown. Each footnote gets a back-link
    to each of its `counts` citations here."""
    ids: list[int] = []
    taken = {child.meta["id"] for t in shown for child in t.children or [] if child.type == "footnote_ref"}
    for t in tokens:
        for child in t.children or []:
            if (child.type == "footnote_ref" and child.meta["id"] not in ids and child.meta["id"] in groups
                    and child.meta["id"] not in taken):
                ids.append(child.meta["id"])
    if not ids:
        return []
    out = [Token("footnote_block_open", "", 1)]
    for fid in ids:
        out += _with_back_links(groups[fid], counts[fid])  # every id here was cited, so numbered
    return out + [Token("footnote_block_close", "", -1)]


def _with_back_links(group: list[Token], count: int) -> list[Token]:
    """A footnote's tokens with one back-link (`footnote_anchor`) per citation on this slide."""
    anchors = [i for i, t in enumerate(group) if t.type == "footnote_anchor"]
    if not anchors:
        return group
    first = group[anchors[0]]
    links = []
    for n in range(count):
        link = Token("footnote_anchor", "", 0)
        link.meta = {**first.meta, "subId": n}
        links.append(link)
    rest = [t for t in group if t.type != "footnote_anchor"]
    at = anchors[0]
    return rest[:at] + links + rest[at:]


def _skip_to(tokens: Sequence[Token], i: int, kind: str) -> int:
    while i < len(tokens) and tokens[i].type != kind:
        i += 1
    return i


def _skip_matching(tokens: Sequence[Token], i: int) -> int:
    """Index of the token closing the block opened at `i`."""
    depth = 0
    opener = tokens[i].type
    closer = opener.replace("_open", "_close")
    for j in range(i, len(tokens)):
        if tokens[j].type == opener:
            depth += 1
        elif tokens[j].type == closer:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _line(token: Token, offset: int) -> int:
    return offset + (token.map[0] if token.map else 0) + 1


def plain_text(inline: Token, br_as_space: bool = False) -> str:
    """A heading's text without its markup: what the index, the outline and the page title show (`br_as_space`:
    a `<br>` is a space there). Slide ids are made from the text without it, as they always were: links stay."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "math_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif br_as_space and child.type == "html_inline" and re.match(r"<br\b", child.content, re.IGNORECASE):
            parts.append(" ")
    return " ".join("".join(parts).split())
