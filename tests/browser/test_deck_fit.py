"""Fitting slides to the stage in real headless Chromium: the largest size that fits, also once images arrive."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from decks import wait_ready

pytestmark = pytest.mark.browser

LADDER = """(() => { const sizes = [1]; let f = 1; while (f > 0.5) { f = Math.max(0.5, f * 0.93); sizes.push(f); }
  return sizes.map(s => s.toFixed(3)); })()"""
"""The sizes the deck tries, largest first (as deck.js steps down: 7 % at a time, never below half)."""

MEASURE = """(slide) => {
  const body = slide.querySelector('.tb-slide-body');
  const tall = body.scrollHeight > body.clientHeight + 1;
  const wide = Array.from(body.querySelectorAll('pre')).some(p => p.scrollWidth > p.clientWidth + 1);
  return {id: slide.id, fit: slide.style.getPropertyValue('--tb-fit') || '1.000', wrap: slide.classList.contains('tb-wrap'),
          tall: tall, wide: wide};
}"""


def build_site(root: Path, talk: str, files: dict[str, str] | None = None) -> Path:
    from talkbuild.build import build
    from talkbuild.config import load_config

    (root / "talks").mkdir(parents=True)
    (root / "talks/t.md").write_text(talk, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / "talks" / name).write_text(text, encoding="utf-8")
    return build(load_config(root)).out_dir


def slides_text() -> str:
    parts = ["---\ntitle: Fitting\n---\n"]
    for n in (2, 6, 10, 14, 18, 24, 32):
        parts.append(f"## {n} points {{#list-{n}}}\n\n" + "".join(f"- point {i} of {n}, with a few words more\n" for i in range(n)))
    long_line = "srun --ntasks=4 " + " ".join(f"--option-{i}=value" for i in range(12))
    parts.append("## One long line {#wide}\n\n```bash\n" + long_line + "\necho done\n```\n")
    parts.append("## Long lines and many {#wide-and-tall}\n\n```bash\n" + "\n".join([long_line] * 9) + "\n```\n")
    parts.append("## Prose {#prose}\n\n" + "A sentence that goes on for a while, as speakers' sentences do. " * 40 + "\n")
    return "\n".join(parts)


def test_every_slide_gets_the_largest_size_that_fits(page: Any, tmp_path: Path, static_server: Any) -> None:
    site = build_site(tmp_path / "p", slides_text())
    page.goto(static_server(site) + "t/slides/")
    wait_ready(page)
    ladder = page.evaluate(LADDER)
    rows = page.evaluate(f"Array.from(document.querySelectorAll('#tb-stage > section.slide')).map({MEASURE})")
    assert [r["id"] for r in rows][1:] == ["list-2", "list-6", "list-10", "list-14", "list-18", "list-24", "list-32",
                                           "wide", "wide-and-tall", "prose"]
    for row in rows:
        assert row["fit"] in ladder, row
        assert row["fit"] == ladder[-1] or not (row["tall"] or (row["wide"] and not row["wrap"])), f"overflows: {row}"
        if row["fit"] != "1.000":  # one step larger would not fit (code wraps only from 0.804 down)
            larger = ladder[ladder.index(row["fit"]) - 1]
            wrap = "true" if row["wrap"] and ladder.index(larger) >= ladder.index("0.804") else "false"
            bigger = page.evaluate(f"""(() => {{ const s = document.getElementById({row['id']!r});
                const had = s.classList.contains('tb-wrap');
                s.style.setProperty('--tb-fit', {larger!r}); s.classList.toggle('tb-wrap', {wrap}); const m = ({MEASURE})(s);
                s.style.setProperty('--tb-fit', {row['fit']!r}); s.classList.toggle('tb-wrap', had); return m; }})()""")
            assert bigger["tall"] or bigger["wide"], f"{row['id']} could be larger: {bigger}"
    fits = {r["id"]: r["fit"] for r in rows}
    assert fits["list-2"] == "1.000" and fits["list-32"] < fits["list-14"] < "1.000", fits
    # A long line of code shrinks its slide to 0.804 at most, then wraps; more lines may shrink it further.
    assert {r["id"] for r in rows if r["wrap"]} == {"wide", "wide-and-tall"} and fits["wide"] == "0.804", rows


AT_READY = """new MutationObserver((records, observer) => {
  if (!document.documentElement.hasAttribute('data-tb-ready')) return;
  const slide = document.getElementById('picture');
  window.__atReady = Object.assign((%s)(slide), {image: slide.querySelector('img').naturalWidth});
  observer.disconnect();
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-tb-ready']});"""
"""Records the picture slide as it is when the deck says it is ready (what printing to PDF waits for)."""


@pytest.fixture
def slow_image() -> Iterator[str]:
    """The URL of a 1600x1000 picture served by 127.0.0.1 a second after it is asked for (a slow network)."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><rect width="1600" height="1000" fill="#369"/></svg>'

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(1.0)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.send_header("Content-Length", str(len(svg)))
            self.end_headers()
            self.wfile.write(svg)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/photo.svg"
    httpd.shutdown()
    httpd.server_close()


def test_a_slide_is_fitted_again_when_its_image_arrives(page: Any, tmp_path: Path, static_server: Any,
                                                        slow_image: str) -> None:
    talk = (f"---\ntitle: Late\n---\n\n## Picture {{#picture}}\n\n![A wide photograph]({slow_image})\n\n"
            + "".join(f"- what the photograph shows, part {i}\n" for i in range(6)))  # fit without the picture, not with it
    site = build_site(tmp_path / "p", talk)
    page.add_init_script(AT_READY % MEASURE)
    page.goto(static_server(site) + "t/slides/#picture", wait_until="commit")
    wait_ready(page)
    at_ready = page.evaluate("window.__atReady")
    assert at_ready["image"] == 1600, "ready only once the picture is in"
    assert not at_ready["tall"] and at_ready["fit"] < "1.000", at_ready
