"""Redirect pages at a moved talk's old addresses: front matter `aliases:` (Hugo's name; Jekyll's `redirect_from:`
is read the same), as mkdocs-redirects and Netlify's `_redirects` do it for a static host that has no redirects.

An alias is written like the talk's own path, relative to talks/ (`speaker-55/talk`, or `speaker-55/talk.md`).
The build writes two small pages there: `<old>/index.html` leads to the handout, `<old>/slides/index.html` to the
deck. Each carries a meta refresh, a canonical link, `noindex` and a visible link, and a script that keeps the
`#fragment` (a shared slide address, `#/7` or `#<slide-id>`, still opens that slide). The URLs are relative, so
the site works under any prefix and from file://; the bytes depend only on the talks, so a build stays
byte-identical.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import yaml

from . import yamltext
from .discover import slug_for
from .errors import Diagnostic, Severity, SourceLocation
from .links import relative_root, url_path
from .models import Page, Talk, talk_pages
from .sitemap_feed import page_url
from .sitepaths import STATIC_DIR, is_hidden, look_alike_how, look_alike_key, site_path

ALIAS_KEYS = ("aliases", "redirect_from")
"""Front matter keys that list a talk's old addresses (Hugo's, then Jekyll's)."""
CODE = "alias"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_HINT = "write the old address relative to talks/, as the talk's own path: aliases: [speaker-55/talk]"


@dataclass(frozen=True, slots=True)
class Alias:
    """One old address of a talk, as written and where."""

    written: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class Redirects:
    """What the aliases of the site's talks make: the pages, where each leads, and the problems found."""

    pages: tuple[Page, ...]
    targets: Mapping[str, str]
    """Site path of each redirect page -> site path of the page it leads to (check follows fragments there)."""
    diagnostics: tuple[Diagnostic, ...]


def aliases_of(talk: Talk, root: Path) -> tuple[list[Alias], list[Diagnostic]]:
    """The old addresses `talk` lists, each at its line (`root`: the project, where the talk's file is read
    again for the lines: front matter keeps the values, not where each item is written)."""
    written = [(key, talk.meta.extra[key]) for key in ALIAS_KEYS if key in talk.meta.extra]
    if not written:
        return [], []
    lines = _item_lines(root / talk.source.path)
    found: list[Alias] = []
    problems: list[Diagnostic] = []
    for key, value in written:
        key_line, item_lines = lines.get(key, (1, []))
        items = value if isinstance(value, list) else [value]
        if value is None or any(isinstance(v, dict | list) or v is None for v in items):
            problems.append(Diagnostic(Severity.ERROR, CODE, f"'{key}' must be an address or a list of addresses",
                                       SourceLocation(talk.source.path, key_line), hint=_HINT))
            continue
        for n, item in enumerate(items):
            line = item_lines[n] if n < len(item_lines) else key_line
            found.append(Alias(str(item), SourceLocation(talk.source.path, line)))
    return found, problems


