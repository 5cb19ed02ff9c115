"""The warnings badge `serve` adds to its pages (never to `build` output): which warnings a page shows, and how.

Errors take the whole top of every page (livereload's overlay): the preview is out of date until they are
fixed. Warnings do not stop anything, so they get a small badge in the bottom-left corner, where a deck has
nothing, with the count; it opens a panel listing them as the terminal does (`path:line: warning[code]:
message (hint)`). A talk's pages show the warnings of that talk and of the theme it is shown in; the index
shows the rest (talkbuild.yml, themes, talks with no page), so every warning is in some page.

The badge leaves the deck its keys: arrows, Space and the rest reach the deck, except Space and Enter on the
badge's own buttons (the deck ignores those too). Escape closes the panel. A mouse click does not leave the
focus on the badge, so the next Space still turns the slide.
"""

from __future__ import annotations

from ..errors import Diagnostic
from ..incremental import Site

INDEX = "index.html"
BADGE_ID = "tb-live-warnings"


def page_warnings(site: Site, page: str) -> list[Diagnostic]:
    """The warnings that concern `page` (a site path): its talk's and its theme's, or on the index the rest."""
    if page in site.talk_pages:
        source, theme = site.talk_pages[page]
        folder = f"themes/{theme}/"
        return [d for d in site.warnings if d.location.path == source or d.location.path.startswith(folder)]
    if page == INDEX:
        shown = {source for source, _theme in site.talk_pages.values()}
        return [d for d in site.warnings if d.location.path not in shown]
    return []


