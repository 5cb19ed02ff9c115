"""Incremental builds for `serve`: every rendered talk stays in memory; a save re-renders only what changed.

`build()` writes a whole site to disk; the dev server instead asks a `Builder` for a fresh, immutable `Site`
(site path -> bytes, or the source file of a copied asset) after each batch of changes. A changed talk is
re-rendered in-process together with the index; a theme or config change, an added or removed file under
talks/ (links may resolve differently) or a large batch goes through `render_talks` (build cache, workers).
A talk that fails keeps its last good pages, so one typo never blanks the preview; its error is reported.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildOptions, static_files
from .cache import AssetStamps, asset_stamps, assets_unchanged
from .config import Config, load_config, talks_folder
from .conflicts import UNREAD
from .discover import discover, tree_listing
from .errors import Diagnostic, Severity, TalkbuildError, distinct
from .links import SiteMap
from .models import Page, SourceFile, Talk
from .redirects import plan_redirects, reached
from .render import NOT_FOUND, render_index, render_not_found, static_dir
from .render_one import MemoEntries, environment, render_remembering, reset_environments
from .render_pool import PARALLEL_THRESHOLD
from .render_talks import cached_memo, render_talks
from .search_index import search_pages
from .sitemap_feed import machine_pages, over_reserved
from .sitepaths import STATIC_DIR
from .staticrefs import PREFIX, page_refs, used_files, version_of
from .themecheck import TemplateSource, template_sources, theme_problems
from .themes import Theme, find_theme
from .unlinked_documents import unlinked_documents

log = logging.getLogger(__name__)

CONFIG = "config"
THEME = "theme"
TALKS = "talks"
"""Kinds of change a caller reports; anything else is treated like THEME (rebuild everything)."""

EVERYTHING = frozenset({CONFIG, THEME, TALKS})

@dataclass(frozen=True)
class Site:
    """One complete, immutable build: everything the dev server answers requests from."""

    files: Mapping[str, bytes | Path]
    """Site path -> content; a Path is a copied asset, read from the talks folder when requested."""
    versions: Mapping[str, str]
    """Site path of each HTML page -> fingerprint of what it shows (its HTML, theme files, its assets)."""
    errors: tuple[Diagnostic, ...] = ()
    """Errors of the latest attempt; failing talks still show their last good pages."""
    warnings: tuple[Diagnostic, ...] = ()
    rendered: tuple[str, ...] = ()
    """Talks (talks-relative paths) rendered for this site, the rest came from memory or the cache."""
    full: bool = False
    """True when everything was reconsidered (start, theme, config, added or removed files)."""
    seconds: float = 0.0
    talk_pages: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Site path of each talk page -> (its talk's project-relative source, the theme it is shown in): which
    warnings concern the page (`serve` shows them in it)."""


@dataclass(frozen=True)
class _Rendered:
    """The last good render of one talk and what it was made from."""

    digest: str
    talk: Talk
    pages: tuple[Page, ...]
    page_digests: tuple[str, ...]
    stamps: AssetStamps
    refs: tuple[tuple[str, ...], ...]
    """For each page, the theme files (site paths under _talkbuild/) it links."""


