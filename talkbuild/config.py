"""Load and validate talkbuild.yml against a declared schema."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import types
import typing
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import check_ignores, check_options, conflicts, yamltext
from .direction import DIRECTIONS, dir_of_lang
from .errors import ConfigError, ManyErrors, SourceLocation, TalkbuildError, did_you_mean
from .ratio import DEFAULT_RATIO, RATIO_HINT, Ratio, read_ratio
from .slide_addresses import SLIDE_ADDRESSES

CONFIG_NAME = "talkbuild.yml"


def _notes_separator(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> str | None:
    """`notes_separator`: the line start that begins speaker notes (`Note:`, `???`), or false."""
    from .notes_marker import SEPARATOR_HINT, read_separator

    try:
        return read_separator(value)
    except ValueError as exc:
        raise ConfigError(str(exc), where, hint=SEPARATOR_HINT) from None


def _ratio(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> Ratio:
    """`ratio`: the slides' shape, width:height (YAML 1.1 would read an unquoted 16:9 as the number 969)."""
    if value is None:  # `ratio:` or `ratio: ~`: no value, as in front matter
        return DEFAULT_RATIO
    try:
        return read_ratio(yamltext.as_written(node, value) if node is not None else value)
    except ValueError as exc:
        raise ConfigError(str(exc), where, hint=RATIO_HINT) from None


INDEX_ORDERS = ("newest", "oldest", "path", "title")
INDEX_GROUPS = ("none", "folder", "year", "month", "day")


