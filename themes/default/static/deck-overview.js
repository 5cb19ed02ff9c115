// talkbuild deck viewer, one part (deck.js lists them all): the overview, every slide as a thumbnail in a grid (O).
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.overview = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, stage = deck.stage, slides = deck.slides, N = deck.N, bodyOf = deck.bodyOf;
  deck.overview = false;

  var picks = slides.map(function (slide, i) {
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "tb-pick";
    b.hidden = true;
    b.setAttribute("data-n", String(i + 1));
    b.setAttribute("aria-label", "Slide " + (i + 1) + ": " + (slide.getAttribute("data-title") || ""));
    b.addEventListener("click", function () { deck.go(i, 0); setOverview(false); }); // focus goes to the new slide
    slide.appendChild(b);
    return b;
  });

  function setOverview(on) {
    if (on) deck.ensureAllFitted(); // at full size, before the slides become thumbnails
    deck.overview = on;
    root.classList.toggle("tb-overview", on);
    slides.forEach(function (slide, i) {
      var active = on || i === deck.state.index;
      slide.inert = !active;
      if (active) slide.removeAttribute("aria-hidden"); else slide.setAttribute("aria-hidden", "true");
      var body = bodyOf(slide);
      if (body !== slide) body.inert = on; // in the grid only the pick buttons take focus
      picks[i].hidden = !on;
    });
    if (on) {
      picks[deck.state.index].focus();
      picks[deck.state.index].scrollIntoView({ block: "center" });
      deck.announce("Overview of " + N + " slides. Arrow keys move, Enter opens a slide, Escape returns.");
    } else {
      stage.scrollTop = 0;
      leaveOverview();
      deck.refitQueued(); // images or fonts that arrived while it was open
    }
  }

  // Leaving it, the slide now showing gets the focus and is announced (see focusSlide in deck-announce.js).
  function leaveOverview() {
    deck.focusSlide();
    deck.announceSlide();
  }

  function overviewKey(e) {
    var at = picks.indexOf(doc.activeElement);
    if (at < 0) at = deck.state.index;
    // Thumbnails in one row share their top edge (a pick's offsetTop is measured inside its own slide: always 0).
    var top = Math.round(slides[0].getBoundingClientRect().top), cols = 1;
    while (cols < N && Math.round(slides[cols].getBoundingClientRect().top) === top) cols++;
    var ahead = deck.rtl() ? -1 : 1; // right to left, the grid runs from the right: ArrowLeft goes on
    var to = { ArrowRight: at + ahead, ArrowLeft: at - ahead, ArrowDown: at + cols, ArrowUp: at - cols, Home: 0, End: N - 1 }[e.key];
    if (to === undefined) return false;
    to = Math.max(0, Math.min(to, N - 1));
    picks[to].focus();
    picks[to].scrollIntoView({ block: "nearest" });
    return true;
  }

  deck.setOverview = setOverview;
  deck.overviewKey = overviewKey;
};
