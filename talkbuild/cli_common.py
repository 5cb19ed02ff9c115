"""What every command shares: the -C option, loading the project, printing diagnostics, user errors."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Config, load_config
from .errors import ContentError, Diagnostic, ManyErrors, TalkbuildError

F = TypeVar("F", bound=Callable[..., Any])


def project_option(f: F) -> F:
    return click.option("-C", "--directory", "directory", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True, help="Run as if started in this project folder.")(f)


def report(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    """Print diagnostics to stderr as `path:line: severity[code]: message (fix)`."""
    for d in sorted(diagnostics, key=lambda d: (d.location.path, d.location.line or 0)):
        click.echo(d.format(), err=True)


def user_errors(f: F) -> F:
    """Turn TalkbuildError into a message and an exit code; never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except KeyboardInterrupt:
            # Ctrl-C: not click's "Aborted!" and exit 1, which reads as "the talks have errors". The command
            # has unwound by now (a build removed its temporary tree; a publish never switched what is live).
            if kwargs.get("as_json"):  # publish --json: the stream a deploy script reads ends with why
                click.echo(json.dumps({"event": "Error", "message": "interrupted", "code": "interrupted"}))
            click.echo("talkbuild: interrupted", err=True)
            sys.exit(130)
        except ContentError as exc:
            if kwargs.get("as_json"):
                click.echo(json.dumps({"event": "Error", "message": exc.message, "code": exc.code}))
            report(exc.diagnostics)
            click.echo(f"talkbuild: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            # A file talkbuild had to read or write: say which and why, without a traceback.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"talkbuild: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except TalkbuildError as exc:
            if kwargs.get("as_json"):
                click.echo(json.dumps({"event": "Error", "message": str(exc), "code": exc.code}))
            for error in exc.errors if isinstance(exc, ManyErrors) else (exc,):
                click.echo(f"talkbuild: {error}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def load(directory: Path) -> Config:
    if not directory.is_dir():
        raise click.UsageError(f"no such folder: {directory}")
    return load_config(directory)