def _one_of(choices: tuple[str, ...], default_hint: str) -> Callable[[Any, str, SourceLocation, yaml.Node | None], str]:
    """A parser for a setting that takes one word of `choices` (in any case)."""
    def parse(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> str:
        if isinstance(value, str) and value.strip().lower() in choices:
            return value.strip().lower()
        raise ConfigError(f"'{name}' must be one of {', '.join(choices)}, not {_shown(value)}", where,
                          hint=did_you_mean(str(value), choices) or default_hint)
    return parse


@dataclass(frozen=True)
class CheckConfig:
    """The `check:` section."""

    external: bool = False
    """Check external links on every `talkbuild check` (same as --external)."""
    exclude: tuple[str, ...] = field(default=(), metadata={"parse": check_options.regex_list})
    """Regular expressions; matching external URLs are not checked."""
    timeout: float = field(default=10.0, metadata={"min": 0.1, "unit": "seconds"})
    """Seconds per request."""
    retries: int = field(default=3, metadata={"min": 0})
    max_concurrency: int = field(default=16, metadata={"min": 1})
    per_host_concurrency: int = field(default=2, metadata={"min": 1})
    per_host_interval: float = field(default=0.2, metadata={"min": 0, "unit": "seconds"})
    """Minimum seconds between two requests to one host."""
    cache_max_age_days: float = field(default=7.0, metadata={"min": 0, "unit": "days"})
    """How long a successful external check is trusted (0 disables the cache)."""
    transient_is_error: bool = False
    """Treat 429/5xx/timeouts that survive the retries as errors, not warnings."""
    backoff: float = field(default=1.0, metadata={"min": 0, "unit": "seconds"})
    """Base delay in seconds of the exponential backoff between retries."""
    max_backoff: float = field(default=60.0, metadata={"min": 0, "unit": "seconds"})
    """Cap in seconds on one backoff delay; a longer Retry-After gives the host up for the run."""
    max_redirects: int = field(default=10, metadata={"min": 0})
    """Longest redirect chain followed before the link is reported."""
    max_host_failures: int = field(default=5, metadata={"min": 0})
    """Timeouts or failed connections in a row after which a host's other links are not requested (0: never)."""
    accept: tuple[tuple[int, int], ...] = field(default=(), metadata={"parse": check_options.status_ranges})
    """Status codes (first, last) that count as success besides 2xx, e.g. 403 for a site that blocks bots."""
    user_agent: str | None = field(default=None, metadata={"parse": check_options.one_line})
    """The User-Agent header sent (default: talkbuild's own)."""
    headers: tuple[check_options.HostHeaders, ...] = field(default=(), metadata={"parse": check_options.host_headers})
    """Extra headers per host; values may use ${VAR} from the environment."""
    per_file_ignores: tuple[check_ignores.IgnoreRule, ...] = field(
        default=(), metadata={"parse": check_ignores.per_file_ignores})
    """Codes not reported in the files a glob names (check_ignores.py); counted in the summary."""
    large_image_mb: float = field(default=5.0, metadata={"min": 0, "unit": "MB"})
    """A picture a page shows larger than this is a `large-file` warning (0: never)."""
    large_file_mb: float = field(default=100.0, metadata={"min": 0, "unit": "MB"})
    """The same for a video, a sound or a download a page links (0: never)."""


@dataclass(frozen=True)
class PublishConfig:
    """The `publish:` section."""

    target: str = "file://_deploy"
    """Where releases go: file://DIR (relative to the project) or s3://bucket/prefix."""
    endpoint_url: str | None = None
    """For S3-compatible stores (MinIO, SeaweedFS, R2)."""
    region: str | None = None
    public_url: str | None = None
    """Where visitors see the live channel: printed after a publish; pages' canonical links, sitemap.xml and
    feed.xml are made of it."""
    jobs: int = field(default=16, metadata={"min": 1})
    """Parallel uploads."""
    unsealed_grace_hours: float = field(default=24.0, metadata={"min": 0, "unit": "hours"})

    @property
    def site_url(self) -> str | None:
        """public_url as a URL (host in punycode, path percent-encoded) ending in one "/": page paths are
        appended to it."""
        return site_url(self.public_url) if self.public_url else None


@dataclass(frozen=True)
class Config:
    """A project's settings. Every key is optional."""

    title: str = "Talks"
    """The site's title, shown on the index."""
    description: str = ""
    theme: str = "default"
    lang: str = "en"
    dir: str | None = field(default=None, metadata={"parse": _one_of(DIRECTIONS, "rtl (right to left: Arabic, Hebrew), ltr or auto")})
    """The index's writing direction; unset: the one of `lang` (rtl for ar, he, fa, ...). Talks have their own."""
    talks_dir: str = "talks"
    out_dir: str = "_site"
    exclude: tuple[str, ...] = ()
    index_order: str = field(default="newest", metadata={"parse": _one_of(INDEX_ORDERS, "newest (the default) sorts by date")})
    """How the index lists the talks: newest first (by date), oldest first, by path (a course: week2 before
    week10), or by title."""
    index_group: str = field(default="none", metadata={"parse": _one_of(
        INDEX_GROUPS, "folder lists each folder's talks under its name; year, month or day under their dates")})
    """`folder`: the index lists each folder's talks under the folder's name (a course's weeks); `year`, `month`,
    `day`: under their dates' headings (a research group's years, a conference's days); `none`: one list."""
    notes_separator: str | None = field(default=None, metadata={"parse": _notes_separator})
    """A line starting with this begins a slide's speaker notes (`Note:` for reveal-md talks, `???` for remark
    ones); false for none. Unset: none, but such a line is a `notes-marker` warning."""
    """Patterns of Markdown files that are not talks, read as .gitignore lines (talkbuild/exclude.py)."""
    ratio: Ratio = field(default=DEFAULT_RATIO, metadata={"parse": _ratio})
    """Every deck's slide shape, width:height (16:9, 4:3, 16:10...); a talk's `ratio:` overrides it."""
    slide_addresses: str = field(default="talkbuild", metadata={"parse": _one_of(
        SLIDE_ADDRESSES, "revealjs reads a deck's #/2/1 as reveal.js does (links shared from a reveal-md deck)")})
    """How a deck reads `#/2` and `#/2/1`: talkbuild's slide number and step, or reveal.js's (horizontal,
    vertical) position from 0 (docs/themes.md); a talk's `slide_addresses:` overrides it."""
    slide_numbers: bool = False
    """Every deck shows each slide's number (the title slide's aside); a talk's `slide_numbers:` overrides it."""
    check: CheckConfig = field(default_factory=CheckConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    root: Path = field(default=Path("."), metadata={"internal": True})
    """The project folder (not a config key)."""
    source_text: str = field(default="", metadata={"internal": True})
    talks_dir_line: int | None = field(default=None, metadata={"internal": True})
    """The line of talkbuild.yml that sets talks_dir (None: not set there), for errors about that folder."""
    exclude_lines: tuple[int | None, ...] = field(default=(), metadata={"internal": True})
    """The line of talkbuild.yml of each `exclude` pattern, for the warning about one that matches nothing."""

    @property
    def direction(self) -> str:
        """The index's writing direction: `dir` as set, or the one `lang` is written in."""
        return self.dir or dir_of_lang(self.lang)

    @property
    def talks_path(self) -> Path:
        return self.root / self.talks_dir

    @property
    def out_path(self) -> Path:
        return self.root / self.out_dir


def load_config(root: Path) -> Config:
    """Read `<root>/talkbuild.yml` if it exists; all defaults otherwise."""
    root = root.resolve()
    path = root / CONFIG_NAME
    if not path.exists():
        return Config(root=root)
    data_bytes = path.read_bytes()
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data_bytes[: exc.start].count(b"\n") + 1
        raise ConfigError("not valid UTF-8", SourceLocation(CONFIG_NAME, bad_line), hint="save the file as UTF-8",
                          code="encoding") from None
    found = conflicts.conflicts(text.split("\n")) if conflicts.has_markers(text) else []
    if found:  # as YAML, git's markers are a syntax error that seems to be about quoting
        raise ConfigError(found[0].message(1, CONFIG_NAME), SourceLocation(CONFIG_NAME, found[0].start + 1),
                          hint=conflicts.HINT, code=conflicts.CODE)
    try:
        data, node, duplicates = yamltext.load(text)
    except yaml.YAMLError as exc:
        problem = yamltext.syntax_problem(exc, text)
        raise ConfigError(f"invalid YAML: {problem.message}", SourceLocation(CONFIG_NAME, problem.line),
                          hint=problem.hint) from None
    if data is None:
        return Config(root=root, source_text=text)
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping of keys to values", SourceLocation(CONFIG_NAME, 1))
    # A repeated key is an error here, as an unknown key is: the file is small and a leftover line misleads.
    errors: list[TalkbuildError] = [
        ConfigError(d.message(), SourceLocation(CONFIG_NAME, d.lines[1] + 1), hint="remove the one you do not mean",
                    code="duplicate-key") for d in duplicates]
    try:
        values = _from_mapping(Config, data, node, "")
    except ManyErrors as exc:
        errors.extend(exc.errors)
    except ConfigError as exc:
        errors.append(exc)
    else:
        errors.extend(_value_problems(values, node, root))
    if errors:
        errors.sort(key=lambda e: (e.location.line or 0) if e.location else 0)
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return dataclasses.replace(Config(**values), root=root, source_text=text, talks_dir_line=_line_of(node, "talks_dir"),
                               exclude_lines=_item_lines(_child(node, "exclude"), _line_of(node, "exclude")))


def _value_problems(values: dict[str, Any], node: yaml.Node | None, root: Path) -> list[ConfigError]:
    """Values of the right type that still cannot be used."""
    problems: list[ConfigError] = []
    if "theme" in values:
        from .themes import theme_problem

        problem = theme_problem(values["theme"], root)
        if problem is not None:
            problems.append(ConfigError(problem[0], SourceLocation(CONFIG_NAME, _line_of(node, "theme")),
                                        hint=problem[1], code="theme"))
    if "lang" in values:
        from .frontmatter import LANG_TAG, lang_hint

        if not LANG_TAG.fullmatch(values["lang"]):
            problems.append(ConfigError(f"'lang' must be a language tag, not {values['lang']!r}",
                                        SourceLocation(CONFIG_NAME, _line_of(node, "lang")), hint=lang_hint(values["lang"])))
    if "talks_dir" in values:
        # Lexically, not resolved: a talks/ that is a symlink to a shared folder is the author's choice.
        folder = os.path.normpath(root / values["talks_dir"])
        if not Path(folder).is_relative_to(root):
            problems.append(ConfigError(f"talks_dir {values['talks_dir']!r} is outside the project",
                                        SourceLocation(CONFIG_NAME, _line_of(node, "talks_dir")), code="talks-dir",
                                        hint="talks_dir is relative to talkbuild.yml and stays inside the project; "
                                             "move or link the talks into it"))
    publish = values.get("publish")
    for key, judge in (("endpoint_url", endpoint_url_problem), ("public_url", public_url_problem)):
        url = getattr(publish, key) if isinstance(publish, PublishConfig) else None
        problem = judge(url, f"publish.{key}") if url is not None else None
        if problem is not None:
            line = _line_of(_child(node, "publish"), key)
            problems.append(ConfigError(problem[0], SourceLocation(CONFIG_NAME, line), hint=problem[1],
                                        code=key.replace("_", "-")))
    return problems


@functools.lru_cache(maxsize=8)
def site_url(public_url: str) -> str:
    """`https://bücher.example/tälks` as sitemaps, feeds and canonical links want it (RFC 3986):
    `https://xn--bcher-kva.example/t%C3%A4lks/`. Escapes already written stay as they are."""
    parts = urllib.parse.urlsplit(public_url.strip())
    host = (parts.hostname or "").encode("idna").decode("ascii")
    host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    netloc = host + (f":{parts.port}" if parts.port is not None else "")
    path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=~")
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path.rstrip("/"), "", "")) + "/"


