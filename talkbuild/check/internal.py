"""Internal links and images of the built site, reported where the author wrote them.

Every URL in every page is resolved like a static host would (a directory URL serves its
`index.html`, paths are case-sensitive as on S3) and checked against the files of the
site and the ids of the target page. A link inside a slide is mapped back to the
Markdown reference it was rendered from (`Talk.references`); what the theme generated
is reported against the HTML file.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..backgrounds import is_background, side_of
from ..errors import Diagnostic, Severity, SourceLocation, did_you_mean
from ..models import Reference, Slide, Talk, talk_pages
from ..redirects import moved_to
from ..render import NOT_FOUND
from ..sitepaths import site_path
from ..slide_addresses import describe, is_fragment_address, read_address
from .htmlscan import PICTURE_ATTRS, HtmlLink, HtmlPage

SCHEMES_NOT_CHECKED = ("mailto:", "tel:", "javascript:", "data:", "sms:", "about:", "blob:")
ALWAYS_VALID_FRAGMENTS = frozenset({"", "top"})
"""`#top` scrolls to the top of any HTML page, with or without such an id."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
IMAGE_TAGS = frozenset({"img", "source", "video", "audio", "track", "embed", "object", "iframe"})


@dataclass(frozen=True, slots=True)
class Target:
    """Where an internal URL leads: a site-relative file and a fragment, or out of the site."""

    path: str | None
    """Site-root-relative POSIX path; None when the URL climbs out of the site root."""
    fragment: str


@dataclass(frozen=True)
class Site:
    """What the checks know about the built site."""

    files: frozenset[str]
    """Every file of the site, site-relative POSIX paths with their real case."""
    source_files: frozenset[str]
    """Every file under talks/ (talks-relative, real case): case mismatches are judged against them."""
    pages: Mapping[str, HtmlPage]
    talks_by_page: Mapping[str, Talk]
    out_label: str
    """How HTML files are named in reports, e.g. '_site'."""
    drafts: Mapping[str, str] = field(default_factory=dict)
    """Page path -> slug, for the pages of drafts left out of the build."""
    reported: frozenset[str] = frozenset()
    """Site paths of theme files already reported missing at the template line that links them."""
    redirects: Mapping[str, str] = field(default_factory=dict)
    """Site path of each redirect page (a talk's `aliases:`) -> the page it leads to, where fragments are."""
    not_found_root: str = "/"
    """Where the URLs of the 404 page start (render.not_found_root): it is served at any address."""

    def lower_index(self) -> _Lower:
        return _Lower({f.lower(): f for f in self.source_files}, {f.lower(): f for f in self.files})


@dataclass(frozen=True, slots=True)
class _Lower:
    """Lower-cased name -> real name, to tell a case mismatch from a missing file."""

    source: dict[str, str]
    site: dict[str, str]


def resolve(page: str, url: str) -> Target | None:
    """Resolve a URL found in site page `page`; None for external, non-checkable or empty URLs."""
    url = url.strip()
    if url.startswith("#"):  # the commonest link of all: a slide of the same page
        return Target(page, unquote(url[1:]))
    if not url or url.startswith("//") or url.lower().startswith(SCHEMES_NOT_CHECKED) or _has_scheme(url):
        return None
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    path = unquote(parts.path)
    if not path:
        return Target(page, fragment)
    joined = site_path(page, path)
    if joined is None:
        return Target(None, fragment)
    if path.endswith("/") or path in (".", "..") or not joined:
        return Target(posixpath.join(joined, "index.html") if joined else "index.html", fragment)
    return Target(joined, fragment)


def _from_root(url: str, root: str) -> str:
    """A URL of the 404 page as from the site root: `/talks/index.html` with root `/talks/` is `/index.html`."""
    return "/" + url[len(root):] if root != "/" and url.startswith(root) else url


def _has_scheme(url: str) -> bool:
    return _SCHEME.match(url) is not None


