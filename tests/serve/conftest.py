"""A real dev server on an ephemeral port, started in this process for each test that asks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serve_support import Live

from talkbuild.serve import LiveServer


@pytest.fixture
def live(make_project: Callable[..., Path]) -> Iterator[Callable[..., Live]]:
    """live({"talks/a.md": ...}) -> a started server for that project, stopped after the test."""
    started: list[Live] = []

    def start(files: dict[str, str | bytes], **options: object) -> Live:
        root = make_project(files)
        lines: list[str] = []
        server = LiveServer(root, "127.0.0.1", 0, report=lines.append, **options)  # type: ignore[arg-type]
        server.start()
        instance = Live(server, root, lines)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.server.stop()