def public_url_problem(url: str, name: str) -> tuple[str, str] | None:
    """(message, hint) when `url` cannot be the address of the published site: pages carry it in their
    canonical links, and sitemap.xml and the feed are made of it, so it must be an absolute http(s) URL."""
    example = "https://talks.example.org/ (or https://example.org/talks/ for a site in a folder)"
    odd = next((c for c in url if c.isspace() or c == "\\" or ord(c) < 32), None)
    if not url.strip() or odd is not None:
        return f"{name} {url!r} is not a URL", f"write the address visitors open, e.g. {example}"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        return f"{name} {url!r} is not a valid URL ({exc})", f"write the address visitors open, e.g. {example}"
    if parts.scheme not in ("http", "https"):
        rest = url.split("://", 1)[1] if "://" in url else url
        return (f"{name} {url!r} is not an http:// or https:// URL",
                f"write https://{rest.lstrip('/')}" if rest.strip("/") else f"write e.g. {example}")
    if not parts.hostname:
        return f"{name} {url!r} has no host", f"write the address visitors open, e.g. {example}"
    if "@" in parts.netloc:  # it would be printed, and written into every page
        return f"{name} has a user name or password in it", "write only the address visitors open"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return f"{name} {url!r} has a query or fragment, which a site's address cannot have", f"write {base}"
    if any(c in parts.netloc for c in "\"<>{}|^`"):
        return f"{name} {url!r} has a host that cannot be one", f"write the address visitors open, e.g. {example}"
    try:
        site_url(url)
    except UnicodeError:
        return f"{name} {url!r} has a host that is not a valid domain name", f"write the address visitors open, e.g. {example}"
    return None


