"""One pass over a built HTML page: its ids, and every URL it loads or links to, with line and slide.

A regular-expression tag scanner instead of html.parser: the pages come from our own
renderer (quoted attributes, escaped text), and html.parser alone took ~2 s for 200
medium talks on one core, the whole budget of the internal check. Comments, scripts and
styles are skipped so text that merely looks like a tag is never taken for a link.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Collection
from dataclasses import dataclass

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style)\b([^>]*)>.*?</\1\s*>"
    r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*/?>",
    re.DOTALL | re.IGNORECASE,
)
_ID_OR_NAME = re.compile(r"(?:^|\s)(?:id|name|style|data-background(?:-image)?)\s*=", re.IGNORECASE)
"""Attributes that make a tag worth parsing whatever it is: an id, or a picture in a style or a background."""
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.IGNORECASE)
_PICTURE = re.compile(r"^(?:https?:|file:|//)|\.(?:svg|png|jpg|jpeg|gif|bmp|webp|avif)(?:[?#\s]|$)", re.IGNORECASE)
"""reveal.js reads a `data-background` that looks like this as a picture's URL, and the rest as a colour."""
PICTURE_ATTRS = frozenset({"style", "data-background-image", "data-background"})
"""Attributes of any element that load a picture: `url(...)` in an inline style, reveal.js's backgrounds."""
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")

URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",), "embed": ("src",), "object": ("data",),
}
"""Which attributes of which elements hold URLs."""


@dataclass(frozen=True, slots=True)
class HtmlLink:
    tag: str
    attr: str
    value: str
    """The URL as it stands in the page (entities decoded)."""
    line: int
    slide: str | None
    """Id of the slide element the link is inside (None outside slides: theme chrome)."""
    alt: str | None = None
    """For <img>: the alt attribute (None when absent); for <track>: its kind (None when absent: subtitles)."""
    empty: bool = False
    """For an <a> inside a slide: it has no accessible name (no text, no alt text, no aria-label or title)."""


@dataclass(frozen=True, slots=True)
class HtmlPage:
    path: str
    ids: frozenset[str]
    links: tuple[HtmlLink, ...]
    duplicates: tuple[tuple[str, int, int], ...] = ()
    """(id, line of its first element, line of another) for each id given to more than one element."""


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
"""Elements without content: never a slide, whatever their id (a theme's `<img id="logo">` beside slide `logo`)."""


def scan(path: str, text: str, slide_ids: Collection[str] = ()) -> HtmlPage:
    """Collect ids and links of one page in a single pass."""
    ids: set[str] = set()
    first_line: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    links: list[HtmlLink] = []
    line, pos = 1, 0
    slide: str | None = None
    slide_tag = ""
    depth = 0
    link_name = _LinkName()
    following = False
    for match in _TOKEN.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        if following:  # a local, not link_name.at: this loop runs for every tag of every page
            following = link_name.follow(text, match, links)
        if match.group(1):  # <script ...>...</script> or <style>: only a script's src and a style's url()s count
            if match.group(1).lower() == "script":
                attrs = _attrs(match.group(2) or "")
                if attrs.get("src"):
                    links.append(HtmlLink("script", "src", attrs["src"], line, slide))
            elif "url(" in match.group(0).lower():
                links.extend(HtmlLink("style", "style", url, line + match.group(0).count("\n", 0, at), slide)
                             for at, url in _style_urls(match.group(0)))
            continue
        name = match.group(4)
        if name is None:  # a comment
            continue
        tag = name.lower()
        if match.group(3):  # closing tag
            if slide is not None and tag == slide_tag:
                depth -= 1
                if depth == 0:
                    slide = None
            continue
        raw_attrs = match.group(5)
        if not raw_attrs or (tag not in URL_ATTRS and not _ID_OR_NAME.search(raw_attrs)):
            # Most tags (Pygments' <span class>, <li>, <p>) carry nothing to check: skip parsing them.
            if slide is not None and tag == slide_tag:
                depth += 1
            continue
        attrs = _attrs(raw_attrs)
        ident = attrs.get("id")
        if ident:
            ids.add(ident)
            if ident in first_line:
                duplicates.append((ident, first_line[ident], line))
            else:
                first_line[ident] = line
            if ident in slide_ids and slide is None and tag not in VOID:
                slide, slide_tag, depth = ident, tag, 0
        if slide is not None and tag == slide_tag:
            depth += 1
        if tag == "a" and attrs.get("name"):
            ids.add(attrs["name"])
        if tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            continue  # the page's own address on the published site (publish.public_url): nothing to check here
        for attr in URL_ATTRS.get(tag, ()):
            value = attrs.get(attr)
            if value is None:
                continue
            alt = attrs.get("alt") if tag == "img" else attrs.get("kind") if tag == "track" else None
            if attr == "srcset":
                for candidate in _srcset(value):
                    links.append(HtmlLink(tag, attr, candidate, line, slide, alt))
            else:
                links.append(HtmlLink(tag, attr, value, line, slide, alt))
                if tag == "a" and slide is not None and not following:
                    link_name.start(len(links) - 1, attrs, match.end())
                    following = True
        links.extend(HtmlLink(tag, attr, url, line, slide) for attr, url in _pictures(attrs))
    return HtmlPage(path, frozenset(ids), tuple(links), tuple(duplicates))


