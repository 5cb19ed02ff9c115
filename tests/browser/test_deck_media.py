"""Audio, video and embedded pages in the deck, in real headless Chromium: they play with their slide only, the
presenter window stays silent, the clicker keeps working after a click on media controls; and the talk's timer."""

from __future__ import annotations

import base64
import io
import math
import re
import struct
import wave
from pathlib import Path
from typing import Any

import pytest
from decks import CURRENT, current, wait_ready
from test_media_fit import build_site

pytestmark = pytest.mark.browser
CONNECTED = "document.getElementById('tb-p-conn').textContent === ''"
PLAYING = "(el => !!el && !el.paused && el.currentTime > 0)(document.querySelector({!r}))"
BACK_ON_THE_SLIDE = "!document.activeElement.matches('audio, video')"


def tone(seconds: float = 4.0) -> bytes:
    """A WAV file: a quiet 440 Hz tone."""
    rate = 8000
    frames = b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(rate * seconds)))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


RECORD = """async () => {
  if (!window.MediaRecorder || !MediaRecorder.isTypeSupported('video/webm')) return null;
  const c = document.createElement('canvas'); c.width = 64; c.height = 48; document.body.appendChild(c);
  const g = c.getContext('2d'), rec = new MediaRecorder(c.captureStream(25), { mimeType: 'video/webm' }), chunks = [];
  rec.ondataavailable = e => chunks.push(e.data);
  let n = 0;
  const paint = setInterval(() => { g.fillStyle = `hsl(${(n++ * 25) % 360}, 80%, 50%)`; g.fillRect(0, 0, 64, 48); }, 40);
  rec.start(200);
  await new Promise(r => setTimeout(r, 3000));
  const stopped = new Promise(r => { rec.onstop = r; });
  rec.stop(); await stopped; clearInterval(paint);
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = ''; for (const b of bytes) s += String.fromCharCode(b);
  return bytes.length ? btoa(s) : null;
}"""


def webm(page: Any) -> bytes | None:
    """A 3-second WebM made in the browser (no ffmpeg needed); None when this Chromium cannot record one."""
    page.goto("about:blank")
    data = page.evaluate(RECORD)
    return base64.b64decode(data) if data else None


def media(page: Any, selector: str) -> dict[str, Any]:
    return dict(page.evaluate(f"""(el => ({{ paused: el.paused, time: el.currentTime, muted: el.muted,
        autoplay: el.autoplay || el.hasAttribute('data-autoplay') }}))(document.querySelector({selector!r}))"""))


TALK = """\
---
title: Media
---

## Start

Nothing plays here.

## Clip {#clip}

<video src="clip.webm" autoplay muted loop width="320" height="240"></video>

## Tone {#tone}

<audio src="tone.wav" autoplay controls></audio>

## Player {#player}

<audio src="tone.wav" controls></audio>

## End {#end}

Thanks.
"""


def test_autoplay_is_not_in_the_built_pages_so_nothing_starts_without_the_deck(tmp_path: Path) -> None:
    site = build_site(tmp_path / "p", TALK, {"tone.wav": tone(), "clip.webm": b""})
    for page in (site / "t/slides/index.html", site / "t/index.html"):
        html = page.read_text(encoding="utf-8")
        assert re.findall(r"<(?:video|audio)\b[^>]*>", html) and not re.search(r"<(?:video|audio)\b[^>]*\sautoplay", html)
        assert html.count("data-autoplay") == 2


