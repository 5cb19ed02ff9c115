"""Publishers racing each other: one switch per round wins, no lost update, never an older build on top."""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from talkbuild.publish import BuildInfo, PublishConflict, release
from talkbuild.publish.events import Switched
from talkbuild.publish.pointer import read_history

from .conftest import Deploy, done, site_files, write_site


def race(monkeypatch: pytest.MonkeyPatch, deploy: Deploy, sites: list[Path],
         builds: list[BuildInfo]) -> list[Any]:
    """Publish all sites at once; every publisher has read the pointer before anyone switches."""
    barrier = threading.Barrier(len(sites), timeout=60)
    local = threading.local()
    real = release.crash_point

    def hold_before_first_switch(step: str) -> None:
        if step == "before-switch" and not getattr(local, "held", False):
            local.held = True
            barrier.wait()
        real(step)

    monkeypatch.setattr(release, "crash_point", hold_before_first_switch)
    results: list[Any] = [None] * len(sites)

    def one(i: int) -> None:
        try:
            results[i] = deploy.publish(sites[i], build=builds[i], jobs=2)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each publisher got
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(sites))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return results


def history_is_a_chain(deploy: Deploy) -> list[str]:
    store = deploy.store()
    history = read_history(store, "live")
    store.close()
    assert [h.seq for h in history] == list(range(1, len(history) + 1))
    for before, after in itertools.pairwise(history):
        assert after.previous == before.release_id, "a switch was lost"
    return [h.release_id for h in history]


@pytest.mark.parametrize("publishers", [2, 8])
def test_exactly_one_publisher_wins_each_round(monkeypatch: pytest.MonkeyPatch, deploy: Deploy,
                                               tmp_path: Path, publishers: int) -> None:
    live = [done(deploy.publish(write_site(tmp_path / "base", site_files(0)))).release_id]
    for round_ in range(2):
        sites = [write_site(tmp_path / f"r{round_}-{i}", site_files(100 * round_ + i + 1)) for i in range(publishers)]
        results = race(monkeypatch, deploy, sites, [BuildInfo(actor=f"p{i}") for i in range(publishers)])
        winners = [r for r in results if isinstance(r, list)]
        losers = [r for r in results if not isinstance(r, list)]
        assert len(winners) == 1, results
        assert all(isinstance(r, PublishConflict) and "while this publish was running" in r.message for r in losers)
        switched = [e for e in winners[0] if isinstance(e, Switched)]
        assert len(switched) == 1
        assert deploy.pointer().release_id == switched[0].release_id  # type: ignore[union-attr]
        live.append(switched[0].release_id)
    assert history_is_a_chain(deploy) == live


def test_a_newer_commit_wins_the_race_and_an_older_one_never_lands_on_top(
        monkeypatch: pytest.MonkeyPatch, deploy: Deploy, tmp_path: Path) -> None:
    git = ["git", "-C", str(deploy.project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    commits = []
    for msg in "abc":
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", msg], check=True)
        commits.append(subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                                      text=True).stdout.strip())
    done(deploy.publish(write_site(tmp_path / "a", site_files(1)), build=BuildInfo(commit=commits[0])))
    sites = [write_site(tmp_path / "b", site_files(2)), write_site(tmp_path / "c", site_files(3))]
    results = race(monkeypatch, deploy, sites, [BuildInfo(commit=commits[1]), BuildInfo(commit=commits[2])])
    assert isinstance(results[1], list), results  # c is the newest: it ends up live whoever switched first
    assert deploy.pointer().commit == commits[2]  # type: ignore[union-attr]
    assert deploy.served()["index.html"] == b"<h1>Talks v3</h1>"
    if isinstance(results[0], list):  # b switched first, c re-read, saw b is its ancestor, and retried
        assert len(history_is_a_chain(deploy)) == 3
    else:  # c switched first; b saw a newer commit live and refused
        assert isinstance(results[0], PublishConflict)
        assert len(history_is_a_chain(deploy)) == 2


def test_a_stalled_winner_linking_late_never_overrides_the_pointer(tmp_path: Path) -> None:
    """A publisher that won its switch and stalled before moving `current` must not undo a newer switch."""
    from talkbuild.publish.stores import open_store

    deploy = Deploy("file", (tmp_path / "deploy").as_uri(), tmp_path / "project")
    deploy.project.mkdir()
    first = done(deploy.publish(write_site(tmp_path / "s1", site_files(1)))).release_id
    second = done(deploy.publish(write_site(tmp_path / "s2", site_files(2)))).release_id
    store = open_store(deploy.url, deploy.project)
    store.project("live", first)  # the late call of the stalled first publisher
    assert os.readlink(tmp_path / "deploy" / "current").endswith(second)
    assert deploy.pointer().release_id == second