BADGE_JS = """
  var badge = null, badgeOpen = false, badgeLines = [];
  // Hidden for this tab until the warnings change, on every page that shows the same ones (a talk's deck and its
  // handout). Their line numbers do not count: a slide added above a warning kept on purpose moves it, nothing more.
  var BADGE = "@BADGE_ID@", HIDDEN_KEY = "tb-live-warnings-hidden";
  function hiddenKey() {
    return JSON.stringify(badgeLines.map(function (line) { return line.replace(/^([^:\\n]*):\\d+(:\\d+)?:/, "$1:"); }));
  }
  function hiddenByUser() {
    try { return sessionStorage.getItem(HIDDEN_KEY) === hiddenKey(); } catch (e) { return false; }
  }
  function hideByUser(on) {
    try { if (on) sessionStorage.setItem(HIDDEN_KEY, hiddenKey()); else sessionStorage.removeItem(HIDDEN_KEY); }
    catch (e) { /* storage refused (private mode): the badge just comes back on the next reload */ }
  }
  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text) node.textContent = text;
    return node;
  }
  var BUTTON = "font:inherit;cursor:pointer;border-radius:.35rem;";
  function setOpen(on) {
    badgeOpen = on;
    if (!badge) return;
    badge.panel.hidden = !on;
    badge.toggle.setAttribute("aria-expanded", on ? "true" : "false");
  }
  function makeBadge() {
    var root = el("div", "z-index:2147483646;" +
      "max-width:min(40rem,calc(100vw - 1.5rem));font:13px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;" +
      "color:#3d2c00;text-align:left;letter-spacing:normal;text-transform:none");
    root.id = BADGE;
    var panel = el("div", "margin:0;max-height:40vh;overflow:auto;padding:.6rem .8rem;background:#fffbea;" +
      "border:1px solid #c99700;border-radius:.45rem;box-shadow:0 2px 10px rgba(0,0,0,.3)");
    panel.id = BADGE + "-panel";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "talkbuild serve: warnings");
    panel.tabIndex = 0; // a long list scrolls from the keyboard: arrows scroll it while it has the focus
    panel.hidden = true;
    var title = el("p", "margin:0 0 .3rem;font-weight:600");
    var list = el("ul", "margin:0;padding:0;list-style:none");
    var hide = el("button", BUTTON + "margin-top:.5rem;padding:.15rem .6rem;background:#fff;color:#3d2c00;" +
      "border:1px solid #c99700", "Hide until they change");
    hide.type = "button";
    hide.addEventListener("click", function () { hideByUser(true); removeBadge(); });
    panel.appendChild(title);
    panel.appendChild(list);
    panel.appendChild(hide);
    var toggle = el("button", BUTTON + "padding:.2rem .65rem;background:#ffe9a8;color:#3d2c00;" +
      "border:1px solid #c99700;box-shadow:0 1px 4px rgba(0,0,0,.25)");
    toggle.type = "button";
    toggle.setAttribute("aria-controls", panel.id);
    toggle.addEventListener("click", function (event) {
      setOpen(!badgeOpen);
      if (event.detail > 0) toggle.blur(); // clicked: the next Space is the deck's, not this button's
    });
    // The button first and its list after it, in the tab order as a disclosure's are; shown above it.
    root.appendChild(toggle);
    root.appendChild(panel);
    // Bottom-left, where a deck has nothing. The presenter window has its controls there, and a phone held
    // upright its control bar: there it goes top-right, above the letterboxed slide, and its list opens downwards.
    var top = "left:auto;right:.75rem;bottom:auto;top:.5rem;flex-direction:column;align-items:flex-end";
    var print = el("style", "", "#" + BADGE + " { position:fixed;left:.75rem;bottom:.85rem;display:flex;" +
      "flex-direction:column-reverse;align-items:flex-start;gap:.4rem }" +
      ".tb-presenter #" + BADGE + " { " + top + " }" +
      "@media (max-width: 599px) and (orientation: portrait) { #" + BADGE + " { " + top + " } }" +
      "@media print { #" + BADGE + " { display: none !important; } }");
    root.appendChild(print);
    document.body.appendChild(root);
    badge = {root: root, panel: panel, title: title, list: list, toggle: toggle};
    setOpen(badgeOpen);
  }
  function removeBadge() {
    if (!badge) return;
    var focused = badge.root.contains(document.activeElement);
    badge.root.parentNode.removeChild(badge.root);
    badge = null;
    badgeOpen = false;
    if (focused && document.activeElement && document.activeElement.blur) document.activeElement.blur();
  }
  function warnings(lines) {
    badgeLines = lines;
    if (!lines.length || hiddenByUser()) {
      if (!lines.length) hideByUser(false);
      removeBadge();
      return;
    }
    if (!badge) makeBadge();
    var count = lines.length + (lines.length === 1 ? " warning" : " warnings");
    badge.toggle.textContent = "\\u26a0 " + count;
    var scope = cfg.page === "@INDEX@" ? " for the whole site" : " for this talk";
    badge.toggle.setAttribute("aria-label", "talkbuild serve: " + count + scope);
    badge.title.textContent = "talkbuild serve: " + count + scope;
    badge.list.textContent = "";
    lines.forEach(function (line) {
      var item = el("li", "margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere;" +
        "font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace", line);
      badge.list.appendChild(item);
    });
  }
  // The list has the focus (Tab, or a click in it): the keys that scroll scroll it, and the deck does not move.
  var SCROLLING = {ArrowUp: 1, ArrowDown: 1, PageUp: 1, PageDown: 1, Home: 1, End: 1, " ": 1};
  window.addEventListener("keydown", function (event) {
    if (badge && badgeOpen && document.activeElement === badge.panel && SCROLLING[event.key]) event.stopPropagation();
  }, true);
  // Before the deck's own key handler (it ignores a key whose default is prevented): Escape closes the panel,
  // or, on the closed badge, hands the keys back to the page.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || !badge) return;
    var inside = badge.root.contains(document.activeElement);
    if (badgeOpen) {
      setOpen(false);
      if (inside) badge.toggle.focus();
    } else if (inside) {
      document.activeElement.blur();
    } else {
      return;
    }
    event.preventDefault();
  }, true);
""".replace("@BADGE_ID@", BADGE_ID).replace("@INDEX@", INDEX)
