"""The test pages' own guard: nothing a page asks for leaves 127.0.0.1, and every such request is recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

OUTSIDE = ["http://203.0.113.7/chart.png", "https://cdn.example.com/deck.css"]
"""A documentation address (RFC 5737) and a name: neither may be reached, with or without DNS."""


def test_a_page_reaches_127_0_0_1_and_nothing_else(page: Any, tmp_path: Path, static_server: Any) -> None:
    (tmp_path / "local.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "index.html").write_text(
        f'<link rel="stylesheet" href="{OUTSIDE[1]}"><img src="{OUTSIDE[0]}"><img src="local.png">', encoding="utf-8")
    failed: list[tuple[str, str]] = []
    served: list[str] = []
    page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
    page.on("requestfinished", lambda request: served.append(request.url))
    url = static_server(tmp_path)
    page.goto(url)
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(100)  # let the failure events of the last requests reach Python
    assert sorted(page.outside_requests) == sorted(OUTSIDE)
    # refused by the guard's proxy, not left to this machine's closed network (a CI runner's is open)
    assert sorted(failed) == [(u, "net::ERR_PROXY_CONNECTION_FAILED") for u in sorted(OUTSIDE)]
    assert url + "local.png" in served
