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
  // long code scrolls in its block rather than making the body overflow: what it hides counts as too tall
  const tall = body.scrollHeight > body.clientHeight + 1
    || Array.from(body.querySelectorAll('pre')).some(p => p.scrollHeight > p.clientHeight + 1);
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
    # As the code column's text shrinks, the picture beside it grows: the slide fits at 0.93, not at 0.804.
    parts.append("## Code beside a picture {#code-pic}\n\n::: columns\n::: column\n```text\n" + "y" * 74 + "\n"
                 + "z" * 69 + "\n```\n:::\n::: column\n![A square](square.svg)\n\n" + "word " * 10 + "\n:::\n:::\n")
    return "\n".join(parts)


SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><rect width="1000" height="1000" fill="#369"/></svg>'


def test_every_slide_gets_the_largest_size_that_fits(page: Any, tmp_path: Path, static_server: Any) -> None:
    site = build_site(tmp_path / "p", slides_text(), {"square.svg": SQUARE})
    page.goto(static_server(site) + "t/slides/")
    wait_ready(page)
    ladder = page.evaluate(LADDER)
    rows = page.evaluate(f"Array.from(document.querySelectorAll('#tb-stage > section.slide')).map({MEASURE})")
    assert [r["id"] for r in rows][1:] == ["list-2", "list-6", "list-10", "list-14", "list-18", "list-24", "list-32",
                                           "wide", "wide-and-tall", "prose", "code-pic"]
    for row in rows:
        assert row["fit"] in ladder, row
        assert row["fit"] == ladder[-1] or not (row["tall"] or (row["wide"] and not row["wrap"])), f"overflows: {row}"
        for larger in ladder[:ladder.index(row["fit"])]:  # no larger size fits (code wraps only from 0.804 down)
            wrap = "true" if row["wrap"] and ladder.index(larger) >= ladder.index("0.804") else "false"
            bigger = page.evaluate(f"""(() => {{ const s = document.getElementById({row['id']!r});
                const had = s.classList.contains('tb-wrap');
                s.style.setProperty('--tb-fit', {larger!r}); s.classList.toggle('tb-wrap', {wrap}); const m = ({MEASURE})(s);
                s.style.setProperty('--tb-fit', {row['fit']!r}); s.classList.toggle('tb-wrap', had); return m; }})()""")
            assert bigger["tall"] or bigger["wide"], f"{row['id']} could be {larger}: {bigger}"
    fits = {r["id"]: r["fit"] for r in rows}
    assert fits["list-2"] == "1.000" and fits["list-32"] < fits["list-14"] < "1.000", fits
    # A long line of code shrinks its slide to 0.804 at most, then wraps; more lines may shrink it further.
    assert {r["id"] for r in rows if r["wrap"]} == {"wide", "wide-and-tall"} and fits["wide"] == "0.804", rows


NEVER_IDLE = "window.requestIdleCallback = () => 0;"
"""A page that is never idle: the deck fits only the slides it shows (and the next one)."""


def fitting(page: Any) -> dict[str, dict[str, Any]]:
    rows = page.evaluate(f"Array.from(document.querySelectorAll('#tb-stage > section.slide')).map({MEASURE})")
    return {r["id"]: r for r in rows}


def test_a_slide_shown_before_its_turn_is_fitted_as_it_would_have_been(page: Any, tmp_path: Path,
                                                                       static_server: Any) -> None:
    # The slide shown first and the next one are fitted before the first paint, the others when the page is idle.
    site = build_site(tmp_path / "p", slides_text(), {"square.svg": SQUARE})
    url = static_server(site) + "t/slides/"
    page.goto(url)
    wait_ready(page)
    settled = fitting(page)
    busy = page.context.new_page()
    busy.add_init_script(NEVER_IDLE)
    busy.goto(url + "#list-2")
    busy.wait_for_selector("html.tb-ready-js", state="attached")
    now = fitting(busy)
    assert now["list-2"] == settled["list-2"] and now["list-6"] == settled["list-6"], "the slide shown and the next"
    assert now["list-18"]["tall"] and not settled["list-18"]["tall"], "further on: fitted in an idle moment"
    assert not busy.evaluate("document.documentElement.hasAttribute('data-tb-ready')"), "ready once all are fitted"
    busy.evaluate("location.hash = '#list-18'")  # a jump
    busy.wait_for_function("document.getElementById('list-18').classList.contains('tb-current')")
    assert fitting(busy)["list-18"] == settled["list-18"]
    busy.keyboard.press("o")  # the overview shows every slide: all are fitted first, at full size
    busy.keyboard.press("Escape")
    assert fitting(busy) == settled
    busy.wait_for_selector("html[data-tb-ready]", state="attached", timeout=5000)  # not the 10 s valve
    printing = page.context.new_page()
    printing.add_init_script(NEVER_IDLE)
    printing.goto(url)
    printing.wait_for_selector("html.tb-ready-js", state="attached")
    printing.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert fitting(printing) == settled


