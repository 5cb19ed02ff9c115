"""publish ships only what the talks build to now: a failed build never lets an older _site/ go out,
with or without --skip-check (which skips `talkbuild check` and nothing else). --prebuilt is the one,
explicit, way to publish a _site/ built elsewhere."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from talkbuild.cli import main

from .conftest import Deploy

TALK = "---\ntitle: {title}\nauthor: Ada\ndate: 2026-01-01\n---\n\n## Welcome\n\nHello.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def target_args(deploy: Deploy) -> list[str]:
    return ["-C", str(deploy.project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])


def published_project(deploy: Deploy) -> Path:
    """main's site: two talks, built and published to live."""
    talks = deploy.project / "talks"
    talks.mkdir(parents=True)
    (talks / "intro.md").write_text(TALK.format(title="Intro"))
    (talks / "panel.md").write_text(TALK.format(title="Panel"))
    assert run("build", "-C", str(deploy.project))[0] == 0
    code, _, err = run("publish", *target_args(deploy))
    assert code == 0, err
    return talks


def test_a_failed_build_with_skip_check_publishes_nothing(deploy: Deploy) -> None:
    talks = published_project(deploy)
    before = deploy.snapshot()
    # The trial user's edit: an unquoted colon in a title. The build fails and leaves main's _site/.
    (talks / "panel.md").write_text(TALK.format(title="Panel Discussion: The Future of RSE"))
    code, _, err = run("build", "-C", str(deploy.project))
    assert code == 1 and "nothing was written" in err
    for channel in ("pr-7", "live"):
        code, out, err = run("publish", *target_args(deploy), "--skip-check", "--channel", channel)
        assert code == 1, out
        assert "talks/panel.md:2: error" in err, err
        assert "the talks do not build (1 error(s))" in err and "nothing was published" in err
        assert "published" not in out and "Traceback" not in err
    assert deploy.snapshot() == before, "no release uploaded, no pointer or history written"
    assert deploy.pointer("pr-7") is None


def test_skip_check_still_refuses_a_site_older_than_the_talks(deploy: Deploy) -> None:
    talks = published_project(deploy)
    before = deploy.snapshot()
    (talks / "intro.md").write_text(TALK.format(title="Intro, revised"))  # edited, not rebuilt
    code, _, err = run("publish", *target_args(deploy), "--skip-check", "--channel", "pr-7")
    assert code == 1 and "is not what the talks build to now" in err and "run `talkbuild build`" in err
    assert deploy.snapshot() == before
    assert run("build", "-C", str(deploy.project))[0] == 0
    code, out, err = run("publish", *target_args(deploy), "--skip-check", "--channel", "pr-7")
    assert code == 0 and "WARNING: --skip-check" in err and out.startswith("pr-7: "), err


def test_prebuilt_publishes_the_site_as_it_is_and_says_so(deploy: Deploy) -> None:
    talks = published_project(deploy)
    live = deploy.pointer()
    (talks / "panel.md").write_text(TALK.format(title="Panel Discussion: The Future of RSE"))
    # No sources needed to match: a build job's artifact, or a site post-processed after the build.
    (deploy.project / "_site" / "extra.txt").write_text("added after the build\n")
    code, out, err = run("publish", *target_args(deploy), "--prebuilt", "--channel", "pr-7")
    assert code == 0, err
    assert "WARNING: --prebuilt" in err and "without comparing it with the talks" in err
    pointer = deploy.pointer("pr-7")
    assert pointer is not None and live is not None and pointer.release_id != live.release_id
    assert deploy.served("pr-7")["extra.txt"] == b"added after the build\n"
