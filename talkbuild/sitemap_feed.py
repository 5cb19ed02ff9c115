"""The site's pages for machines: sitemap.xml (search engines) and feed.xml (an Atom feed of the talks).

Both are made of absolute URLs, so both exist only when `publish.public_url` says where the site lives
(MkDocs needs `site_url` for the same reason). The feed lists dated talks, newest first: Atom requires a
time for every entry, and a talk without a date has none to give. The files depend only on the talks and
the config, so a build stays byte-identical.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Sequence

from . import __version__
from .config import Config
from .discover import project_rel
from .errors import Diagnostic, Severity, SourceLocation
from .index_list import index_ordered
from .links import url_path
from .models import Page, SourceFile, Talk, talk_pages

SITEMAP = "sitemap.xml"
FEED = "feed.xml"


def reserved(config: Config) -> tuple[str, ...]:
    """The paths this module may write for `config`: a file of the talks at one of them is a clash, as with
    index.html (without publish.public_url neither is written, and a talk's own `feed.xml` is just a file)."""
    return (SITEMAP, FEED) if config.publish.site_url else ()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry even escaped (YAML's "\\x01" can put one in a title): left out."""


def escape(text: str) -> str:
    """Text for an XML element (not xml.sax.saxutils: it imports urllib.request and http.client, ~40 ms of every
    build's start-up)."""
    return html.escape(_NOT_XML.sub("", text), quote=False)


def quoteattr(text: str) -> str:
    """A quoted XML attribute value."""
    return '"' + html.escape(_NOT_XML.sub("", text), quote=True) + '"'



def over_reserved(sources: Sequence[SourceFile], config: Config) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Talks that would be published where this module writes a file (`talks/feed.xml.md` at feed.xml/),
    left out with a `slug-clash` error each: the folder and the file cannot both exist."""
    names = reserved(config)
    clashing = [s for s in sources if any(s.slug == n or s.slug.startswith(n + "/") for n in names)]
    problems = [Diagnostic(Severity.ERROR, "slug-clash", f"'{s.rel}' would be published at '{s.slug}/', where "
                           f"talkbuild writes the site's {s.slug.split('/')[0]}", SourceLocation(project_rel(s.path, config.root)),
                           hint="rename it") for s in clashing]
    return [s for s in sources if s not in clashing], problems


def feed_talks(talks: Sequence[Talk]) -> list[Talk]:
    """The talks the feed lists: those with a date, newest first, in the index's newest-first order (a day's
    talks with a time by that moment)."""
    return [t for t in index_ordered(talks, "newest") if t.meta.date is not None]


def has_feed(talks: Sequence[Talk], config: Config) -> bool:
    """Whether the site has a feed: a public_url, and a dated talk (no sort needed to tell)."""
    return bool(config.publish.site_url) and any(t.meta.date is not None for t in talks)


def machine_pages(talks: Sequence[Talk], config: Config) -> list[Page]:
    """sitemap.xml and feed.xml for `talks` (the listed ones: no drafts unless the build shows them)."""
    base = config.publish.site_url
    if not base:
        return []
    pages = [Page(SITEMAP, _sitemap(base, talks).encode("utf-8"))]
    listed = feed_talks(talks)
    if listed:
        pages.append(Page(FEED, _feed(base, listed, config).encode("utf-8")))
    return pages


def page_url(base: str, path: str) -> str:
    """The public address of site file `path` (`a/index.html` -> BASE + `a/`)."""
    folder, _, name = path.rpartition("/")
    if name == "index.html":
        return base + (url_path(folder) + "/" if folder else "")
    return base + url_path(path)


def _sitemap(base: str, talks: Sequence[Talk]) -> str:
    paths = ["index.html"] + sorted(page for t in talks for page in talk_pages(t.slug))
    urls = "".join(f"<url><loc>{escape(page_url(base, p))}</loc></url>\n" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def _stamp(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _feed(base: str, talks: Sequence[Talk], config: Config) -> str:
    newest = max(t.meta.date for t in talks if t.meta.date is not None)
    head = [f"<title>{escape(config.title)}</title>"]
    if config.description:
        head.append(f"<subtitle>{escape(config.description)}</subtitle>")
    head += [f'<link rel="self" type="application/atom+xml" href={quoteattr(base + FEED)}/>',
             f'<link rel="alternate" type="text/html" href={quoteattr(base)}/>',
             f"<id>{escape(base)}</id>",
             f"<updated>{_stamp(newest)}</updated>",
             f'<generator version="{escape(__version__)}">talkbuild</generator>']
    if any(not t.meta.authors for t in talks):  # Atom: every entry needs an author, the feed's if not its own
        head.append(f"<author><name>{escape(config.title)}</name></author>")
    body = "".join(_entry(base, talk, config.lang) for talk in talks)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.lang)}>\n'
            + "".join(line + "\n" for line in head) + body + "</feed>\n")


def _entry(base: str, talk: Talk, feed_lang: str) -> str:
    meta = talk.meta
    handout, deck = (page_url(base, p) for p in talk_pages(talk.slug))
    assert meta.date is not None
    lines = ["<entry>",
             f"<title>{escape(meta.title)}</title>",
             f'<link rel="alternate" type="text/html" href={quoteattr(handout)}/>',
             f'<link rel="related" type="text/html" title="Slides" href={quoteattr(deck)}/>',
             f"<id>{escape(handout)}</id>",
             f"<published>{_stamp(meta.date)}</published>",
             f"<updated>{_stamp(meta.date)}</updated>"]
    lines += [f"<author><name>{escape(name)}</name></author>" for name in meta.authors]
    if meta.description:
        lines.append(f"<summary>{escape(meta.description)}</summary>")
    lines += [f"<category term={quoteattr(tag)}/>" for tag in meta.tags]
    if meta.lang != feed_lang:
        lines[0] = f"<entry xml:lang={quoteattr(meta.lang)}>"
    return "".join(line + "\n" for line in lines + ["</entry>"])