def endpoint_url_problem(url: str, name: str) -> tuple[str, str] | None:
    """(message, hint) when `url` cannot be an S3 endpoint: http:// or https://, a host, a valid port, and
    nothing after the path.

    botocore would raise `ValueError: Invalid endpoint` (a traceback) for `127.0.0.1:8333`, urllib
    `Invalid IPv6 URL` for `http://[::1`, and a port out of range or a query string turns into retries
    reported as an unreachable store, which looks like an outage.
    """
    example = "http://127.0.0.1:8333 (SeaweedFS, MinIO), or https://HOST for TLS"
    if not url.strip():
        return f"{name} is empty", f"write the store's address, e.g. {example}; leave it out for AWS itself"
    odd = next((c for c in url if c.isspace() or c == "\\" or ord(c) < 32), None)
    if odd is not None:  # botocore: `ValueError: Invalid endpoint` (a traceback)
        return f"{name} {url!r} has {'a space' if odd == ' ' else repr(odd)} in it", f"write the store's address, e.g. {example}"
    parts_at = url.split("://", 1)[-1].split("/", 1)[0]
    if "@" in parts_at:  # user:secret@host: botocore would echo it in its connection errors
        return (f"{name} has a user name or password in it, which an endpoint cannot carry",
                "write only scheme, host and port; credentials come from the AWS chain (AWS_ACCESS_KEY_ID...)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        hint = ("an IPv6 address goes in brackets with the port after them: http://[::1]:8333" if "[" in url
                else f"a port is a number from 1 to 65535, e.g. {example}")
        return f"{name} {url!r} is not a valid URL ({exc})", hint
    if parts.scheme not in ("http", "https"):
        rest = url.split("://", 1)[1] if "://" in url else url
        if not rest.strip("/"):
            return f"{name} {url!r} is not an http:// or https:// URL", f"write the store's address, e.g. {example}"
        return (f"{name} {url!r} is not an http:// or https:// URL",
                f"S3-compatible stores are reached over HTTP: write http://{rest.lstrip('/')}, or https:// for TLS")
    if not parts.hostname:
        return f"{name} {url!r} has no host", f"write the store's address, e.g. {example}"
    if port == 0:
        return f"{name} {url!r} has port 0", f"a port is a number from 1 to 65535, e.g. {example}"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return (f"{name} {url!r} has a query or fragment, which an endpoint cannot have",
                f"write only scheme, host, port (and path): {base}")
    return None


