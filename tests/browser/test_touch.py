"""Decks, handouts and the presenter on phones and tablets (Chromium's device emulation, real touch input)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from decks import current, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture
def touch(browser: Any, dead_proxy: str) -> Iterator[Any]:
    """new(width, height) -> a page in a phone-like context: touch, mobile, no hover; it reaches only 127.0.0.1."""
    contexts: list[Any] = []

    def new(width: int = 390, height: int = 844) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True,
                                      device_scale_factor=2, proxy={"server": dead_proxy, "bypass": "127.0.0.1"})
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def swipe(page: Any, from_x: float, to_x: float) -> None:
    """One finger dragged across the middle of the screen, as the browser gets it from a touch screen."""
    cdp = page.context.new_cdp_session(page)
    y = page.viewport_size["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]})
    for n in range(1, 7):
        x = from_x + (to_x - from_x) * n / 6
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_swipe_to_the_right_goes_back_a_slide_and_never_leaves_the_deck(touch: Any, demo_site: Path,
                                                                          static_server: Any) -> None:
    # Chrome on Android takes a swipe to the right for the browser's Back unless the page opts out.
    page = touch(820, 1180)
    base = static_server(demo_site)
    page.goto(base + "index.html")
    page.goto(base + "demo/slides/#build-steps")
    wait_ready(page)
    width = page.viewport_size["width"]
    swipe(page, width * 0.2, width * 0.8)
    page.wait_for_function("location.hash !== '#build-steps'", timeout=5000)
    assert "/demo/slides/" in page.url, page.url
    assert current(page) == "opening"
    swipe(page, width * 0.8, width * 0.2)
    page.wait_for_function("location.hash.startsWith('#build-steps')", timeout=5000)


def test_on_a_phone_the_help_fits_the_screen_and_closes_by_touch(touch: Any, demo_site: Path, static_server: Any) -> None:
    page = touch(320, 568)
    page.goto(static_server(demo_site) + "demo/slides/#opening")
    wait_ready(page)
    page.locator("[data-action=help]").tap()
    dialog = page.locator("#tb-help")
    dialog.wait_for(state="visible")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    close = dialog.get_by_role("button", name="Close")
    close.scroll_into_view_if_needed()
    close_box = close.bounding_box()
    assert 0 <= close_box["x"] and close_box["x"] + close_box["width"] <= 320, close_box
    close.tap()
    dialog.wait_for(state="hidden")


def test_on_a_touch_screen_the_controls_do_not_fade(touch: Any, demo_site: Path, static_server: Any) -> None:
    # There is no mouse to bring them back, and a tap on an invisible button still acted.
    page = touch(820, 1180)
    page.goto(static_server(demo_site) + "demo/slides/#opening")
    wait_ready(page)
    page.evaluate("document.documentElement.classList.add('tb-idle')")
    page.wait_for_timeout(400)  # the fade (0.3 s) would be over
    assert float(page.evaluate("getComputedStyle(document.getElementById('tb-controls')).opacity")) == 1.0


def test_on_a_phone_a_long_inline_formula_scrolls_in_its_own_box(touch: Any, make_project: Any,
                                                                static_server: Any, tmp_path: Path) -> None:
    from talkbuild.build import BuildOptions, build
    from talkbuild.config import load_config

    formula = r"$s^2=\{(2-3)^2+(3-3)^2+(1-3)^2+(5-3)^2+(4-3)^2+(6-3)^2+(7-3)^2\}/4$"
    root = make_project({"talks/m.md": f"---\ntitle: M\n---\n\n## P\n\n- Variance: {formula}\n"})
    build(load_config(root), BuildOptions(out_dir=tmp_path / "site"))
    page = touch(390, 844)
    page.goto(static_server(tmp_path / "site") + "m/index.html")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_tablet_held_upright_the_presenters_timer_buttons_are_on_the_screen(touch: Any, demo_site: Path,
                                                                                 static_server: Any) -> None:
    page = touch(834, 1194)
    page.goto(static_server(demo_site) + "demo/slides/?presenter#opening")
    wait_ready(page)
    for action in ("timer-pause", "timer-reset"):
        box = page.locator(f"[data-action={action}]").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 834 and box["y"] + box["height"] <= 1194, action
