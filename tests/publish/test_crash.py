"""SIGKILL a publish at every step: visitors see exactly the old or the new release, and a rerun finishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from talkbuild.publish import VerifyFailed, verify
from talkbuild.publish.manifest import BuildInfo, FileEntry, build_manifest, file_sha256
from talkbuild.publish.pointer import read_history
from talkbuild.publish.release import CRASH_ENV

from .conftest import Deploy, done, site_files, write_site

REPO = Path(__file__).resolve().parents[2]
STEPS = ["start", "upload:1", "upload:5", "upload:12", "before-verify", "before-seal", "after-seal",
         "before-switch", "after-switch", "after-history",
         "after-project"]


def run_child(deploy: Deploy, site: Path, *, crash_at: str | None = None, channel: str = "live",
              commit: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "tests.publish.child", str(site), deploy.url, str(deploy.project),
         deploy.endpoint_url or "", channel, commit, json.dumps(deploy.options)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)


def as_bytes(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()}


def test_a_publish_killed_at_any_step_leaves_old_or_new_live_and_the_rerun_completes(
        deploy: Deploy, tmp_path: Path) -> None:
    old, new = as_bytes(site_files(1)), as_bytes(site_files(2))
    done(deploy.publish(write_site(tmp_path / "old", site_files(1))))
    new_site = write_site(tmp_path / "new", site_files(2))
    seen = set()
    for i, step in enumerate(STEPS):
        # each round starts from a fresh "old is live" state on a new target prefix / folder
        round_deploy = Deploy(deploy.kind, f"{deploy.url}-{i}", deploy.project, deploy.endpoint_url, deploy.options)
        done(round_deploy.publish(tmp_path / "old"))
        killed = run_child(round_deploy, new_site, crash_at=step)
        assert killed.returncode == -9, (step, killed.stderr[-2000:])
        served = round_deploy.served()
        assert served in (old, new), f"after a crash at {step}: a mix of releases is live"
        seen.add("new" if served == new else "old")
        done(round_deploy.publish(new_site))
        assert round_deploy.served() == new, step
        list(verify(round_deploy.target()))
        store = round_deploy.store()
        history = read_history(store, "live")
        store.close()
        assert [h.seq for h in history] == [1, 2], (step, history)
        assert history[1].previous == history[0].release_id
    assert seen == {"old", "new"}  # the kill points straddle the switch


@pytest.mark.parametrize("step", ["upload:3"])
def test_a_killed_publish_resumes_without_uploading_what_is_already_there(
        deploy: Deploy, tmp_path: Path, step: str) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    assert run_child(deploy, site, crash_at=step).returncode == -9
    rerun = run_child(deploy, site)
    events = [json.loads(line) for line in rerun.stdout.splitlines()]
    present = [e for e in events if e["event"] == "FileDone" and e["action"] == "present"]
    assert len(present) >= 3
    assert events[-1]["event"] == "Done" and events[-1]["switched"]


def test_a_publish_killed_from_outside_after_n_events_is_harmless(deploy: Deploy, tmp_path: Path) -> None:
    """No hook: the kill lands wherever the child happens to be (uploads run on 4 threads)."""
    old, new = as_bytes(site_files(1)), as_bytes(site_files(2))
    new_site = write_site(tmp_path / "new", site_files(2))
    write_site(tmp_path / "old", site_files(1))
    for i, after in enumerate([3, 8, 14]):
        round_deploy = Deploy(deploy.kind, f"{deploy.url}-k{i}", deploy.project, deploy.endpoint_url, deploy.options)
        done(round_deploy.publish(tmp_path / "old"))
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop(CRASH_ENV, None)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.publish.child", str(new_site), round_deploy.url, str(deploy.project),
             deploy.endpoint_url or "", "live", "", json.dumps(deploy.options)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        for _ in range(after):
            if not child.stdout.readline():
                break
        child.kill()  # SIGKILL, by the Popen handle
        child.wait(timeout=30)
        child.stdout.close()
        assert round_deploy.served() in (old, new), after
        done(round_deploy.publish(new_site))
        assert round_deploy.served() == new


def test_a_file_killed_half_written_never_lands_in_a_release(tmp_path: Path) -> None:
    # A web server serves every file of the folder `current` points at: a half-written file must never be there,
    # not even under a temporary name, and the rerun must leave exactly the site.
    project = tmp_path / "project"
    project.mkdir()
    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), project)
    site = write_site(tmp_path / "site", site_files(1))
    assert run_child(deploy, site, crash_at="upload-staged").returncode == -9
    releases = tmp_path / "deploy/releases"
    assert [p for p in releases.rglob("*") if p.is_file()] == [], "nothing reached a release half-written"
    done(deploy.publish(site))
    assert deploy.served() == as_bytes(site_files(1))
    list(verify(deploy.target()))


def test_debris_in_an_unfinished_release_is_cleared_and_in_a_live_one_reported(deploy: Deploy, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", site_files(1))
    rid = build_manifest(site, BuildInfo(actor="test")).release_id
    stray = write_site(tmp_path / "x", {"half": "half a file"}) / "half"
    entry = FileEntry("half", file_sha256(stray), stray.stat().st_size, "text/plain", "no-cache")
    store = deploy.store()
    store.upload(f"releases/{rid}/talks/.talkbuild-tmp.0123abcd", stray, entry)  # as older talkbuilds left them
    store.close()
    done(deploy.publish(site))
    assert deploy.served() == as_bytes(site_files(1))
    store = deploy.store()
    store.upload(f"releases/{rid}/.talkbuild-tmp.4567", stray, entry)  # in the live release: verify says so
    store.close()
    with pytest.raises(VerifyFailed, match=r"\.talkbuild-tmp\.4567: not in the manifest") as failed:
        list(verify(deploy.target()))
    assert f"/releases/{rid}/: 1 problem(s)" in str(failed.value), "the release's address, whole"
