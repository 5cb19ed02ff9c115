"""When a burst of saves is over: at once when its last event finished a save, else after a quiet period."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from serve_support import Live, talk

import talkbuild.serve
from talkbuild.serve.watcher import Changes

HOUR = 3600.0
"""A quiet period no test waits for: a take() that returns did not wait for it."""


def take_in_thread(changes: Changes, *, quiet: float, settle: float) -> tuple[threading.Thread, list[object]]:
    taken: list[object] = []
    thread = threading.Thread(target=lambda: taken.append(changes.take(quiet, 2 * HOUR, settle)), daemon=True)
    thread.start()
    return thread, taken


def test_a_finished_save_ends_the_burst_without_the_quiet_period() -> None:
    changes = Changes()
    changes.add("talks")
    changes.add("talks", finished=True)  # the file was closed after writing
    thread, taken = take_in_thread(changes, quiet=HOUR, settle=0.01)
    thread.join(timeout=15)
    assert taken == [frozenset({"talks"})]


def test_a_write_not_known_to_be_finished_waits_until_one_is() -> None:
    changes = Changes()
    changes.add("talks")
    thread, taken = take_in_thread(changes, quiet=HOUR, settle=0.01)
    thread.join(timeout=0.5)
    assert thread.is_alive() and taken == []  # still waiting: nothing said the writer was done
    changes.add("theme", finished=True)
    thread.join(timeout=15)
    assert taken == [frozenset({"talks", "theme"})]


def test_a_change_after_a_finished_save_restarts_the_quiet_period() -> None:
    changes = Changes()
    changes.add("talks", finished=True)
    changes.add("talks")  # the editor wrote again (or changed the mode) after closing
    thread, taken = take_in_thread(changes, quiet=HOUR, settle=0.01)
    thread.join(timeout=0.5)
    assert thread.is_alive() and taken == []
    changes.close()
    thread.join(timeout=15)
    assert taken == [None]


@pytest.mark.parametrize("how", ["write in place", "rename over"])
def test_a_save_is_rebuilt_as_soon_as_the_file_is_closed_or_renamed(
        live: Callable[..., Live], monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr(talkbuild.serve, "LONGEST_WAIT", 2 * HOUR)
    site = live({"talks/a.md": talk("Alpha")}, quiet=HOUR)  # only a finished save can end a burst
    path = site.root / "talks" / "a.md"
    if how == "write in place":
        path.write_text(talk("Alpha", "saved in place"), encoding="utf-8")
        site.wait_for_page("/a/slides/", "saved in place")
    else:
        temp = path.with_name("a.md.tmp")
        temp.write_text(talk("Alpha", "renamed into place"), encoding="utf-8")
        os.replace(temp, path)
        site.wait_for_page("/a/slides/", "renamed into place")
