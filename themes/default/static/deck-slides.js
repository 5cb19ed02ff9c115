// talkbuild deck viewer, one part (deck.js lists them all): the slide and step on screen, and the URL that names them.
// go() is the one way to change them; next() and prev() step through the talk.
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.slides = function (deck) {
  "use strict";
  var doc = deck.doc, slides = deck.slides, N = deck.N, $ = deck.$, setText = deck.setText;
  deck.state = { index: -1, step: 0 };

  // ---- state and URL -------------------------------------------------------------------------
  // The URL is `#<slide-id>` or `#<slide-id>/<step>`; `#/<n>` and `#/<n>/<step>` (1-based) are read too, and `#/`
  // (reveal.js's "back to the start") is the first slide. A deck built with `slide_addresses: revealjs` has each
  // slide's reveal.js address in data-reveal ("h/v", from 0, the title slide aside): there `#/h` and `#/h/v` are
  // read as reveal.js read them, so links shared from a reveal-md deck open the same slides (slide_addresses.py);
  // so are reveal.js 4's `#/h/v/f` (slide h/v with its fragments up to index f shown: step f + 1, going on to the
  // next slide cut from the same reveal-md slide past the last step of one) and `#/` (the author's first slide).
  var reveal = slides.map(function (s) { return s.getAttribute("data-reveal") || ""; });
  var revealjs = reveal.some(function (r) { return r; });

  function fragments(i) { return steps[i]; } // the slide's steps, each a list of its fragments (stepsOf, below)
  function clampStep(i, step) { return Math.max(0, Math.min(step, fragments(i).length)); }

  // `#%` or `#%E0%A4%A` (a bad %-escape, typed or cut short) is read as written, like any address that names no
  // slide: decodeURIComponent throws on it, and a throw here would leave a blank stage and no key working.
  // Ids are composed Unicode (NFC); an address typed or pasted decomposed (`u%CC%88bersicht`, as macOS may write
  // `übersicht`) looks the same to a person, so it is composed before the lookup.
  function decodeHash(hash) {
    var h = (hash || "").replace(/^#/, "");
    try { h = decodeURIComponent(h); } catch (err) { /* read as written */ }
    return h.normalize("NFC");
  }

  // An address's parts: `#/12` and `#/12/2` (slide number, step), `#id` and `#id/2`; reveal.js's `#/id`, `#/id/2`
  // and a trailing slash (`#/12/`), as links shared from reveal.js decks have them, mean the same.
  // `counted`: a number typed to go to (G, or digits and Enter) is the counter's, whatever the deck's addresses.
  function readHash(h, counted) {
    if (h === "/") return { number: revealjs && N > 1 ? 2 : 1, step: 0 };
    var f = /^\/(\d+)\/(\d+)\/(\d+)\/?$/.exec(h);
    if (f && revealjs && !counted) {
      var shown = parseInt(f[1], 10) + "/" + parseInt(f[2], 10);
      return { number: reveal.indexOf(shown) + 1, step: parseInt(f[3], 10) + 1, reveal: shown };
    }
    var m = /^\/(\d+)(?:\/(\d+))?\/?$/.exec(h);
    if (m && revealjs && !counted) {
      var key = parseInt(m[1], 10) + "/" + (m[2] ? parseInt(m[2], 10) : 0);
      return { number: reveal.indexOf(key) + 1, step: 0, reveal: key }; // number 0: no such slide
    }
    if (m) return { number: parseInt(m[1], 10), step: m[2] ? parseInt(m[2], 10) : 0 };
    m = /^\/?(.+?)(?:\/(\d+))?\/?$/.exec(h);
    return { id: m[1], step: m[2] ? parseInt(m[2], 10) : 0 };
  }

  function parseHash(hash, counted) {
    var h = decodeHash(hash);
    if (!h) return null;
    var r = readHash(h, counted);
    if (r.id === undefined) {
      if (r.reveal && !r.number) return null; // as an id that names no slide
      var n = Math.max(0, Math.min(r.number - 1, N - 1)), step = r.step;
      // reveal.js counted the fragments of the whole reveal-md slide, which talkbuild may have cut at its headings
      while (r.reveal && step > fragments(n).length && reveal[n + 1] === r.reveal) step -= fragments(n++).length;
      return { index: n, step: clampStep(n, step) };
    }
    var i = indexOfId(r.id);
    if (i < 0) return null;
    return { index: i, step: clampStep(i, r.step) };
  }

  // An id of a slide, or of anything inside one (a footnote, a heading): its slide.
  function indexOfId(id) {
    for (var k = 0; k < N; k++) if (slides[k].id === id) return k; // a slide, even if a theme element shares its id
    var el = doc.getElementById(id);
    var slide = el && el.closest("#tb-stage > section.slide");
    return slide ? slides.indexOf(slide) : -1;
  }

  function hashFor(index, step) { return "#" + slides[index].id + (step ? "/" + step : ""); }

  // Where this tab was, for a reload whose slide id is gone: `talkbuild serve` reloads after every save, and
  // editing the heading of the slide on screen changes its id. The deck then stays at the same slide number
  // rather than jumping to the first slide.
  var positionKey = "talkbuild-deck:" + location.pathname;
  function remember() {
    try { sessionStorage.setItem(positionKey, deck.state.index + "/" + deck.state.step); } catch (err) { /* storage off */ }
  }
  function rememberedOnReload() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (!nav || nav.type !== "reload") return null;
    var m = null;
    try { m = /^(\d+)\/(\d+)$/.exec(sessionStorage.getItem(positionKey) || ""); } catch (err) { return null; }
    if (!m) return null;
    var i = Math.min(parseInt(m[1], 10), N - 1);
    return { index: i, step: clampStep(i, parseInt(m[2], 10)) };
  }

  function setUrl(mode) {
    if (mode === "none") return;
    var url = hashFor(deck.state.index, deck.state.step);
    if (location.hash === url) return;
    try {
      history[mode === "push" ? "pushState" : "replaceState"](null, "", url);
    } catch (err) {
      location.replace(url); // some file:// setups refuse the History API; a hash change still works
    }
  }

  // A link or an address typed by hand that names no slide, or a step or slide number past the end: the deck says
  // so, and the address is put right, so it always names the slide and step on screen.
  function hashProblem(hash, counted) {
    var h = decodeHash(hash);
    if (!h) return "";
    var r = readHash(h, counted);
    if (r.id === undefined) {
      if (r.number >= 1 && r.number <= N) return "";
      return r.reveal ? "No slide " + r.reveal + " in this deck (read as reveal.js reads #/h/v)."
                      : "No slide " + r.number + ": this deck has " + N + " slides.";
    }
    return indexOfId(r.id) < 0 ? "No slide '" + r.id + "' in this deck." : "";
  }
  function fixUrl(hash) {
    var problem = hashProblem(hash);
    if (problem) deck.toast(problem);
    setUrl("replace");
  }

  // ---- showing a slide -----------------------------------------------------------------------

  // go(index, step, how): how.history is "push" (default), "replace" or "none"; how.remote marks a change that
  // came from the other window, so it is not sent back.
  function go(index, step, how) {
    how = how || {};
    index = Math.max(0, Math.min(index, N - 1));
    step = clampStep(index, step);
    if (index === deck.state.index && step === deck.state.step) return;
    var before = deck.state.index, stepBefore = deck.state.step;
    deck.state = { index: index, step: step };
    if (!deck.overview) deck.ensureFitted(slides.slice(index, index + 2));
    show(before);
    if (before === index && step > stepBefore) deck.announceStep(index, step);
    else if (before === index && deck.announceStepBack) deck.announceStepBack(index, step);
    // Slide changes make history entries; steps within a slide only update the URL, so Back goes to the last slide.
    setUrl(how.history || (before === index ? "replace" : "push"));
    remember();
    if (!how.remote) deck.send({ type: "state", index: index, step: step });
    if (deck.isPresenter) deck.presenterUpdate();
  }

  function show(before) {
    var i = deck.state.index, slide = slides[i];
    if (before !== i) {
      if (before >= 0) activate(slides[before], false);
      activate(slide, true);
      if (deck.mediaShown) deck.mediaShown(before, i); // not in a theme's copy of deck.js from before deck-media.js
      deck.announceSlide();
    }
    setSteps(slide, deck.state.step);
    showLines(slide, before === i);
    if (deck.mediaStepped) deck.mediaStepped(i); // media in steps start and stop with them
    setText("tb-counter", (i + 1) + " / " + N);
    setText("tb-section", slide.getAttribute("data-section") || "");
    var bar = $("tb-progress");
    if (bar) bar.style.width = (N > 1 ? (i / (N - 1)) * 100 : 100) + "%";
  }

  // A slide's steps, in reveal.js's order: fragments with a data-fragment-index first, by index (those with the same
  // index are one step), then the others, one step each, in the order they are written. Each fragment keeps its step
  // number (data-tb-step), so a copy of the slide (the presenter's preview) can be set to a step too. A fragment in
  // the speaker notes is no step: it would show nothing to the audience (slides.py counts none there either).
  function stepsOf(slide) {
    var indexed = [], rest = [];
    Array.prototype.forEach.call(slide.querySelectorAll(".fragment"), function (el) {
      if (el.closest(".notes")) return;
      var n = parseInt(el.getAttribute("data-fragment-index"), 10);
      if (n >= 0) (indexed[n] = indexed[n] || []).push(el); else rest.push([el]);
    });
    var groups = indexed.filter(Boolean).concat(rest);
    groups.forEach(function (group, k) { group.forEach(function (el) { el.setAttribute("data-tb-step", k + 1); }); });
    return groups;
  }
  var steps = slides.map(stepsOf);

  // Each fragment of `root` (a slide or a copy) as it is at `step`: tb-visible once its step is reached, tb-latest
  // while its step is the last reached; deck.css gives each fragment style (fade-out, highlight-red, ...) its look
  // in those states. A code block with line highlights in steps (code_lines.py) highlights the lines of its group:
  // the first, then one more group for each of its steps shown.
  function setSteps(root, step) {
    Array.prototype.forEach.call(root.querySelectorAll(".fragment[data-tb-step]"), function (el) {
      var s = +el.getAttribute("data-tb-step");
      el.classList.toggle("tb-visible", s <= step);
      el.classList.toggle("tb-latest", s === step);
    });
    Array.prototype.forEach.call(root.querySelectorAll(".tb-line-steps"), function (block) {
      var group = 1 + block.querySelectorAll(".tb-code-step.tb-visible").length;
      Array.prototype.forEach.call(block.querySelectorAll(".tb-line"), function (line) {
        line.classList.toggle("tb-hl", (" " + line.getAttribute("data-steps") + " ").indexOf(" " + group + " ") >= 0);
      });
    });
  }
  slides.forEach(function (slide) { setSteps(slide, 0); });

  // A code block taller than its room scrolls (deck.css): each step brings its highlighted lines into view, centred
  // when they fit, as reveal.js does. Only the block scrolls (scrollIntoView would scroll the stage and the page
  // too); smoothly from one step to the next, unless the viewer asked for reduced motion; at once on arrival.
  function showLines(slide, smooth) {
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Array.prototype.forEach.call(slide.querySelectorAll(".tb-line-steps, .tb-line-highlight"), function (block) {
      var pre = block.querySelector("pre"), lines = block.querySelectorAll(".tb-line.tb-hl");
      if (!pre || !lines.length || pre.scrollHeight <= pre.clientHeight + 1) return;
      var origin = pre.offsetTop + pre.clientTop, last = lines[lines.length - 1];
      var top = lines[0].offsetTop - origin, bottom = last.offsetTop + last.offsetHeight - origin;
      var room = pre.clientHeight, pad = parseFloat(getComputedStyle(pre).paddingTop) || 0;
      var to = bottom - top <= room - 2 * pad ? top - (room - (bottom - top)) / 2 : top - pad;
      to = Math.max(0, Math.min(to, pre.scrollHeight - room));
      if (Math.abs(to - pre.scrollTop) < 1) return;
      if (pre.scrollTo) pre.scrollTo({ top: to, behavior: smooth && !still ? "smooth" : "auto" });
      else pre.scrollTop = to;
    });
  }

  // Inactive slides are inert and hidden from assistive technology; only the current one is reachable.
  function activate(slide, on) {
    slide.classList.toggle("tb-current", on);
    var pick = slide.querySelector(".tb-pick"); // its thumbnail in the overview says so too, not by its ring alone
    if (pick) { if (on) pick.setAttribute("aria-current", "true"); else pick.removeAttribute("aria-current"); }
    if (deck.overview) return;
    slide.inert = !on;
    if (on) slide.removeAttribute("aria-hidden"); else slide.setAttribute("aria-hidden", "true");
  }

  function next() {
    if (deck.state.step < fragments(deck.state.index).length) go(deck.state.index, deck.state.step + 1);
    else if (deck.state.index < N - 1) go(deck.state.index + 1, 0);
  }
  function prev() {
    if (deck.state.step > 0) go(deck.state.index, deck.state.step - 1);
    else if (deck.state.index > 0) go(deck.state.index - 1, fragments(deck.state.index - 1).length); // arrive fully built
  }

  deck.fragments = fragments;
  deck.setSteps = setSteps;
  deck.parseHash = parseHash;
  deck.hashFor = hashFor;
  deck.hashProblem = hashProblem;
  deck.fixUrl = fixUrl;
  deck.rememberedOnReload = rememberedOnReload;
  deck.go = go;
  deck.activate = activate;
  deck.next = next;
  deck.prev = prev;
};