def _item_lines(path: Path) -> dict[str, tuple[int, list[int]]]:
    """Each alias key's line in the file at `path`, and the line of each of its items."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return {}
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if not lines or lines[0].rstrip() != "---" or end is None:
        return {}
    try:
        _, node, _ = yamltext.load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return {}
    found = {}
    for key, key_node, value_node in yamltext.entries(node):
        if key in ALIAS_KEYS:  # line 1 is the opening '---'
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            found[key] = (key_node.start_mark.line + 2, [item.start_mark.line + 2 for item in items])
    return found


def old_address(written: str) -> tuple[str | None, str | None]:
    """The talks-relative folder an alias names (`speaker-55/talk.md` -> `speaker-55/talk`), or None and why not.

    The old address of a deck (`old/slides/`, as reveal-md users shared it) names the talk's old folder: its
    redirect pages lead the deck's address to the deck, and the folder's to the handout."""
    text = written.strip()
    if _SCHEME.match(text) or text.startswith("//"):
        return None, "is a full URL; an alias is an address in this site"
    if "#" in text or "?" in text:
        part = "#fragment" if "#" in text.split("?", 1)[0] else "?query"
        return None, f"has a {part}: a redirect page is found by the path alone, and cannot match one"
    path = unquote(text)
    joined = site_path("", path.rstrip("/"))
    if joined is None:
        return None, "climbs out of the site"
    if joined == "index.html" or joined.endswith("/index.html"):
        joined = joined.removesuffix("index.html").rstrip("/")
    elif joined.endswith((".md", ".markdown")):
        joined = slug_for(joined)
        path = ""  # a talk's own path: `x/slides.md` was the talk x/slides, not a deck
    if path and joined.endswith("/slides"):
        joined = joined.removesuffix("/slides")
    if not joined:
        return None, "is the site's root, where the index is"
    if is_hidden(joined.split("/")):
        return None, "names a hidden file or folder (its name starts with a dot), which is never published"
    if joined.split("/", 1)[0] == STATIC_DIR:
        return None, f"is in {STATIC_DIR}/, the folder of the theme's files"
    return joined, None


def _hint_for(written: str) -> str:
    """How to write an alias that cannot be written as it is."""
    bare = written.strip().split("#", 1)[0].split("?", 1)[0]
    if bare != written.strip() and bare.strip("/"):
        return f"write the address without it: aliases: [{bare}]"
    return _HINT


_ALIKE = "on macOS and Windows they are one file, and they look alike"
_HINT_CLAIMED = "only one talk can be at an old address: remove the alias from one of them"
_HINT_TAKEN = "an alias is an address that no longer leads anywhere: remove it, or move what is there"


@dataclass(frozen=True, slots=True)
class _Claim:
    """A redirect page planned so far: its path, the talk it leads to and the alias that made it."""

    page: str
    talk: Talk
    alias: Alias


def plan_redirects(talks: Sequence[Talk], taken: Collection[str], root: Path,
                   public_url: str | None = None) -> Redirects:
    """The redirect pages of every talk's aliases; `taken`: every other file of the site, which an alias may not
    replace (a talk's page, the index, a copied file), nor look like (sitepaths.look_alike_key, as discover
    compares talks' paths: on macOS and Windows two such paths are one file)."""
    owners = {look_alike_key(page): (page, talk) for talk in talks for page in talk_pages(talk.slug)}
    files = {look_alike_key(path): path for path in taken}
    claimed: dict[str, _Claim] = {}
    pages: list[Page] = []
    targets: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for talk in talks:
        aliases, found = aliases_of(talk, root)
        problems += found
        seen: set[str] = set()
        for alias in aliases:
            old, why = old_address(alias.written)
            problem = (f"the alias '{alias.written}' {why}", _hint_for(alias.written)) if old is None else None
            if old is not None:
                if old in seen:
                    continue  # written twice (as `a` and `a.md`): one redirect
                seen.add(old)
                problem = _clash(alias, old, talk, files, owners, claimed)
            if problem is not None:
                problems.append(Diagnostic(Severity.ERROR, CODE, problem[0], alias.location, url=alias.written,
                                           hint=problem[1]))
                continue
            assert old is not None
            for page, target in zip(talk_pages(old), talk_pages(talk.slug), strict=True):
                claimed[look_alike_key(page)] = _Claim(page, talk, alias)
                targets[page] = target
                pages.append(Page(page, redirect_page(page, target, talk, public_url)))
    return Redirects(tuple(pages), targets, tuple(problems))


def _clash(alias: Alias, old: str, talk: Talk, files: Mapping[str, str], owners: Mapping[str, tuple[str, Talk]],
           claimed: Mapping[str, _Claim]) -> tuple[str, str] | None:
    """Why `old` cannot hold redirect pages, and the fix: it is (or looks like) a talk's or a file's address, or
    another alias's. Each map is keyed by look_alike_key."""
    said = f"the alias '{alias.written}'"
    if old == talk.slug:
        return f"{said} is this talk's own address", _HINT
    if look_alike_key(old) == look_alike_key(talk.slug):
        return (f"{said} and this talk's own address '{talk.slug}' differ only {look_alike_how(old, talk.slug)}: "
                f"{_ALIKE}", "remove it: its redirect pages would overwrite the talk's own pages there")
    parts = old.split("/")
    for n in range(1, len(parts) + 1):
        folder = "/".join(parts[:n])
        file = files.get(look_alike_key(folder))
        if file == folder:
            return f"{said} is at the file '{folder}' of the site", _HINT_TAKEN
        if file is not None:
            return (f"{said} would put a folder '{folder}' where the site has the file '{file}', and they differ "
                    f"only {look_alike_how(folder, file)}: {_ALIKE}", _HINT_TAKEN)
    for page in talk_pages(old):
        key = look_alike_key(page)
        if key in claimed:
            first = claimed[key]
            whose = "this talk" if first.talk is talk else first.talk.source.path
            if first.page == page:
                return f"{said} is also claimed by {whose} (at {first.alias.location})", _HINT_CLAIMED
            return (f"{said} and the alias '{first.alias.written}' of {whose} (at {first.alias.location}) differ "
                    f"only {look_alike_how(page, first.page)}: {_ALIKE}", _HINT_CLAIMED)
        if key in owners:
            owned, owner = owners[key]
            if owned == page:
                return f"{said} is the address of the talk {owner.source.path}", _HINT_TAKEN
            return (f"{said} and the address of the talk {owner.source.path} ('{owned.removesuffix('/index.html')}') "
                    f"differ only {look_alike_how(page, owned)}: {_ALIKE}", _HINT_TAKEN)
        if key in files:
            if files[key] == page:
                return f"{said} is the address of '{page}', which the site already has", _HINT_TAKEN
            return (f"{said} and the site's '{files[key]}' differ only {look_alike_how(page, files[key])}: "
                    f"{_ALIKE}", _HINT_TAKEN)
    return None


def redirect_page(path: str, target: str, talk: Talk, public_url: str | None = None) -> bytes:
    """The page at site path `path` that sends its visitor, and the `#fragment` they came with, to `target`."""
    href = relative_root(path.count("/")) + url_path(target)
    canonical = page_url(public_url, target) if public_url else href
    title = html.escape(talk.meta.title)
    lang = html.escape(talk.meta.lang)
    text = (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>Moved: {title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{html.escape(canonical)}">\n'
        # Before the refresh, which drops the fragment: a slide's address (#/7, #<slide-id>) survives the move.
        f"<script>location.replace({_js(href)} + location.hash)</script>\n"
        f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved to <a href="{html.escape(href)}">{title}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )
    return text.encode("utf-8")


def _js(text: str) -> str:
    """A JavaScript string literal that is safe inside <script> (no `</script>` can end it early)."""
    return json.dumps(text).replace("<", "\\u003c")


def reached(diagnostics: Iterable[Diagnostic], talks: Iterable[Talk], targets: Mapping[str, str]) -> list[Diagnostic]:
    """`diagnostics` without the build's missing-file warnings for links to an alias address: the redirect is
    there, as check finds it."""
    folders = {page.removesuffix("index.html").rstrip("/") for page in targets}
    found = {(ref.location, ref.url) for talk in talks for ref in talk.references
             if ref.target is not None and (ref.target in targets or ref.target in folders)}
    return [d for d in diagnostics if not (d.code == "missing-file" and (d.location, d.url) in found)]


def moved_to(missing: str, talks: Iterable[Talk], targets: Mapping[str, str]) -> str | None:
    """The talk a link to site path `missing` (a talk that is no longer there) most likely means: the one whose
    alias it is, or the one of the same path or name elsewhere; None when none is clearly it."""
    old = _as_slug(missing)
    if old is None:
        return None
    by_slug = {talk.slug: talk for talk in talks}
    target = targets.get(f"{old}/index.html")
    if target is not None and target.removesuffix("/index.html") in by_slug:
        return by_slug[target.removesuffix("/index.html")].source.path
    for tail in (old, old.rsplit("/", 1)[-1]):
        same = sorted(t.source.path for t in by_slug.values() if t.slug == tail or t.slug.endswith("/" + tail))
        if len(same) == 1:
            return same[0]
        if same:
            return None  # several: guessing would send the reader to the wrong talk
    return None


def _as_slug(path: str) -> str | None:
    """The slug a site path of a talk would have: `a/b.md`, `a/b`, `a/b/index.html`, `a/b/slides/index.html`."""
    path = path.removesuffix("index.html").rstrip("/")
    if path.endswith((".md", ".markdown")):
        path = slug_for(path)
    elif "." in path.rsplit("/", 1)[-1]:
        return None  # a file of its own (an image): not a talk's address
    path = path.removesuffix("/slides")
    return path or None