def test_audio_autoplays_with_its_slide_only_and_stops_when_the_slide_is_left(page: Any, tmp_path: Path,
                                                                              static_server: Any) -> None:
    base = static_server(build_site(tmp_path / "p", TALK, {"tone.wav": tone(), "clip.webm": b""}))
    page.goto(base + "t/slides/#start")
    wait_ready(page)
    page.wait_for_timeout(500)  # an autoplaying page would have started the tone by now
    assert media(page, "#tone audio")["paused"] and media(page, "#tone audio")["time"] == 0
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    assert current(page) == "tone"
    page.wait_for_function("document.querySelector('#tone audio').currentTime > 0.5")  # playing, for a while
    page.keyboard.press("PageDown")
    assert current(page) == "player" and media(page, "#tone audio")["paused"], "leaving the slide pauses it"
    left_at = media(page, "#tone audio")["time"]
    assert left_at > 0
    page.keyboard.press("PageUp")
    assert media(page, "#tone audio")["time"] < left_at, "entering the slide again starts it from the beginning"
    page.wait_for_function(PLAYING.format("#tone audio"))


def test_a_looping_video_autoplays_with_its_slide_only_and_pauses_when_it_is_left(page: Any, tmp_path: Path,
                                                                                  static_server: Any) -> None:
    clip = webm(page)
    if clip is None:
        pytest.skip("this Chromium cannot record a WebM (MediaRecorder): the audio tests cover the same code")
    base = static_server(build_site(tmp_path / "p", TALK, {"tone.wav": tone(), "clip.webm": clip}))
    page.goto(base + "t/slides/#start")
    wait_ready(page)
    page.wait_for_function("document.querySelector('#clip video').readyState >= 2")  # loaded: it could have started
    page.wait_for_timeout(300)
    assert media(page, "#clip video")["paused"] and media(page, "#clip video")["time"] == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function(PLAYING.format("#clip video"))
    page.keyboard.press("ArrowRight")
    assert current(page) == "tone" and media(page, "#clip video")["paused"], "a looping video stops with its slide"


def test_the_clicker_drives_the_deck_after_a_click_on_media_controls(page: Any, tmp_path: Path,
                                                                    static_server: Any) -> None:
    base = static_server(build_site(tmp_path / "p", TALK, {"tone.wav": tone(), "clip.webm": b""}))
    page.goto(base + "t/slides/#player")
    wait_ready(page)
    controls = page.locator("#player audio").bounding_box()
    page.mouse.click(controls["x"] + 18, controls["y"] + controls["height"] / 2)  # the play button, at its left end
    page.wait_for_function(PLAYING.format("#player audio"))
    page.wait_for_function(BACK_ON_THE_SLIDE)
    for key, slide in (("PageDown", "end"), ("PageUp", "player"), ("ArrowRight", "end"), ("ArrowLeft", "player")):
        page.keyboard.press(key)
        assert current(page) == slide, f"{key} after a click on the play button"
    assert media(page, "#player audio")["paused"], "leaving the slide paused it"
    page.mouse.click(controls["x"] + 18, controls["y"] + controls["height"] / 2)
    page.wait_for_function(PLAYING.format("#player audio"))
    # The slide takes the focus back in a task after the click's: a key pressed within that millisecond (only a
    # test is that fast; the audio had played before, so "playing" held at once) would still reach the audio.
    page.wait_for_function(BACK_ON_THE_SLIDE)
    page.keyboard.press("Space")
    assert current(page) == "end", "Space is the deck's next, as everywhere in the deck"


def test_media_controls_reached_with_tab_keep_their_keys(page: Any, tmp_path: Path, static_server: Any) -> None:
    base = static_server(build_site(tmp_path / "p", TALK, {"tone.wav": tone(), "clip.webm": b""}))
    page.goto(base + "t/slides/#player")
    wait_ready(page)
    for _ in range(6):
        if page.evaluate("document.activeElement.matches('#player audio')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#player audio')")
    page.keyboard.press("Space")
    page.wait_for_function(PLAYING.format("#player audio"))
    assert current(page) == "player", "Space on focused controls plays, it does not go on"


