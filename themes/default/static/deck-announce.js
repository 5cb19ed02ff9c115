// talkbuild deck viewer, one part (deck.js lists them all): what the deck tells its audience. The live region a screen
// reader reads, the toast for everyone (an address naming no slide, a blocked pop-up), and where focus goes.
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.announce = function (deck) {
  "use strict";
  var $ = deck.$, doc = deck.doc, root = deck.root, slides = deck.slides, N = deck.N;
  // talkbuild's own words are English; on a page in another language they are marked so (a screen reader then
  // voices them in English), and the talk's own text (a slide's title, a step) keeps the page's language.
  var pageLang = root.getAttribute("lang") || "", pageDir = root.getAttribute("dir") || "ltr";
  var english = !pageLang || /^en(-|$)/i.test(pageLang);

  // A live region is read when its text changes: with `again`, the same text once more (a step stepped back from,
  // then revealed again) gets a no-break space at its end, so it differs and is read too. `text` is talkbuild's
  // (English) words, `content` the talk's own, read after them.
  function announce(text, again, content) {
    var el = $("tb-status");
    if (!el) return;
    text = text || "";
    content = content || "";
    if (again && text + content && el.textContent === text + content) {
      if (content) content += "\u00a0"; else text += "\u00a0";
    }
    if (english) { el.textContent = text + content; return; }
    el.textContent = "";
    if (text) el.appendChild(part(text, "en", pageDir === "ltr" ? "" : "ltr"));
    if (content) el.appendChild(part(content, pageLang, pageDir));
  }
  function part(text, lang, dir) {
    var span = doc.createElement("span");
    span.lang = lang;
    if (dir) span.dir = dir;
    span.textContent = text;
    return span;
  }

  function slideStatus() {
    return "Slide " + (deck.state.index + 1) + " of " + N + ": " + (slides[deck.state.index].getAttribute("data-title") || "");
  }
  // "Slide 3 of 6: " in English, then the slide's title in the talk's language.
  function announceSlide() {
    var i = deck.state.index;
    announce("Slide " + (i + 1) + " of " + N + ": ", false, slides[i].getAttribute("data-title") || "");
  }
  // A revealed step is read out, shortened, as reveal.js does; a step going away is not, nor a fragment this step
  // hides or fades (fade-out, semi-fade-out, shrink). A step of a code block's line highlights reads the lines it
  // highlights. All fragments of a step (the same data-fragment-index) are read in turn.
  var GOING = /(^|\s)(fade-out|semi-fade-out|shrink)(\s|$)/;
  function stepText(el) {
    if (GOING.test(el.className)) return "";
    if (el.classList.contains("tb-code-step")) {
      var block = el.closest(".tb-line-steps");
      return block ? Array.prototype.map.call(block.querySelectorAll(".tb-line.tb-hl"), function (line) {
        return line.textContent;
      }).join(" ") : "";
    }
    return el.textContent || "";
  }
  function announceStep(i, step) {
    var group = deck.fragments(i)[step - 1] || [];
    var text = Array.prototype.map.call(group, stepText).join(" ").replace(/\s+/g, " ").trim();
    if (text.length > 140) text = text.slice(0, 139).replace(/\s+\S*$/, "") + "…";
    if (text) announce("", true, text);
    else announce("Step " + step + " of " + deck.fragments(i).length, true);
  }

  // A step gone back from is hidden, but the live region still held its text: what it says must stay true (WCAG
  // 4.1.3), so going back says where the slide is now. At the start of the slide, the slide's own name follows.
  function announceStepBack(i, step) {
    if (step) { announce("Back to step " + step + " of " + deck.fragments(i).length, true); return; }
    announce("Back to the start of slide " + (i + 1) + " of " + N + ": ", true, slides[i].getAttribute("data-title") || "");
  }

  var toastTimer = 0;
  function toast(text) {
    var el = $("tb-toast");
    if (!el) { if (window.console) console.warn(text); return; }
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 8000);
  }

  // Leaving the overview (or closing the help), focus goes to the slide now showing, and the slide is announced: the
  // live region still described the overview. Not back to the button that opened it: Space and Enter there would
  // press it again (reopen the overview) where everyone expects Space to go on; on the slide they go on, and a
  // screen reader reads on from the slide.
  function focusSlide() {
    var slide = slides[deck.state.index];
    if (!slide.hasAttribute("tabindex")) slide.setAttribute("tabindex", "-1");
    slide.focus({ preventScroll: true });
  }

  deck.announce = announce;
  deck.slideStatus = slideStatus;
  deck.announceSlide = announceSlide;
  deck.announceStep = announceStep;
  deck.announceStepBack = announceStepBack;
  deck.toast = toast;
  // An element holding talkbuild's own words amid the talk's (the presenter's "No notes for this slide."): English.
  deck.english = function (el) {
    if (english) return el;
    el.lang = "en";
    if (pageDir !== "ltr") el.dir = "ltr";
    return el;
  };
  deck.focusSlide = focusSlide;
};
