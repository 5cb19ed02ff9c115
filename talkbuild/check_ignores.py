"""`check.per_file_ignores`: findings a project accepts in some of its files (ruff's `per-file-ignores`).

```yaml
check:
  per_file_ignores:
    "talks/speaker-39/**": [broken-link, missing-image]
    "talks/archive/": all
```

A key is a glob on the path a finding is reported at (project-relative, as `check` prints it), read as
`exclude:` patterns are (talkbuild/exclude.py, whose automaton matches it); a value is a list of codes,
one code, or `all` / `"*"`. An ignored finding neither shows as a problem nor fails check or publish,
but is counted in the summary (and listed with --show-ignored), so nothing is left out silently.

Read when talkbuild.yml is loaded (errors at their line on every run), applied by `talkbuild check`. Kept
out of talkbuild/check/ so that loading the config does not import the checker. Only plain values are
stored in the config: the compiled globs hold functions, and the config goes to worker processes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from . import yamltext
from .errors import ConfigError, Diagnostic, ManyErrors, Severity, SourceLocation, did_you_mean

CONFIG_NAME = "talkbuild.yml"
NAME = "check.per_file_ignores"
EVERY_CODE = ("all", "*")

KNOWN_CODES = frozenset({
    # check's own findings
    "broken-link", "missing-image", "missing-track", "case-mismatch", "missing-fragment", "outside-site",
    "missing-alt", "empty-link", "empty-slide", "heading-skip", "no-author", "no-date", "lang-mismatch",
    "external-not-found", "external-client-error", "external-dns", "external-redirect", "external-invalid",
    "external-forbidden", "external-tls", "external-rate-limited", "external-server-error", "external-timeout",
    "external-connection", "external-moved", "external-header",
    # the build's
    "hidden-file", "outside-talks", "front-matter", "encoding", "binary-file", "empty-file", "math", "slug-clash",
    "case-clash", "bad-name", "broken-symlink", "symlink-loop", "symlink-alias", "exclude-unused", "duplicate-title",
    "template", "missing-static", "theme-hook", "id-clash", "config", "theme", "duplicate-key", "unknown-key",
    "unknown-size", "date-format", "merge-conflict", "unclosed-fence", "duplicate-id", "reserved-id",
    "unparsed-link", "markdown-in-html", "notes-marker", "span-attribute", "unclosed-div", "raw-html", "no-talks",
    "autoplay-no-controls", "marp-syntax", "missing-title", "front-matter-shape", "fragment-index", "code-lines",
    "slide-attribute", "reveal-section", "image-attribute", "vertical-slide", "alias", "large-file",
    "unlinked-document", "element-attribute",
})
"""Every code `talkbuild check` reports (docs/check.md lists them; a test keeps the two in step)."""

SITE_SAFETY: dict[str, str] = {
    "hidden-file": "a file or folder whose name starts with a dot (.env, .git/config) is never published; "
                   "a link to one must be seen by whoever reviews the talk",
    "outside-site": "a link that climbs out of the site leads, on a site published in a folder, to whatever else "
                    "the host serves there",
    "outside-talks": "a link or a symlink that leaves the talks folder would publish a file from elsewhere in the "
                     "repository (or the machine)",
    "slug-clash": "two files would be published at one address, and one replaces the other: another talk's "
                  "page, or the theme's own files (its script and stylesheet) under talks/_talkbuild/",
    "bad-name": "a name with ?, # or % cuts its address short, so it can lead to another talk's page",
}
"""Codes that guard what the published site holds and where."""

BUILD_ERRORS = ("front-matter", "encoding", "binary-file", "empty-file", "math", "template", "merge-conflict",
                "broken-symlink", "alias", "config")
"""The build's other errors: `talkbuild build` refuses the site, so check keeps them too (it keeps any error the
build reports, whatever the patterns say; naming these makes writing one an error rather than a no-op)."""

NEVER_IGNORED: dict[str, str] = SITE_SAFETY | dict.fromkeys(BUILD_ERRORS, (
    "`talkbuild build` refuses a site with this error (nothing is written), so ignoring it in check would not "
    "let the site publish"))
"""Codes no pattern can ignore (`all` leaves them out), and why: writing one is a configuration error."""

IGNORE_CODES = frozenset({"ignore-unknown", "ignore-unused", "ignore-unneeded"})
"""This setting's own warnings: about talkbuild.yml, never ignored (a stale ignore would stay unseen)."""


