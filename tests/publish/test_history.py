"""`talkbuild history`: every switch of every channel, newest first, and what was live at a given time."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from talkbuild.publish.history import parse_time

from .conftest import Deploy, site_files, write_site
from .test_cli import project, run

__all__ = ["project"]  # the fixture, used by name


def commit(root: Path, subject: str) -> str:
    env = ["-c", "user.name=Ada", "-c", "user.email=ada@example.org"]
    subprocess.run(["git", *env, "commit", "-q", "--allow-empty", "-m", subject], cwd=root, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()


def live_release(deploy: Deploy) -> str:
    pointer = deploy.pointer()
    assert pointer is not None
    return pointer.release_id


def test_history_lists_every_switch_newest_first(deploy: Deploy, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_RUN_ID", "GITHUB_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    common = ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])
    code, _, err = run("history", *common)
    assert code == 0 and "no switches" in err

    first = commit(project, "Add the welcome talk")
    assert run("publish", *common)[0] == 0
    v1 = live_release(deploy)
    second = commit(project, "Panel Discussion: quote the title")
    write_site(project / "_site", site_files(2))
    assert run("publish", *common)[0] == 0
    v2 = live_release(deploy)
    write_site(project / "_site", site_files(3))
    assert run("publish", *common, "--channel", "pr-7")[0] == 0
    assert run("rollback", *common)[0] == 0

    code, out, err = run("history", *common)
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split() == ["time", "(UTC)", "channel", "action", "release", "previous", "who", "commit",
                              "subject"]
    assert [r.split()[1:3] for r in rows] == [["live", "rollback"], ["pr-7", "publish"], ["live", "publish"],
                                              ["live", "publish"]]
    assert rows[0].split()[3:6] == ["(now)", v1[:12], v2[:12]] and rows[1].split()[3] == "(now)"
    assert rows[2].split()[3:5] == [v2[:12], v1[:12]] and rows[3].split()[3:5] == [v1[:12], "-"]
    assert rows[2].endswith(f"{second[:12]}  Panel Discussion: quote the title")
    assert rows[3].endswith(f"{first[:12]}  Add the welcome talk")
    assert rows[0].split()[0].endswith("Z") and rows[0].split()[0] >= rows[3].split()[0]

    code, out, _ = run("history", *common, "--channel", "live", "--limit", "2", "--json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [e["event"] for e in events] == ["Switch", "Switch", "Done"]
    assert [(e["action"], e["release_id"], e["previous"], e["current"]) for e in events[:2]] == [
        ("rollback", v1, v2, True), ("publish", v2, v1, False)]
    assert events[1]["commit"] == second and events[1]["subject"] == "Panel Discussion: quote the title"
    assert events[-1]["channel"] == "live" and events[-1]["message"] == "2 switch(es)"

    # What was live when the second publish happened (and until the rollback)? That publish.
    published_at = events[1]["time"]
    code, out, _ = run("history", *common, "--channel", "live", "--at", published_at)
    assert code == 0 and len(out.splitlines()) == 2 and out.splitlines()[1].split()[3] == v2[:12]
    code, out, err = run("history", *common, "--at", "2000-01-01T10:00")
    assert code == 0 and out == "" and "no switches at 2000-01-01T10:00:00Z" in err
    code, _, err = run("history", *common, "--at", "yesterday")
    assert code == 2 and "--at: cannot read 'yesterday' as a time" in err


def test_at_reads_a_time_of_day_as_today_in_utc_and_an_offset_as_given() -> None:
    today = date(2026, 11, 29)
    assert parse_time("10:00", today=today) == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert parse_time("2026-11-29 10:00+01:00") == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert parse_time("2026-11-29") == datetime(2026, 11, 29, tzinfo=UTC)
    assert parse_time("2026-11-29T10:00:00.5Z") == datetime(2026, 11, 29, 10, 0, 0, 500000, tzinfo=UTC)


def test_columns_line_up_and_a_removed_preview_says_so(deploy: Deploy, project: Path) -> None:
    common = ["-C", str(project), "--target", deploy.url] + (
        ["--endpoint-url", deploy.endpoint_url] if deploy.endpoint_url else [])
    assert run("publish", *common)[0] == 0
    write_site(project / "_site", site_files(2))
    assert run("publish", *common, "--channel", "pr-5")[0] == 0
    write_site(project / "_site", site_files(3))
    assert run("publish", *common, "--channel", "pr-6")[0] == 0
    assert run("channel", "rm", *common, "pr-5")[0] == 0
    code, out, err = run("history", *common)
    assert code == 0, err
    header, *rows = out.splitlines()
    # Every column starts where its heading does, whatever the channel names' length.
    for heading in ("channel", "action", "release", "previous", "who"):
        at = header.index(heading)
        assert all(row[at - 2:at] == "  " and row[at] != " " for row in rows), (heading, out)
    assert [r.split()[1:3] for r in rows] == [["pr-5", "removed"], ["pr-6", "publish"], ["pr-5", "publish"],
                                              ["live", "publish"]]
    live_only = run("history", *common, "--channel", "live")[1].splitlines()
    assert live_only[0].index("action") == live_only[1].index("publish"), "a short channel name still lines up"
    # After the removal, pr-5 served nothing; pr-6 is still served.
    code, out, _ = run("history", *common, "--json")
    removal = json.loads(out.splitlines()[0])
    assert removal["action"] == "remove" and removal["channel"] == "pr-5" and not removal["current"]
    code, out, _ = run("history", *common, "--at", removal["time"])
    assert [r.split()[1:3] for r in out.splitlines()[1:]] == [["pr-5", "removed"], ["pr-6", "publish"],
                                                              ["live", "publish"]]
    # Published again (a reopened pull request), the channel continues after the removal.
    assert run("publish", *common, "--channel", "pr-5")[0] == 0
    pointer = deploy.pointer("pr-5")
    assert pointer is not None and pointer.seq == removal["seq"] + 1
