"""Resolve the URLs an author writes (relative to the Markdown file) to site-root-relative targets."""

from __future__ import annotations

import functools
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .models import talk_pages
from .sitepaths import STATIC_DIR, is_hidden, look_alike_key, site_path

ROOT = "@@tb-root@@/"
"""Placeholder for 'the site root, relative to this page'; each page replaces it with '../' * depth."""

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where an author's URL leads."""

    href: str
    """What to write into the HTML (with the ROOT placeholder for site-internal targets)."""
    target: str | None
    """Site-root-relative path of the target file; None for external or in-page URLs."""
    fragment: str
    asset: str | None
    """Talks-relative path of a local file to copy into the site."""
    problem: str | None = None
    """'outside' when the URL leaves the talks folder, 'hidden' when it names a file or folder whose name starts
    with a dot, 'generated-folder' for a file of the author's in talks/_talkbuild/, 'missing' when no such file
    exists, 'no-page' when it names a folder that exists but holds no index.html (nor a talk)."""
    via: str | None = None
    """For 'outside' through a symlink under talks/: 'its talks-relative path -> its target'."""

    talk_link: str | None = None
    """For 'outside': the folder symlink the talk itself is found through, whose path its links start from."""

    def outside_message(self, written: str) -> str:
        """What to say about a URL that leads out of talks/ (naming the symlink it goes through, if any)."""
        link = f" through the symlink talks/{self.via}" if self.via else ""
        if self.talk_link:
            link += (f" (the talk is found through the folder symlink talks/{self.talk_link}, and its links "
                     "start from there)")
        return f"'{written}' points outside the talks folder{link}"


