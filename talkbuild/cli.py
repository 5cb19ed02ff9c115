"""The command line: parse options, call one function per command, map errors to exit codes."""

from __future__ import annotations

import codecs
import logging
import os
import subprocess
import sys
from pathlib import Path

import click

from . import __version__
from .cli_common import load, project_option, report, user_errors
from .errors import ContentError, Diagnostic, Severity, SourceLocation, TalkbuildError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="talkbuild")
@click.option("-v", "--verbose", is_flag=True, help="Show timings and debug output.")
def main(verbose: bool) -> None:
    """talkbuild: Markdown talks to slide decks and handouts, checked and published safely."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # Only talkbuild's own debug lines: markdown-it logs every rule it tries (and slows a build ~2x doing so),
    # botocore every request it signs.
    logging.getLogger("talkbuild").setLevel(logging.DEBUG if verbose else logging.WARNING)


@main.command()
@project_option
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default: _site).")
@click.option("--strict", is_flag=True, help="Fail (exit 1, nothing written) on warnings too.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Parallel workers (default: CPU count).")
@click.option("--drafts", is_flag=True, help="Include talks marked 'draft: true'.")
@click.option("--no-cache", is_flag=True, help="Render every talk, ignoring .talkbuild/cache.")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: also print every problem as a GitHub Actions annotation on stdout (CI).")
@user_errors
def build(directory: Path, out: Path | None, strict: bool, jobs: int | None, drafts: bool, no_cache: bool,
          fmt: str) -> None:
    """Build every talk into a deck, a handout and the site index."""
    from .build import BuildOptions
    from .build import build as run_build
    from .workers import stopping_on_sigterm

    try:
        config = load(directory)
        with stopping_on_sigterm():  # `timeout`, CI cancellation, `docker stop`: exit 143, _site/ untouched
            result = run_build(config, BuildOptions(out, strict, jobs, drafts, not no_cache))
    except TalkbuildError as exc:
        if fmt == "github":  # `make test` in CI: the problems that fail the build, on the pull request's diff
            from .check.report import format_github

            found = exc.diagnostics if isinstance(exc, ContentError) else tuple(exc.all_diagnostics())
            click.echo(format_github(found), nl=False)
        raise
    from .check_ignores import quiet_build_warnings

    shown, note = quiet_build_warnings(config.check.per_file_ignores, result.diagnostics)
    if fmt == "github" and shown:
        from .check.report import format_github

        click.echo(format_github(tuple(shown)), nl=False)
    report(shown)
    if note:
        click.echo(note, err=True)
    left_out = f" and left out {len(result.drafts)} draft(s) (--drafts builds them)" if result.drafts else ""
    click.echo(f"built {len(result.talks)} talk(s){left_out}, {result.files} files in {result.out_dir} "
               f"({result.rebuilt} rendered, {result.from_cache} from cache)", err=True)


@main.command()
@project_option
@click.argument("path")
@click.option("--title", help="The talk's title (default: from the file name).")
@click.option("--author", default="Your Name", show_default=True)
@user_errors
def new(directory: Path, path: str, title: str | None, author: str) -> None:
    """Start a new talk at talks/PATH.md (PATH/ for a folder with index.md)."""
    from .scaffold import new_talk

    config = load(directory)
    target = new_talk(config.talks_path, path, title=title, author=author)
    click.echo(f"created {target}")


# --- serve (talkbuild/serve/) -------------------------------------------------------------------------------

@main.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to other machines.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port; the next free one is used (and announced) when it is taken, 0 picks any.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (a tunnel, a proxy); '*' answers any.")
@user_errors
def serve(directory: Path, host: str, port: int, open_browser: bool, allowed_hosts: tuple[str, ...]) -> None:
    """Preview the site on http://HOST:PORT; pages reload by themselves when a talk or theme changes."""
    from .serve import serve as run_serve

    if not directory.is_dir():
        raise click.UsageError(f"no such folder: {directory}")
    # No load() here: a broken talkbuild.yml is shown in the browser and fixed while serving.
    run_serve(directory, host, port, open_browser=open_browser, allowed_hosts=allowed_hosts,
              report=lambda line: click.echo(line, err=True))


# --- check (talkbuild/check) -------------------------------------------------------------------------------------


@main.command()
@project_option
@click.option("--external/--no-external", default=None,
              help="Also check external links (default: the config's check.external).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--no-cache", is_flag=True,
              help="Request every external link again, ignoring cached successes (the cache is refreshed).")
@click.option("--show-ignored", is_flag=True,
              help="List the findings check.per_file_ignores leaves out (they are always counted).")
@user_errors
def check(directory: Path, external: bool | None, fmt: str, strict: bool, output: Path | None,
          no_cache: bool, show_ignored: bool) -> None:
    """Build in memory and check links, images, fragments and talk hygiene."""
    from .workers import stopping_on_sigterm

    # SIGTERM (`timeout`, a cancelled CI job) exits 143 and Ctrl-C 130 (user_errors), at once, even while
    # external links wait on a slow server; the link cache and the --output file are then left as they were.
    with stopping_on_sigterm():
        _check(directory, external, fmt, strict, output, no_cache, show_ignored)