def table_deck(root: Path) -> Path:
    """Tables whose fitted size depends on the window: at 640x360 the longest fits one size smaller than at 1280x720."""
    rows = [f"| row {i} | some value {i} | another cell with words {i} | {i * 7} |" for i in range(14)]
    parts = ["---\ntitle: Tables\n---\n"]
    for n in range(6):
        parts.append(f"## Table {n} {{#t{n}}}\n\n| a | b | c | d |\n|---|---|---|---|\n" + "\n".join(rows[: 8 + n]) + "\n")
    return build_site(root, "\n".join(parts))


def test_a_resized_window_is_fitted_again(page: Any, tmp_path: Path, static_server: Any) -> None:
    url = static_server(table_deck(tmp_path / "p")) + "t/slides/"
    small = page.context.new_page()
    small.set_viewport_size({"width": 640, "height": 360})
    small.goto(url)
    wait_ready(small)
    fresh = fitting(small)
    page.goto(url)
    wait_ready(page)
    assert fitting(page) != fresh, "the tables fit differently at the two sizes"
    page.set_viewport_size({"width": 640, "height": 360})
    page.wait_for_function(f"document.getElementById('t5').style.getPropertyValue('--tb-fit') === {fresh['t5']['fit']!r}")
    assert fitting(page) == fresh


def test_content_too_wide_for_the_slide_shrinks_then_wraps_and_never_runs_off(page: Any, tmp_path: Path,
                                                                             static_server: Any) -> None:
    cells = " | ".join(["averyveryverylongcellvalue"] * 3 + ["x"] * 7 + ["LASTCOLUMN"])
    talk = ("---\ntitle: Wide\n---\n\n## Wide table {#table}\n\n| A | B | C | D | E | F | G | H | I | J | K |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n| " + cells + " |\n\n"
            "## Long address {#url}\n\nSee https://example.org/" + "a-very-long-path-segment/" * 8 + "index.html\n\n"
            "## Short {#short}\n\nFits as it is.\n\n"
            "## Many columns {#columns}\n\n|" + "|".join(f"Column{c}" for c in range(10)) + "|\n|" + "---|" * 10 + "\n|"
            + "|".join(f"value{c:02d}" for c in range(10)) + "|\n\n"
            "## A fixed box {#box}\n\n<div style=\"width: 1600px\">A fixed width box</div>\n\nText after it.\n")
    page.goto(static_server(build_site(tmp_path / "p", talk)) + "t/slides/")
    wait_ready(page)
    rows = page.evaluate("""Array.from(document.querySelectorAll('#tb-stage > section.slide')).map(s => {
        const b = s.querySelector('.tb-slide-body');
        return {id: s.id, fit: s.style.getPropertyValue('--tb-fit') || '1.000', wrap: s.classList.contains('tb-wrap'),
                broad: b.scrollWidth > b.clientWidth + 1, last: (() => { const c = s.querySelector('td:last-child');
                  return c ? c.getBoundingClientRect().right <= b.getBoundingClientRect().right + 1 : true; })()};
    })""")
    by_id = {r["id"]: r for r in rows}
    assert by_id["table"]["last"], "the last column is on the slide"
    assert not any(r["broad"] for r in rows if r["id"] != "box"), rows
    assert by_id["table"]["fit"] < "1.000"
    # A table that fits by shrinking keeps its words (no 'Colu/mn0', no 'valu/e00')...
    assert by_id["columns"]["fit"] < "1.000" and not by_id["columns"]["wrap"], by_id["columns"]
    # ...and a box of a fixed width, which shrinking does not narrow, leaves the text at its size.
    assert by_id["box"]["fit"] == "1.000" and not by_id["box"]["wrap"], by_id["box"]
    assert by_id["short"] == {"id": "short", "fit": "1.000", "wrap": False, "broad": False, "last": True}


