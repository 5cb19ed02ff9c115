"""Serve: from saving a talk to headless Chromium having painted the new content (live reload).

Two views are measured, each with its own `talkbuild serve`: the talk's handout, and its deck open at the
first content slide (what a speaker looks at while writing; the deck viewer fits every slide on load).
Each save writes a new marker paragraph into that slide. The clock starts just before the file is written
(epoch ms in the harness) and stops at the second animation frame after the reloaded document's
DOMContentLoaded (epoch ms in the page, recorded by an init script), so Playwright's own polling adds
nothing. Both clocks are this machine's wall clock.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from .build_stages import EDITED_TALK, talkbuild_cmd
from .corpus import talk_slug
from .measure import Figure, Sample, TreeSampler

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAINTED = """
document.addEventListener('DOMContentLoaded', () =>
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.__benchPainted = performance.timeOrigin + performance.now();
  })));
"""


def _url_from(proc: subprocess.Popen[str], lines: list[str]) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise RuntimeError("talkbuild serve exited:\n" + "".join(lines[-20:]))
        lines.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return found.group(0)
    raise RuntimeError("talkbuild serve printed no URL in 300 s")


EDITED_SLIDE = "s-0"
"""The slide each save changes (every talk of the bench corpus has it): the deck is opened at it."""
VIEWS = {"handout": "", "deck": f"slides/#{EDITED_SLIDE}"}


def with_marker(text: str, marker: str) -> str:
    """The talk with `marker` as a paragraph at the start of slide EDITED_SLIDE's body."""
    heading_end = text.index("{#" + EDITED_SLIDE + "}\n") + len(EDITED_SLIDE) + 4
    return f"{text[:heading_end]}\n{marker}\n{text[heading_end:]}"


def measure(project: Path, runs: int, fig: Figure, view: str = "handout") -> Figure:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        fig.skipped = "playwright not installed (pip install playwright)"
        return fig
    chromium = shutil.which("chromium")
    if not chromium:
        fig.skipped = "chromium not installed (apt-get install -y chromium)"
        return fig
    talk = project / "talks" / f"{talk_slug(EDITED_TALK)}.md"
    original = talk.read_text(encoding="utf-8")
    proc = subprocess.Popen(talkbuild_cmd("serve", "-C", str(project), "--port", "0"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        base = _url_from(proc, lines)
        # keep draining its log so it never blocks on a full pipe
        threading.Thread(target=lines.extend, args=(proc.stderr or [],), daemon=True).start()
        page_url = f"{base}{talk_slug(EDITED_TALK)}/{VIEWS[view]}"
        urllib.request.urlopen(page_url.split("#")[0], timeout=60).read()
        with TreeSampler(proc.pid) as sampler, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.add_init_script(PAINTED)
            page = context.new_page()
            page.goto(page_url)
            page.wait_for_function("window.__benchPainted !== undefined")
            time.sleep(1.0)  # let the live-reload stream connect
            for n in range(runs):
                marker = f"bench-serve-marker-{n}-{time.time_ns()}"
                edited = with_marker(original, marker)
                saved_ms = time.time() * 1000
                talk.write_text(edited, encoding="utf-8")
                fallback = time.perf_counter()
                _wait_for(page, marker)
                waited = time.perf_counter() - fallback
                painted = page.evaluate("window.__benchPainted")
                seconds = (painted - saved_ms) / 1000 if painted and painted > saved_ms else waited
                fig.samples.append(Sample(seconds, 0.0, sampler.peak_kb / 1024, 0))
                time.sleep(0.3)  # a quiet gap, so the next save is a new burst for the debouncer
            browser.close()
        peak = sampler.peak_kb / 1024
        fig.samples = [Sample(s.seconds, peak, peak, 0) for s in fig.samples]
        rebuilt = [float(m.group(1)) for line in lines for m in [re.search(r"rebuilt .* in (\d+(?:\.\d+)?) ?ms", line)] if m]
        if rebuilt:
            rebuilt.sort()
            fig.extra["in_process_rebuild_ms_median"] = rebuilt[len(rebuilt) // 2]
            fig.extra["in_process_rebuild_ms"] = rebuilt
        what = "handout" if view == "handout" else f"deck at #{EDITED_SLIDE}"
        fig.note = (f"`talkbuild serve`, {what} of talks/{talk_slug(EDITED_TALK)}.md open in headless Chromium; "
                    "save -> second animation frame of the reloaded page; memory = serve's process tree")
        if rebuilt:
            fig.note += f"; serve's own log: rebuilt in {fig.extra['in_process_rebuild_ms_median']:.0f} ms (median)"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        talk.write_text(original, encoding="utf-8")
    return fig


def _wait_for(page: object, marker: str, timeout: float = 30.0) -> None:
    """Until the page shows `marker` and has painted it; survives the reload's navigation."""
    deadline = time.monotonic() + timeout
    script = f"document.body && document.body.innerText.includes({marker!r}) && window.__benchPainted !== undefined"
    while time.monotonic() < deadline:
        try:
            page.wait_for_function(script, timeout=max(1.0, deadline - time.monotonic()) * 1000)  # type: ignore[attr-defined]
            return
        except Exception as exc:  # navigation destroys the context mid-wait: wait again on the new document
            if "Timeout" in type(exc).__name__:
                raise
            time.sleep(0.005)
    raise TimeoutError(f"the page never showed {marker}")
