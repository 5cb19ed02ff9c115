"""`make ci` and the deploy targets the workflows call, in our Makefile and in the one `talkbuild init` writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ci_support import require_commands, require_make, talkbuild_bin
from support import REPO

# Records its arguments, one JSON list per line, and prints a summary line like `talkbuild publish` does.
RECORDER = """#!{python}
import json, sys
with open({log!r}, "a", encoding="utf-8") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
print("published release abc to channel x: https://example.test/x/")
"""
HOSTILE = 'v1"; touch PWNED; echo $(touch PWNED2) `touch PWNED3` $(shell touch PWNED4)'


def makefiles(scaffold: Path) -> list[Path]:
    return [REPO / "Makefile", scaffold / "Makefile"]


def recorder(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "argv.jsonl"
    exe = tmp_path / "fake-talkbuild"
    exe.write_text(RECORDER.format(python=sys.executable, log=str(log)), encoding="utf-8")
    exe.chmod(0o755)
    return exe, log


def make(makefile: Path, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TALKBUILD_TARGET", "RELEASE", "CHANNEL", "MAKEFLAGS")}
    full_env.update(env or {})
    return subprocess.run([require_make(), "--no-print-directory", "-f", str(makefile), *args],
                          cwd=cwd, capture_output=True, text=True, env=full_env)


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def test_outside_values_reach_talkbuild_as_single_arguments(tmp_path: Path, scaffold: Path) -> None:
    """A workflow input full of shell and make syntax is one argument, and nothing in it runs."""
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        done = make(makefile, work, "rollback", f"TALKBUILD={exe}",
                    env={"RELEASE": HOSTILE, "CHANNEL": "live", "TALKBUILD_TARGET": "s3://bucket/a b"})
        assert done.returncode == 0, done.stderr
        assert calls(log) == [
            ["rollback", "--target", "s3://bucket/a b", "--channel", "live", "--to", HOSTILE],
            ["verify", "--target", "s3://bucket/a b", "--channel", "live"],
        ], makefile
        assert not list(work.glob("PWNED*")) and not list(REPO.glob("PWNED*")), f"{makefile}: input was executed"


def test_deploy_publishes_verifies_and_writes_the_summary(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        summary = work / "summary.md"
        done = make(makefile, work, "deploy", f"TALKBUILD={exe}", f"SUMMARY_FILE={summary}",
                    env={"CHANNEL": "pr-42"})
        assert done.returncode == 0, done.stderr
        assert calls(log) == [["build"], ["publish", "--channel", "pr-42"], ["verify", "--channel", "pr-42"]]
        text = summary.read_text(encoding="utf-8")
        assert "pr-42" in text and "https://example.test/x/" in text


def test_undeploy_removes_a_preview_channel_but_never_live(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        refused = make(makefile, work, "undeploy", f"TALKBUILD={exe}", env={"CHANNEL": "live"})
        assert refused.returncode != 0 and "refusing" in refused.stderr and calls(log) == []
        done = make(makefile, work, "undeploy", f"TALKBUILD={exe}", env={"CHANNEL": "pr-7"})
        assert done.returncode == 0, done.stderr
        assert calls(log) == [["channel", "rm", "pr-7"]]


SYNC_EDGE = """#!{python}
import json, os
with open({log!r}, "a", encoding="utf-8") as f:
    f.write(json.dumps(["sync-edge", os.environ.get("CHANNEL"), os.environ.get("TALKBUILD_TARGET")]) + "\\n")