@dataclass(frozen=True)
class SiteMap:
    """What the resolver knows about the project: where talks are and what files exist."""

    talks_dir: Path
    """Absolute, resolved talks folder."""
    slugs: dict[str, str]
    """Talks-relative Markdown path -> the talk's slug."""

    def resolve(self, url: str, from_rel: str) -> Resolved:
        """Resolve `url` written in the talk at talks-relative path `from_rel`."""
        url = url.strip()
        if url.startswith("#"):
            frag = nfc_fragment(url[1:])
            return Resolved("#" + frag, None, frag, None)
        if not url or url.startswith("//") or _SCHEME.match(url):
            return Resolved(url, None, "", None)
        parts = urlsplit(url)
        path = unquote(parts.path)
        fragment = nfc_fragment(parts.fragment)
        suffix = ("?" + parts.query if parts.query else "") + ("#" + fragment if fragment else "")
        if not path:
            return Resolved(url.split("#", 1)[0] + ("#" + fragment if fragment else ""), None, fragment, None)
        joined = site_path(from_rel, path)  # talks/ is the site's root: a Markdown path is joined as a page's
        if joined is None:
            base = "" if path.startswith("/") else posixpath.dirname(from_rel)
            return Resolved(url, None, fragment, None, problem="outside", talk_link=self._folder_link(base))
        if is_hidden(joined.split("/")):
            # .git/config, .env, .ssh: never published, as MkDocs leaves dot-files out (a talks_dir of `.` holds .git).
            return Resolved(url, None, fragment, None, problem="hidden")
        if joined.split("/", 1)[0] == STATIC_DIR and (self.talks_dir / joined).exists():
            # The theme's files go there: the author's file would be dropped for the theme's, or clash with it.
            return Resolved(url, None, fragment, None, problem="generated-folder")
        slug = self._talk_slug(joined)
        if slug is not None:
            # Explicit index.html: a folder URL opens a listing from file:// and 404s on S3's REST endpoint.
            target = f"{slug}/index.html"
            return Resolved(ROOT + url_path(target) + suffix, target, fragment, None)
        fs_path = self.talks_dir / joined
        page = self._generated_page(joined)
        if page is not None and not fs_path.exists():  # a deck or handout by its URL (its ids are check's)
            return Resolved(ROOT + url_path(page) + suffix, page, fragment, None)
        real = self._real(fs_path)
        if real is None:
            return Resolved(url, None, fragment, None, problem="outside", via=self._escaping_link(joined))
        if is_hidden(real.parts):  # `normal.png -> .secret.png`, `dirlink -> .hid`: named as the file is
            return Resolved(url, None, fragment, None, problem="hidden")
        if fs_path.is_dir():
            index = joined + "/index.html" if joined else "index.html"
            if (fs_path / "index.html").is_file() and self._inside(fs_path / "index.html"):
                return Resolved(ROOT + url_path(index) + suffix, index, fragment, index)
            return Resolved(ROOT + url_path(index) + suffix, index, fragment, None, problem="no-page")
        href = ROOT + url_path(joined) + suffix
        if not fs_path.is_file():
            return Resolved(href, joined, fragment, None, problem="missing")
        return Resolved(href, joined, fragment, joined)

    @functools.cached_property
    def pages(self) -> frozenset[str]:
        """Site paths of the pages the build generates: each talk's handout and deck, and the index."""
        return frozenset({"index.html"} | {page for slug in self.slugs.values() for page in talk_pages(slug)})

    def _generated_page(self, rel: str) -> str | None:
        """The generated page at `rel` (or in folder `rel`), written as the URL it is published at."""
        for candidate in (rel, posixpath.join(rel, "index.html") if rel else "index.html"):
            if candidate in self.pages:
                return candidate
        return None

    def _talk_slug(self, rel: str) -> str | None:
        found = self._slug_at(rel)
        if found is None and (rel.endswith((".md", ".markdown")) or "." not in posixpath.basename(rel)):
            # Through a folder link that is not followed (`talks/alias -> real`, a symlink-alias): the talk is
            # built once, at its real path; the link must lead there, not copy its Markdown into the site.
            real = self._real_rel(rel) if self._folder_link(posixpath.dirname(rel) or rel) else None
            found = self._slug_at(real) if real is not None and real != rel else None
        return found

    def _slug_at(self, rel: str) -> str | None:
        if rel in self.slugs:
            return self.slugs[rel]
        for name in ("index.md", "index.markdown"):
            candidate = posixpath.join(rel, name) if rel else name
            if candidate in self.slugs:
                return self.slugs[candidate]
        return None

    def _real_rel(self, rel: str) -> str | None:
        """`rel` with its symlinks followed, as a talks-relative path (None if it leads out of talks/)."""
        try:
            return (self.talks_dir / rel).resolve().relative_to(self.talks_dir.resolve()).as_posix()
        except (OSError, ValueError):
            return None

    def _folder_link(self, folder: str) -> str | None:
        """The first folder symlink on the talks-relative path `folder`, if any."""
        parts = folder.split("/") if folder else []
        return next(("/".join(parts[:n]) for n in range(1, len(parts) + 1)
                     if (self.talks_dir / "/".join(parts[:n])).is_symlink()), None)

    def _escaping_link(self, rel: str) -> str | None:
        """The first symlink on talks-relative path `rel` that leads out of talks/, as 'path -> target'."""
        path = self.talks_dir
        for n, part in enumerate(rel.split("/")):
            path = path / part
            if path.is_symlink() and not self._inside(path):
                return f"{'/'.join(rel.split('/')[:n + 1])} -> {os.readlink(path)}"
        return None

    def look_alike(self, rel: str) -> str | None:
        """The name of a file beside talks-relative `rel` (which does not exist) that differs from it only in case
        or in how its accents are encoded: a link that works on a Mac and breaks on the web server."""
        folder, name = posixpath.split(rel)
        key = look_alike_key(name)
        try:
            names = sorted(os.listdir(self.talks_dir / folder))
        except OSError:
            return None
        return next((n for n in names if n != name and look_alike_key(n) == key), None)

    def _real(self, path: Path) -> PurePosixPath | None:
        """Where `path` really is (symlinks followed), relative to the talks folder; None when that is outside it."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            return None
        return PurePosixPath(real.relative_to(self.talks_dir).as_posix()) if real.is_relative_to(self.talks_dir) else None

    def _inside(self, path: Path) -> bool:
        """True when the real file (symlinks followed) is inside the talks folder."""
        return self._real(path) is not None


def nfc_fragment(fragment: str) -> str:
    """A link's fragment in the Unicode form ids have (NFC), percent-encoded as it was written.

    A file saved on macOS may be decomposed (NFD: `ü` as `u` and a combining diaeresis), and markdown-it writes
    that as `u%CC%88`; ids are composed, and a browser compares a fragment with ids code point by code point,
    so `#u%CC%88bersicht` would never open `übersicht`, though both look alike.
    """
    decoded = unquote(fragment)
    if unicodedata.is_normalized("NFC", decoded):
        return fragment
    composed = unicodedata.normalize("NFC", decoded)
    return composed if decoded == fragment else quote(composed, safe="/?:@&=+$,!~*'();#")


@functools.lru_cache(maxsize=4096)  # the index asks again for every talk on every serve rebuild
def url_path(slug: str) -> str:
    """A talk's folder (or any site path) as written in an href: percent-encoded (`42%20answers`), `+` too.

    `+` may stand in a URL path, but S3 website endpoints (and some other servers) read it as a space, as in
    a query: `c++/` would be looked up as `c  /`. `%2B` means `+` to every server and browser.
    """
    return quote(slug, safe="/~!$&'()*,;=:@-._")


def relative_root(depth: int) -> str:
    """The prefix that leads from a page `depth` folders deep back to the site root."""
    return "../" * depth
