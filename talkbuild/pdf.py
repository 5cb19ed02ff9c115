"""Deck -> PDF through headless Chromium (driven by Playwright): one page of the slides' shape per slide, every build
step shown; or, with notes, "notes pages": one portrait page per slide (A4 or US letter), the slide on its top half
and its speaker notes below, running on to another page when they are long (deck-print.js, deck.css)."""

from __future__ import annotations

import inspect
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import SourceLocation, TalkbuildError
from .models import Talk
from .write import write_atomic

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY_TIMEOUT_MS = 30_000
"""How long a deck may take to lay out (fonts, images) before the export fails instead of printing blanks."""

PAPERS = ("a4", "letter")
"""The notes pages' paper sizes (deck.css: @page tb-notes, tb-notes-letter)."""

INSTALL_HINT = ("install Playwright's Python package (pip install playwright) and a Chromium: "
                "your system's (e.g. apt-get install chromium) or Playwright's own (playwright install chromium)")


class MissingDependency(TalkbuildError):
    """Playwright or a Chromium is missing: the machine's setup, not the talks (exit 2, like a usage error)."""

    exit_code = 2


class NoSuchTalk(TalkbuildError):
    """PATH names no talk of the project: a usage error."""

    exit_code = 2


@dataclass(frozen=True)
class PdfResult:
    """What an export wrote."""

    output: Path
    pages: int
    blocked: tuple[str, ...]
    """Requests to the network the deck tried to make (refused: the PDF is built from local files only)."""
    overfull: tuple[str, ...] = ()
    """Ids of slides whose content does not fit their page even at the smallest size: cut off in the PDF."""
    untagged: bool = False
    """The installed Playwright cannot write a tagged PDF (no structure for screen readers, no bookmarks)."""


def find_talk(talks: tuple[Talk, ...] | list[Talk], path: str, config: Config) -> Talk:
    """The talk PATH names: its Markdown file (talks/intro.md), its slug (intro) or its built folder."""
    wanted = path.strip().rstrip("/")
    # As a shell completes it: talks/week01/lab (a folder talk), talks/week05/numerics (no .md)
    relative = wanted.removeprefix("./").removeprefix(config.talks_dir.strip("/") + "/")
    candidates = {wanted, wanted.removesuffix("/slides").removesuffix("/slides/index.html"),
                  relative.removesuffix(".md").removesuffix("/index")}
    as_path = (config.root / wanted).resolve() if not Path(wanted).is_absolute() else Path(wanted).resolve()
    for talk in talks:
        source = (config.root / talk.source.path).resolve()
        if talk.slug in candidates or source == as_path:
            return talk
        built = (config.out_path / talk.slug).resolve()
        if as_path in (built, built / "slides", built / "slides" / "index.html"):
            return talk
    known = ", ".join(sorted(t.slug for t in talks)) or "none"
    raise NoSuchTalk(f"no talk '{path}' in this project", SourceLocation(path),
                         hint=f"name a talk's Markdown file or its slug; talks: {known}", code="usage")


def _in_site(url: str, root: Path) -> bool:
    """True for a file: URL of a file in the built site: not `file:///home/me/.aws/credentials` in an iframe, which
    would be printed into the PDF."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    try:
        return Path(unquote(parts.path)).resolve().is_relative_to(root)
    except (OSError, RuntimeError, ValueError):
        return False


MISSING_HOOK = """(() => {
  const stage = document.getElementById("tb-stage");
  if (!stage) return 'element with id="tb-stage"';
  return stage.querySelector(":scope > section.slide") ? "" : '<section class="slide"> in its #tb-stage';
})()"""
"""What the deck lacks of what deck.js cannot work without ("" when nothing)."""


LINKS = """([site, public]) => {
  for (const a of document.querySelectorAll('a[href]')) {
    if (!a.href.startsWith(site)) continue;
    if (public) a.href = public + a.href.slice(site.length); else a.removeAttribute('href');
  }
}"""
"""A link into the site would be a file:// path on this machine in the PDF: the published address instead, or none."""


