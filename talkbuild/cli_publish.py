"""CLI commands for publishing: publish, releases, history, rollback, verify, prune, routing. `register(group)` adds them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from .cli_common import F, load, project_option, user_errors
from .config import Config, endpoint_url_problem
from .errors import ConfigError, TalkbuildError


def _target_options(f: F) -> F:
    f = click.option("--endpoint-url", help="S3-compatible endpoint (MinIO, SeaweedFS, R2); default from config.")(f)
    f = click.option("--target", help="file://DIR or s3://BUCKET/PREFIX (default: publish.target, file://_deploy).")(f)
    return project_option(f)


def _json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per event on stdout.")(f)


class _Progress:
    """Renders events: a progress line on a TTY, JSON lines with --json, then a one-line summary."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.tty = sys.stderr.isatty() and not as_json
        self.sent = 0

    def show(self, events: Iterable[Any]) -> Any:
        from .publish import events as ev

        last = None
        for event in events:
            last = event
            if self.as_json:
                click.echo(json.dumps(event.to_dict()))
                continue
            if isinstance(event, ev.FileDone | ev.Checked):
                self.sent += getattr(event, "bytes_sent", 0)
                if self.tty:
                    width = 30
                    filled = width * event.done // max(event.total, 1)
                    extra = f", {_size(self.sent)} sent" if isinstance(event, ev.FileDone) else ""
                    click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {event.done}/{event.total} files{extra}",
                               err=True, nl=False)
                    if event.done == event.total:
                        click.echo("", err=True)
            elif isinstance(event, ev.RaceLost):
                click.echo(f"the '{event.channel}' pointer moved to {event.theirs} (seq {event.seq}): {event.decision}",
                           err=True)
            elif isinstance(event, ev.Pruned):
                click.echo(f"{'would prune' if event.dry_run else 'pruned'} {event.release_id} "
                           f"({'sealed' if event.sealed else 'unsealed'}, {event.files} files"
                           f"{', finishing what a stopped prune left' if event.resumed else ''})")
            elif isinstance(event, ev.Done):
                release = _release_line(event)
                if release:
                    click.echo(release)
                click.echo(_summary(event))
        return last


def _summary(done: Any) -> str:
    counts = ""
    if done.uploaded or done.copied or done.bytes_sent:
        counts = f" ({done.uploaded} uploaded, {done.copied} copied, {_size(done.bytes_sent)} sent)"
    if not done.channel:  # about the whole target (prune, releases)
        return f"{done.message} ({done.url})"
    if not done.release_id:  # nothing was there (channel rm of a missing channel)
        return f"{done.channel}: {done.message} ({done.url})"
    label = " (immutable: this release only, never a later publish)" if done.immutable else ""
    return f"{done.channel}: {done.release_id} {done.message}{counts} -> {done.url}{label}"


def _release_line(done: Any) -> str | None:
    """With publish.public_url, the release's own address, on the line before the summary: the summary stays
    the last line (`make deploy` copies it into the job summary) and names the stable address."""
    if not getattr(done, "release_url", None) or done.release_url == done.url:
        return None
    return f"release {done.release_id}: {done.release_url} (immutable: this release only, never a later publish)"


def _hint_public_url(config: Config, done: Any, channel: str) -> None:
    """After a live switch shown by its immutable release URL, say how to get the stable address printed."""
    if channel == "live" and getattr(done, "immutable", False) and not config.publish.public_url:
        click.echo("hint: that URL never changes; set publish.public_url in talkbuild.yml to the address visitors "
                   "use to print it here (docs/deploy.md, \"Routing stable URLs to the live release\")", err=True)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _target(config: Config, target: str | None, endpoint_url: str | None, jobs: int | None = None) -> Any:
    from .publish import Target

    url = target or config.publish.target
    _refuse_project_folders(config, url)
    if endpoint_url is not None:  # publish.endpoint_url was checked, with its line, when the config was read
        problem = endpoint_url_problem(endpoint_url, "--endpoint-url")
        if problem is not None:
            raise ConfigError(problem[0], hint=problem[1])
    elif config.publish.endpoint_url is None and url.startswith("s3://"):
        _check_env_endpoint()
    return Target(url, config.root, endpoint_url or config.publish.endpoint_url,
                  config.publish.region, jobs or config.publish.jobs)


def _check_env_endpoint() -> None:
    """boto3 reads these when no endpoint is given; a bad one is a usage error here, not a botocore traceback."""
    import os

    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        value = os.environ.get(name)
        if value is None:
            continue
        problem = endpoint_url_problem(value, f"{name} (environment)")
        if problem is not None:
            raise ConfigError(problem[0], hint=problem[1] + f"; or unset {name}")
        return  # the S3-specific one wins over the general one, as in botocore


