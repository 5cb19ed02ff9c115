"""User-facing errors and diagnostics; every one carries a source location."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a user's file: a project-relative POSIX path and a 1-based line."""

    path: str
    line: int | None = None
    column: int | None = None
    """1-based, where it is known (links in Markdown); reports that can show it do, `__str__` does not."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the user's content, with where it is and how to fix it."""

    severity: Severity
    code: str
    message: str
    location: SourceLocation
    url: str | None = None
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class TalkbuildError(Exception):
    """An error the user caused and can fix: printed without a traceback."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        location: SourceLocation | None = None,
        *,
        hint: str | None = None,
        code: str = "error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.code = code

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            Severity.ERROR, self.code, self.message,
            self.location or SourceLocation("talkbuild"), hint=self.hint,
        )

    def all_diagnostics(self) -> list[Diagnostic]:
        """Every problem this error stands for (one, unless it gathers several)."""
        return [self.diagnostic()]

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(TalkbuildError):
    """talkbuild.yml is invalid, or an option makes no sense."""

    exit_code = 2

    def __init__(self, message: str, location: SourceLocation | None = None, *, hint: str | None = None,
                 code: str = "config") -> None:
        # A code of its own, not the generic "error": `serve` and check's machine formats show it.
        super().__init__(message, location, hint=hint, code=code)


class ManyErrors(TalkbuildError):
    """Several errors found in one file (e.g. its front matter), reported together."""

    def __init__(self, errors: Sequence[TalkbuildError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.location, hint=first.hint, code=first.code)
        self.errors = tuple(errors)
        self.exit_code = first.exit_code

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def all_diagnostics(self) -> list[Diagnostic]:
        return [d for e in self.errors for d in e.all_diagnostics()]


class ContentError(TalkbuildError):
    """One or more problems in the talks; all of them are in `diagnostics`."""

    def __init__(self, diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> None:
        errors = sum(1 for d in diagnostics if d.is_error)
        warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
        found = f"{errors} error(s)"
        if strict and warnings:  # what failed the build must be in the last line, not only "0 error(s)"
            found += f" and {warnings} warning(s) found, and --strict fails on warnings"
        else:
            found += " found"
        super().__init__(f"{found}; nothing was written", code="content")
        self.diagnostics = tuple(diagnostics)


def distinct(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each problem once, in order: an error in a theme's template, met by every talk, differs only in the
    hint naming the talk, and is shown once with the first one's."""
    first: dict[tuple[Severity, str, str, SourceLocation], Diagnostic] = {}
    for d in diagnostics:
        first.setdefault((d.severity, d.code, d.message, d.location), d)
    return list(first.values())


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest known word, as click and mkdocs do."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