def test_the_presenter_window_never_plays_media_itself_and_its_play_plays_in_the_room(page: Any, tmp_path: Path,
                                                                                     static_server: Any) -> None:
    talk = TALK + "\n## Demo {#demo}\n\n<iframe src=\"demo.html\" title=\"Counter\" width=\"400\" height=\"200\"></iframe>\n"
    files = {"tone.wav": tone(), "clip.webm": b"", "demo.html": b"<!doctype html><title>d</title><p id=x>live demo</p>"}
    base = static_server(build_site(tmp_path / "p", talk, files))
    page.goto(base + "t/slides/#clip")
    wait_ready(page)
    with page.expect_popup() as info:
        page.keyboard.press("s")
    presenter = info.value
    wait_ready(presenter)
    presenter.wait_for_function(CONNECTED)
    assert presenter.evaluate("[...document.querySelectorAll('audio, video')].every(m => m.muted && m.paused && !m.autoplay)")
    # The next-slide preview is a copy of the Tone slide: muted, paused, never autoplaying.
    preview = "#tb-p-next audio"
    presenter.wait_for_selector(preview, state="attached")
    presenter.wait_for_timeout(300)
    assert media(presenter, preview) == {"paused": True, "time": 0, "muted": True, "autoplay": False}
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function(PLAYING.format("#tone audio"))  # the audience's window plays it
    assert media(presenter, f"{CURRENT} audio")["paused"], "the presenter's copy does not"
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('#tone audio').paused")
    # A play pressed on the presenter's current slide plays the audience's copy; the presenter's stays muted.
    controls = presenter.locator(f"{CURRENT} audio").bounding_box()
    presenter.mouse.click(controls["x"] + 18, controls["y"] + controls["height"] / 2)
    page.wait_for_function(PLAYING.format("#player audio"))
    assert media(presenter, f"{CURRENT} audio")["muted"]
    # Embedded pages run in the audience's window only; the presenter shows where they are.
    presenter.keyboard.press("End")
    page.wait_for_function(f"document.querySelector('{CURRENT}').id === 'demo'")
    assert page.frame_locator("#demo iframe").locator("#x").inner_text() == "live demo"
    frames = presenter.evaluate("[...document.querySelectorAll('iframe')].map(f => [f.getAttribute('src'), f.srcdoc])")
    assert frames and all(src is None and "live in the slides window" in doc for src, doc in frames)


def elapsed(presenter: Any) -> int:
    m, s = presenter.locator("#tb-p-elapsed").inner_text().split(":")[-2:]
    return int(m) * 60 + int(s)


def test_the_talks_timer_goes_on_when_the_presenter_window_is_closed_and_opened_again(page: Any, demo_site: Path,
                                                                                      static_server: Any) -> None:
    base = static_server(demo_site) + "demo/slides/"
    page.goto(base + "#opening")
    wait_ready(page)
    with page.expect_popup() as info:
        page.keyboard.press("s")
    presenter = info.value

    def reopen(old: Any) -> Any:
        # Opened again by hand (S again may, in a test, reach the window being closed: they share its name).
        old.close()
        presenter = page.context.new_page()
        presenter.goto(base + "?presenter")
        wait_ready(presenter)
        presenter.wait_for_function(CONNECTED)
        return presenter

    wait_ready(presenter)
    presenter.wait_for_function("document.getElementById('tb-p-elapsed').textContent >= '0:02'", timeout=10_000)
    before = elapsed(presenter)
    presenter = reopen(presenter)
    presenter.wait_for_timeout(1100)  # the first tick after the talk's timer came in
    assert elapsed(presenter) >= before, "the elapsed time belongs to the talk, not to the presenter's window"
    presenter.get_by_role("button", name="Reset").click()
    presenter.get_by_role("button", name="Pause").click()
    presenter = reopen(presenter)
    presenter.wait_for_function("document.getElementById('tb-p-pause').textContent === 'Resume'")
    assert elapsed(presenter) == 0, "Reset and Pause in one presenter window hold for the next"