def check_internal(site: Site) -> list[Diagnostic]:
    """All problems with internal links, fragments and images, one per place they are written."""
    lower = site.lower_index()
    found: list[Diagnostic] = []
    theme_files: dict[str, tuple[Diagnostic, set[str]]] = {}  # a missing theme file -> its first finding, pages
    mapper = _RefMapper(site.talks_by_page)
    for page_path in sorted(site.pages):
        page = site.pages[page_path]
        talk = site.talks_by_page.get(page_path)
        queue = mapper.for_page(page_path)
        for link in page.links:
            target = resolve(page_path, _from_root(link.value, site.not_found_root) if page_path == NOT_FOUND else link.value)
            ref = queue.take(link, target) if talk is not None and link.slide is not None else None
            if talk is not None and link.tag == "link" and talk.stylesheets:  # the talk's `css:`, at its line
                ref = next((r for r in talk.references if r.kind == "stylesheet" and target is not None
                            and r.target == target.path), ref)
            no_alt = link.tag == "img" and link.attr == "src" and not (link.alt or "").strip()
            problem = _problem(site, lower, target, link, page_path) if target is not None else None
            if not no_alt and problem is None and not link.empty:
                continue  # the usual case: where it was written is only worked out for a finding
            if problem is not None and target is not None and _theme_file(target, link, talk):
                if target.path in site.reported:
                    problem = None  # reported once, at the line of the template that links it
                    if not no_alt:
                        continue
                elif problem[0] in ("broken-link", "missing-image", "missing-track"):
                    where, url = _where(site, page_path, link, talk, ref)
                    first = Diagnostic(Severity.ERROR, problem[0], problem[1], where, url=url, hint=problem[2])
                    theme_files.setdefault(target.path or "", (first, set()))[1].add(page_path)
                    problem = None  # one finding for all the pages that link it, below
                    if not no_alt:
                        continue
            where, url = _where(site, page_path, link, talk, ref)
            written = ref.alt if ref is not None and ref.kind == "image" else None
            if no_alt and ref is not None and written and written.strip():
                # Marp's keywords (`bg right:40%`, `w:200`) were all its alt text: described after them, as they
                # must stay. A background behind the text is decoration (alt="" is right).
                if not is_background(written) or side_of(written):
                    found.append(Diagnostic(Severity.WARNING, "missing-alt", "image has no alt text", where, url=url,
                                            hint=f"describe it after its keywords: ![{written} what it shows]({ref.url})"))
            elif no_alt:
                found.append(Diagnostic(Severity.WARNING, "missing-alt", "image has no alt text", where, url=url,
                                        hint="describe the image: ![what it shows](file.png)"))
            if link.empty:
                found.append(Diagnostic(Severity.WARNING, "empty-link", "link has no text: a screen reader can only "
                                        "read out its address, or nothing", where, url=url, hint=EMPTY_LINK_HINT))
            if problem is not None and target is not None:
                code, message, hint = problem
                if code == "broken-link" and url and _LOOKS_LIKE_HOST.match(url):
                    hint = f"for a web address write the scheme: https://{url}"
                draft = site.drafts.get(target.path or "")
                if code == "broken-link" and draft is not None:
                    message = f"'{url}' leads to the talk '{draft}', a draft (`draft: true`) left out of the site"
                    hint = "remove `draft: true` from that talk when it is ready, or remove this link"
                elif ref is not None and code in ("broken-link", "missing-image", "missing-track"):
                    # Say it as the author wrote it; the site path is what was looked for.
                    what = f"the {_track_kind(link)} track " if code == "missing-track" else ""
                    message = f"{what}'{url}' does not exist (looked for {target.path} in the site)"
                if code == "broken-link" and draft is None:
                    moved = moved_to(target.path or "", site.talks_by_page.values(), site.redirects)
                    hint = f"the talk is now {moved}: link to it there" if moved else hint
                found.append(Diagnostic(Severity.ERROR, code, message, where, url=url, hint=hint))
    for first, pages in theme_files.values():
        more = f" (linked from {len(pages)} pages; this is the first)" if len(pages) > 1 else ""
        found.append(Diagnostic(first.severity, first.code, first.message + more, first.location, url=first.url,
                                hint="a theme file: add it to the theme's static/ folder, or fix the name in its template"))
    return found


EMPTY_LINK_HINT = ("give it text: [what it leads to](url); for a linked image, its alt text: [![what it leads to](logo.png)](url); "
                   "for an icon link, aria-label=\"what it leads to\" (or title) on the <a>")


def _track_kind(link: HtmlLink) -> str:
    """What a <track> holds, by its kind (HTML's default is subtitles); alt is where the scan keeps the kind."""
    kind = (link.alt or "").strip().lower()
    return kind if kind in ("captions", "descriptions", "chapters", "metadata") else "subtitles"


def _theme_file(target: Target, link: HtmlLink, talk: Talk | None) -> bool:
    """A link the theme wrote (outside every slide) to its own static files, under _talkbuild/."""
    return (talk is None or link.slide is None) and (target.path or "").startswith(STATIC_PREFIX)


STATIC_PREFIX = "_talkbuild/"