def talks_folder(config: Config) -> Path:
    """The project's talks folder; a ConfigError when it is missing or is a file, rather than an empty site.

    Checked when talks are read, not when the config is loaded: `talkbuild new` creates the folder, and the
    publishing commands work without one.
    """
    path = config.talks_path
    if path.is_dir():
        return path
    shown = config.talks_dir.rstrip("/")
    what = "is a file, not a folder" if path.exists() else "does not exist"
    if config.talks_dir_line is not None:
        hint = ("talks_dir names the folder that holds your talks" if path.exists()
                else did_you_mean(shown, _folders_near(config.root, shown)) or "create it, or correct talks_dir")
        raise ConfigError(f"talks_dir {shown!r} {what}", SourceLocation(CONFIG_NAME, config.talks_dir_line), hint=hint,
                          code="talks-dir")
    if path.exists():
        raise ConfigError(f"this {what}", SourceLocation(shown),
                          hint=f"talks go in a folder: {shown}/<name>.md or {shown}/<name>/index.md", code="talks-dir")
    raise ConfigError(f"there is no {shown}/ folder in {config.root}",
                      hint=f"run `talkbuild init` to start a project here, or create {shown}/ and put your talks in it"
                           + (f", or set talks_dir in {CONFIG_NAME}" if (config.root / CONFIG_NAME).exists() else ""),
                      code="talks-dir")