def test_pictures_give_way_when_the_text_is_at_its_smallest(page: Any, tmp_path: Path, static_server: Any) -> None:
    # A contact slide: three stacked pictures and a line each; at half-size text the last line was cut off.
    talk = ("---\ntitle: Contact\n---\n\n## Contact {#contact}\n\n"
            + "".join(f"![icon {n}](square.svg) line {n}\n\n" for n in range(3)) + "me@example.org\n")
    page.goto(static_server(build_site(tmp_path / "p", talk, {"square.svg": SQUARE})) + "t/slides/")
    wait_ready(page)
    row = page.evaluate(f"({MEASURE})(document.getElementById('contact'))")
    assert not row["tall"], row
    assert page.evaluate("document.getElementById('contact').style.getPropertyValue('--tb-pic')") != ""


HOLD_REFITS = """(() => { const later = window.setTimeout;
  window.setTimeout = function (fn, ms) {
    if (fn && fn.name === 'refitQueued') { window.__held = (window.__held || 0) + 1; return 0; }
    return later.apply(this, arguments);
  }; })();"""
"""The deck's refit after a picture arrives never runs by itself: as if the page were printed first."""


def test_printing_fits_a_slide_whose_picture_has_just_arrived(page: Any, tmp_path: Path, static_server: Any,
                                                             slow_image: str) -> None:
    talk = (f"---\ntitle: Late\n---\n\n## Picture {{#picture}}\n\n![A wide photograph]({slow_image})\n\n"
            + "".join(f"- what the photograph shows, part {i}\n" for i in range(6)))
    site = build_site(tmp_path / "p", talk)
    page.add_init_script(HOLD_REFITS)
    page.goto(static_server(site) + "t/slides/#picture", wait_until="commit")
    page.wait_for_function("(document.querySelector('#picture img') || {}).naturalWidth === 1600 && window.__held > 0",
                           timeout=15000)
    assert page.evaluate(f"({MEASURE})(document.getElementById('picture'))")["tall"], "held: not fitted yet"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    row = page.evaluate(f"({MEASURE})(document.getElementById('picture'))")
    assert not row["tall"] and row["fit"] < "1.000", row


AT_READY = """new MutationObserver((records, observer) => {
  if (!document.documentElement.hasAttribute('data-tb-ready')) return;
  const slide = document.getElementById('picture');
  window.__atReady = Object.assign((%s)(slide), {image: slide.querySelector('img').naturalWidth});
  observer.disconnect();
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-tb-ready']});"""
"""Records the picture slide as it is when the deck says it is ready (what printing to PDF waits for)."""