_LOOKS_LIKE_HOST = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|dev|uk|de|fr|ac\.uk|co)(?:[/?#]|$)",
                              re.IGNORECASE)
"""A link written like `dropbox.com/x` (no https://): a relative path to the browser, a website to the author."""


def _problem(site: Site, lower: _Lower, target: Target, link: HtmlLink,
             page_path: str) -> tuple[str, str, str | None] | None:
    if target.path is None:
        return ("outside-site", "link climbs out of the site root", "a link must stay inside the site; "
                "link to a file under talks/ or use a full https:// URL")
    path = target.path
    exact = path in site.files or (path + "/index.html") in site.files
    in_source = lower.source.get(path.lower())
    if exact and (in_source is None or in_source == path or path in site.source_files):
        pass
    else:
        actual = in_source or lower.site.get(path.lower()) or lower.site.get((path + "/index.html").lower())
        if actual is not None and actual != path:
            return ("case-mismatch", f"'{path}' does not exist; the file is '{actual}' (case differs)",
                    "works on macOS/Windows but 404s on Linux and S3; write the name exactly as on disk")
        if link.tag == "track":  # captions, subtitles or descriptions: without them the video is not accessible
            return ("missing-track", f"the {_track_kind(link)} track '{path}' does not exist",
                    "check the path, or add the WebVTT file: without it the video has no " + _track_kind(link))
        if link.tag in IMAGE_TAGS or link.attr in PICTURE_ATTRS:
            return ("missing-image", f"image '{path}' does not exist", "check the path, or add the file")
        return ("broken-link", f"'{path}' does not exist in the site", "check the path, or add the file")
    if target.fragment in ALWAYS_VALID_FRAGMENTS:
        return None
    link_page = page_path
    path = site.redirects.get(path) or site.redirects.get(path + "/index.html") or path  # the fragment is kept
    page = site.pages.get(path) or site.pages.get(path + "/index.html")
    if page is None:
        return None  # a fragment into a PDF or an image (#page=3) is the viewer's business
    if target.fragment not in page.ids:
        is_address, problem = _deck_address(site, page, target.fragment)
        if is_address:
            return problem
        hint = _closest(target.fragment, page.ids)
        # Deck and handout carry the same ids: word the same-page case so both report as one.
        where = "this page" if page.path in (link_page, link_page + "/index.html") else f"'{page.path}'"
        return ("missing-fragment", f"'#{target.fragment}' is not an id in {where}", hint)
    return None


_SLIDE_ID = re.compile(r"^/?(.+?)(?:/\d+)?/?$")
"""`<slide-id>/2` (a step), and reveal.js's `/<slide-id>`, `/<slide-id>/2`, `/<slide-id>/`, as the deck reads them."""


Problem = tuple[str, str, str | None]


def _deck_address(site: Site, page: HtmlPage, fragment: str) -> tuple[bool, Problem | None]:
    """Whether `fragment` is one of a deck's own addresses (docs/themes.md: `#/7`, the 7th slide; `#/7/2` and
    `#<slide-id>/2`, its 2nd step; with `slide_addresses: revealjs`, `#/2/1` and `#/2/1/0` as reveal.js reads
    them; `#/`, the first slide), and if so what is wrong with it here (None: it leads to a slide)."""
    talk = site.talks_by_page.get(page.path)
    named = _SLIDE_ID.match(fragment)
    step = named if named and named.group(1) != fragment else None  # a plain `#id` is an ordinary fragment
    reveal = [s.reveal for s in talk.slides] if talk is not None else []
    address = read_address(fragment, reveal)
    if address is None and talk is not None and is_fragment_address(fragment):  # as the deck's, so said once
        return True, _unread_fragment(fragment, talk_pages(talk.slug)[1])
    if talk is None or page.path != talk_pages(talk.slug)[1]:
        if address is not None and talk is not None and address.index is None:
            return True, _no_such_slide(fragment, reveal, talk_pages(talk.slug)[1])  # as the deck's, so said once
        if address is not None or (step and step.group(1) in page.ids):
            ident = talk.slides[address.index].id if talk is not None and address and address.index is not None else ""
            return True, ("missing-fragment", f"'#{fragment}' is a deck address, and '{page.path}' is not a deck",
                          f"link the slide by its id (#{ident or '<slide-id>'}): that works in the deck and the handout")
        return False, None
    if address is not None:
        return True, None if address.index is not None else _no_such_slide(fragment, reveal, page.path)
    if step and step.group(1) in page.ids:
        return True, None
    return False, None


def _no_such_slide(fragment: str, reveal: Sequence[str], deck: str) -> Problem:
    hint = "count as reveal.js does, from 0, the title slide aside" if any(reveal) else "count from 1, the title slide"
    return ("missing-fragment", describe(fragment, reveal, deck), hint + "; or link the slide by its id")


def _unread_fragment(fragment: str, deck: str) -> Problem:
    """reveal.js 4's `#/h/v/f`, in the URL whenever a slide's fragments are shown: a deck of talkbuild's addresses."""
    return ("missing-fragment", f"'#{fragment}' is reveal.js's address of slide {fragment.strip('/').rsplit('/', 1)[0]} "
            f"with its fragments shown, which the deck '{deck}' does not read",
            "for links shared from a reveal-md deck, set slide_addresses: revealjs in the talk's front matter; "
            "or link the slide by its id")


def _closest(word: str, ids: Iterable[str]) -> str | None:
    ids = sorted(ids)
    alike = next((i for i in ids if unicodedata.normalize("NFKC", i) == unicodedata.normalize("NFKC", word)), None)
    if alike is not None:  # "did you mean 'übersicht'?" for '#übersicht' would leave the author puzzled
        return (f"did you mean '{alike}'? The two look alike but differ in Unicode normalization (such as 'ü' "
                "written as one character or as 'u' and a combining mark, as files saved on macOS may have it): "
                "type the link or the id again, or save the file in NFC")
    return did_you_mean(word, ids)


def _where(site: Site, page_path: str, link: HtmlLink, talk: Talk | None,
           ref: Reference | None) -> tuple[SourceLocation, str]:
    if ref is not None:
        return ref.location, _as_written(ref.url)
    if talk is not None and link.slide is not None:
        slide = next((s for s in talk.slides if s.id == link.slide), None)
        if slide is not None:
            return SourceLocation(talk.source.path, slide.line), link.value
    return SourceLocation(f"{site.out_label}/{page_path}", link.line), link.value


def _as_written(url: str) -> str:
    """markdown-it percent-encodes what it parses (figs/café.png -> figs/caf%C3%A9.png): give a URL with encoded
    non-ASCII letters back as the author wrote it, so the message can be searched for in the talk."""
    return unquote(url) if re.search(r"%[89A-Fa-f][0-9A-Fa-f]", url) else url


class _RefMapper:
    """Finds the Markdown reference an HTML link was rendered from: same slide, same destination, in order."""

    def __init__(self, talks_by_page: Mapping[str, Talk]) -> None:
        self.talks_by_page = talks_by_page
        self._index: dict[str, dict[tuple[str, str], list[Reference]]] = {}

    def for_page(self, page_path: str) -> _PageQueue:
        talk = self.talks_by_page.get(page_path)
        if talk is None:
            return _PageQueue({})
        key = talk.source.path
        if key not in self._index:
            self._index[key] = _index_refs(talk)
        return _PageQueue(self._index[key])


class _PageQueue:
    def __init__(self, index: Mapping[tuple[str, str], Sequence[Reference]]) -> None:
        self.index = index
        self.used: dict[tuple[str, str], int] = defaultdict(int)

    def take(self, link: HtmlLink, target: Target | None) -> Reference | None:
        assert link.slide is not None
        key = (link.slide, _link_key(link.value, target))
        refs = self.index.get(key, ())
        n = self.used[key]
        if n < len(refs):
            self.used[key] = n + 1
            return refs[n]
        return refs[-1] if refs else None


def _background_first(refs: list[Reference]) -> list[Reference]:
    """A Marp talk's background pictures are written ahead of the rest of their slide: so are their references."""
    return sorted(refs, key=lambda r: not (r.kind == "image" and r.alt is not None and is_background(r.alt)))


def _index_refs(talk: Talk) -> dict[tuple[str, str], list[Reference]]:
    slides: Sequence[Slide] = sorted(talk.slides, key=lambda s: s.line)
    index: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for ref in talk.references:
        line = ref.location.line or 0
        slide = None
        for s in slides:
            if s.line <= line:
                slide = s
            else:
                break
        if slide is None and slides:
            slide = slides[0]
        if slide is None:
            continue
        index[(slide.id, _ref_key(ref))].append(ref)
    if talk.meta.extra.get("marp") is True:
        index = defaultdict(list, {key: _background_first(refs) for key, refs in index.items()})
    return index


def _ref_key(ref: Reference) -> str:
    # The build writes a fragment in NFC (links.nfc_fragment); the reference keeps the URL as written.
    if ref.target is not None:
        return f"{ref.target}#{_nfc(unquote(ref.fragment))}"
    if ref.url.startswith("#"):
        return f"#{_nfc(unquote(ref.url[1:]))}"
    return ref.url.strip()


def _link_key(value: str, target: Target | None) -> str:
    value = value.strip()
    if value.startswith("#"):
        return f"#{_nfc(unquote(value[1:]))}"
    if target is not None and target.path is not None:
        return f"{target.path}#{_nfc(target.fragment)}"
    return value


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
