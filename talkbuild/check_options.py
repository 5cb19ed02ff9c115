"""Values of `check:` in talkbuild.yml that need more than a type: regular expressions, status codes, headers.

Checked when the config is loaded, so a mistake is an error at its line on every run (`talkbuild check`
without --external too), not only when external links are checked. Kept out of talkbuild/check/ so that
loading the config does not import the checker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from . import yamltext
from .errors import ConfigError, ManyErrors, SourceLocation

CONFIG_NAME = "talkbuild.yml"


@dataclass(frozen=True, slots=True)
class HostHeaders:
    """Extra request headers for one host (`check.headers`)."""

    host: str
    """Lower-case host name, without a leading `*.`."""
    port: int | None
    """Only this port when given (`127.0.0.1:8080`), any port otherwise."""
    subdomains: bool
    """`*.example.org`: the host's subdomains (not the host itself)."""
    headers: tuple[tuple[str, str, int | None], ...]
    """(name, value as written with `${VAR}` not yet replaced, line in talkbuild.yml)."""
    line: int | None = None

    def matches(self, host: str, port: int | None) -> bool:
        host = host.lower().rstrip(".")
        if self.port is not None and port != self.port:
            return False
        return host.endswith("." + self.host) if self.subdomains else host == self.host


def regex_list(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> tuple[str, ...]:
    """A list of Python regular expressions, each compiled now so a bad one is reported at its line."""
    items = _text_items(value, name, where, node)
    errors = [_regex_error(name, pattern, line) for pattern, line in items]
    _raise([e for e in errors if e is not None])
    return tuple(pattern for pattern, _line in items)


def compile_regexes(patterns: Iterable[str], name: str = "check.exclude") -> list[re.Pattern[str]]:
    """Compiled patterns; a ConfigError for a bad one (normally caught when talkbuild.yml is loaded)."""
    errors = [_regex_error(name, pattern, None) for pattern in patterns]
    _raise([e for e in errors if e is not None])
    return [re.compile(pattern) for pattern in patterns]


def _regex_error(name: str, pattern: str, line: int | None) -> ConfigError | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return ConfigError(f"'{name}': {pattern!r} is not a valid regular expression: {exc.msg} "
                           f"(at character {(exc.pos or 0) + 1})", SourceLocation(CONFIG_NAME, line),
                           hint=_regex_hint(exc, pattern))
    if _repeats_a_repeat(pattern):
        return ConfigError(f"'{name}': {pattern!r} repeats a repetition, as (a+)+ does: Python's regular expressions "
                           "can take hours on a URL that almost matches", SourceLocation(CONFIG_NAME, line),
                           hint="repeat once: (a+)+ matches what a+ matches, and (x*)* what x* matches")
    return None


def _repeats_a_repeat(pattern: str) -> bool:
    """True for the form that makes a backtracking engine take exponential time, `(x+)+` or `(x*)*` (a group that
    is nothing but an unbounded repetition, itself repeated without bound): always equal to `x+` or `x*`.

    Read with the standard library's own regex parser (private, but the only reader of Python's regex syntax): a
    Python without it checks nothing here."""
    try:
        import re._constants as sre
        import re._parser as sre_parse
    except ImportError:  # pragma: no cover (present from 3.11, talkbuild's oldest Python, to 3.14)
        return False
    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT)

    def unbounded(item: tuple[Any, Any]) -> bool:
        return item[0] in repeats and item[1][1] == sre.MAXREPEAT

    def bare(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        while len(items) == 1 and items[0][0] is sre.SUBPATTERN:
            items = list(items[0][1][3])
        return items

    def walk(items: Any) -> bool:
        for op, av in items:
            if op in repeats:
                inner = bare(list(av[2]))
                if av[1] == sre.MAXREPEAT and len(inner) == 1 and unbounded(inner[0]):
                    return True
                if walk(av[2]):
                    return True
            elif op is sre.SUBPATTERN and walk(av[3]):
                return True
            elif op is sre.BRANCH and any(walk(branch) for branch in av[1]):
                return True
        return False

    try:
        return walk(sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 (a parser of another Python version: nothing is claimed)
        return False


def _regex_hint(exc: re.error, pattern: str) -> str:
    """A fix that fits the mistake: the usual one is a character meant literally that has a meaning in a regex."""
    at = (exc.pos or 0) + 1
    if exc.msg.startswith("missing ), unterminated subpattern"):
        return f"the '(' at character {at} is never closed: add the ')', or write \\( to match a parenthesis"
    if exc.msg.startswith("unbalanced parenthesis"):
        return f"the ')' at character {at} has no '(': write \\) to match a parenthesis"
    if exc.msg.startswith("unterminated character set"):
        return f"the '[' at character {at} is never closed: add the ']', or write \\[ to match a bracket"
    if exc.msg.startswith(("nothing to repeat", "multiple repeat")):
        char = pattern[exc.pos] if exc.pos is not None and exc.pos < len(pattern) else "*"
        return f"'{char}' repeats what comes before it: write \\{char} to match the character itself"
    if exc.msg.startswith("bad escape"):
        return "that backslash sequence means nothing in a regular expression: write \\\\ for a backslash"
    return "check.exclude holds Python regular expressions: put \\ before . ? * + ( ) [ ] { } | ^ $ to match them as written"


def status_ranges(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> tuple[tuple[int, int], ...]:
    """Status codes and ranges (`403`, `"200..=299"`, `"200..300"`) as (first, last) pairs, both included."""
    if not isinstance(value, list):
        raise ConfigError(f"'{name}' must be a list of status codes, not {_shown(value)}", where,
                          hint="e.g. accept: [403, \"200..=299\"]")
    out: list[tuple[int, int]] = []
    errors: list[ConfigError] = []
    for item, item_node in zip(value, _item_nodes(node, len(value)), strict=True):
        line = _line(item_node) or where.line
        written = yamltext.as_written(item_node, item) if item_node is not None else item
        match = _STATUS.fullmatch(str(written).strip()) if isinstance(written, str | int) and not isinstance(
            written, bool) else None
        if match is None:
            # As written: `true` in YAML, not Python's True.
            shown = repr(written) if isinstance(written, str) else _shown(item)
            errors.append(ConfigError(f"'{name}': {shown} is not a status code or a range of them",
                                      SourceLocation(CONFIG_NAME, line), hint=_STATUS_HINT))
            continue
        first = int(match.group(1))
        last = first if match.group(3) is None else int(match.group(3)) - (0 if match.group(2) == "..=" else 1)
        if not (100 <= first <= last <= 999):
            errors.append(ConfigError(f"'{name}': {written!r} is not a range of status codes (100 to 999, "
                                      "first to last)", SourceLocation(CONFIG_NAME, line), hint=_STATUS_HINT))
            continue
        out.append((first, last))
    _raise(errors)
    return tuple(out)


_STATUS = re.compile(r"(\d{3})(?:\s*(\.\.=?)\s*(\d{3}))?")
_STATUS_HINT = ("write a code (403) or a range in quotes: \"200..=299\" includes 299, \"200..300\" stops "
                "before 300 (as in lychee)")


def one_line(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> str | None:
    """Text that goes into a request header as it is (`check.user_agent`): one line, or nothing."""
    written = yamltext.as_written(node, value) if node is not None else value
    if written is None:
        return None
    if not isinstance(written, str) or "\n" in written or "\r" in written:
        raise ConfigError(f"'{name}' must be one line of text, not {_shown(value)}", where)
    return written


def host_headers(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> tuple[HostHeaders, ...]:
    """`{host: {Header-Name: value}}`; a value may use ${VAR} for a secret kept in the environment."""
    if not isinstance(value, dict):
        raise ConfigError(f"'{name}' must be a section of hosts, not {_shown(value)}", where, hint=_HEADERS_HINT)
    nodes = {key: (knode, vnode) for key, knode, vnode in yamltext.entries(node)}
    out: list[HostHeaders] = []
    errors: list[ConfigError] = []
    for host, headers in value.items():
        knode, vnode = nodes.get(str(host), (None, None))
        at = SourceLocation(CONFIG_NAME, _line(knode) or where.line)
        match = _HOST.fullmatch(str(host).strip().lower())
        if match is None:
            errors.append(ConfigError(f"'{name}': {str(host)!r} is not a host name", at,
                                      hint="write the host as in its URLs: github.com, *.github.com (its subdomains) "
                                           "or 127.0.0.1:8080"))
            continue
        if not isinstance(headers, dict) or not headers:
            # Not shown as written: it may be a token put one level too high.
            what = "a section of keys" if isinstance(headers, dict) else "a list" if isinstance(headers, list) else (
                "an empty value" if headers is None else "a single value")
            errors.append(ConfigError(f"'{name}.{host}' must be a section of header names and values, not {what}", at,
                                      hint=_HEADERS_HINT))
            continue
        pairs: list[tuple[str, str, int | None]] = []
        header_nodes = {key: knode2 for key, knode2, _v in yamltext.entries(vnode)}
        for header, text in headers.items():
            hat = SourceLocation(CONFIG_NAME, _line(header_nodes.get(str(header))) or at.line)
            if not _TOKEN.fullmatch(str(header)):
                errors.append(ConfigError(f"'{name}.{host}': {str(header)!r} is not a header name", hint=_HEADERS_HINT,
                                          location=hat))
            elif not isinstance(text, str) or "\n" in text or "\r" in text:
                # The value is never shown: it may be a token.
                errors.append(ConfigError(f"'{name}.{host}.{header}' must be one line of text", hat,
                                          hint="quote it; keep secrets in the environment: \"Bearer ${GITHUB_TOKEN}\""))
            else:
                pairs.append((str(header), text, hat.line))
        out.append(HostHeaders(match.group(2), int(match.group(3)) if match.group(3) else None, bool(match.group(1)),
                               tuple(pairs), at.line))
    _raise(errors)
    return tuple(out)


_HOST = re.compile(r"(\*\.)?([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADERS_HINT = 'e.g. headers: {"github.com": {"Authorization": "Bearer ${TALKBUILD_GITHUB_TOKEN}"}}'
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
VARIABLE_PREFIX = "TALKBUILD_"
"""Whoever edits talkbuild.yml (a pull request) names both the host and the ${VAR}: were every variable read,
`${AWS_SECRET_ACCESS_KEY}` would go to a host of the author's choosing from a reviewer's machine or a CI job.
Only variables given to talkbuild on purpose are read."""


def expand(text: str, environ: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """`text` with each ${VAR} replaced from the environment, and the names of the variables that are not set."""
    env = os.environ if environ is None else environ
    missing = [m.group(1) for m in _VARIABLE.finditer(text) if m.group(1) not in env]
    return _VARIABLE.sub(lambda m: env.get(m.group(1), ""), text), missing


_LINE_END = re.compile(r"(?:\r\n|\n|\r)\Z")
_SENDABLE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
"""What a header value may hold (RFC 9110 field-value, as http.client encodes it: Latin-1): no control
characters, so no line break that would start a header of its own."""


def header_value(text: str, environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """The value to send for a check.headers entry written as `text`, or None and why it is not sent.

    The reason never holds the value (it is usually a token). One line break at the end is dropped: a secret
    pasted into a CI form or exported with `$(cat token)`/`echo` often carries one.
    """
    foreign = foreign_variables(text)
    if foreign:
        return None, f"${{{foreign[0]}}} is not read (only variables named {VARIABLE_PREFIX}... are)"
    value, missing = expand(text, environ)
    if missing:
        return None, f"${{{missing[0]}}} is not set"
    value = _LINE_END.sub("", value, count=1)
    if _SENDABLE.fullmatch(value):
        return value, None
    names = variable_names(text)
    source = f"its value (from {', '.join('${' + n + '}' for n in names)})" if names else "its value"
    if any(ord(c) < 32 or ord(c) == 127 for c in value if c != "\t"):
        return None, f"{source} holds a line break or another control character (the value is not shown)"
    return None, (f"{source} holds characters an HTTP header cannot carry (only Latin-1 text can be sent; "
                  "the value is not shown)")


def foreign_variables(text: str) -> list[str]:
    """The ${VAR}s `text` uses that are not read: their names do not start with VARIABLE_PREFIX."""
    return [name for name in variable_names(text) if not name.startswith(VARIABLE_PREFIX)]


def variable_names(text: str) -> list[str]:
    """The ${VAR}s `text` uses, each once, in order."""
    return list(dict.fromkeys(m.group(1) for m in _VARIABLE.finditer(text)))


def _text_items(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> list[tuple[str, int | None]]:
    written = yamltext.as_written(node, value) if node is not None else value
    if not isinstance(written, list) or not all(isinstance(i, str) for i in written):
        raise ConfigError(f"'{name}' must be a list of text values, not {_shown(value)}", where,
                          hint="write it as [first, second], or one '- value' line per item")
    return [(item, _line(n) or where.line) for item, n in zip(written, _item_nodes(node, len(written)), strict=True)]


def _item_nodes(node: yaml.Node | None, count: int) -> Iterator[yaml.Node | None]:
    items = node.value if isinstance(node, yaml.SequenceNode) and len(node.value) == count else [None] * count
    yield from items


def _line(node: yaml.Node | None) -> int | None:
    return int(node.start_mark.line) + 1 if node is not None else None


def _raise(errors: list[ConfigError]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a section of keys"
    if isinstance(value, list):
        return "a list"
    return "an empty value" if value is None else repr(value)