def _public_url(config: Config, target: str | None, channel: str) -> str | None:
    """publish.public_url is where visitors see the live channel of publish.target, and nothing else.

    A --target naming another place (`make ci`'s local _deploy, a staging bucket) is not what that URL
    serves, so its own address is shown instead.
    """
    if channel != "live" or not config.publish.public_url:
        return None
    if target is not None and target.rstrip("/") != config.publish.target.rstrip("/"):
        return None
    return config.publish.public_url


def _refuse_project_folders(config: Config, url: str) -> None:
    """A folder target inside the talks, the built site or the project's settings would be destroyed by the
    next build (or would publish itself): refused, as `build --out` refuses them."""
    from .publish.stores import folder_of

    folder = folder_of(url, config.root)
    if folder is None:
        return
    folder = folder.resolve()
    root = config.root.resolve()
    guarded = [config.talks_path.resolve(), config.out_path.resolve(),
               *(root / name for name in (".git", "themes", ".talkbuild", ".github"))]
    if folder == root or any(folder == g or folder.is_relative_to(g) for g in guarded):
        raise ConfigError(f"refusing to publish into {folder}: it is the project, its talks, its built site or its "
                          "settings, which a build replaces", hint="publish to a folder of its own, e.g. file://_deploy")


def _gate(config: Config, manifest: Any, *, run_check: bool) -> None:
    """Refuse to publish unless the talks build to exactly _site/ (and, with run_check, pass the check)."""
    from .publish.gate import check_before_publish

    gate = check_before_publish(config, manifest, run_check=run_check)
    for line in gate.errors:
        click.echo(line, err=True)
    if gate.ignored:  # accepted in talkbuild.yml, and still said: `talkbuild check --show-ignored` lists them
        click.echo(f"check: {gate.ignored}", err=True)
    if gate.errors and gate.checked:
        raise TalkbuildError(f"the site fails `talkbuild check` ({len(gate.errors)} error(s)); nothing was published",
                             hint="fix the errors above, rebuild and publish again (or, knowingly, pass --skip-check)")
    if gate.errors:
        raise TalkbuildError(f"the talks do not build ({len(gate.errors)} error(s)), so {config.out_dir}/ is not "
                             "what they build to now; nothing was published",
                             hint="fix the errors above, run `talkbuild build`, then publish again")
    if gate.stale:
        shown = ", ".join(gate.stale[:5]) + (f" and {len(gate.stale) - 5} more" if len(gate.stale) > 5 else "")
        raise TalkbuildError(f"{config.out_dir}/ is not what the talks build to now ({shown} differ); "
                             "nothing was published", hint="run `talkbuild build`, then publish again")


@click.command()
@_target_options
@click.option("--channel", default="live", show_default=True, help="The channel to switch (e.g. pr-42 for a preview).")
@click.option("--skip-check", is_flag=True,
              help="Publish without `talkbuild check` (loudly; not for CI). The talks must still build to _site/.")
@click.option("--prebuilt", is_flag=True,
              help="Publish _site/ as it is, built or changed elsewhere: no check, no rebuild to compare (loudly).")
@click.option("--commit", "commit", metavar="SHA",
              help="With --prebuilt: the commit that built _site/ (a CI artifact's); default: the one `talkbuild "
                   "build` recorded, if _site/ is still what it wrote, else none.")
@click.option("--unlock", is_flag=True, help="Publish to a channel a rollback locked (and lift the lock).")
@click.option("--allow-no-commit", is_flag=True,
              help="Let a build without a git commit replace a channel release that has one (it cannot be ordered).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Parallel uploads (default: publish.jobs, 16).")
