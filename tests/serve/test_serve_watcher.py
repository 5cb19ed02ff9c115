"""When a burst of saves is over: at once when every file written in it was finished, else after a quiet period."""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from serve_support import Live, talk, wait_until

import talkbuild.serve
import talkbuild.serve.watcher
from talkbuild.config import Config
from talkbuild.serve.watcher import FINISHED, RENAMED_AWAY, TOUCHED, WRITING, WRITTEN, Changes, Watcher

HOUR = 3600.0
"""A quiet period no test waits for: a take() that returns did not wait for it."""
STILL_WAITING = 0.5
"""How long a test watches a burst to see that it is not over (any rebuild would start within ~10 ms)."""


def take_in_thread(changes: Changes) -> tuple[threading.Thread, list[object]]:
    taken: list[object] = []
    thread = threading.Thread(target=lambda: taken.append(changes.take(HOUR, 2 * HOUR, 0.01)), daemon=True)
    thread.start()
    return thread, taken


def over_at_once(*events: tuple[str, str]) -> bool:
    """Whether a burst of these (path, state) events ends without the hour-long quiet period."""
    changes = Changes()
    for path, state in events:
        changes.add("talks", path, state)
    thread, taken = take_in_thread(changes)
    thread.join(timeout=STILL_WAITING)
    over = not thread.is_alive()
    changes.close()
    thread.join(timeout=15)
    assert taken == ([frozenset({"talks"})] if over else [None])
    return over


def test_a_file_closed_after_writing_ends_the_burst() -> None:
    assert over_at_once(("a.md", WRITING), ("a.md", FINISHED))


def test_a_file_still_being_written_keeps_the_burst_open() -> None:
    assert not over_at_once(("a.md", WRITING))


def test_closing_another_file_does_not_end_the_burst_of_a_talk_still_being_written() -> None:
    assert not over_at_once(("a.md", WRITING), ("pic.png", WRITING), ("pic.png", FINISHED))
    assert over_at_once(("a.md", WRITING), ("pic.png", FINISHED), ("a.md", FINISHED))


def test_a_talk_renamed_away_waits_for_the_file_written_in_its_place() -> None:
    # vim (backupcopy=no), emacs' first save: the original becomes the backup, then a new file is written.
    assert not over_at_once(("a.md", RENAMED_AWAY), ("a.md.bak", FINISHED))
    assert over_at_once(("a.md", RENAMED_AWAY), ("a.md.bak", FINISHED), ("a.md", WRITING), ("a.md", FINISHED))


def test_a_temporary_file_finished_and_renamed_into_place_ends_the_burst() -> None:
    # sed -i, Qt's QSaveFile: write a temporary file, close it, rename it over the original.
    assert over_at_once(("sedX1", WRITING), ("sedX1", FINISHED), ("sedX1", RENAMED_AWAY), ("a.md", FINISHED))


def test_a_mode_change_after_the_close_keeps_the_save_finished() -> None:
    assert over_at_once(("a.md", WRITING), ("a.md", FINISHED), ("a.md", TOUCHED))  # what vim does
    assert not over_at_once(("a.md", TOUCHED))  # a mode change alone says nothing: quiet period


def test_writing_again_after_the_close_reopens_the_burst() -> None:
    assert not over_at_once(("a.md", WRITING), ("a.md", FINISHED), ("a.md", WRITING))


def test_a_file_open_for_writing_holds_the_burst_past_the_quiet_period_until_it_is_closed() -> None:
    """With closes reported, a copy in progress waits for its close (OPEN_QUIET), not the short quiet period."""
    changes = Changes()
    changes.closes_reported = True
    changes.add("talks", "big.png", WRITTEN)
    taken: list[object] = []
    thread = threading.Thread(target=lambda: taken.append(changes.take(0.01, 0.02, 0.01)), daemon=True)
    thread.start()
    thread.join(timeout=STILL_WAITING)  # 50 times the quiet period, 25 times the longest wait
    assert thread.is_alive()
    changes.add("talks", "big.png", FINISHED)
    thread.join(timeout=5)
    assert taken == [frozenset({"talks"})]
    without = Changes()  # polling observers report no closes: the quiet period is all there is
    without.add("talks", "big.png", WRITTEN)
    assert without.take(0.01, 0.02, 0.01) == frozenset({"talks"})


