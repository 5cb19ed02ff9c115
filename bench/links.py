"""Internal link checking: talkbuild check against linkchecker and linkinator on talkbuild's own output,
each scored on the planted broken links (found / missed / false alarms)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .corpus import Manifest
from .measure import Figure, repeat
from .peers import Peer

EXTERNAL_SKIP = r"127\.0\.0\.1:9/"
"""The corpus's external links (discard port): every checker is told to leave them alone (internal only)."""
_TOKEN = re.compile(r"bk\d{3}")


def score(reported: list[str], manifest: Manifest) -> dict[str, object]:
    """Match reported broken URLs (or messages) to planted links by their `bkNNN` token."""
    planted = {b.id for b in manifest.broken}
    found: set[str] = set()
    false_alarms: set[str] = set()
    for item in reported:
        tokens = set(_TOKEN.findall(item)) & planted
        if tokens:
            found |= tokens
        else:
            false_alarms.add(item)
    return {"planted": len(planted), "found": len(found), "missed": sorted(planted - found),
            "false_alarms": len(false_alarms), "false_alarm_examples": sorted(false_alarms)[:5]}


@contextmanager
def static_server(site: Path) -> Iterator[str]:
    """A plain HTTP server for the built site in its own process (so its CPU is not the harness's)."""
    proc = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        port = re.search(r"port (\d+)", line)
        if not port:
            raise RuntimeError(f"http.server did not start: {line!r}")
        yield f"http://127.0.0.1:{port.group(1)}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def linkchecker(site: Path, peer: Peer, manifest: Manifest, runs: int, *, anchors: bool,
                timeout: float = 300.0) -> Figure:
    """Default settings over file:// (fast; no fragments), or the AnchorCheck plugin over HTTP (it cannot
    check anchors of file:// directory URLs), with `maxrequestspersecond` raised for a server we own."""
    fig = Figure("check-internal", "linkchecker" + (" [AnchorCheck]" if anchors else ""))
    if not peer.found:
        fig.skipped = f"linkchecker not installed ({peer.how})"
        return fig
    # linkchecker drops root privileges to 'nobody': its config must be world-readable.
    config = Path(tempfile.mkdtemp(prefix="bench-linkchecker.")) / "linkcheckerrc"
    config.parent.chmod(0o755)
    config.write_text("[checking]\nmaxrequestspersecond=1000\n" + ("[AnchorCheck]\n" if anchors else ""), encoding="utf-8")
    config.chmod(0o644)
    argv = [peer.path or "linkchecker", "-f", str(config), "--no-status", "-o", "csv", "--ignore-url", EXTERNAL_SKIP]
    try:
        if anchors:
            with static_server(site) as url:
                repeat(fig, runs, lambda n: [*argv, url], check=False, timeout=timeout)
        else:
            repeat(fig, runs, lambda n: [*argv, (site / "index.html").as_uri()], check=False, timeout=timeout)
    finally:
        shutil.rmtree(config.parent, ignore_errors=True)
    rows = list(csv.reader(io.StringIO("\n".join(line for line in fig.samples[-1].stdout.splitlines()
                                                    if not line.startswith("#"))), delimiter=";"))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    col = {name: i for i, name in enumerate(header)}
    reported = [r[col["url"]] for r in body if len(r) == len(header) and r[col["valid"]] == "False"]
    fig.extra.update(score(reported, manifest))
    fig.note = ("over HTTP (python -m http.server), [AnchorCheck] plugin" if anchors else "file://, default checks") + \
        ", maxrequestspersecond=1000"
    if "timed_out_after_s" in fig.extra:
        fig.note += f"; stopped after {timeout:.0f} s (did not finish; findings up to then)"
    return fig


def linkinator(site: Path, peer: Peer, manifest: Manifest, runs: int, *, fragments: bool) -> Figure:
    fig = Figure("check-internal", "linkinator" + (" --check-fragments" if fragments else ""))
    if not peer.found:
        fig.skipped = f"linkinator not installed ({peer.how})"
        return fig
    argv = [peer.path or "linkinator", str(site), "--recurse", "--skip", EXTERNAL_SKIP, "--format", "json"]
    repeat(fig, runs, lambda n: argv + (["--check-fragments"] if fragments else []), check=False)
    try:
        data = json.loads(fig.samples[-1].stdout)
        reported = [f"{link['url']}" for link in data["links"] if link["state"] == "BROKEN"]
    except (ValueError, KeyError):
        reported = ["<unreadable linkinator output>"]
    fig.extra = score(reported, manifest)
    fig.note = "its own static server, --recurse" + (", --check-fragments" if fragments else "")
    return fig


def talkbuild_check(project: Path, manifest: Manifest, runs: int, argv: list[str], *, cold: bool = False) -> Figure:
    """`talkbuild check --format json` (internal); also scores whether each finding names the right file:line.

    `cold` removes .talkbuild/ (every cache) before each run: a CI job that keeps no cache between runs.
    """
    fig = Figure("check-internal", "talkbuild (no caches)" if cold else "talkbuild")
    setup = (lambda n: shutil.rmtree(project / ".talkbuild", ignore_errors=True)) if cold else None
    repeat(fig, runs, lambda n: [*argv, "--format", "json"], setup=setup, check=False)
    try:
        findings = json.loads(fig.samples[-1].stdout)
    except ValueError:
        findings = [{"url": "<unreadable talkbuild check output>", "message": fig.samples[-1].stderr[-300:]}]
    fig.extra.update(score([f"{f.get('url')} {f.get('message')}" for f in findings], manifest))
    where = {b.id: (b.source, b.line) for b in manifest.broken}
    exact = {tok for f in findings for tok in _TOKEN.findall(str(f.get("url")))
             if where.get(tok) == (f.get("file"), f.get("line"))}
    fig.extra["exact_file_line"] = len(exact)
    fig.note = ("`talkbuild check --format json` (builds into a temp folder, then checks; "
                + ("no .talkbuild/: renders every talk and scans every page)" if cold else "caches warm)"))
    return fig