@_json_option
@user_errors
def publish(directory: Path, target: str | None, endpoint_url: str | None, channel: str, skip_check: bool,
            prebuilt: bool, commit: str | None, unlock: bool, allow_no_commit: bool, jobs: int | None,
            as_json: bool) -> None:
    """Upload the built site as a new release and switch the channel to it in one step."""
    from .publish import publish_site

    config = load(directory)
    t = _target(config, target, endpoint_url, jobs)
    site = config.out_path
    if not site.is_dir():
        raise TalkbuildError(f"{config.out_dir}/: no built site to publish", hint="run `talkbuild build` first")
    if commit is not None and not prebuilt:
        raise click.UsageError("--commit goes with --prebuilt; without it, publish builds the talks of this "
                               "checkout and records its commit")
    if prebuilt:
        click.secho(f"WARNING: --prebuilt: publishing {config.out_dir}/ as it is, WITHOUT `talkbuild check` and "
                    "without comparing it with the talks.",
                    fg="red", bold=True, err=True)
    elif skip_check:
        click.secho("WARNING: --skip-check: publishing WITHOUT `talkbuild check`; broken links, missing assets "
                    "and invalid talks can go live.", fg="red", bold=True, err=True)
    from .publish.manifest import build_info, build_manifest

    info = build_info(config.root)
    if prebuilt:  # HEAD is not what built a site nobody rebuilt: name only a commit known to have built it
        from .publish.provenance import prebuilt_provenance

        provenance = prebuilt_provenance(config.root, site, info, commit)
        info = provenance.build
        click.secho(f"--prebuilt: {config.out_dir}/ is from {provenance.said}", err=True,
                    fg="red" if info.commit is None else None, bold=info.commit is None)
    # Hashed once: the gate proves these hashes are the checked build, and the upload ships them.
    manifest = build_manifest(site, info)
    if not prebuilt:
        _gate(config, manifest, run_check=not skip_check)
        _warn_uncommitted(config, site, info.commit)
    public_url = _public_url(config, target, channel)
    done = _Progress(as_json).show(publish_site(site, t.url, channel=channel, project_root=config.root,
                                                endpoint_url=t.endpoint_url, region=t.region, jobs=t.jobs,
                                                public_url=public_url, unlock=unlock, manifest=manifest,
                                                allow_no_commit=allow_no_commit))
    if not as_json:
        _hint_public_url(config, done, channel)


def _warn_uncommitted(config: Config, site: Path, commit: str | None) -> None:
    """The gate proved _site/ is what the working tree builds to; when that tree holds changes not in the commit
    the release records, say so: the release cannot be rebuilt from its commit (a laptop's publish, not CI's)."""
    from .build_record import uncommitted

    changed = uncommitted(config.root, site) if commit else ()
    if changed:
        click.secho(f"warning: the site holds changes not in commit {commit[:12] if commit else ''} ("
                    f"{', '.join(changed)}), which the release records as its commit; commit them first so the "
                    "release can be rebuilt from it", fg="yellow", err=True)


@click.command()
@_target_options
@_json_option
@user_errors
def releases(directory: Path, target: str | None, endpoint_url: str | None, as_json: bool) -> None:
    """List releases: id, time, commit, the channels pointing at each, sealed or not."""
    from dataclasses import asdict

    from .publish import releases as list_releases

    t = _target(load(directory), target, endpoint_url)
    infos = list_releases(t)
    if infos and not as_json:
        click.echo(f"{'release':20}  {'state':8}  {'time (UTC)':19}  {'commit':12}  {'files':>11}  channels")
    for r in infos:
        if as_json:
            click.echo(json.dumps({"event": "Release", **asdict(r)}))
        else:
            state = "PRUNING " if r.pruning else "sealed  " if r.sealed else "UNSEALED"
            click.echo(f"{r.release_id}  {state}  {r.time[:19] or '-':19}  {(r.commit or '-')[:12]:12}  "
                       f"{r.files:5} files  {', '.join(c + (' (locked)' if c in r.locked else '') for c in r.channels)}")
    for r in infos if not as_json else ():
        if r.pruning:
            click.echo(f"{r.release_id}: {r.pruning}")
    if as_json:
        from .publish import Done

        click.echo(json.dumps(Done("", "", False, t.url, message=f"{len(infos)} release(s)").to_dict()))
    elif not infos:
        click.echo("no releases yet", err=True)


@click.command()
@_target_options
@click.option("--channel", help="Only this channel (default: every channel, removed previews too).")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Newest N switches; 0: all.")
@click.option("--at", "at", metavar="TIME",
              help="What each channel served at TIME: 2026-11-29T10:00 (UTC), ...+01:00, or 10:00 (today, UTC).")