def _folders_near(root: Path, talks_dir: str) -> list[str]:
    """Folders beside where talks_dir points (project-relative), the candidates for a did-you-mean."""
    parent = (root / talks_dir).parent
    if not parent.is_dir() or not parent.is_relative_to(root):
        parent = root
    try:
        found = [p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    return [p.relative_to(root).as_posix() for p in found]


def _line_of(node: yaml.Node | None, key: str) -> int | None:
    lines = [int(k.start_mark.line) + 1 for name, k, _v in yamltext.entries(node) if name == key]
    return lines[-1] if lines else None  # of a repeated key, the last is used


def _item_lines(node: yaml.Node | None, fallback: int | None) -> tuple[int | None, ...]:
    """The line of each item of a list node (the key's line when the list is not a YAML sequence)."""
    if not isinstance(node, yaml.SequenceNode):
        return ()
    return tuple(int(item.start_mark.line) + 1 if item.start_mark else fallback for item in node.value)


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    values = [v for name, _k, v in yamltext.entries(node) if name == key]
    return values[-1] if values else None


def _reveal_md_hint(key: str) -> str | None:
    from .frontmatter import FOREIGN_KEYS

    return FOREIGN_KEYS.get(key)


def _key_paths(cls: type, prefix: str = "") -> list[str]:
    """Every key talkbuild.yml may have, dotted (`check.per_file_ignores`), sections included."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        out.append(prefix + f.name)
        inner = [a for a in (typing.get_args(hints[f.name]) or (hints[f.name],)) if dataclasses.is_dataclass(a)]
        for section in inner:
            out.extend(_key_paths(typing.cast(type, section), f"{prefix}{f.name}."))
    return out


def _elsewhere(prefix: str, key: str) -> str | None:
    """A key written in the wrong section (`publish: per_file_ignores:`) is found where it belongs."""
    found = [path for path in _key_paths(Config) if path.rsplit(".", 1)[-1] == key and path != prefix + key]
    if not found:
        return None
    places = " or ".join(f"'{path}'" for path in found)
    return f"did you mean {places}? '{key}' belongs " + " or ".join(
        f"under '{path.rsplit('.', 1)[0]}:'" if "." in path else "at the top level, not in a section" for path in found)


def _near_elsewhere(prefix: str, key: str) -> str | None:
    """A misspelt key of another section (`check: targte:` for publish.target)."""
    import difflib

    paths = {path.rsplit(".", 1)[-1]: path for path in reversed(_key_paths(Config))
             if not (path.startswith(prefix) if prefix else "." not in path)}
    close = difflib.get_close_matches(key, sorted(paths), n=1, cutoff=0.75)
    return f"did you mean '{paths[close[0]]}'?" if close else None


def _from_mapping(cls: type, data: dict[str, Any], node: yaml.Node | None, prefix: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    out: dict[str, Any] = {}
    errors: list[TalkbuildError] = []  # every problem of the file is reported in one run
    for key, value in data.items():
        where = SourceLocation(CONFIG_NAME, _line_of(node, str(key)))
        try:
            if key not in fields:
                raise ConfigError(f"unknown key '{prefix}{key}'", where,  # a reveal-md key gets what to do instead
                                  hint=(None if prefix else _reveal_md_hint(str(key))) or _elsewhere(prefix, str(key))
                                  or did_you_mean(str(key), fields) or _near_elsewhere(prefix, str(key)))
            unit = fields[key].metadata.get("unit")
            parse = fields[key].metadata.get("parse")  # a value that needs more than a type (check_options)
            out[key] = (parse(value, f"{prefix}{key}", where, _child(node, key)) if parse
                        else _coerce(hints[key], value, f"{prefix}{key}", where, _child(node, key), unit))
            minimum = fields[key].metadata.get("min")
            if minimum is not None and isinstance(out[key], int | float) and out[key] < minimum:
                raise ConfigError(f"'{prefix}{key}' must be at least {minimum}{f' ({unit})' if unit else ''}, not {value!r}",
                                  where)
        except ManyErrors as exc:
            errors.extend(exc.errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return out


def _coerce(hint: Any, value: Any, name: str, where: SourceLocation, node: yaml.Node | None,
            unit: str | None = None) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _coerce(inner, value, name, where, node, unit)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"'{name}' must be a section of keys, not {_shown(value)}", where,
                              hint=f"write the keys of '{name}' on the lines after it, indented")
        cls = typing.cast(type, hint)
        return cls(**_from_mapping(cls, value, node, name + "."))
    written = yamltext.as_written(node, value) if node is not None else value
    if origin is tuple:
        if not isinstance(written, list) or not all(isinstance(i, str) for i in written):
            raise ConfigError(f"'{name}' must be a list of text values, not {_shown(value)}", where,
                              hint="write it as [first, second], or one '- value' line per item")
        return tuple(written)
    if hint is bool:
        read = yamltext.as_bool(value)  # a quoted "true" too, as in front matter
        if read is None:
            raise ConfigError(f"'{name}' must be true or false, not {_shown(value)}", where)
        return read
    if hint in (int, float) and isinstance(node, yaml.ScalarNode) and node.style is None and _DECIMAL.fullmatch(node.value):
        value = int(node.value, 10) if node.value.lstrip("+-").isdigit() else float(node.value)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(written, str):
        return written  # as written: `title: No` is the text 'No', `lang: no` is Norwegian
    expected = {float: "a number", int: "a whole number", str: "text"}.get(hint, getattr(hint, "__name__", str(hint)))
    if unit:
        expected += f" ({unit})"
    raise ConfigError(f"'{name}' must be {expected}, not {_shown(value)}", where)


_DECIMAL = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?")
"""A number as people write it: YAML 1.1 reads an unquoted `010` as octal 8, but `timeout: 010` means 10."""


def _shown(value: Any) -> str:
    """A value as the author would recognise it in the file."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a section of keys"
    if isinstance(value, list):
        return "a list"
    return repr(value)
