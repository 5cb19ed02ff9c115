"""`serve` stops on the first SIGINT or SIGTERM even when Python loses the exception the signal raised."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from serve_support import talk

from talkbuild.serve import LiveServer, serve


@pytest.mark.timeout(60)  # a hang guard: without the fix serve() serves on and never returns
def test_a_stop_whose_keyboardinterrupt_python_swallowed_still_stops(
        make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # A signal's handler runs wherever the main thread is; inside a finalizer Python only reports the exception
    # it raises ("Exception ignored in ..."), so the build went on, and then serve served.
    root = make_project({"talks/a.md": talk("Alpha")})
    lost: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: lost.append(unraisable.exc_type))
    real_start = LiveServer.start

    class Finalized:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)

    def start(self: LiveServer) -> str:
        url = real_start(self)
        Finalized()  # dropped at once: the signal is handled in its __del__
        return url

    monkeypatch.setattr(LiveServer, "start", start)
    lines: list[str] = []
    previous: Any = signal.getsignal(signal.SIGTERM)

    serve(root, "127.0.0.1", 0, report=lines.append)

    assert lost == [KeyboardInterrupt]
    assert "stopping" in lines and not any(line.startswith("serving") for line in lines)
    assert signal.getsignal(signal.SIGTERM) is previous
