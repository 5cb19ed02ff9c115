// talkbuild deck viewer, one part (deck.js lists them all): what a key, a click, a swipe or a new address does. The
// actions (what the controls' data-action names), the keys for them, typed slide numbers, and the controls' fading.
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.keys = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, stage = deck.stage, N = deck.N, $ = deck.$, isPresenter = deck.isPresenter;

  // Whether the deck runs right to left (`dir: rtl`, or `auto` on a right-to-left talk): as laid out, not as written.
  deck.rtl = function () { return getComputedStyle(stage).direction === "rtl"; };

  var actions = {
    next: function () { deck.next(); },
    prev: function () { deck.prev(); },
    first: function () { deck.go(0, 0); },
    last: function () { deck.go(N - 1, deck.fragments(N - 1).length); },
    overview: function () { deck.setOverview(!deck.overview); },
    presenter: function () { deck.openPresenter(); },
    fullscreen: toggleFullscreen,
    // Focus on the slide first: closing the dialog gives focus back there, not to the Help button (where Space
    // and Enter would open the help again instead of going on).
    help: function () { var d = $("tb-help"); if (d && d.showModal && !d.open) { deck.focusSlide(); d.showModal(); } },
    "notes-larger": function () { deck.notesSize(1.15); },
    "notes-smaller": function () { deck.notesSize(1 / 1.15); },
    "timer-pause": function () { deck.timerPause(); },
    "timer-reset": function () { deck.timerReset(); },
    blackout: function () { deck.setBlackout(!deck.black); },
    jump: promptJump
  };

  // ---- single-key shortcuts (WCAG 2.1.4) ---------------------------------------------------------
  // Letters, digits, `?` and `.` act alone, without Ctrl or Alt: speech input that types a word, or a key pressed by
  // mistake, would set them off. A switch in the help turns them off for every deck of the site (localStorage is the
  // site's); then only keys that type no character work (arrows, Page Up/Down, Home/End, Space, Enter, Esc), and the
  // controls and the help's buttons do the rest. A theme's deck.html without the switch still honours the choice.
  var SINGLE_KEYS = "talkbuild-single-keys";
  function storedSingleKeys() {
    try { return localStorage.getItem(SINGLE_KEYS) !== "off"; } catch (err) { return true; } // storage off: on
  }
  deck.singleKeys = storedSingleKeys();
  function setSingleKeys(on) {
    deck.singleKeys = on;
    try { if (on) localStorage.removeItem(SINGLE_KEYS); else localStorage.setItem(SINGLE_KEYS, "off"); } catch (err) { /* this page only */ }
    showSingleKeys();
  }
  function showSingleKeys() {
    var box = $("tb-single-keys");
    if (box) box.checked = deck.singleKeys;
    root.classList.toggle("tb-single-keys-off", !deck.singleKeys);
  }
  var singleBox = $("tb-single-keys");
  if (singleBox) singleBox.addEventListener("change", function () { setSingleKeys(singleBox.checked); });
  // Turned off in another deck's tab: this one follows at once.
  window.addEventListener("storage", function (e) {
    if (e.key === SINGLE_KEYS || e.key === null) { deck.singleKeys = storedSingleKeys(); showSingleKeys(); }
  });
  showSingleKeys();
  // A key that types a character (its name is that one character); Space is left to work as a non-character key.
  function characterKey(e) { return e.key !== " " && Array.from(e.key || "").length === 1; }
  function switchedOff(e) { return !deck.singleKeys && characterKey(e); }

  function keyAction(e) {
    var k = e.key;
    if (switchedOff(e)) return null;
    if (k === " " || k === "Spacebar") return e.shiftKey ? "prev" : "next";
    // Right to left, the arrows point the way the slides run, as in reveal.js (`rtl: true`): left is next.
    if (k === "ArrowRight") return deck.rtl() ? "prev" : "next";
    if (k === "ArrowLeft") return deck.rtl() ? "next" : "prev";
    if (k === "PageDown") return "next";
    if (k === "PageUp") return "prev";
    if (k === "ArrowDown") return "next";
    if (k === "ArrowUp") return "prev";
    if (k === "Home") return "first";
    if (k === "End") return "last";
    if (k === "o" || k === "O" || k === "Escape") return "overview";
    if ((k === "s" || k === "S") && !isPresenter) return "presenter";
    if (k === "f" || k === "F") return "fullscreen";
    if (k === "?") return "help";
    if (k === "b" || k === "B" || k === ".") return "blackout";
    if (k === "g" || k === "G") return "jump";
    return null;
  }

  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    var help = $("tb-help");
    if (help && help.open) { // the dialog handles its own keys (Esc closes it); a blackout closes it
      if (keyAction(e) === "blackout") { e.preventDefault(); actions.blackout(); }
      return;
    }
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    // Space and Enter on a focused control press that control, nothing else.
    if ((e.key === " " || e.key === "Enter") && t.closest && t.closest("button, a, summary")) return;
    // Up and Down in a focused code block that scrolls (long code, deck.css) scroll it; the other keys still step.
    var pre = (e.key === "ArrowDown" || e.key === "ArrowUp") && t.closest && t.closest("pre");
    if (pre && pre.scrollHeight > pre.clientHeight + 1) return;
    if (deck.overview && deck.overviewKey(e)) { e.preventDefault(); return; }
    var name = keyAction(e);
    if (!name) return;
    e.preventDefault();
    actions[name]();
  });

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-action]");
    if (b && actions[b.getAttribute("data-action")]) actions[b.getAttribute("data-action")]();
  });

  // Swipe left/right on touch screens.
  var touch = null;
  stage.addEventListener("touchstart", function (e) {
    touch = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
  }, { passive: true });
  stage.addEventListener("touchend", function (e) {
    if (!touch || deck.overview) return;
    var dx = e.changedTouches[0].clientX - touch.x, dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 40 && Math.abs(dx) > 1.5 * Math.abs(dy)) { if ((dx < 0) !== deck.rtl()) deck.next(); else deck.prev(); }
  }, { passive: true });

  function onUrl() {
    var s = deck.parseHash(location.hash) || (location.hash ? null : { index: 0, step: 0 }); // no hash: the first slide
    if (s) deck.go(s.index, s.step, { history: "none" });
    if (location.hash) deck.fixUrl(location.hash);
  }
  window.addEventListener("popstate", onUrl);
  window.addEventListener("hashchange", onUrl);

  function toggleFullscreen() {
    if (!doc.fullscreenEnabled) { deck.toast("Fullscreen is not available here; try your browser's own (often F11)."); return; }
    if (doc.fullscreenElement) doc.exitFullscreen(); else root.requestFullscreen().catch(function () {});
  }

  // The controls fade while the mouse rests, and come back on movement or keyboard focus.
  var idleTimer = 0;
  function wake() {
    root.classList.remove("tb-idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { if (!typed) root.classList.add("tb-idle"); }, 2500);
  }
  doc.addEventListener("mousemove", wake);

  // ---- jump to a slide -----------------------------------------------------------------------

  // Digits then Enter jump to that slide (1-based, like #/n); the counter shows the number as it is typed.
  // While a number is being typed the controls stay shown (not faded as when the mouse rests); a number not
  // finished within TYPED_MS is forgotten, so a digit pressed by mistake long ago never makes a later Enter jump.
  // The number is said as it grows ("Go to slide 3", WCAG 4.1.3: the counter is no live region), and so is a number
  // dropped (`dropped`: Esc, Backspace to nothing, another key, the pause), or a later Enter would seem to do nothing.
  var typed = "", typedTimer = 0, TYPED_MS = 4000;
  function showTyped(dropped) {
    var counter = $("tb-counter");
    if (counter) counter.textContent = typed ? "Go to " + typed : (deck.state.index + 1) + " / " + N;
    clearTimeout(typedTimer);
    if (typed) {
      deck.announce("Go to slide " + typed, true);
      wake();
      typedTimer = setTimeout(function () { typed = ""; showTyped(true); wake(); }, TYPED_MS);
    } else if (dropped) deck.announce("Slide number cleared", true);
  }
  function jumpTo(text) {
    text = String(text || "").trim();
    if (!text) return;
    var hash = /^\d+$/.test(text) ? "#/" + text : "#" + text.replace(/^#/, "");
    var s = deck.parseHash(hash, true), problem = deck.hashProblem(hash, true); // `99`, `#/99`, `/0`: a notice, never a silent clamp
    if (problem || !s) {
      deck.toast(problem || "No slide '" + text + "' in this deck.");
      deck.announceSlide(); // the live region said "Go to slide 99": it says where the deck still is
      return;
    }
    if (s.index === deck.state.index && s.step === deck.state.step) deck.announceSlide(); // there already: say so
    deck.go(s.index, s.step);
    if (deck.overview) deck.setOverview(false);
  }
  // G asks for a slide number or id, as reveal.js's jump-to-slide does.
  function promptJump() {
    var help = $("tb-help");
    if (help && help.open) help.close(); // its "Go to slide" button: the answer is seen on the slide, not behind it
    var answer = window.prompt("Go to slide (1 to " + N + ", or a slide's id):", "");
    if (answer !== null) jumpTo(answer);
  }

  // Keys that come before the deck's own: any key ends a blackout (and does nothing else), and digits are collected.
  function ownsKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return false;
    var help = $("tb-help");
    if (help && help.open) return false;
    var t = e.target;
    return !(t.closest && t.closest("input, textarea, select, [contenteditable]"));
  }
  window.addEventListener("keydown", function (e) {
    if (!ownsKey(e) || /^(Shift|Control|Alt|Meta|CapsLock)$/.test(e.key) || switchedOff(e)) return;
    var consumed = true;
    if (deck.black && !isPresenter) deck.setBlackout(false);
    else if (/^[0-9]$/.test(e.key)) { typed += e.key; showTyped(); }
    else if (typed && e.key === "Enter") { var n = typed; typed = ""; showTyped(); jumpTo(n); }
    else if (typed && e.key === "Backspace") { typed = typed.slice(0, -1); showTyped(true); }
    else if (typed && e.key === "Escape") { typed = ""; showTyped(true); }
    else { consumed = false; if (typed) { typed = ""; showTyped(true); } }
    if (consumed) { e.preventDefault(); e.stopPropagation(); }
  }, true);

  deck.wake = wake;
};