def export(deck: Path, output: Path, expected_pages: int | None = None, site: Path | None = None,
           public_url: str | None = None, notes: str | None = None) -> PdfResult:
    """Print the deck at `deck` (an index.html) to `output`; checks there is one page per slide (with `notes`, a
    paper of PAPERS: at least one, notes pages). Links into `site` lead to `public_url` (publish.public_url) in the
    PDF, or nowhere when there is none."""
    sync_api = _playwright()
    blocked: list[str] = []
    root = (site or deck.parent).resolve()
    with sync_api.sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})

            def only_local(route: Any) -> None:
                url = route.request.url
                if url.startswith(("data:", "blob:", "about:")) or (url.startswith("file:") and _in_site(url, root)):
                    route.continue_()
                else:
                    blocked.append(url)
                    route.abort()

            page.route("**/*", only_local)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(deck.resolve().as_uri() + _query(notes))
            missing = page.evaluate(MISSING_HOOK)
            if missing:
                # deck.js stops at once without it: waiting for the deck to get ready would be waiting in vain.
                raise TalkbuildError(f"the deck has no {missing}, so deck.js cannot show it",
                                     SourceLocation(str(deck)), hint="a theme's deck.html must keep the hooks in "
                                     "docs/themes.md, 'The deck's contract with deck.js'")
            try:
                page.wait_for_selector("html[data-tb-ready]", state="attached", timeout=READY_TIMEOUT_MS)
            except sync_api.TimeoutError:
                seen = f"; its script failed: {errors[0]}" if errors else ""
                raise TalkbuildError(f"the deck did not finish loading in {READY_TIMEOUT_MS // 1000} s{seen}",
                                     SourceLocation(str(deck)),
                                     hint="open it in a browser and look for errors in the console") from None
            if notes is not None and not page.evaluate(NOTES_LAYOUT):
                raise TalkbuildError("the deck did not lay its pages out with the notes (?print-notes)",
                                     SourceLocation(str(deck)), hint="a theme's deck.html must load deck-print.js "
                                     "(docs/themes.md, 'The deck's contract with deck.js')")
            if site is not None:
                page.evaluate(LINKS, [site.resolve().as_uri().rstrip("/") + "/",
                                      public_url.rstrip("/") + "/" if public_url else ""])
            page.evaluate(EXPOSE_SLIDES)
            page.emulate_media(media="print")
            options, untagged = pdf_options(page.pdf)
            data: bytes = page.pdf(prefer_css_page_size=True, print_background=True, **options)
            slides = int(page.evaluate("document.querySelectorAll('#tb-stage > section.slide').length"))
            overfull = tuple(str(i) for i in page.evaluate(OVERFULL))
        finally:
            browser.close()
    pages = count_pages(data)
    want = expected_pages if expected_pages is not None else slides
    if pages < want if notes is not None else pages != want:  # long notes run on to more pages
        raise TalkbuildError(f"the PDF has {pages} pages for {want} slides", SourceLocation(str(deck)),
                             hint="a theme's print CSS must start each slide's notes page on a new page" if notes
                             else "a theme's print CSS must give each slide exactly one page of the slides' shape")
    write_atomic(output, data)
    return PdfResult(output, pages, tuple(blocked), overfull, untagged)


EXPOSE_SLIDES = """document.querySelectorAll('#tb-stage > section.slide').forEach(s => {
  s.inert = false;
  s.removeAttribute('aria-hidden');
})"""
"""Every slide to the accessibility tree: on screen only the current one is there (deck-slides.js), and Chromium
tags a PDF from that tree, so the other slides would print as untagged artefacts, missing from the outline."""


def pdf_options(pdf: Any) -> tuple[dict[str, bool], bool]:
    """Page.pdf's options for a tagged PDF (structure tree, /Lang from <html lang>, bookmarks from the headings)
    and whether this Playwright is too old to take them (1.42 added them): then the PDF is untagged."""
    wanted = {"tagged": True, "outline": True}
    try:
        known = inspect.signature(pdf).parameters
    except (TypeError, ValueError):  # a callable without a signature: try the options
        return wanted, False
    if all(name in known for name in wanted):
        return wanted, False
    return {}, True


OVERFULL = """Array.from(document.querySelectorAll('#tb-stage > section.slide')).filter(s => {
  const body = s.querySelector('.tb-slide-body');
  const formula = Array.from(s.querySelectorAll('math[display="block"]')).some(m => m.scrollWidth > m.clientWidth + 1);
  return body && (body.scrollHeight > body.clientHeight + 1 || body.scrollWidth > body.clientWidth + 1 || formula);
}).map(s => s.id)"""
"""The slides still taller or wider than their page as printed (the deck has shrunk each as far as it goes)."""


NOTES_LAYOUT = "document.documentElement.classList.contains('tb-print-notes')"
"""Whether deck-print.js took ?print-notes (a theme's own deck.html may not load it)."""


def _query(notes: str | None) -> str:
    """The deck's address's query for a PDF of notes pages on `notes` paper ("" for the slides alone)."""
    if notes is None:
        return ""
    return "?print-notes" if notes == "a4" else f"?print-notes={notes}"


def count_pages(data: bytes) -> int:
    """Page objects in a PDF as Chromium writes it (uncompressed page dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def _playwright() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        raise MissingDependency("talkbuild pdf needs Playwright, which is not installed", hint=INSTALL_HINT,
                                code="missing-dependency") from None
    return sync_api


def _launch(p: Any) -> Any:
    """The system's Chromium if there is one (TALKBUILD_CHROMIUM overrides), else Playwright's own."""
    exe = os.environ.get("TALKBUILD_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    try:
        if exe:
            return p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        return p.chromium.launch(headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # Playwright raises its own Error for a missing or broken browser
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MissingDependency(f"cannot start headless Chromium ({exe or 'Playwright-managed'}): {first}",
                                hint=INSTALL_HINT + "; or point TALKBUILD_CHROMIUM at a Chrome/Chromium binary",
                                code="missing-dependency") from None