def test_a_presenter_opened_by_hand_from_disk_says_it_follows_the_slides_and_does(page: Any, demo_site: Path) -> None:
    slides = (demo_site / "demo/slides/index.html").as_uri()
    page.goto(slides + "?presenter")
    wait_ready(page)
    page.wait_for_function("document.getElementById('tb-p-conn').textContent.startsWith('Not connected')")
    text = page.locator("#tb-p-conn").inner_text()
    assert "Open the slides" in text and "Press S" not in text and "only" not in text
    deck = page.context.new_page()
    deck.goto(slides + "#pauses")
    wait_ready(deck)
    page.wait_for_function(CONNECTED, timeout=5000)
    page.wait_for_function(f"document.querySelector('{CURRENT}').id === 'pauses'")
    deck.keyboard.press("End")
    page.wait_for_function(f"document.querySelector('{CURRENT}').id === 'the-end'")


def test_a_same_origin_embedded_page_passes_the_clickers_keys_to_the_deck(page: Any, tmp_path: Path,
                                                                          static_server: Any) -> None:
    talk = ("---\ntitle: Demo\n---\n\n## Demo {#demo}\n\n<iframe src=\"demo.html\" title=\"Demo\" width=\"400\" "
            "height=\"200\"></iframe>\n\n## After {#after}\n\nThanks.\n")
    demo = b"<!doctype html><title>d</title><input id=box><p>demo</p>"
    base = static_server(build_site(tmp_path / "p", talk, {"demo.html": demo}))
    page.goto(base + "t/slides/#demo")
    wait_ready(page)
    frame = page.frame_locator("#demo iframe")
    frame.locator("p").click()  # the keys now go to the embedded page
    page.keyboard.press("ArrowRight")
    assert current(page) == "demo", "the demo's own keys stay the demo's"
    page.keyboard.press("PageDown")
    page.wait_for_function(f"document.querySelector('{CURRENT}').id === 'after'")
    page.keyboard.press("PageUp")
    frame.locator("#box").click()
    page.keyboard.press("PageDown")
    assert current(page) == "demo", "keys typed into the demo's fields are the demo's"


STEPS_AND_NOTES = """\
---
title: Steps
---

## Start

Nothing plays here.

## Step audio {#step}

Before the clip.

. . .

<audio id="in-step" src="tone.wav" autoplay controls loop></audio>

## Notes audio {#noted}

Nothing audible here.

::: notes
Play this if asked: <audio id="in-notes" src="tone.wav" autoplay controls loop></audio>
:::

## End {#end}

Thanks.
"""


def test_media_in_a_step_play_with_the_step_and_media_in_notes_never_by_themselves(page: Any, tmp_path: Path,
                                                                                   static_server: Any) -> None:
    """A re-trial heard a clip in a step before the step was revealed, and a clip kept in the notes in the room."""
    base = static_server(build_site(tmp_path / "p", STEPS_AND_NOTES, {"tone.wav": tone()}))
    page.goto(base + "t/slides/#start")
    wait_ready(page)
    page.keyboard.press("PageDown")
    assert current(page) == "step"
    page.wait_for_timeout(500)  # would have started by now, hidden in its step
    assert media(page, "#in-step")["paused"] and media(page, "#in-step")["time"] == 0
    page.keyboard.press("PageDown")  # the step is revealed: its clip starts
    assert current(page) == "step"
    page.wait_for_function(PLAYING.format("#in-step"))
    page.keyboard.press("PageUp")  # hidden again: silent
    assert current(page) == "step" and media(page, "#in-step")["paused"]
    page.keyboard.press("PageDown")
    page.wait_for_function(PLAYING.format("#in-step"))
    page.keyboard.press("PageDown")  # the notes' clip is the speaker's, not the room's
    assert current(page) == "noted" and media(page, "#in-step")["paused"]
    page.wait_for_timeout(500)
    assert media(page, "#in-notes")["paused"] and media(page, "#in-notes")["time"] == 0
