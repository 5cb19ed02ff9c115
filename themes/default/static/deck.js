// talkbuild deck viewer: navigation, fragments, deep links, overview, presenter view, fullscreen, help.
// Plain ES5-ish JavaScript, no dependencies, no build step, no modules (a deck opened from disk, file://, must work).
// It is a few scripts, one part each, that deck.html loads in this order, this one (the start-up) last:
//   deck-announce.js   what is announced (the live region, the toast) and where focus goes
//   deck-slides.js     the slide and step on screen, and the URL that names them
//   deck-fit.js        shrinking a slide to fit; when the deck is ready (pictures, fonts, print, resize)
//   deck-keys.js       keys, clicks, swipes, new addresses, typed slide numbers, the controls fading
//   deck-overview.js   the grid of every slide (O)
//   deck-presenter.js  the presenter window, and keeping it and the audience's window on the same slide
//   deck-media.js      audio, video and embedded pages: played and paused with their slide, silent in the presenter
//   deck-blackout.js   the black screen (B)
//   deck-print.js      printing with the speaker notes (?print-notes): a page per slide, its notes below it
// A part file only adds its function to window.talkbuildDeck.parts; nothing runs until deck.js calls them, in
// PARTS order, with one shared object, `deck`: the page's elements, the state (deck.state, deck.overview,
// deck.black) and what each part offers the others (deck.go, deck.announce, ...). So a theme's own copy of an
// older, whole deck.js runs alone, whatever the parts loaded before it define.
(function () {
  "use strict";
  var PARTS = ["announce", "slides", "fit", "keys", "overview", "presenter", "media", "blackout", "print"];
  var parts = (window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts;
  var missing = PARTS.filter(function (name) { return !parts[name]; });
  if (missing.length) loadParts(missing, document.currentScript, start); else start();

  // A theme's deck.html from before the parts loads deck.js alone: the parts are loaded from beside it, and the deck
  // starts once they are in (a script the page adds delays its load event, so html.tb-js is kept meanwhile).
  function loadParts(names, script, then) {
    var folder = script && script.src ? script.src.replace(/[?#].*$/, "").replace(/[^\/]*$/, "") : "";
    var left = names.length;
    names.forEach(function (name) {
      var el = document.createElement("script");
      el.src = folder + "deck-" + name + ".js";
      el.async = false;
      el.onload = function () { if (!--left) then(); };
      el.onerror = function () {
        if (window.console) console.warn("talkbuild deck: cannot load " + el.src + ": the slides are shown as pages");
      };
      document.head.appendChild(el);
    });
  }

  function start() {
    var doc = document, root = doc.documentElement;
    var stage = doc.getElementById("tb-stage");
    if (!stage) return;
    var $ = function (id) { return doc.getElementById(id); };
    // Only #tb-stage and its slides are required; a theme's deck.html may leave out any control (the counter,
    // the help dialog, the presenter panel): what is missing is skipped, never a reason to stop.
    function setText(id, text) { var el = $(id); if (el) el.textContent = text; return el; }
    // A slide's content box, measured to fit it: the section itself in a deck.html without .tb-slide-body.
    function bodyOf(slide) { return slide.querySelector(".tb-slide-body") || slide; }
    var slides = Array.prototype.slice.call(stage.querySelectorAll(":scope > section.slide"));
    var N = slides.length;
    if (!N) { if (window.console) console.warn("talkbuild deck: no <section class=\"slide\"> in #tb-stage"); return; }
    var isPresenter = /(^|[?&])presenter([=&]|$)/.test(location.search.slice(1));
    var deck = { doc: doc, root: root, stage: stage, slides: slides, N: N, isPresenter: isPresenter,
                 $: $, setText: setText, bodyOf: bodyOf };
    PARTS.forEach(function (name) { parts[name](deck); });

    root.classList.add("tb-ready-js");
    deck.shapeEmbeds();
    slides.forEach(function (slide) { slide.inert = true; slide.setAttribute("aria-hidden", "true"); });
    var remembered = location.hash && !deck.parseHash(location.hash) ? deck.rememberedOnReload() : null;
    var initial = deck.parseHash(location.hash) || remembered || { index: 0, step: 0 };
    var badHash = remembered ? "" : deck.hashProblem(location.hash); // a reload after a slide's id changed is no mistake
    deck.go(initial.index, initial.step, { history: location.hash ? "replace" : "none", remote: true });
    if (badHash) deck.toast(badHash);
    deck.announce(""); // no announcement on load: the page title already says where we are
    if (isPresenter) deck.startPresenter();
    else deck.send({ type: "deck", index: deck.state.index, step: deck.state.step }); // a presenter opened first follows at once
    if (isPresenter) deck.presenterUpdate();
    deck.fitTheRest();
    deck.wake();
  }
})();