@dataclass(frozen=True)
class IgnoreRule:
    """One `pattern: [codes]` entry of check.per_file_ignores, as plain values."""

    pattern: str
    codes: frozenset[str] | None
    """The codes ignored; None for every code that can be (`all`)."""
    line: int | None
    """The pattern's line in talkbuild.yml."""
    unknown: tuple[tuple[str, int | None, str | None], ...] = ()
    """Codes no check reports: (code, its line, a did-you-mean), reported as `ignore-unknown` warnings."""

    def covers(self, code: str) -> bool:
        return code not in NEVER_IGNORED and code not in IGNORE_CODES and (self.codes is None or code in self.codes)


@dataclass(frozen=True)
class Ignored:
    """A finding left out of the report, and the rule that left it out."""

    diagnostic: Diagnostic
    rule: IgnoreRule


def per_file_ignores(value: Any, name: str, where: SourceLocation, node: yaml.Node | None) -> tuple[IgnoreRule, ...]:
    """`{glob: [code, ...]}`, each glob and code checked now so a mistake is an error at its line."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError(f"'{name}' must be a section of path patterns, not {_shown(value)}", where, hint=_HINT)
    nodes = {key: (knode, vnode) for key, knode, vnode in yamltext.entries(node)}
    rules: list[IgnoreRule] = []
    errors: list[ConfigError] = []
    for pattern, codes in value.items():
        knode, vnode = nodes.get(str(pattern), (None, None))
        line = _line(knode) or where.line
        at = SourceLocation(CONFIG_NAME, line)
        text = str(pattern).strip()
        if not text or text.startswith("!") or text.startswith("#"):
            errors.append(ConfigError(f"'{name}': {str(pattern)!r} is not a path pattern", at, hint=(
                "a pattern names the files it ignores findings in; there is no '!': list what to ignore"
                if text.startswith("!") else _HINT)))
            continue
        written = yamltext.as_written(vnode, codes) if vnode is not None else codes
        items = [written] if isinstance(written, str) else written
        if not isinstance(items, list) or not items or not all(isinstance(c, str) for c in items):
            errors.append(ConfigError(f"'{name}.{pattern}' must be a list of codes, or all, not {_shown(codes)}", at,
                                      hint=_HINT))
            continue
        item_lines = ([_line(n) or line for n in vnode.value] if isinstance(vnode, yaml.SequenceNode)
                      and len(vnode.value) == len(items) else [_line(vnode) or line] * len(items))
        chosen: set[str] = set()
        every = False
        unknown: list[tuple[str, int | None, str | None]] = []
        for code, code_line in zip(items, item_lines, strict=True):
            code = code.strip()
            if code.lower() in EVERY_CODE:
                every = True
            elif code in NEVER_IGNORED:
                errors.append(ConfigError(f"'{name}': {code} cannot be ignored: {NEVER_IGNORED[code]}",
                                          SourceLocation(CONFIG_NAME, code_line),
                                          hint="fix it in the talk, or leave the talk out with exclude:"))
            elif code in KNOWN_CODES or code in IGNORE_CODES:
                chosen.add(code)
            else:
                unknown.append((code, code_line, did_you_mean(code, KNOWN_CODES)))
        rules.append(IgnoreRule(text, None if every else frozenset(chosen), line, tuple(unknown)))
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return tuple(rules)


_HINT = 'e.g. per_file_ignores: {"talks/speaker-39/**": [broken-link, missing-image]}'


def apply(rules: Sequence[IgnoreRule], diagnostics: Iterable[Diagnostic], protected: Callable[[Diagnostic], bool],
          files: Iterable[str], *, external: bool = True) -> tuple[list[Diagnostic], list[Ignored]]:
    """The findings still reported (with this setting's own warnings added) and the ones ignored.

    `protected` findings are never ignored (the build's errors: `talkbuild build` refuses them whatever check
    says). `files` are the project-relative paths a pattern may name; one that names none of them (nor any
    finding's file) is reported, as an `exclude:` pattern that matches nothing is. A pattern that matches
    files but left out none of the findings of some of its codes is reported too (`ignore-unneeded`), except
    for the external-* codes when `external` is False: external links were not checked, so they prove nothing.
    """
    globs = _globs(rules)
    kept: list[Diagnostic] = []
    ignored: list[Ignored] = []
    for d in diagnostics:
        by = next((rule for rule, glob in zip(rules, globs, strict=True)
                   if rule.covers(d.code) and glob.matches(d.location.path)), None)
        if by is None or protected(d):
            kept.append(d)
        else:
            ignored.append(Ignored(d, by))
    paths = set(files) | {d.location.path for d in kept} | {i.diagnostic.location.path for i in ignored}
    for rule, glob in zip(rules, globs, strict=True):
        for code, line, hint in rule.unknown:
            kept.append(Diagnostic(Severity.WARNING, "ignore-unknown", f"{NAME}: no check reports '{code}'",
                                   SourceLocation(CONFIG_NAME, line), hint=hint or "see the codes in docs/check.md"))
        if not any(glob.matches(path) for path in paths):
            near = near_miss(rule.pattern, paths)
            kept.append(Diagnostic(Severity.WARNING, "ignore-unused", f"{NAME}: {rule.pattern!r} matches no file",
                                   SourceLocation(CONFIG_NAME, rule.line),
                                   hint=(f"did you mean {near!r}? " if near else "")
                                   + "patterns are relative to the project, as check prints paths: "
                                     "talks/<folder>/**; fix it, or remove it"))
            continue
        unneeded = _unneeded(rule, {i.diagnostic.code for i in ignored if i.rule is rule}, external)
        if unneeded:
            what = ", ".join(unneeded)
            kept.append(Diagnostic(
                Severity.WARNING, "ignore-unneeded",
                f"{NAME}: {rule.pattern!r} ignored nothing" + ("" if rule.codes is None else f" of: {what}"),
                SourceLocation(CONFIG_NAME, rule.line),
                hint="its files no longer have these findings: remove " + (
                    "the entry" if rule.codes is None or len(unneeded) == len(rule.codes) else "these codes")))
    return kept, ignored


BUILD_TWINS = {"missing-file": ("broken-link", "missing-image", "missing-track")}
"""The build's codes that check reports under other names, more precisely."""


def quiet_build_warnings(rules: Sequence[IgnoreRule],
                         diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], str | None]:
    """The build's diagnostics to print (`talkbuild build`, serve's terminal), and a line saying how many warnings
    were left out because check.per_file_ignores accepts them in their file (None when none were): a
    60-speaker site's accepted missing pictures drowned its real problems. Errors are always printed: the build
    refuses them whatever check says."""
    if not rules:
        return list(diagnostics), None
    globs = _globs(rules)
    shown: list[Diagnostic] = []
    quiet = 0
    for d in diagnostics:
        codes = BUILD_TWINS.get(d.code, (d.code,))
        if not d.is_error and any(rule.covers(code) and glob.matches(d.location.path)
                                  for rule, glob in zip(rules, globs, strict=True) for code in codes):
            quiet += 1
        else:
            shown.append(d)
    note = (f"{quiet} warning(s) not shown: in files check.per_file_ignores accepts them "
            "(`talkbuild check --show-ignored` lists them)") if quiet else None
    return shown, note


def _globs(rules: Sequence[IgnoreRule]) -> list[Any]:
    """Each rule's pattern read as exclude.py reads a line (its automaton), without the fnmatch form kept there
    for old configs."""
    from .exclude import compile_rules

    return [dataclasses.replace(compile_rules((rule.pattern,))[0], legacy=None) for rule in rules]


def _unneeded(rule: IgnoreRule, used: set[str], external: bool) -> list[str]:
    """The rule's codes that left nothing out (`all` when it left out nothing at all), in a run that would have
    seen them: with external links unchecked, their codes (and `all`) are never called unneeded."""
    if rule.codes is None:
        return ["all"] if not used and external else []
    return sorted(c for c in rule.codes - used - IGNORE_CODES if external or not c.startswith("external-"))


def near_miss(pattern: str, paths: Iterable[str]) -> str | None:
    """The pattern as it was probably meant, when that form matches a file: forward slashes, the folder the
    files are in (talks/) put in front, the case of the real path."""
    from .exclude import compile_rules

    paths = sorted(paths)
    slashed = pattern.replace("\\", "/").strip()
    tops = sorted({p.split("/", 1)[0] for p in paths if "/" in p})
    for candidate in [slashed, *(f"{top}/{slashed.lstrip('/')}" for top in tops if not slashed.startswith(top + "/"))]:
        glob = dataclasses.replace(compile_rules((candidate,))[0], legacy=None)
        if candidate != pattern and any(glob.matches(p) for p in paths):
            return candidate
        folded = dataclasses.replace(compile_rules((candidate.lower(),))[0], legacy=None)
        real = next((p for p in paths if folded.matches(p.lower())), None)
        if real is not None:
            fixed = _case_of(candidate, real)
            glob = dataclasses.replace(compile_rules((fixed,))[0], legacy=None)
            if fixed != pattern and any(glob.matches(p) for p in paths):
                return fixed
    return None


def _case_of(pattern: str, path: str) -> str:
    """`pattern` with each literal folder or file name spelt as in `path`, up to the first `**`."""
    parts, real = pattern.split("/"), path.split("/")
    for n, (part, name) in enumerate(zip(parts, real, strict=False)):
        if part == "**":
            break
        if part.lower() == name.lower():
            parts[n] = name
    return "/".join(parts)


def _line(node: yaml.Node | None) -> int | None:
    return int(node.start_mark.line) + 1 if node is not None else None


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a section of keys"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return "an empty value" if value is None else repr(value)