@_json_option
@user_errors
def history(directory: Path, target: str | None, endpoint_url: str | None, channel: str | None, limit: int,
            at: str | None, as_json: bool) -> None:
    """List switches, newest first: time, channel, publish or rollback, release, previous release, who, commit."""
    from dataclasses import asdict

    from .publish.history import history as read_history
    from .publish.history import parse_time

    when = parse_time(at) if at else None
    t = _target(load(directory), target, endpoint_url)
    records = read_history(t, channel=channel, limit=limit, at=when)
    wide = max([len("channel"), *(len(r.channel) for r in records)])
    if records and not as_json:
        click.echo(f"{'time (UTC)':20}  {'channel':{wide}}  {'action':14}  {'release':12}  {'previous':12}  "
                   f"{'who':12}  {'commit':12}  subject")
    for r in records:
        if as_json:
            click.echo(json.dumps({"event": "Switch", **asdict(r)}))
            continue
        stamp = r.time[:19] + "Z" if len(r.time) >= 19 else r.time
        action = "removed" if r.action == "remove" else r.action + (" (now)" if r.current else "")
        click.echo(f"{stamp:20}  {r.channel:{wide}}  {action:14}  {r.release_id[:12]:12}  {(r.previous or '-')[:12]:12}  "
                   f"{(r.who or '-')[:12]:12}  {(r.commit or '-')[:12]:12}  {r.subject or ''}".rstrip())
    said = f" at {when.isoformat().replace('+00:00', 'Z')}" if when else ""
    if as_json:
        from .publish import Done

        click.echo(json.dumps(Done(channel or "", "", False, t.url, message=f"{len(records)} switch(es){said}").to_dict()))
    elif not records:
        click.echo(f"no switches{said}" + (f" of channel '{channel}'" if channel else ""), err=True)


@click.command()
@_target_options
@click.option("--channel", default="live", show_default=True)
@click.option("--to", "to", metavar="ID", help="Release id (or a unique prefix); default: the previous one.")
@_json_option
@user_errors
def rollback(directory: Path, target: str | None, endpoint_url: str | None, channel: str, to: str | None,
             as_json: bool) -> None:
    """Switch a channel back (or to any sealed release): one pointer write, no upload."""
    from .publish import rollback as run_rollback

    config = load(directory)
    done = _Progress(as_json).show(run_rollback(_target(config, target, endpoint_url), channel=channel, to=to,
                                                public_url=_public_url(config, target, channel)))
    if not as_json:
        _hint_public_url(config, done, channel)


@click.command()
@_target_options
@click.option("--channel", default="live", show_default=True)
@_json_option
@user_errors
def verify(directory: Path, target: str | None, endpoint_url: str | None, channel: str, as_json: bool) -> None:
    """Read the channel's release back from the store: every file present, right hash, size, Content-Type."""
    from .publish import verify as run_verify

    _Progress(as_json).show(run_verify(_target(load(directory), target, endpoint_url), channel=channel))


@click.command()
@_target_options
@click.option("--keep", type=click.IntRange(min=1), required=True, help="Sealed releases to keep (newest first).")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@_json_option
@user_errors
def prune(directory: Path, target: str | None, endpoint_url: str | None, keep: int, dry_run: bool,
          as_json: bool) -> None:
    """Delete old releases; never one a channel points at or its predecessor."""
    from .publish import prune as run_prune

    config = load(directory)
    _Progress(as_json).show(run_prune(_target(config, target, endpoint_url), keep=keep, dry_run=dry_run,
                                      grace_hours=config.publish.unsealed_grace_hours))


@click.command()
@project_option
@click.option("--target", help="The publish target (default: publish.target).")
@click.option("--kind", type=click.Choice(["cloudfront-kvs", "origin-path", "nginx"]), default=None,
              help="Default: nginx for file://, cloudfront-kvs for s3://.")
@click.option("--channel", default="live", show_default=True)
@click.option("--preview-suffix", default="", help="cloudfront-kvs: host suffix whose first label names a channel.")
@user_errors
def routing(directory: Path, target: str | None, kind: str | None, channel: str, preview_suffix: str) -> None:
    """Print the config that routes stable URLs to the channel's live release (see docs/deploy.md)."""
    from .publish.routing import generate

    config = load(directory)
    url = target or config.publish.target
    kind = kind or ("cloudfront-kvs" if url.startswith("s3://") else "nginx")
    click.echo(generate(kind, url, channel=channel, preview_suffix=preview_suffix, project_root=config.root,
                        site_url=config.publish.site_url),
               nl=False)


@click.group()
def channel() -> None:
    """Manage channels (live, and previews such as pr-42)."""


@channel.command("rm")
@_target_options
@click.argument("name")
@_json_option
@user_errors
def channel_rm(directory: Path, target: str | None, endpoint_url: str | None, name: str, as_json: bool) -> None:
    """Remove preview channel NAME (a closed pull request's); its releases become prunable. Never `live`."""
    from .publish.operations import remove_channel

    _Progress(as_json).show(remove_channel(_target(load(directory), target, endpoint_url), channel=name))


def register(group: click.Group) -> None:
    """Add the publishing commands to the main `talkbuild` group."""
    for command in (publish, releases, history, rollback, verify, prune, routing, channel):
        group.add_command(command)