@pytest.fixture
def slow_image() -> Iterator[str]:
    """The URL of a 1600x1000 picture served by 127.0.0.1 a second after it is asked for (a slow network;
    `?delay=S` for another delay); any other path of that server is a 404, as slow."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><rect width="1600" height="1000" fill="#369"/></svg>'

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path, _, delay = self.path.partition("?delay=")
            time.sleep(float(delay or 1.0))
            if path != "/photo.svg":
                self.send_error(404)
                return
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


def test_a_picture_arriving_while_the_overview_is_open_is_fitted_on_leaving_it(page: Any, tmp_path: Path,
                                                                               static_server: Any, slow_image: str) -> None:
    # Measured on the overview's thumbnails, the sizes would be wrong: the slide waits until the overview closes.
    talk = (f"---\ntitle: Late\n---\n\n## Picture {{#picture}}\n\n![A wide photograph]({slow_image}?delay=3)\n\n"
            + "".join(f"- what the photograph shows, part {i}\n" for i in range(6)))
    site = build_site(tmp_path / "p", talk)
    page.goto(static_server(site) + "t/slides/#picture", wait_until="commit")
    page.wait_for_selector("html.tb-ready-js", state="attached")
    page.keyboard.press("o")
    assert page.evaluate("document.documentElement.classList.contains('tb-overview')")
    page.wait_for_function("document.querySelector('#picture img').naturalWidth === 1600", timeout=15000)
    page.wait_for_timeout(300)  # time for a fit, had one been started
    fit = "document.getElementById('picture').style.getPropertyValue('--tb-fit')"
    assert page.evaluate(fit) == "" and page.evaluate("!document.documentElement.hasAttribute('data-tb-ready')")
    page.keyboard.press("Escape")
    wait_ready(page)
    row = page.evaluate(f"({MEASURE})(document.getElementById('picture'))")
    assert not row["tall"] and row["fit"] < "1.000", row


def test_the_deck_is_ready_without_pictures_that_never_show_or_never_come(page: Any, tmp_path: Path, static_server: Any,
                                                                         slow_image: str) -> None:
    # A lazy picture in the speaker notes or in a closed <details> never loads; a missing one fails, late.
    missing = slow_image.replace("photo.svg", "missing.svg")
    talk = ("---\ntitle: Never\n---\n\n## Notes {#with-notes}\n\nText.\n\n::: notes\n"
            "See <img loading=\"lazy\" src=\"square.svg\" alt=\"n\">\n:::\n\n"
            "## Details {#with-details}\n\n<details><summary>More</summary><img loading=\"lazy\" src=\"square.svg\" "
            f"alt=\"f\"></details>\n\n## Gone {{#gone}}\n\n![Not there]({missing})\n")
    site = build_site(tmp_path / "p", talk, {"square.svg": SQUARE})
    page.goto(static_server(site) + "t/slides/", wait_until="commit")
    # Well before the deck's own limit (10 s) for what is still loading: ready once the 404 is in.
    page.wait_for_selector("html[data-tb-ready]", state="attached", timeout=5000)
    assert page.evaluate("document.querySelector('#gone img').complete")


def test_a_wide_formula_shrinks_until_it_fits_and_one_that_cannot_stays_at_half(page: Any, tmp_path: Path,
                                                                               static_server: Any) -> None:
    # A teacher's polynomial: the formula scrolls inside itself (it takes the focus), so the slide never saw it
    # overflow; it stayed at full size, cut off on screen and in `talkbuild pdf`.
    terms = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(13))
    huge = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(60))
    talk = (f"---\ntitle: F\n---\n\n## Long formula {{#poly}}\n\n$$\nf(x) = {terms}\n$$\n\n"
            f"## Far too long {{#huge}}\n\n$$\ng(x) = {huge}\n$$\n\n## Short {{#short}}\n\n$$\ny = x^2\n$$\n")
    page.goto(static_server(build_site(tmp_path / "p", talk)) + "t/slides/")
    wait_ready(page)
    rows = page.evaluate("""Array.from(document.querySelectorAll('#tb-stage > section.slide')).map(s => {
        const m = s.querySelector('math[display="block"]');
        return {id: s.id, fit: s.style.getPropertyValue('--tb-fit') || '1.000',
                over: m ? m.scrollWidth - m.clientWidth : 0};
    })""")
    by_id = {r["id"]: r for r in rows}
    assert by_id["poly"]["fit"] < "1.000" and by_id["poly"]["over"] <= 1, by_id["poly"]
    assert float(by_id["huge"]["fit"]) < 0.56, by_id["huge"]  # about as small as it goes, then it scrolls
    assert by_id["short"]["fit"] == "1.000", by_id["short"]


def test_formulas_ask_for_a_math_font_before_the_generic_one(page: Any, tmp_path: Path, static_server: Any) -> None:
    # Chromium on Debian maps the generic `math` family to Liberation Serif: matrix brackets did not stretch and
    # sums were small, in the deck, the handout and the PDF, though a math font was installed.
    talk = "---\ntitle: M\n---\n\n## Matrix {#m}\n\n$$\nA = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}\n$$\n"
    site = build_site(tmp_path / "p", talk)
    for path in ("t/slides/", "t/"):
        page.goto(static_server(site) + path)
        family = page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
        names = [f.strip().strip('"') for f in family.split(",")]
        assert names[-1] == "math" and "DejaVu Math TeX Gyre" in names and "Latin Modern Math" in names, family