_NAMING = ("aria-label", "aria-labelledby", "title")
"""Attributes that name a link, or the element inside it that gives it its name (an icon with aria-label)."""


class _LinkName:
    """Follows an <a href> of a slide to its </a>: has it a name a screen reader can read (axe's link-name)?
    Text, an image's alt text or an aria-label/title anywhere in it names it; what is aria-hidden does not."""

    __slots__ = ("at", "named", "last", "hidden", "hidden_depth")

    def __init__(self) -> None:
        self.at: int | None = None
        self.named = False
        self.last = 0
        self.hidden = ""
        self.hidden_depth = 0

    def start(self, at: int, attrs: dict[str, str], end: int) -> None:
        self.at, self.last, self.hidden, self.hidden_depth = at, end, "", 0
        self.named = any(attrs.get(a, "").strip() for a in _NAMING)

    def follow(self, text: str, match: re.Match[str], links: list[HtmlLink]) -> bool:
        """Take the token `match` inside the link; at its </a>, mark the link in `links` when it has no name.
        Whether the link goes on after it."""
        if not self.named and not self.hidden and self.last < match.start():
            self.named = bool(html.unescape(text[self.last:match.start()]).strip())
        self.last = match.end()
        tag = (match.group(4) or "").lower()
        if match.group(3):
            if self.hidden and tag == self.hidden:
                self.hidden_depth -= 1
                self.hidden = self.hidden if self.hidden_depth else ""
            if tag == "a":
                if not self.named and self.at is not None:
                    links[self.at] = dataclasses.replace(links[self.at], empty=True)
                self.at = None
                return False
            return True
        if not tag or self.named:
            return True
        if self.hidden:
            self.hidden_depth += tag == self.hidden
            return True
        attrs = _attrs(match.group(5) or "")
        if attrs.get("aria-hidden", "").strip().lower() == "true":
            if tag not in VOID and not match.group(0).endswith("/>"):
                self.hidden, self.hidden_depth = tag, 1
            return True
        self.named = any(attrs.get(a, "").strip() for a in _NAMING) or (tag == "img" and bool(attrs.get("alt", "").strip()))
        return True


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        raw = m.group(2)
        if raw is None:
            value = ""
        elif raw[:1] in "\"'":
            value = raw[1:-1]
        else:
            value = raw
        out.setdefault(m.group(1).lower(), html.unescape(value) if "&" in value else value)
    return out


def _style_urls(css: str) -> list[tuple[int, str]]:
    """(offset, URL) of the files a style's `url(...)`s load (not `data:` and `#` ones, which load none)."""
    return [(m.start(2), m.group(2)) for m in _CSS_URL.finditer(css) if m.group(2) and not m.group(2).startswith(("#", "data:"))]


def _pictures(attrs: dict[str, str]) -> list[tuple[str, str]]:
    """(attribute, URL) of the pictures an element's style and reveal.js background attributes load."""
    found = []
    style = attrs.get("style", "")
    if "url(" in style.lower():
        found += [("style", m.group(2)) for m in _CSS_URL.finditer(style) if m.group(2) and not m.group(2).startswith("#")]
    if attrs.get("data-background-image"):
        found.append(("data-background-image", attrs["data-background-image"]))
    if _PICTURE.search(attrs.get("data-background", "").strip()):
        found.append(("data-background", attrs["data-background"].strip()))
    return found


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]
