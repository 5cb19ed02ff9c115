"""Frozen values handed from stage to stage. No I/O here."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .errors import Diagnostic, SourceLocation
from .ratio import Ratio


@dataclass(frozen=True, slots=True)
class Author:
    """One author as front matter gives them (a name alone, or Quarto's `{name, affiliation, email, orcid}`)."""

    name: str
    affiliations: tuple[str, ...] = ()
    """In the order written."""
    email: str | None = None
    orcid: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class TalkMeta:
    """Validated front matter."""

    title: str
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    """The authors' names, in the order written (`author_details` has their affiliations)."""
    institution: str | None = None
    """Every one of `institutions` as one text ("ETH Zürich; Université de Montréal"), for themes that show one."""
    date: datetime.date | None = None
    """Parsed date, used for sorting; `date_text` keeps how the author wrote it."""
    date_text: str | None = None
    date_precision: str = "day"
    """How much of `date` was written: "day", "month" (`May 2016`) or "year" (`2018`)."""
    layout: str | None = None
    slidelink: bool = True
    lang: str = "en"
    dir: str = "ltr"
    """Writing direction of the talk's pages: "rtl", "ltr" or "auto"; `dir:` in front matter, else from `lang`."""
    tags: tuple[str, ...] = ()
    description: str | None = None
    draft: bool = False
    duration: int | None = None
    """Planned length in minutes; the presenter view paces against it."""
    theme: str | None = None
    notes_separator: str | None = None
    """The line start that begins a slide's notes (`Note:`, `???`), "" for none; None: the site's setting."""
    ratio: Ratio | None = None
    """The slides' shape (`ratio: 4:3`, Marp's `size: 4:3`); None: the site's setting (16:9 unless set)."""
    slide_numbers: bool | None = None
    """Whether every slide but the title slide shows its number; None: the site's setting."""
    slide_addresses: str | None = None
    """How the deck reads `#/2/1`: "talkbuild" or "revealjs" (slide_addresses.py); None: the site's setting."""
    css: tuple[tuple[str, int], ...] = ()
    """The talk's own stylesheets (`css:`, stylesheets.py): each path as written and the line it is written on."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Unknown keys, kept for themes."""
    author_details: tuple[Author, ...] = ()
    """Each of `authors` with what else front matter says of them."""
    institutions: tuple[str, ...] = ()
    """`institution:` (a name or a list), then the authors' affiliations: each once, in the order first written."""

    @property
    def affiliation_marks(self) -> tuple[str, ...]:
        """Per author, the numbers of their `institutions` ("1,2"), when the authors' affiliations differ (so the
        byline has to say whose is whose); () when they all share every one, or no author names any."""
        if not any(a.affiliations and set(a.affiliations) != set(self.institutions) for a in self.author_details):
            return ()
        number = {name: str(i) for i, name in enumerate(self.institutions, 1)}
        return tuple(",".join(number[a] for a in author.affiliations) for author in self.author_details)


@dataclass(frozen=True, slots=True)
class Reference:
    """A link or image in a talk, as written and as resolved."""

    kind: str
    """'link' or 'image' (raw HTML `src` counts as 'image', `href` as 'link')."""
    url: str
    """The URL exactly as the author wrote it."""
    location: SourceLocation
    target: str | None = None
    """Site-root-relative POSIX path of the file it points to; None for external URLs."""
    fragment: str = ""
    alt: str | None = None
    """Alt text of an image (None when the reference is not an image)."""


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: its own content and notes, rendered once for both views."""

    id: str
    title: str
    """Plain-text title ('' for an untitled slide)."""
    title_html: str
    kind: str
    """'title', 'section' or 'slide'."""
    line: int
    body_html: str
    notes_html: str
    section: str
    """Plain title of the section the slide is in ('' before the first section)."""
    classes: tuple[str, ...] = ()
    fragments: int = 0
    """How many fragment steps the slide has."""
    reveal: str = ""
    """Its reveal.js address, "h/v" from 0, with `slide_addresses: revealjs` ("" otherwise: see slide_addresses.py)."""
    background: str = ""
    """Where its Marp background pictures (`![bg]`) go: "full", "left", "right", or "" when it has none."""
    split: str = ""
    """With `background` "left" or "right", how much of the slide's width the pictures take ("40%")."""
    header: str = ""
    footer: str = ""
    """Text at the slide's top and bottom edges (Marp's `header`/`footer` directives); "" for none."""
    paginate: bool | None = None
    """Whether the slide shows its number as Marp's `paginate` directive says; None when no directive says
    (then `slide_numbers` decides)."""


class Heading(NamedTuple):
    """One heading of a talk's Markdown, as written and as shown."""

    written: int
    """Its level in the Markdown (`###` is 3)."""
    line: int
    """Its 1-based line in the file."""
    shown: int
    """The <hN> it becomes on the pages (the default theme's levels for a slide's heading)."""
    slide: bool
    """Whether it is a slide's or a section's own heading (its level is the theme's, not the author's)."""


@dataclass(frozen=True, slots=True)
class Talk:
    """A parsed and rendered talk: everything the theme needs, with site-root-relative URLs."""

    source: SourceLocation
    """The Markdown file, project-relative."""
    slug: str
    """Output folder relative to the site root, e.g. 'technical/continuous'."""
    meta: TalkMeta
    slides: Sequence[Slide]
    """Every slide in order, the title slide first (a tuple, or for a talk taken from the build cache a
    `cache_pickle.LazySlides`, read when first used)."""
    references: tuple[Reference, ...]
    assets: tuple[str, ...]
    """Talks-relative paths of local files the talk references (copied to the site)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    headings: tuple[Heading, ...] = ()
    """Every heading in the body (slides', sections' and those inside them, notes too), in order: its level as
    written and as shown on the pages."""
    search: bytes = b""
    """The talk's part of the site's search index (search_index.talk_entry), made when it was rendered so that
    a build joins the parts instead of reading every talk's HTML again; b"" before that."""
    stylesheets: tuple[str, ...] = ()
    """The talk's own stylesheets (`css:`) as its pages link them, after the theme's."""

    @property
    def sections(self) -> tuple[Slide, ...]:
        return tuple(s for s in self.slides if s.kind == "section")

    @property
    def content_slides(self) -> tuple[Slide, ...]:
        return tuple(s for s in self.slides if s.kind == "slide")


def talk_pages(slug: str) -> tuple[str, str]:
    """The site paths a talk is published at: its handout and its deck."""
    return f"{slug}/index.html", f"{slug}/slides/index.html"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A talk found on disk, before parsing."""

    path: Path
    """Absolute path of the Markdown file."""
    rel: str
    """Path relative to the talks folder (POSIX)."""
    slug: str


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: site-relative path and its bytes."""

    path: str
    content: bytes

    @property
    def digest(self) -> str:
        """sha256 of the bytes, hex: what a PageRef knows without them."""
        return hashlib.sha256(self.content).hexdigest()

    def read(self) -> bytes:
        """The page's bytes (as `PageRef.read` loads them)."""
        return self.content


@dataclass(frozen=True)
class PageRef:
    """A page known by its sha256: its bytes are loaded only when needed (the build cache's pages)."""

    path: str
    digest: str
    load: Callable[[], bytes]

    def read(self) -> bytes:
        """The page's bytes, loaded now (as `Page.read` returns them)."""
        return self.load()


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build produced and what it found."""

    talks: tuple[Talk, ...]
    diagnostics: tuple[Diagnostic, ...]
    out_dir: Path
    files: int
    rebuilt: int
    """How many talks were rendered rather than taken from the cache."""
    site: SiteFiles | None = None
    """Everything the site consists of, when the build was asked not to write it (BuildOptions.write)."""
    from_cache: int = 0
    """How many talks were taken from the cache (drafts included, as in `rebuilt`)."""
    drafts: tuple[str, ...] = ()
    """Slugs of the drafts left out of the site (BuildOptions.drafts builds them)."""


@dataclass(frozen=True, slots=True)
class SiteFiles:
    """A site in memory: what write_site would write, for a caller that only inspects it (check, publish)."""

    pages: tuple[Page | PageRef, ...]
    """A PageRef is a cached page: its digest is known, its bytes are read only if asked for."""
    assets: Mapping[str, Path]
    """Site path -> source file copied there."""
    static: Mapping[str, Path | bytes]
    """Site path -> theme file or generated bytes."""
    redirects: Mapping[str, str] = field(default_factory=dict)
    """Site path of each redirect page (a talk's `aliases:`) -> the page it leads to."""
