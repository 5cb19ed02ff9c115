// talkbuild deck viewer, one part (deck.js lists them all): audio, video and embedded pages (iframes) on slides.
// Media belong to their slide, as in reveal.js: `data-autoplay` media (the build writes `autoplay` so, or the page
// would start them at load, on slide 1) play from the start each time their slide is shown, and every audio and
// video on a slide is paused when the slide is left. The presenter window never sounds: its media are muted and
// never start by themselves; a play or pause pressed on its current slide is done in the audience's window instead.
// Its copies of embedded pages (the slide and the next-slide preview) are placeholders: one live demo, the audience's.
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.media = function (deck) {
  "use strict";
  var doc = deck.doc, slides = deck.slides, isPresenter = deck.isPresenter;
  var MEDIA = "audio, video";

  function mediaOf(el) { return Array.prototype.slice.call(el.querySelectorAll(MEDIA)); }
  function pause(el) { try { el.pause(); } catch (err) { /* not a media element after all */ } }
  function play(el) {
    try { var p = el.play(); if (p && p.catch) p.catch(function () { /* the browser's autoplay policy said no */ }); }
    catch (err) { /* idem, in an older browser */ }
  }

  // A page built before the rename, or media a theme adds: `autoplay` still set. Stopped here, as early as a script
  // at the page's end can (a file loaded from disk may already have started: it is paused at once).
  slides.forEach(function (slide) {
    mediaOf(slide).forEach(function (el) {
      if (el.hasAttribute("autoplay")) { el.removeAttribute("autoplay"); el.autoplay = false; el.setAttribute("data-autoplay", ""); pause(el); }
      if (isPresenter) quiet(el);
    });
  });

  function quiet(el) {
    el.muted = true;
    el.defaultMuted = true;
    el.removeAttribute("data-autoplay");
    el.removeAttribute("autoplay");
    el.autoplay = false;
    pause(el);
  }

  // An embedded page in the presenter's copies: the same box, saying where the live one is.
  function placeholder(frame) {
    var title = frame.getAttribute("title") || frame.getAttribute("src") || "Embedded page";
    var text = doc.createElement("p");
    text.textContent = title + " (live in the slides window)";
    text.setAttribute("style", "font: 1rem/1.4 system-ui, sans-serif; color: #666; text-align: center; margin: 1rem;");
    frame.removeAttribute("src");
    frame.setAttribute("srcdoc", text.outerHTML);
  }
  if (isPresenter) slides.forEach(function (slide) { Array.prototype.forEach.call(slide.querySelectorAll("iframe"), placeholder); });

  // Called by deck-slides.js when the slide on screen changes: the slide left falls silent, and the new one's media
  // start afresh (mediaStepped, called next, plays them).
  function shown(before, now) {
    if (before >= 0) mediaOf(slides[before]).forEach(pause);
    mediaOf(slides[now]).forEach(function (el) { el.__tbOnScreen = false; });
  }

  // Whether the audience sees `el` now: not in the speaker notes (never shown in this window), and not in a step
  // not yet revealed (a fragment, or one inside another).
  function onScreen(el, slide) {
    if (el.closest(".notes")) return false;
    for (var up = el.closest(".fragment"); up && slide.contains(up); up = up.parentElement && up.parentElement.closest(".fragment")) {
      if (!up.classList.contains("tb-visible")) return false;
    }
    return true;
  }

  // Called by deck-slides.js after every slide or step change: media in a step start when it is revealed, as in
  // reveal.js, and pause when it is hidden again (Page Up); media in the notes never play here by themselves.
  function stepped(i) {
    var slide = slides[i];
    mediaOf(slide).forEach(function (el) {
      if (!onScreen(el, slide)) {
        if (el.__tbOnScreen) pause(el); // a step hidden again; a clip in the notes plays only when the speaker asks
        el.__tbOnScreen = false;
        return;
      }
      if (el.__tbOnScreen) return;
      el.__tbOnScreen = true;
      if (isPresenter || !el.hasAttribute("data-autoplay")) return;
      try { el.currentTime = 0; } catch (err) { /* no media data yet: it starts at 0 anyway */ }
      play(el);
    });
  }

  // The presenter's copy of a slide (the next-slide preview): silent, still, and no second live demo.
  function quietCopy(copy) {
    mediaOf(copy).forEach(function (el) { quiet(el); el.setAttribute("preload", "metadata"); });
    Array.prototype.forEach.call(copy.querySelectorAll("iframe"), placeholder);
  }

  // ---- a play pressed in the presenter window is done in the audience's ------------------------
  // Media on the presenter's current slide are the n-th audio or video of slide i in both windows. The presenter's
  // muted copy plays along, so the speaker sees where the clip is.
  var pressed = null;
  if (isPresenter) {
    // The controls keep the pointer's events to themselves; a click on them focuses the element, though.
    // (The slide taking the focus back from it, below, leaves `pressed` as it is.)
    doc.addEventListener("focusin", function (e) { if (e.target.matches && e.target.matches(MEDIA)) pressed = e.target; }, true);
    doc.addEventListener("keydown", function (e) { if (e.target.matches && e.target.matches(MEDIA)) pressed = e.target; }, true);
    ["play", "pause", "seeked"].forEach(function (type) {
      doc.addEventListener(type, function (e) {
        var el = e.target, slide = slides[deck.state.index];
        if (el !== pressed || !slide.contains(el)) return; // only what the speaker did, not what the deck did
        deck.send({ type: "media", index: deck.state.index, n: mediaOf(slide).indexOf(el),
                    action: type === "seeked" ? (el.paused ? "pause" : "play") : type, time: el.currentTime });
      }, true);
    });
  }
  function remote(msg) {
    if (isPresenter || msg.index !== deck.state.index) return;
    var el = mediaOf(slides[msg.index])[msg.n];
    if (!el) return;
    if (typeof msg.time === "number" && Math.abs(el.currentTime - msg.time) > 0.5) {
      try { el.currentTime = msg.time; } catch (err) { /* not seekable yet */ }
    }
    if (msg.action === "play") {
      var p = el.play();
      if (p && p.catch) p.catch(function () { deck.send({ type: "media-refused" }); });
    } else pause(el);
  }

  // ---- keys after a click on media controls ----------------------------------------------------
  // A click on a video's or an audio's controls focuses it, and a focused media element takes every key for itself
  // (the page sees none): the clicker would stop working. The controls keep the pointer's events to themselves too,
  // so it is the focus that tells: focused by a click (not :focus-visible), the slide takes the focus back at once
  // (the click still plays), and every deck key drives the deck again (Space too: next, as everywhere in the deck).
  // Reached with Tab (:focus-visible), the controls keep the keys (Space plays, arrows seek) until Tab moves on.
  doc.addEventListener("focusin", function (e) {
    var el = e.target;
    if (!el.matches || !el.matches(MEDIA)) return;
    var byKeyboard = false;
    try { byKeyboard = el.matches(":focus-visible"); } catch (err) { byKeyboard = false; } // an older browser
    if (byKeyboard) return;
    setTimeout(function () { if (doc.activeElement === el) deck.focusSlide(); }, 0);
  });
  // Focused with the keyboard, the element's own keys stay its own: they go no further than the element (whose
  // controls listen there), so the deck's key handler on the document does not see them. Page Up/Down (the
  // clicker) and the deck's letters still reach the deck.
  var OWN_KEYS = /^( |Spacebar|Enter|ArrowLeft|ArrowRight|ArrowUp|ArrowDown|Home|End)$/;
  slides.forEach(function (slide) {
    mediaOf(slide).forEach(function (el) {
      el.addEventListener("keydown", function (e) { if (el.controls && OWN_KEYS.test(e.key)) e.stopPropagation(); });
    });
  });

  // An embedded page from the same site (over http: not from file://, where every file is its own origin, nor from
  // another site) passes the clicker's keys, Page Down and Page Up, to the deck when it does not use them itself. The
  // other keys are the demo's; a click on the slide outside it gives them back to the deck.
  function listenIn(frame) {
    var w = null;
    try { w = frame.contentWindow; if (!w || !w.document) return; } catch (err) { return; } // another origin
    if (w.__talkbuildKeys) return;
    w.__talkbuildKeys = true;
    w.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || deck.overview) return;
      if (e.key !== "PageDown" && e.key !== "PageUp") return;
      var t = e.target;
      if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
      e.preventDefault();
      if (e.key === "PageDown") deck.next(); else deck.prev();
    });
  }
  if (!isPresenter) {
    slides.forEach(function (slide) {
      Array.prototype.forEach.call(slide.querySelectorAll("iframe"), function (frame) {
        frame.addEventListener("load", function () { listenIn(frame); });
        listenIn(frame);
      });
    });
  }

  deck.mediaShown = shown;
  deck.mediaStepped = stepped;
  deck.quietCopy = quietCopy;
  deck.mediaRemote = remote;
};
