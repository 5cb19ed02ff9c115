"""Load and validate talkbuild.yml against a declared schema."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, ManyErrors, SourceLocation, TalkbuildError, did_you_mean

CONFIG_NAME = "talkbuild.yml"


@dataclass(frozen=True)
class CheckConfig:
    """The `check:` section."""

    external: bool = False
    """Check external links on every `talkbuild check` (same as --external)."""
    exclude: tuple[str, ...] = ()
    """Regular expressions; matching external URLs are not checked."""
    timeout: float = field(default=10.0, metadata={"min": 0.1})
    """Seconds per request."""
    retries: int = field(default=3, metadata={"min": 0})
    max_concurrency: int = field(default=16, metadata={"min": 1})
    per_host_concurrency: int = field(default=2, metadata={"min": 1})
    per_host_interval: float = field(default=0.2, metadata={"min": 0})
    """Minimum seconds between two requests to one host."""
    cache_max_age_days: float = field(default=7.0, metadata={"min": 0})
    """How long a successful external check is trusted (0 disables the cache)."""
    transient_is_error: bool = False
    """Treat 429/5xx/timeouts that survive the retries as errors, not warnings."""
    backoff: float = field(default=1.0, metadata={"min": 0})
    """Base delay in seconds of the exponential backoff between retries."""
    max_backoff: float = field(default=60.0, metadata={"min": 0})
    """Cap in seconds on one backoff delay and on a server's Retry-After."""
    max_redirects: int = field(default=10, metadata={"min": 0})
    """Longest redirect chain followed before the link is reported."""


@dataclass(frozen=True)
class PublishConfig:
    """The `publish:` section."""

    target: str = "file://_deploy"
    """Where releases go: file://DIR (relative to the project) or s3://bucket/prefix."""
    endpoint_url: str | None = None
    """For S3-compatible stores (MinIO, SeaweedFS, R2)."""
    region: str | None = None
    public_url: str | None = None
    """Where visitors see the live channel; printed after a publish."""
    jobs: int = field(default=16, metadata={"min": 1})
    """Parallel uploads."""
    unsealed_grace_hours: float = field(default=24.0, metadata={"min": 0})


@dataclass(frozen=True)
class Config:
    """A project's settings. Every key is optional."""

    title: str = "Talks"
    """The site's title, shown on the index."""
    description: str = ""
    theme: str = "default"
    lang: str = "en"
    talks_dir: str = "talks"
    out_dir: str = "_site"
    exclude: tuple[str, ...] = ()
    """Glob patterns (relative to talks_dir) of Markdown files that are not talks."""
    check: CheckConfig = field(default_factory=CheckConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    root: Path = field(default=Path("."), metadata={"internal": True})
    """The project folder (not a config key)."""
    source_text: str = field(default="", metadata={"internal": True})

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
        raise ConfigError("not valid UTF-8", SourceLocation(CONFIG_NAME, bad_line), hint="save the file as UTF-8") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", SourceLocation(CONFIG_NAME, line)) from None
    if data is None:
        return Config(root=root, source_text=text)
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping of keys to values", SourceLocation(CONFIG_NAME, 1))
    values = _from_mapping(Config, data, node, "")
    if "theme" in values:
        from .themes import theme_problem

        problem = theme_problem(values["theme"], root)
        if problem is not None:
            raise ConfigError(problem[0], SourceLocation(CONFIG_NAME, _line_of(node, "theme")), hint=problem[1], code="theme")
    return dataclasses.replace(Config(**values), root=root, source_text=text)


def _line_of(node: yaml.Node | None, key: str) -> int | None:
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if k.value == key:
                return int(k.start_mark.line) + 1
    return None


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return typing.cast(yaml.Node, v)
    return None


def _from_mapping(cls: type, data: dict[str, Any], node: yaml.Node | None, prefix: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    out: dict[str, Any] = {}
    errors: list[TalkbuildError] = []  # every problem of the file is reported in one run
    for key, value in data.items():
        where = SourceLocation(CONFIG_NAME, _line_of(node, str(key)))
        try:
            if key not in fields:
                raise ConfigError(f"unknown key '{prefix}{key}'", where, hint=did_you_mean(str(key), fields))
            out[key] = _coerce(hints[key], value, f"{prefix}{key}", where, _child(node, key))
            minimum = fields[key].metadata.get("min")
            if minimum is not None and isinstance(out[key], int | float) and out[key] < minimum:
                raise ConfigError(f"'{prefix}{key}' must be at least {minimum}, not {value!r}", where)
        except ManyErrors as exc:
            errors.extend(exc.errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return out


def _coerce(hint: Any, value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _coerce(inner, value, name, where, node)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"'{name}' must be a mapping", where)
        cls = typing.cast(type, hint)
        return cls(**_from_mapping(cls, value, node, name + "."))
    if origin is tuple:
        items = value if isinstance(value, list) else None
        if items is None or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"'{name}' must be a list of strings", where)
        return tuple(items)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"'{name}' must be true or false, not {value!r}", where)
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise ConfigError(f"'{name}' must be {getattr(hint, '__name__', hint)}, not {value!r}", where)