def _check(directory: Path, external: bool | None, fmt: str, strict: bool, output: Path | None, no_cache: bool,
           show_ignored: bool = False) -> None:
    from .check import check_project
    from .check.progress import ProgressLine
    from .check.report import ignored_summary, render, summary
    from .check_ignores import Ignored

    def emit(diagnostics: tuple[Diagnostic, ...], ignored: tuple[Ignored, ...] = ()) -> None:
        if output is None:
            click.echo(render(diagnostics, fmt, colour=fmt == "text" and sys.stdout.isatty(), ignored=ignored,
                              show_ignored=show_ignored), nl=False)
            if ignored and fmt in ("json", "junit"):  # their reports have no summary line: said on stderr
                click.echo(ignored_summary(ignored, listed=show_ignored or fmt == "junit"), err=True)
        else:
            from .check.report import write_report

            write_report(output, render(diagnostics, fmt, ignored=ignored, show_ignored=show_ignored))
            click.echo(f"{summary(diagnostics, ignored, listed=True)}; report written to {output}", err=True)

    try:
        config = load(directory)
    except TalkbuildError as exc:
        if fmt != "text":  # CI reads the report (annotations, JUnit): a broken talkbuild.yml belongs in it too
            emit(tuple(exc.all_diagnostics()))
        raise
    with ProgressLine(enabled=sys.stderr.isatty()) as bar:
        result = check_project(config, external=external, progress=bar.update, refresh_links=no_cache)
    emit(result.diagnostics, result.ignored)
    sys.exit(1 if result.failed(strict) else 0)


# --- init (CI/CD scaffold: talkbuild/init.py, docs/ci.md) -----------------------------------------
@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Add the scaffold to a non-empty folder: only missing files are written, none overwritten.")
@click.option("--title", help="The site's title (default: from the folder name).")
@user_errors
def init(directory: Path, force: bool, title: str | None) -> None:
    """Start a talks repository in DIRECTORY: example talk, config, Makefile (make ci) and CI workflows."""
    from .init import init_project, next_steps

    result = init_project(directory, force=force, title=title)
    click.echo(next_steps(result, shown_path=str(directory)))
# --- end init -------------------------------------------------------------------------------------


# ---- pdf (theme area) ---------------------------------------------------------------------------


@main.command()
@project_option
@click.argument("path")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF (default: <slug>.pdf in the current folder).")
@click.option("--drafts", is_flag=True, help="Allow talks marked 'draft: true'.")
@click.option("--notes", is_flag=True,
              help="Notes pages: one portrait page per slide, the slide on top, its speaker notes below.")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
              help="The notes pages' paper (with --notes; default a4).")
@user_errors
def pdf(directory: Path, path: str, output: Path | None, drafts: bool, notes: bool, paper: str | None) -> None:
    """Build the site and print the deck of the talk PATH to PDF (headless Chromium, one page per slide)."""
    from .build import BuildOptions
    from .build import build as run_build
    from .pdf import export, find_talk

    if paper and not notes:
        raise click.UsageError("--paper is the notes pages' paper: add --notes (slides print on pages of their own shape)")

    config = load(directory)
    result = run_build(config, BuildOptions(drafts=drafts))
    talk = find_talk(result.talks, path, config)
    # This talk's warnings and its theme's, not the whole site's.
    theme = f"themes/{talk.meta.theme or config.theme}/"
    report([d for d in result.diagnostics if d.location.path == talk.source.path or d.location.path.startswith(theme)])
    target = output or Path(talk.slug.replace("/", "-") + ("-notes.pdf" if notes else ".pdf"))
    done = export(result.out_dir / talk.slug / "slides" / "index.html", target, expected_pages=len(talk.slides),
                  site=result.out_dir, public_url=config.publish.site_url,
                  notes=(paper or "a4").lower() if notes else None)
    for url in done.blocked:
        click.echo(f"talkbuild: warning: the deck asked for {url}; refused (PDFs are made from the built site's own files only)",
                   err=True)
    if done.untagged:
        click.echo("talkbuild: warning: this Playwright cannot tag a PDF (no structure or language for screen readers, "
                   "no bookmarks): pip install -U 'playwright>=1.42'", err=True)
    lines = {slide.id: slide.line for slide in talk.slides}
    report([Diagnostic(Severity.WARNING, "overfull-slide", f"slide '{slide_id}' does not fit its page even at half "
                       "its text size: the PDF cuts it off", SourceLocation(talk.source.path, lines.get(slide_id)),
                       hint="split it into two slides, or shorten it") for slide_id in done.overfull])
    click.echo(f"wrote {done.output} ({done.pages} pages)")


# --- publish, releases, rollback, verify, prune, routing (talkbuild/publish, docs/deploy.md) ---------
from .cli_publish import register as _register_publish  # noqa: E402

_register_publish(main)


# --- entry point: one encoding for file names and text in every locale (docs/build.md) ----------------------


def run() -> None:
    """The `talkbuild` command: `main` in Python's UTF-8 mode, re-started in it when the locale is not UTF-8.

    Under LC_ALL=C or a Latin-1 locale, Python decodes file names with the locale's encoding: `Déjà Vu.md`
    becomes mojibake (or surrogates) in every link and cache key, and the site would depend on the locale.
    """
    if _needs_utf8_mode():
        argv = [sys.executable, "-X", "utf8", *sys.orig_argv[1:]]
        if os.name == "posix":
            os.execv(sys.executable, argv)
        sys.exit(subprocess.call(argv))  # pragma: no cover - Windows has no exec that keeps the process
    main()


def _needs_utf8_mode() -> bool:
    import locale

    if sys.flags.utf8_mode or not sys.executable:
        return False
    encodings = (sys.getfilesystemencoding(), locale.getpreferredencoding(False))
    return any(codecs.lookup(name).name != "utf-8" for name in encodings)


if __name__ == "__main__":  # pragma: no cover
    run()
