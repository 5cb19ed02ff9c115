// talkbuild deck viewer, one part (deck.js lists them all): printing with the speaker notes. Opened with ?print-notes
// (or reveal.js's ?print-pdf&showNotes=true), the deck prints "notes pages", as PowerPoint and Beamer do for a
// speaker's printout or a handout: one portrait page per slide, the slide on its top half, its number, title and
// notes below, the notes running on to the next page when they are long (deck.css, "print"). A4 unless
// ?print-notes=letter. On screen nothing changes: the layout is the printed page's (File > Print; `talkbuild pdf --notes`).
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.print = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, slides = deck.slides, N = deck.N;
  var query = "&" + location.search.slice(1) + "&";
  var asked = /&print-notes(=[^&]*)?&/.exec(query);
  // reveal.js: showNotes=true prints the notes on the slide's page; "separate-page" on a page of their own. Both are
  // read as notes pages here (the notes are below the slide, never over it).
  var reveal = /&print-pdf(=[^&]*)?&/.test(query) && /&shownotes=(true|separate-page)&/i.test(query);
  deck.printNotes = !!(asked || reveal) && !deck.isPresenter;

  // On paper every slide is there, so every slide is in the accessibility tree while printing: Chromium tags a saved
  // PDF from that tree, and slides hidden from it (all but the current one, on screen) would print untagged.
  window.addEventListener("beforeprint", function () {
    slides.forEach(function (slide) { slide.inert = false; slide.removeAttribute("aria-hidden"); });
  });
  window.addEventListener("afterprint", function () {
    slides.forEach(function (slide, i) { deck.activate(slide, i === deck.state.index); });
  });

  if (!deck.printNotes) return;
  root.classList.add("tb-print-notes");
  if (asked && /^=letter$/i.test(asked[1] || "")) root.classList.add("tb-paper-letter");

  // Each slide's notes page: a copy of its notes after it in #tb-stage (a copy: the presenter reads the originals).
  // Language-neutral on purpose: "3 / 12" and the slide's own title, whatever language the talk is in.
  slides.forEach(function (slide, i) {
    var page = doc.createElement("div");
    page.className = "tb-notes-page";
    var head = page.appendChild(doc.createElement("p"));
    head.className = "tb-notes-head";
    var number = head.appendChild(doc.createElement("span"));
    number.className = "tb-notes-number";
    number.dir = "ltr";
    number.textContent = (i + 1) + " / " + N;
    var title = slide.getAttribute("data-title") || "";
    if (title) head.appendChild(doc.createElement("span")).textContent = title;
    var notes = slide.querySelector("aside.notes");
    if (notes) {
      var copy = page.appendChild(notes.cloneNode(true));
      copy.className = "tb-notes-text";
      copy.removeAttribute("aria-label");
      // The ids are the originals' (footnotes): a copy keeps none, so the page's ids stay unique.
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    }
    slide.parentNode.insertBefore(page, slide.nextSibling);
  });
};
