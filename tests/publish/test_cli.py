"""The publishing commands as a user runs them: exit codes, messages, JSON lines, the summary line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from talkbuild import cli_publish

from .conftest import Deploy, site_files, write_site


@click.group()
def cli() -> None:
    pass


cli_publish.register(cli)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "talks-project"
    write_site(root / "_site", site_files(1))
    # These sites are synthetic (not built from talks), so the check gate has nothing to check here;
    # tests/test_pipeline.py and the test below run the real gate.
    from talkbuild.publish import gate

    monkeypatch.setattr(gate, "check_before_publish", lambda config, manifest, **_: gate.GateResult((), ()))
    return root


def test_publish_with_no_config_goes_to_deploy_in_the_project(project: Path) -> None:
    code, out, err = run("publish", "-C", str(project))
    assert code == 0, err
    assert (project / "_deploy" / "current" / "index.html").read_text() == "<h1>Talks v1</h1>"
    assert out.startswith("live: ") and "published (12 uploaded, 0 copied" in out and "-> file://" in out
    code, out, _ = run("publish", "-C", str(project))
    assert code == 0 and "already live" in out


@pytest.mark.parametrize("target", ["_site", "_site/deploy", "talks", "talks/old", "file://", ".", ".talkbuild/x",
                                    "themes", ".git"])
def test_a_folder_target_inside_what_a_build_replaces_is_refused(project: Path, target: str) -> None:
    # Published into _site/, the next `talkbuild build` would delete every release and pointer without a word.
    (project / "talks").mkdir(exist_ok=True)
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    for command in (["publish"], ["releases"], ["rollback"]):
        code, _, err = run(*command, "-C", str(project), "--target", target)
        assert code == 2, (command, err)
        assert "refusing to publish into " in err and "(publish to a folder of its own, e.g. file://_deploy)" in err
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before, "nothing written"
    code, _, err = run("publish", "-C", str(project), "--target", "file://elsewhere")
    assert code == 0, err


def test_publish_without_a_build_tells_the_user_to_build(tmp_path: Path) -> None:
    code, _, err = run("publish", "-C", str(tmp_path))
    assert code == 1 and "_site/: no built site to publish (run `talkbuild build` first)" in err
    assert "Traceback" not in err


def test_a_site_failing_check_is_refused_and_skip_check_is_loud(tmp_path: Path) -> None:
    from talkbuild.build import build
    from talkbuild.config import load_config

    root = tmp_path / "broken"
    (root / "talks").mkdir(parents=True)
    (root / "talks/a.md").write_text("---\ntitle: A\nauthor: Me\ndate: 2026-01-01\n---\n\n## S\n\n[x](x.html)\n")
    build(load_config(root))
    code, _, err = run("publish", "-C", str(root))
    assert code == 1
    assert "talks/a.md:9: error[broken-link]" in err and "nothing was published" in err
    assert not (root / "_deploy" / "current").exists()
    code, _, err = run("publish", "-C", str(root), "--skip-check")
    assert code == 0 and "WARNING: --skip-check" in err
    assert (root / "_deploy" / "current" / "a" / "index.html").exists()


def test_json_lines_end_with_the_summary(project: Path) -> None:
    code, out, _ = run("publish", "-C", str(project), "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and events[0]["event"] == "Started" and events[-1]["event"] == "Done"
    assert events[-1]["switched"] is True and events[-1]["uploaded"] == 12
    assert sum(1 for e in events if e["event"] == "FileDone") == 12


def test_usage_errors_exit_2(project: Path) -> None:
    code, _, err = run("publish", "-C", str(project), "--channel", "Bad Name")
    assert code == 2 and "invalid channel name 'Bad Name'" in err
    code, _, err = run("publish", "-C", str(project), "--target", "ftp://x/y")
    assert code == 2 and "unknown publish target scheme 'ftp://'" in err


def test_releases_rollback_verify_prune_against_each_target(deploy: Deploy, project: Path) -> None:
    common = ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])
    assert run("publish", *common)[0] == 0
    write_site(project / "_site", site_files(2))
    code, out, _ = run("publish", *common, "--channel", "pr-7")
    assert code == 0 and out.startswith("pr-7: ")
    code, out, _ = run("releases", *common)
    header, *lines = out.splitlines()
    assert header.startswith("release") and header.endswith("channels")
    assert code == 0 and len(lines) == 2 and lines[0].endswith("pr-7") and lines[1].endswith("live")
    assert all("sealed" in line for line in lines)
    code, out, err = run("verify", *common)
    assert code == 0 and "verified 12 files" in out, err
    code, out, err = run("rollback", *common, "--channel", "pr-7")
    assert code == 1 and "has no previous release (pass --to RELEASE)" in err
    old = lines[1].split()[0]
    code, out, _ = run("rollback", *common, "--channel", "pr-7", "--to", old[:6])
    assert code == 0 and f"pr-7: {old} switched from" in out  # not its previous release: not a "rollback"
    code, out, _ = run("prune", *common, "--keep", "1", "--dry-run")
    assert code == 0 and out.startswith("nothing to prune")  # both are pointed at, the preview's predecessor too


def test_verify_failure_exits_1_and_names_the_file(project: Path) -> None:
    assert run("publish", "-C", str(project))[0] == 0
    live = project / "_deploy" / "current"
    (live / "talks" / "t2" / "handout.html").unlink()
    code, _, err = run("verify", "-C", str(project))
    assert code == 1 and "talks/t2/handout.html: missing" in err


def test_routing_prints_a_config_for_the_target(project: Path) -> None:
    code, out, _ = run("routing", "-C", str(project))
    assert code == 0 and f"root {(project / '_deploy').resolve()}/current;" in out
    code, out, _ = run("routing", "-C", str(project), "--target", "s3://bucket/site")
    assert code == 0 and "kvs.get(channel)" in out and "TARGET=${TALKBUILD_TARGET:-s3://bucket/site}" in out
    assert 'aws s3 cp "$TARGET/pointers/$CHANNEL.json"' in out and "CHANNEL=${CHANNEL:-live}" in out


def common_args(deploy: Deploy, project: Path) -> list[str]:
    return ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])


@pytest.mark.s3
def test_missing_aws_credentials_are_a_configuration_error_sent_nowhere(
        s3_endpoint: str, s3_bucket: str, project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from .faultproxy import FaultProxy

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    seen: list[tuple[str, str]] = []

    def record(method: str, path: str, n: int) -> None:
        seen.append((method, path))
        return None

    with FaultProxy(s3_endpoint, record) as proxy:
        for command in (["publish"], ["rollback"], ["channel", "rm", "pr-1"], ["releases"]):
            code, out, err = run(*command, "-C", str(project), "--target", f"s3://{s3_bucket}/nocreds",
                                 "--endpoint-url", proxy.url)
            assert code == 2, (command, err)
            assert "no AWS credentials found" in err and "AWS_ACCESS_KEY_ID" in err and "AWS_PROFILE" in err, err
            assert "deploy role" in err and "after retries" not in err and "Traceback" not in err
    assert seen == [], "nothing reaches the store without credentials, and nothing is retried"


def test_channel_rm_of_a_missing_channel_exits_0_and_says_so(deploy: Deploy, project: Path) -> None:
    common = common_args(deploy, project)
    code, out, err = run("channel", "rm", *common, "pr-99")
    assert code == 0, err
    assert out.startswith("pr-99: no channel named 'pr-99': nothing to remove")
    code, out, _ = run("channel", "rm", *common, "pr-99", "--json")
    assert code == 0 and json.loads(out.splitlines()[-1])["event"] == "Done"
    code, _, err = run("channel", "rm", *common, "live")
    assert code == 2 and "refusing to remove the live channel" in err


def test_prune_json_marks_a_dry_run_and_every_listing_command_ends_with_done(deploy: Deploy, project: Path) -> None:
    common = common_args(deploy, project)
    ids = []
    for version in (1, 2, 3):
        write_site(project / "_site", site_files(version))
        assert run("publish", *common)[0] == 0
        ids.append(deploy.pointer().release_id)  # type: ignore[union-attr]

    code, out, _ = run("prune", *common, "--keep", "1", "--dry-run", "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(e["event"], e["release_id"], e["dry_run"]) for e in events[:-1]] == [
        ("Pruned", ids[0], True)]
    assert events[-1]["event"] == "Done" and events[-1]["message"].startswith("would prune 1 release")
    assert {r.release_id for r in __import__("talkbuild.publish", fromlist=["releases"]).releases(deploy.target())} \
        == set(ids), "a dry run deletes nothing"

    code, out, _ = run("prune", *common, "--keep", "1", "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(e["event"], e["dry_run"]) for e in events[:-1]] == [("Pruned", False)]
    assert events[-1]["event"] == "Done"

    code, out, _ = run("prune", *common, "--keep", "1", "--json")  # nothing left to prune: still a Done
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["event"] for e in events] == ["Done"]
    assert events[0]["message"].startswith("nothing to prune")

    code, out, _ = run("releases", *common, "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["event"] for e in events] == ["Release", "Release", "Done"]
    assert [e["release_id"] for e in events[:-1]] == [ids[2], ids[1]]


def test_public_url_is_shown_only_for_the_configured_target(project: Path, tmp_path: Path) -> None:
    (project / "talkbuild.yml").write_text(
        "publish:\n  target: file://_deploy\n  public_url: https://talks.example.org/\n", encoding="utf-8")
    other = (tmp_path / "elsewhere").as_uri()
    code, out, err = run("publish", "-C", str(project), "--target", other)
    assert code == 0, err
    assert "talks.example.org" not in out and f"-> {other}/current" in out
    code, out, _ = run("publish", "-C", str(project))
    assert code == 0 and out.rstrip().endswith("-> https://talks.example.org/")
    release_id = out.splitlines()[-1].split()[1]
    assert out.splitlines()[-2] == (f"release {release_id}: {(project / '_deploy').as_uri()}/releases/{release_id}/"
                                    "index.html (immutable: this release only, never a later publish)")
    write_site(project / "_site", site_files(2))
    assert run("publish", "-C", str(project), "--target", "file://_deploy")[0] == 0  # the configured one, spelt out
    code, out, _ = run("rollback", "-C", str(project))
    assert code == 0 and "rolled back from" in out and out.rstrip().endswith("-> https://talks.example.org/")
    code, out, _ = run("publish", "-C", str(project), "--channel", "pr-3")
    assert code == 0 and "talks.example.org" not in out


def test_a_rollback_says_it_locked_the_channel_and_releases_shows_the_lock(deploy: Deploy, project: Path) -> None:
    common = ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])
    assert run("publish", *common)[0] == 0
    write_site(project / "_site", site_files(2))
    assert run("publish", *common)[0] == 0
    code, out, err = run("rollback", *common)
    assert code == 0, err
    assert ('rolled back from' in out and 'live is now locked: the next publish is refused until one runs with '
            '--unlock (make deploy UNLOCK=1, or the ci workflow with "unlock")' in out)
    code, out, _ = run("rollback", *common, "--json")  # already live: still locked, and it says so
    summary = json.loads(out.splitlines()[-1])
    assert code == 0 and summary["event"] == "Done" and summary["locked"] is True and "now locked" in summary["message"]

    code, out, _ = run("releases", *common)
    assert code == 0 and sorted(line.rstrip().split("files")[-1].strip() for line in out.splitlines()[1:]) == [
        "", "live (locked)"], out
    code, out, _ = run("releases", *common, "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert sorted((e["channels"], e["locked"]) for e in events[:-1]) == [([], []), (["live"], ["live"])]

    code, out, _ = run("publish", *common, "--unlock", "--json")
    assert code == 0 and json.loads(out.splitlines()[-1])["locked"] is False
    code, out, _ = run("releases", *common)
    assert code == 0 and "(locked)" not in out and any(line.endswith("live") for line in out.splitlines())


def test_a_preview_rollback_names_the_make_command_for_its_channel(project: Path) -> None:
    assert run("publish", "-C", str(project), "--channel", "pr-5")[0] == 0
    write_site(project / "_site", site_files(2))
    assert run("publish", "-C", str(project), "--channel", "pr-5")[0] == 0
    code, out, _ = run("rollback", "-C", str(project), "--channel", "pr-5")
    assert code == 0 and "pr-5 is now locked" in out and "make deploy CHANNEL=pr-5 UNLOCK=1" in out
    assert "ci workflow" not in out


def test_a_stopped_prunes_release_is_refused_with_what_to_run_and_prune_finishes_it(project: Path) -> None:
    from .test_prune_tombstone import plant_mark

    ids = []
    for n in (1, 2, 3):
        write_site(project / "_site", site_files(n))
        assert run("publish", "-C", str(project))[0] == 0
        ids.append(json.loads((project / "_deploy" / "pointers" / "live.json").read_text())["release_id"])
    deploy = Deploy("file", (project / "_deploy").as_uri(), project)
    plant_mark(deploy, ids[0], lease_seconds=0)  # its prune was killed; the lease has just expired
    write_site(project / "_site", site_files(1))  # a revert to the first release's content
    code, _, err = run("publish", "-C", str(project))
    assert code == 1 and f"a prune stopped before it finished removing release {ids[0]}" in err
    assert "run `talkbuild prune`, which finishes that deletion, and publish again" in err
    code, out, err = run("prune", "-C", str(project), "--keep", "1")
    assert code == 0 and "finished the deletion of 1 release(s) a stopped prune left" in out, err
    assert f"pruned {ids[0]} (" in out and "finishing what a stopped prune left)" in out, out
    code, out, err = run("publish", "-C", str(project))
    assert code == 0 and "published" in out, err


def test_an_immutable_release_url_is_labelled_and_the_stable_one_suggested(deploy: Deploy, project: Path) -> None:
    common = ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])
    code, out, err = run("publish", *common)
    assert code == 0, err
    last = out.splitlines()[-1]  # the line `make deploy` copies into the job summary
    if deploy.kind == "file":  # the `current` link follows every switch: nothing to warn about
        assert last.endswith("/current") and "(immutable" not in last and "public_url" not in err
        return
    assert "/releases/" in last and last.endswith("(immutable: this release only, never a later publish)")
    assert "set publish.public_url in talkbuild.yml" in err and '"Routing stable URLs to the live release"' in err
    code, out, err = run("publish", *common, "--json")
    assert json.loads(out.splitlines()[-1])["immutable"] is True and "public_url" not in err
    # Once the stable address is configured for this target, that is what is printed.
    (project / "talkbuild.yml").write_text(f"publish:\n  target: {deploy.url}\n  public_url: https://talks.example.org/\n")
    write_site(project / "_site", site_files(2))
    code, out, err = run("publish", *common)
    assert code == 0 and out.splitlines()[-1].endswith("-> https://talks.example.org/"), err
    assert "public_url" not in err
    # ... and, on the line before, the release's own address, labelled immutable, for either target.
    release_id = out.splitlines()[-1].split()[1]
    own = f"releases/{release_id}/index.html (immutable: this release only, never a later publish)"
    assert out.splitlines()[-2] == f"release {release_id}: " + (
        f"{deploy.url}/{own}" if deploy.kind == "file" else out.splitlines()[-2].split(": ", 1)[1])
    assert out.splitlines()[-2].endswith(own)
    code, out, _ = run("rollback", *common)
    assert code == 0 and out.splitlines()[-1].endswith("-> https://talks.example.org/")
    assert out.splitlines()[-2].startswith("release ") and "(immutable" in out.splitlines()[-2]
    code, out, _ = run("rollback", *common, "--to", release_id, "--json")
    done = json.loads(out.splitlines()[-1])
    assert done["url"] == "https://talks.example.org/" and done["release_url"].endswith(f"{release_id}/index.html")
    # A preview has no public_url: its URL is labelled, but the hint (about live) is not given.
    code, out, err = run("publish", *common, "--channel", "pr-3")
    assert out.splitlines()[-1].endswith("never a later publish)") and "public_url" not in err