def test_a_slow_copy_is_shown_once_complete_not_once_per_chunk(live: Callable[..., Live]) -> None:
    """A 5 MB picture copied slowly reloaded the deck 20 times with a half-drawn picture (a trial user)."""
    site = live({"talks/a.md": talk("Alpha", "![Big](big.png)"), "talks/big.png": b"\x89PNG old"})
    before = generation(site)
    chunks = [bytes([n]) * 4096 for n in range(8)]
    with open(site.root / "talks" / "big.png", "wb") as f:
        for chunk in chunks:
            f.write(chunk)
            f.flush()
            time.sleep(0.15)  # three times the quiet period between writes
            assert generation(site) == before
    wait_until(lambda: generation(site) > before, "the rebuild after the copy was closed")
    time.sleep(STILL_WAITING)
    assert generation(site) == before + 1
    with urllib.request.urlopen(site.url + "big.png", timeout=10) as response:
        assert response.read() == b"".join(chunks)


@pytest.fixture
def slow_quiet(live: Callable[..., Live], monkeypatch: pytest.MonkeyPatch) -> Live:
    """A served project whose quiet period is an hour: only a finished save ends a burst within a test."""
    monkeypatch.setattr(talkbuild.serve, "LONGEST_WAIT", 2 * HOUR)
    return live({"talks/a.md": talk("Alpha"), "talks/pic.png": b"\x89PNG one"}, quiet=HOUR)


def generation(site: Live) -> int:
    return site.server.hub.current.generation


@pytest.mark.parametrize("how", ["write in place", "rename over", "rename the original away first",
                                 "write a temporary file and rename it over"])
def test_a_save_is_rebuilt_as_soon_as_the_editor_is_done(slow_quiet: Live, how: str) -> None:
    path = slow_quiet.root / "talks" / "a.md"
    text = talk("Alpha", f"saved by {how}")
    if how == "write in place":
        path.write_text(text, encoding="utf-8")
    elif how == "rename over":
        temp = path.with_name("a.md.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    elif how == "rename the original away first":
        os.replace(path, path.with_name("a.md~"))
        path.write_text(text, encoding="utf-8")
    else:
        temp = path.with_name("sedAb12Cd")  # sed -i's name: not a scratch file, so it is watched too
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    slow_quiet.wait_for_page("/a/slides/", f"saved by {how}")
    assert slow_quiet.status()["errors"] == []


def test_no_rebuild_while_the_renamed_talk_has_no_new_file(slow_quiet: Live) -> None:
    path = slow_quiet.root / "talks" / "a.md"
    before = generation(slow_quiet)
    os.replace(path, path.with_name("a.md.orig"))  # a backup name the watcher does not treat as scratch
    time.sleep(STILL_WAITING)
    assert generation(slow_quiet) == before and "Alpha" in slow_quiet.get("/a/slides/")[1]
    path.write_text(talk("Alpha", "the new file"), encoding="utf-8")
    slow_quiet.wait_for_page("/a/slides/", "the new file")


def test_no_rebuild_from_an_image_closed_while_the_talk_is_half_written(slow_quiet: Live) -> None:
    path = slow_quiet.root / "talks" / "a.md"
    before = generation(slow_quiet)
    with open(path, "w", encoding="utf-8") as f:
        f.write("---\ntitle: Alp")
        f.flush()
        (slow_quiet.root / "talks" / "pic.png").write_bytes(b"\x89PNG two")
        time.sleep(STILL_WAITING)
        assert generation(slow_quiet) == before
        f.write(talk("Alpha", "written in two parts")[len("---\ntitle: Alp"):])
    slow_quiet.wait_for_page("/a/slides/", "written in two parts")
    assert slow_quiet.status()["errors"] == []


def test_stopping_leaves_behind_a_watcher_thread_that_never_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    # watchdog joins its own threads without a timeout; one stuck there must not keep serve from ending
    # (a CI run once hung for an hour in a serve test's teardown).
    monkeypatch.setattr(talkbuild.serve.watcher, "STOP_SECONDS", 0.2)
    release = threading.Event()
    watcher = Watcher(Changes())
    stuck = watcher._observer
    monkeypatch.setattr(stuck, "on_thread_stop", lambda: release.wait(), raising=False)
    watcher.start()
    watcher.follow(Config(root=tmp_path))
    stopping = threading.Thread(target=watcher.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=30)
    try:
        assert not stopping.is_alive(), "stop() waited for the stuck watcher"
        assert not release.is_set()
        assert "did not stop within" in caplog.text
    finally:
        release.set()