"""


def test_deploy_and_rollback_run_sync_edge_after_verify_when_the_project_has_one(tmp_path: Path,
                                                                                  scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        assert make(makefile, work, "deploy", f"TALKBUILD={exe}", env={"CHANNEL": "live"}).returncode == 0
        assert ["sync-edge", "live", None] not in calls(log), "no sync-edge.sh: nothing extra runs"
        log.unlink()
        hook = work / "sync-edge.sh"
        hook.write_text(SYNC_EDGE.format(python=sys.executable, log=str(log)), encoding="utf-8")
        hook.chmod(0o755)
        target = {"TALKBUILD_TARGET": "s3://bucket/site"}
        assert make(makefile, work, "deploy", f"TALKBUILD={exe}", env={**target, "CHANNEL": "pr-3"}).returncode == 0
        assert calls(log)[-2:] == [["verify", "--target", "s3://bucket/site", "--channel", "pr-3"],
                                   ["sync-edge", "pr-3", "s3://bucket/site"]], makefile
        log.unlink()
        assert make(makefile, work, "rollback", f"TALKBUILD={exe}", env={**target, "CHANNEL": "live"}).returncode == 0
        assert calls(log)[-2:] == [["verify", "--target", "s3://bucket/site", "--channel", "live"],
                                   ["sync-edge", "live", "s3://bucket/site"]], makefile
        log.unlink()
        # make ci publishes to a local folder: the edge is never touched from a laptop's dry run
        assert make(makefile, work, "ci", "NO_TEST=1", f"TALKBUILD={exe}").returncode == 0
        assert calls(log) and not any(c[0] == "sync-edge" for c in calls(log)), makefile


def test_a_failing_verify_never_reaches_the_edge(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        log = work / "argv.jsonl"
        exe = work / "verify-fails"
        exe.write_text(f"#!{sys.executable}\nimport json, sys\n"
                       f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
                       "sys.exit(1 if sys.argv[1] == 'verify' else 0)\n", encoding="utf-8")
        exe.chmod(0o755)
        hook = work / "sync-edge.sh"
        hook.write_text(SYNC_EDGE.format(python=sys.executable, log=str(log)), encoding="utf-8")
        hook.chmod(0o755)
        done = make(makefile, work, "deploy", f"TALKBUILD={exe}", env={"CHANNEL": "live"})
        assert done.returncode != 0 and calls(log)[-1][0] == "verify", makefile


def test_prune_keeps_the_requested_number(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        assert make(makefile, work, "prune", f"TALKBUILD={exe}", env={"KEEP": "4"}).returncode == 0
        assert calls(log) == [["prune", "--keep", "4"]]


def test_a_failing_publish_fails_the_target_and_skips_verify(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe = work / "failing-talkbuild"
        exe.write_text(f"#!{sys.executable}\nimport sys\nprint('half'); sys.exit(3)\n", encoding="utf-8")
        exe.chmod(0o755)
        done = make(makefile, work, "deploy", f"TALKBUILD={exe}")
        assert done.returncode != 0 and "half" in done.stdout and "verify" not in done.stderr


# --- the real pipeline: needs `talkbuild check` (issue 4) and `publish`/`verify` (issue 6) ---------

def test_init_then_make_ci_passes(scaffold: Path) -> None:
    require_commands("check", "publish", "verify")
    done = make(scaffold / "Makefile", scaffold, "ci", f"TALKBUILD={talkbuild_bin()}")
    assert done.returncode == 0, done.stdout + done.stderr
    live = scaffold / "_deploy" / "current"
    assert live.is_symlink(), "the local target serves the live release through the `current` link"
    assert (live / "welcome" / "pipeline.svg").read_bytes() == (scaffold / "talks/welcome/pipeline.svg").read_bytes()
    assert (live / "welcome" / "slides" / "index.html").is_file()


def test_our_make_ci_passes_on_a_copy_of_the_repository(tmp_path: Path) -> None:
    require_commands("check", "publish", "verify")
    copy = tmp_path / "talkbuild"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True)
    if listed.returncode == 0:
        for rel in filter(None, listed.stdout.split("\0")):
            if (REPO / rel).is_file():
                (copy / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / rel, copy / rel)
    else:
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", ".git", "_site", "_deploy", ".talkbuild"))
    # NO_TEST: this test is itself part of `make test`; the rest of the sequence runs for real.
    done = make(copy / "Makefile", copy, "ci", "NO_TEST=1", f"TALKBUILD={talkbuild_bin()}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (copy / "_deploy" / "current" / "index.html").is_file()


def test_preview_channel_comes_and_goes_without_touching_live(scaffold: Path) -> None:
    require_commands("check", "publish", "verify", "channel")
    mk = scaffold / "Makefile"
    tb = f"TALKBUILD={talkbuild_bin()}"
    local = {"TALKBUILD_TARGET": "file://_deploy"}
    assert make(mk, scaffold, "deploy", tb, env={**local, "CHANNEL": "live"}).returncode == 0
    live_before = os.readlink(scaffold / "_deploy" / "current")
    talk = scaffold / "talks" / "welcome" / "index.md"
    talk.write_text(talk.read_text(encoding="utf-8") + "\nOne more slide\n--------------\n\nPreview only.\n",
                    encoding="utf-8")
    done = make(mk, scaffold, "deploy", tb, env={**local, "CHANNEL": "pr-7"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.readlink(scaffold / "_deploy" / "current") == live_before
    done = make(mk, scaffold, "undeploy", tb, env={**local, "CHANNEL": "pr-7"})
    assert done.returncode == 0, done.stdout + done.stderr
    gone = subprocess.run([talkbuild_bin(), "verify", "-C", str(scaffold), "--target", "file://_deploy",
                           "--channel", "pr-7"], capture_output=True, text=True)
    assert gone.returncode != 0, "the removed channel has nothing to verify"
    assert os.readlink(scaffold / "_deploy" / "current") == live_before


def test_make_rollback_goes_back_to_the_previous_release(scaffold: Path) -> None:
    require_commands("check", "publish", "verify", "rollback")
    mk = scaffold / "Makefile"
    tb = f"TALKBUILD={talkbuild_bin()}"
    local = {"TALKBUILD_TARGET": "file://_deploy", "CHANNEL": "live"}
    assert make(mk, scaffold, "deploy", tb, env=local).returncode == 0
    first = os.readlink(scaffold / "_deploy" / "current")
    talk = scaffold / "talks" / "welcome" / "index.md"
    talk.write_text(talk.read_text(encoding="utf-8").replace("Before you push", "Before you merge"), encoding="utf-8")
    assert make(mk, scaffold, "deploy", tb, env=local).returncode == 0
    assert os.readlink(scaffold / "_deploy" / "current") != first
    done = make(mk, scaffold, "rollback", tb, env=local)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.readlink(scaffold / "_deploy" / "current") == first


@pytest.mark.parametrize("makefile_of", ["ours", "scaffold"])
def test_ci_target_runs_test_then_site_then_a_local_deploy(makefile_of: str, tmp_path: Path, scaffold: Path) -> None:
    """The order of `make ci` (dry run: nothing executes except the recorded sub-makes' echo)."""
    makefile = REPO / "Makefile" if makefile_of == "ours" else scaffold / "Makefile"
    exe, log = recorder(tmp_path)
    done = make(makefile, tmp_path, "ci", "NO_TEST=1", f"TALKBUILD={exe}")
    assert done.returncode == 0, done.stderr
    assert calls(log) == [["build"], ["check", "--format", "text"], ["build"],
                          ["publish", "--target", "file://_deploy", "--channel", "live"],
                          ["verify", "--target", "file://_deploy", "--channel", "live"]]


FAKE_GH = """#!{python}
import json, sys
with open({log!r}, "a", encoding="utf-8") as f:
    f.write(json.dumps(["gh", *sys.argv[1:]]) + "\\n")
print({state!r})
"""


@pytest.mark.parametrize("state", ["OPEN", "CLOSED", "MERGED"])
def test_undeploy_if_closed_removes_the_preview_only_of_a_closed_pull_request(
        state: str, tmp_path: Path, scaffold: Path) -> None:
    """The preview job's last step: cleanup may have run before this preview existed (push, then quick merge)."""
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        gh = work / "gh"
        gh.write_text(FAKE_GH.format(python=sys.executable, log=str(log), state=state), encoding="utf-8")
        gh.chmod(0o755)
        done = make(makefile, work, "undeploy-if-closed", f"TALKBUILD={exe}", f"GH={gh}",
                    env={"CHANNEL": "pr-42", "PR_NUMBER": "42", "TALKBUILD_TARGET": "s3://bucket/previews"})
        assert done.returncode == 0, done.stderr
        expected = [["gh", "pr", "view", "42", "--json", "state", "--jq", ".state"]]
        if state != "OPEN":
            expected.append(["channel", "rm", "--target", "s3://bucket/previews", "pr-42"])
        assert calls(log) == expected, makefile
        assert f"pull request 42 is {state}" in done.stderr


def test_undeploy_if_closed_fails_when_it_cannot_tell(tmp_path: Path, scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        exe, log = recorder(work)
        no_number = make(makefile, work, "undeploy-if-closed", f"TALKBUILD={exe}", "GH=false", env={"CHANNEL": "pr-1"})
        assert no_number.returncode != 0 and "set PR_NUMBER" in no_number.stderr
        broken = make(makefile, work, "undeploy-if-closed", f"TALKBUILD={exe}", "GH=false",
                      env={"CHANNEL": "pr-1", "PR_NUMBER": "1"})
        assert broken.returncode != 0 and "cannot read the state of pull request 1" in broken.stderr
        # gh exiting 0 with nothing (or something new) on stdout is no answer either: fail closed.
        for said in ("", "DRAFT"):
            gh = work / "gh"
            gh.write_text(FAKE_GH.format(python=sys.executable, log=str(work / "gh.jsonl"), state=said),
                          encoding="utf-8")
            gh.chmod(0o755)
            odd = make(makefile, work, "undeploy-if-closed", f"TALKBUILD={exe}", f"GH={gh}",
                       env={"CHANNEL": "pr-1", "PR_NUMBER": "1"})
            assert odd.returncode != 0, odd.stderr
            assert f"cannot tell whether pull request 1 is closed (gh said '{said}'); nothing removed" in odd.stderr
        assert calls(log) == [], "nothing removed on a guess"


@pytest.mark.parametrize("head", ["a" * 40, "b" * 40, None])
def test_deploy_behind_says_when_main_moved_past_the_published_commit(head: str | None, tmp_path: Path,
                                                                        scaffold: Path) -> None:
    for i, makefile in enumerate(makefiles(scaffold)):
        work = tmp_path / f"work{i}"
        work.mkdir()
        gh = work / "gh"
        gh.write_text(FAKE_GH.format(python=sys.executable, log=str(work / "gh.jsonl"), state=head or "")
                      .replace("print(", "sys.exit(1) if not " + repr(head or "") + " else print("), encoding="utf-8")
        gh.chmod(0o755)
        summary = work / "summary.md"
        done = make(makefile, work, "deploy-behind", f"GH={gh}", f"SUMMARY_FILE={summary}",
                    env={"PUBLISHED_SHA": "a" * 40, "GITHUB_REPOSITORY": "acme/talks"})
        assert done.returncode == 0, done.stderr
        assert calls(work / "gh.jsonl") == [["gh", "api", "repos/acme/talks/commits/main", "--jq", ".sha"]]
        if head == "b" * 40:
            assert "::warning title=live may be behind main::main has moved to " + "b" * 40 in done.stdout
            text = summary.read_text(encoding="utf-8")
            assert "If the deploy of " + "b" * 40 + " was cancelled while waiting" in text
            assert "run the ci workflow on main" in text
        else:
            assert "::warning" not in done.stdout and not summary.exists()
            assert ("still at" if head else "cannot read the head of main; not checked") in done.stderr


def test_scaffold_make_test_can_annotate_the_diff(tmp_path: Path, scaffold: Path) -> None:
    exe, log = recorder(tmp_path)
    assert make(scaffold / "Makefile", tmp_path, "test", f"TALKBUILD={exe}").returncode == 0
    assert make(scaffold / "Makefile", tmp_path, "test", f"TALKBUILD={exe}", "BUILD_FORMAT=github").returncode == 0
    assert calls(log) == [["build", "--strict", "--format", "text"], ["build", "--strict", "--format", "github"]]


def test_build_format_github_prints_annotations_for_what_fails_the_strict_build(scaffold: Path) -> None:
    talk = scaffold / "talks" / "welcome" / "index.md"
    talk.write_text(talk.read_text(encoding="utf-8").replace("duration: 10", "duration: 10\nauthr: me"),
                    encoding="utf-8")
    done = subprocess.run([talkbuild_bin(), "build", "-C", str(scaffold), "--strict", "--format", "github"],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "::warning file=talks/welcome/index.md,line=6,title=talkbuild unknown-key::" in done.stdout
    assert "no-author" not in done.stdout, "only the build's own problems: check's are the site job's"