@dataclass
class _State:
    config: Config
    theme: Theme
    static: dict[str, bytes]
    own_themes: dict[str, tuple[Theme, dict[str, bytes]]] = field(default_factory=dict)
    """Themes that single talks choose, with their static files, loaded when first needed."""
    listing: tuple[str, ...] = ()
    talks: dict[str, _Rendered] = field(default_factory=dict)
    failed: dict[str, tuple[str, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    """Talks-relative path -> (digest of the failing source, its error), so the same text is not retried."""
    memos: dict[str, MemoEntries] = field(default_factory=dict)
    """Talks-relative path -> the highlighted code and formulas of its last render, for the next one."""
    templates: dict[str, list[TemplateSource]] = field(default_factory=dict)
    """Theme name -> its templates' sources, read once per state (a theme file's change starts a new state)."""
    unlinked: tuple[object, list[Diagnostic]] = (None, [])
    """The last `unlinked-document` warnings and what they were found from (the folder listing, the talks'
    files): worked out again only when one of those changed, not on every save of a slide."""

    def template_sources(self, name: str, theme: Theme) -> list[TemplateSource]:
        if name not in self.templates:
            self.templates[name] = template_sources(environment(theme), theme)
        return self.templates[name]


class Builder:
    """Keeps the project's rendered talks in memory and produces a new `Site` per batch of changes."""

    def __init__(self, root: Path, *, drafts: bool = True) -> None:
        self.root = root.resolve()
        self.drafts = drafts
        self._state: _State | None = None
        self._config_error: Diagnostic | None = None

    @property
    def config(self) -> Config | None:
        return self._state.config if self._state else None

    def build(self, changes: frozenset[str] = EVERYTHING) -> Site:
        """Bring the site up to date with the files on disk; user errors end up in `Site.errors`, never raised."""
        start = time.perf_counter()
        full = self._state is None or self._config_error is not None or bool(changes - {TALKS})
        if full:
            try:
                self._state = self._load(self._state)
                self._config_error = None
            except TalkbuildError as exc:
                self._config_error = exc.diagnostic()
                if self._state is None:
                    return Site({}, {}, errors=(self._config_error,), full=True)
                # Keep serving with the last good config and theme until this is fixed.
                return self._site(self._state, [self._config_error], (), full, start)
        state = self._state
        assert state is not None
        # With the patterns' lines, as `build` does: an `exclude:` that matches nothing is a warning here too.
        sources, problems = discover(state.config.talks_path, state.config.root, state.config.exclude,
                                     state.config.exclude_lines)
        sources, clashes = over_reserved(sources, state.config)
        problems += clashes
        listing = tree_listing(state.config.talks_path)
        full = full or listing != state.listing
        state.listing = listing
        sitemap = SiteMap(state.config.talks_path.resolve(), {s.rel: s.slug for s in sources})
        digests = {s.rel: _digest(s.path) for s in sources}
        present = set(digests)
        for table in (state.talks, state.failed, state.memos):
            for rel in [r for r in table if r not in present]:
                del table[rel]
        todo = [s for s in sources if full or self._stale(state, s.rel, digests[s.rel])]
        if len(todo) >= PARALLEL_THRESHOLD:
            full = True
        if full:
            rendered = self._render_many(state, sources, todo, sitemap, digests)
        else:
            rendered = [s.rel for s in todo if self._render_one(state, s, sitemap, digests[s.rel])]
        problems += self._unlinked(state, sources)
        return self._site(state, problems, tuple(rendered), full, start, order=[s.rel for s in sources])

    def _unlinked(self, state: _State, sources: list[SourceFile]) -> list[Diagnostic]:
        """The documents under talks/ that no talk links, as `build` reports them."""
        talks = [state.talks[rel].talk for rel in sorted(state.talks)]
        key = (state.listing, tuple((t.slug, t.assets) for t in talks), tuple(s.rel for s in sources))
        if state.unlinked[0] != key:
            state.unlinked = (key, unlinked_documents(state.config, sources, talks))
        return list(state.unlinked[1])

    def _load(self, previous: _State | None) -> _State:
        config = load_config(self.root)
        talks_folder(config)  # a missing talks folder is shown, not served as an empty site
        theme = find_theme(config.theme, config.root)
        reset_environments()
        state = _State(config, theme, _theme_static(theme, static_dir(config.theme, config.theme)))
        if previous is not None and previous.config.talks_path == config.talks_path:
            state.talks = previous.talks  # last good pages stay visible if the re-render fails
            state.memos = previous.memos
        return state

    def _stale(self, state: _State, rel: str, digest: str) -> bool:
        failed = state.failed.get(rel)
        if failed is not None:
            return failed[0] != digest  # retry a failed talk once its text changes, even back to the last good one
        done = state.talks.get(rel)
        return (done is None or done.digest != digest
                or not assets_unchanged(done.stamps, state.config.talks_path, done.talk.assets))

    def _render_many(self, state: _State, sources: list[SourceFile], todo: list[SourceFile], sitemap: SiteMap,
                     digests: dict[str, str]) -> list[str]:
        """Render every talk through the build's cache and worker pool; failing ones are redone here for their error."""
        rendered, _diagnostics, _count = render_talks(state.config, state.theme, sources, BuildOptions(drafts=True),
                                                      only={s.rel for s in todo})
        by_slug = {s.slug: s for s in todo}
        done: set[str] = set()
        for talk, pages in rendered:
            if _front_matter_failed(talk):
                continue  # redone below, where it is recorded as failing
            source = by_slug[talk.slug]
            state.talks[source.rel] = _record(state.config, digests[source.rel], talk, pages)
            state.failed.pop(source.rel, None)
            state.memos.pop(source.rel, None)  # the build cache now holds this render's memo: start from that
            done.add(source.rel)
        for source in todo:
            if source.rel not in done:
                self._render_one(state, source, sitemap, digests[source.rel])
        return [s.rel for s in todo]

    def _render_one(self, state: _State, source: SourceFile, sitemap: SiteMap, digest: str) -> bool:
        """Parse and render one talk in this process; on error keep its last good pages."""
        previous = state.memos[source.rel] if source.rel in state.memos else cached_memo(state.config, source.rel)
        outcome, memo = render_remembering(source, state.config, sitemap, previous)
        if not isinstance(outcome, list) and _front_matter_failed(outcome[0]):
            outcome = list(outcome[0].diagnostics)
        failed = isinstance(outcome, list)
        # A failed render keeps the memo it filled (a template error comes after every block), or else the
        # previous one: the memo of a talk that keeps failing never grows beyond one render's worth.
        state.memos[source.rel] = previous if failed and not memo else memo
        if isinstance(outcome, list):
            state.failed[source.rel] = (digest, tuple(outcome))
            return False
        talk, pages = outcome
        state.talks[source.rel] = _record(state.config, digest, talk, pages)
        state.failed.pop(source.rel, None)
        return True

    def _own_theme(self, state: _State, name: str) -> tuple[Theme, dict[str, bytes]]:
        if name not in state.own_themes:
            theme = find_theme(name, state.config.root)
            state.own_themes[name] = (theme, _theme_static(theme, static_dir(name, state.config.theme)))
        return state.own_themes[name]

    def _site(self, state: _State, problems: list[Diagnostic], rendered: tuple[str, ...], full: bool, start: float,
              order: list[str] | None = None) -> Site:
        """Assemble pages, assets, the index and theme files into one immutable Site."""
        diagnostics = list(problems)
        files: dict[str, bytes | Path] = {}
        versions: dict[str, str] = {}
        talks: list[Talk] = []
        talk_pages: dict[str, tuple[str, str]] = {}
        uses: dict[str, tuple[str, tuple[str, ...]]] = {}  # page -> (digest of its HTML and assets, theme files it links)
        themes = {state.config.theme: state.theme}
        for rel in order if order is not None else sorted(state.talks):
            if rel in state.failed:
                diagnostics.extend(state.failed[rel][1])
            done = state.talks.get(rel)
            if done is None:
                continue
            diagnostics.extend(done.talk.diagnostics)
            if done.talk.meta.draft and not self.drafts:
                continue
            talks.append(done.talk)
            own = done.talk.meta.theme
            if own and own != state.config.theme:
                try:
                    themes[own], own_static = self._own_theme(state, own)
                except TalkbuildError as exc:
                    diagnostics.append(exc.diagnostic())
                else:
                    files.update(own_static)
            shown_in = own if own and own in themes else state.config.theme
            for page, page_digest, refs in zip(done.pages, done.page_digests, done.refs, strict=True):
                files[page.path] = page.content
                talk_pages[page.path] = (done.talk.source.path, shown_in)
                uses[page.path] = (page_digest + repr(done.stamps), refs)
            for asset in done.talk.assets:
                if asset in versions:
                    diagnostics.append(Diagnostic(Severity.ERROR, "slug-clash",
                                                  f"the file talks/{asset} would overwrite a generated page",
                                                  done.talk.source, hint="rename or move the file"))
                    continue
                files[asset] = state.config.talks_path / asset
        try:
            index = render_index(environment(state.theme), talks, state.config)
            files[index.path] = index.content
            # Not the search index, which index.js loads: an open index is not reloaded on every edit of a slide.
            uses[index.path] = (_hash_bytes(index.content), page_refs(index.path, index.content))
            files.update((page.path, page.content) for page in machine_pages(talks, state.config))
        except TalkbuildError as exc:
            diagnostics.append(exc.diagnostic())
        files.update(state.static)
        # After the theme's files, as build has it: generated, it wins over a theme file of its name.
        files.update((page.path, page.content) for page in search_pages(talks, STATIC_DIR))
        try:  # the dev server is always at the root of its host, whatever publish.public_url says
            files[NOT_FOUND] = render_not_found(environment(state.theme), state.config, "/").content
        except TalkbuildError as exc:
            diagnostics.append(exc.diagnostic())
        redirects = plan_redirects(talks, set(files), state.config.root, state.config.publish.site_url)
        files.update((page.path, page.content) for page in redirects.pages)
        diagnostics = reached(diagnostics, talks, redirects.targets) + list(redirects.diagnostics)
        versions = _versions(uses, files)
        diagnostics += theme_problems(state.config.theme, themes, talks, environment,
                                      linked=lambda: {ref for _, refs in uses.values() for ref in refs},
                                      sources_of=state.template_sources,
                                      grouped=state.config.index_group)
        diagnostics = distinct(diagnostics)
        errors = tuple(d for d in diagnostics if d.is_error)
        warnings = tuple(d for d in diagnostics if not d.is_error)
        return Site(files, versions, errors, warnings, rendered, full, time.perf_counter() - start, talk_pages)


def _versions(uses: Mapping[str, tuple[str, tuple[str, ...]]], files: Mapping[str, bytes | Path]) -> dict[str, str]:
    """Each page's version: its own digest and those of the theme files it uses, and no others (a page reloads
    when its output changed, not when any theme file did)."""
    digests: dict[str, str] = {}
    static = {rel: content for rel, content in files.items() if isinstance(content, bytes) and rel.startswith(PREFIX)}

    def digest(rel: str) -> str:
        if rel not in digests:
            digests[rel] = _hash_bytes(static[rel]) if rel in static else ""
        return digests[rel]

    closures: dict[tuple[str, ...], str] = {}
    versions: dict[str, str] = {}
    for page, (own, refs) in uses.items():
        if refs not in closures:
            closures[refs] = version_of(used_files(refs, static), digest)
        versions[page] = _hash(own + closures[refs])
    return versions


def _front_matter_failed(talk: Talk) -> bool:
    """A talk rendered with its front matter in error: rendered only so that `check` reports the problems in
    its body too (under stand-ins for what failed). While the front matter is being typed, the preview keeps
    the last good pages, as for any other failure."""
    return any(d.is_error and d.code in UNREAD for d in talk.diagnostics)


def _record(config: Config, digest: str, talk: Talk, pages: tuple[Page, ...]) -> _Rendered:
    return _Rendered(digest, talk, pages, tuple(_hash_bytes(p.content) for p in pages),
                     asset_stamps(config.talks_path, talk.assets), tuple(page_refs(p.path, p.content) for p in pages))


def _theme_static(theme: Theme, folder: str) -> dict[str, bytes]:
    """A theme's CSS/JS under its site folder, read now (a snapshot never changes under a request)."""
    return {name: content if isinstance(content, bytes) else content.read_bytes()
            for name, content in static_files(theme, folder).items()}


def _digest(path: Path) -> str:
    try:
        return _hash_bytes(path.read_bytes())
    except OSError:
        return ""


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()

