"""The script `serve` adds to every HTML response (never to `build` output): reload, the error overlay and
the warnings badge (badge.py).

The page tells the server which page it shows and which version it got; the server answers over
Server-Sent Events with `state` (generation, current errors, this page's warnings) on every rebuild and
`reload` only when this page's output changed. `location.reload()` keeps the URL hash, so a deck stays on
its slide and step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..errors import Diagnostic
from .badge import BADGE_JS

EVENTS_PATH = "/__talkbuild__/events"
STATUS_PATH = "/__talkbuild__/status"
"""Endpoints of the dev server; outside `_talkbuild/` so they can never shadow a theme file."""

CONFIG_ID = "tb-live-config"
OVERLAY_ID = "tb-live-errors"

_SCRIPT = """
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("@CONFIG_ID@").textContent);
  var live = window.__tbLive = {generation: cfg.generation, page: cfg.page, errors: cfg.errors,
                                warnings: cfg.warnings};
@BADGE_JS@  // The errors can be hidden (a speaker presenting from `serve` while fixing one): the same errors then stay
  // a small pill across reloads of this tab; a different set opens the box again.
  var ERRORS_HIDDEN = "tbLiveErrorsHidden";
  function errorsHiddenKey() { try { return sessionStorage.getItem(ERRORS_HIDDEN); } catch (e) { return null; } }
  function setErrorsHidden(key) {
    try { if (key === null) sessionStorage.removeItem(ERRORS_HIDDEN); else sessionStorage.setItem(ERRORS_HIDDEN, key); } catch (e) {}
  }
  function errorButton(text, label, onclick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.style.cssText = "font:inherit;font-weight:600;cursor:pointer;border:1px solid #c00;border-radius:4px;" +
      "background:#fff;color:#7a0000;padding:.1em .6em;margin-left:1em";
    b.addEventListener("click", function () { onclick(); b.blur(); });
    return b;
  }
  // The box must never hide the keyboard focus (WCAG 2.4.11): when what gets the focus is all under it, it moves to
  // the other edge of the window, and stays there. (A slide that takes the focus is only partly under it: no move.)
  var errorEdge = "top";
  function edgeOf(gap) { return errorEdge === "top" ? ";top:" + gap + ";bottom:auto" : ";bottom:" + gap + ";top:auto"; }
  document.addEventListener("focusin", function (event) {
    var box = document.getElementById("@OVERLAY_ID@");
    var target = event.target;
    if (!box || !target || !target.getBoundingClientRect || box.contains(target)) return;
    var a = box.getBoundingClientRect(), b = target.getBoundingClientRect();
    if (b.top < a.top || b.bottom > a.bottom || b.left < a.left || b.right > a.right) return;
    errorEdge = errorEdge === "top" ? "bottom" : "top";
    overlay(live.errors);
  });
  function overlay(errors) {
    var box = document.getElementById("@OVERLAY_ID@");
    if (!errors.length) { if (box) box.parentNode.removeChild(box); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "@OVERLAY_ID@";
      // First in the page, so its button comes first in the tab order as the box comes first on the screen.
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = "";
    var key = errors.join("\\n");
    var title = document.createElement("strong");
    if (errorsHiddenKey() === key) {
      box.removeAttribute("role");
      box.setAttribute("data-hidden", "");
      // At the top's far end: a page's skip link and first controls are at its start.
      box.style.cssText = "position:fixed;inset-inline-end:.5em;z-index:2147483647;margin:0;padding:.3em .6em;" +
        "background:#fff4f4;color:#7a0000;border:2px solid #c00;border-radius:6px;" +
        "font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 2px 8px rgba(0,0,0,.3)" + edgeOf(".5em");
      title.textContent = errors.length === 1 ? "1 build error" : errors.length + " build errors";
      box.appendChild(title);
      box.appendChild(errorButton("Show", "Show the build errors", function () { setErrorsHidden(null); overlay(errors); }));
      return;
    }
    box.setAttribute("role", "alert");
    box.removeAttribute("data-hidden");
    // At most 40 % of the window's height, so that flipped to the other edge it frees whatever it covered.
    box.style.cssText = "position:fixed;left:0;right:0;max-height:40vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1em 1.5em;background:#fff4f4;color:#7a0000;border:0 solid #c00;" +
      "border-" + (errorEdge === "top" ? "bottom" : "top") + "-width:4px;" +
      "font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left;box-shadow:0 2px 12px rgba(0,0,0,.3)" +
      edgeOf("0");
    title.textContent = "talkbuild serve: fix these errors (the preview shows the last good version)";
    box.appendChild(title);
    box.appendChild(errorButton("Hide", "Hide the build errors (they stay in the terminal)",
                           function () { setErrorsHidden(key); overlay(errors); }));
    errors.forEach(function (line) {
      var item = document.createElement("pre");
      item.style.cssText = "margin:.4em 0 0;white-space:pre-wrap;font:inherit";
      item.textContent = line;
      box.appendChild(item);
    });
  }
  var source = null;
  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource("@EVENTS@?page=" + encodeURIComponent(cfg.page) +
                             "&v=" + encodeURIComponent(cfg.version));
    source.addEventListener("state", function (event) {
      var state = JSON.parse(event.data);
      var rebuilt = state.generation !== live.generation;
      live.generation = state.generation;
      // A page whose own HTML did not change is not reloaded; what it loads by itself may have (the index's slide
      // search loads _talkbuild/search-index.js): it is told, and loads it again.
      if (rebuilt) window.dispatchEvent(new CustomEvent("talkbuild:rebuilt", {detail: {generation: state.generation}}));
      live.errors = state.errors;
      live.warnings = state.warnings;
      overlay(state.errors);
      warnings(state.warnings);
    });
    source.addEventListener("reload", function () {
      source.close();
      location.reload();
    });
  }
  function start() {
    overlay(cfg.errors);
    warnings(cfg.warnings);
    // Browsers allow ~6 connections per server: only visible tabs keep a stream open. A tab that comes
    // back reconnects with the version it shows and reloads then if it is out of date.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden") { connect(); return; }
      if (source) { source.close(); source = null; }
    });
    if (document.visibilityState !== "hidden") connect();
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
""".replace("@CONFIG_ID@", CONFIG_ID).replace("@OVERLAY_ID@", OVERLAY_ID).replace("@EVENTS@", EVENTS_PATH).replace("@BADGE_JS@", BADGE_JS)

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def error_lines(errors: Sequence[Diagnostic]) -> list[str]:
    """`path:line: severity[code]: message (hint)`, in file order, as the page and the terminal show them."""
    return [d.format() for d in sorted(errors, key=lambda d: (d.location.path, d.location.line or 0))]


def to_json(data: object) -> str:
    """JSON that is safe inside a <script> element and an SSE `data:` line."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inject(html: bytes, page: str, version: str, generation: int, errors: Sequence[Diagnostic],
           warnings: Sequence[Diagnostic] = ()) -> bytes:
    """Add the live-reload script (and its settings) before the last </body>, or at the end; `warnings` are
    the ones the page's badge lists."""
    config = to_json({"page": page, "version": version, "generation": generation, "errors": error_lines(errors),
                      "warnings": error_lines(warnings)})
    snippet = (f'<script type="application/json" id="{CONFIG_ID}">{config}</script>'
               f"<script>{_SCRIPT}</script>").encode()
    ends = list(_BODY_END.finditer(html))
    at = ends[-1].start() if ends else len(html)
    return html[:at] + snippet + html[at:]


def not_found_page(page: str) -> bytes:
    """The 404 page when the site has no 404.html of its own."""
    from html import escape

    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>'
            f'<body><h1>Not found</h1><p>Nothing is published at <code>/{escape(page)}</code>.</p>'
            f'<p><a href="/">All talks</a></p></body></html>\n').encode()
