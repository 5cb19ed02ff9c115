// talkbuild deck viewer, one part (deck.js lists them all): shrinking a slide until it fits, and saying when the deck
// is ready (html[data-tb-ready]: every slide fitted with its pictures and fonts in; printing to PDF waits for it).
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.fit = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, slides = deck.slides, N = deck.N, bodyOf = deck.bodyOf;

  // Shrink a slide's text until it fits (long code, many bullets), like a speaker would by hand. Sizes are relative
  // to the slide's width, so the factor holds at every window size, in the overview and in print.
  // One long line of code may shrink the slide a little; past that it wraps, so it stays readable from the back row.
  // Slides are fitted together, in rounds of "measure every slide, then change the ones that overflow":
  // fitting them one by one made the browser lay the page out again for every measurement (~80 ms for 45 slides).
  // A slide gets the largest of these sizes that fits:
  var SIZES = [1];
  while (SIZES[SIZES.length - 1] > 0.5) SIZES.push(Math.max(0.5, SIZES[SIZES.length - 1] * 0.93));
  var SMALLEST = SIZES.length - 1;
  // The slide shown first and the next one (the first press, the presenter's preview) are fitted before the first
  // paint; the others just after it, a few at a time while the page is idle. Measuring a 45-slide deck took ~100 ms,
  // and a reload after every save in `talkbuild serve` waited for it. A slide shown before its turn (a jump, the
  // overview, printing) is fitted first. onAllFitted: set by fitTheRest (the deck's readiness waits for it).
  var unfitted = slides.map(function () { return true; }), unfittedCount = N, onAllFitted = null;
  var IDLE_BATCH = 8;
  function ensureFitted(list) {
    var todo = list.filter(function (slide) { var i = slides.indexOf(slide); return i >= 0 && unfitted[i]; });
    if (!todo.length) return;
    todo.forEach(function (slide) { unfitted[slides.indexOf(slide)] = false; });
    unfittedCount -= todo.length;
    fitAll(todo);
    if (!unfittedCount && onAllFitted) { var done = onAllFitted; onAllFitted = null; done(); }
  }
  function ensureAllFitted() { ensureFitted(slides); }
  function isUnfitted(slide) { return unfitted[slides.indexOf(slide)]; }
  function fitWhenIdle() {
    var batch = function () {
      if (!unfittedCount) return;
      if (!deck.overview) ensureFitted(slides.filter(isUnfitted).slice(0, IDLE_BATCH)); // the overview fitted them all
      fitWhenIdle();
    };
    if (window.requestIdleCallback) window.requestIdleCallback(batch); else setTimeout(batch, 16);
  }
  function fitAll(list) {
    var todo = list.map(function (slide) {
      slide.style.removeProperty("--tb-fit");
      slide.style.removeProperty("--tb-pic");
      slide.classList.remove("tb-wrap");
      // Indexes into SIZES. k: the size being tried; over: the smallest size known not to fit; fits: the largest
      // known to fit. Pictures and video can grow as the text shrinks (a column of code narrows, the picture beside
      // it widens), so a slide showing any goes down one size at a time, like a slide with too-wide code.
      var body = bodyOf(slide);
      var pictures = !!body.querySelector("img, svg, video, picture, iframe, object, embed, canvas");
      return { slide: slide, body: body, k: 0, over: -1, fits: -1, steps: pictures, pictures: pictures, pic: 1 };
    });
    while (todo.length) {
      var seen = todo.map(measure); // measure only...
      todo = todo.filter(function (t, i) { return t.steps ? step(t, seen[i]) : leap(t, seen[i]); }); // ...then change
    }
  }
  function size(t, k) {
    t.k = k;
    t.slide.style.setProperty("--tb-fit", SIZES[k].toFixed(3));
  }
  // Text only too tall: the height it needs says roughly which size fits; try that, then confirm that the next
  // larger size does not fit (each try is a round; text only gets shorter as it shrinks). Long lines of code and
  // pictures instead go one size down at a time: once shrinking would make code too small to read (below 0.8),
  // it wraps.
  function leap(t, m) {
    if (m.wide || m.broad) { t.steps = true; return step(t, m); }
    if (m.tall) t.over = t.k; else t.fits = t.k;
    if (t.fits === 0 || t.over === SMALLEST) return false;
    if (t.fits !== -1 && t.fits - 1 === t.over) {
      if (t.k !== t.fits) size(t, t.fits);
      return false;
    }
    if (t.fits !== -1) { size(t, t.fits - 1); return true; }
    var k = t.over + 1;
    while (k < SMALLEST && SIZES[k] > SIZES[t.over] * m.room) k++;
    size(t, k);
    return true;
  }
  function step(t, m) {
    if (m.tall) {
      if (t.k < SMALLEST) { size(t, t.k + 1); return true; }
      // Text at its smallest and still too tall (a column of logos): the pictures give way too, down to a quarter.
      if (t.pictures && t.pic > 0.3) {
        t.pic *= 0.8;
        t.slide.style.setProperty("--tb-pic", t.pic.toFixed(3));
        return true;
      }
      return false;
    }
    if (!m.wide && !m.broad) return false;
    var wrapped = t.slide.classList.contains("tb-wrap");
    if (m.wide) { // a line of code: readable down to 80 %, then it wraps
      if (!wrapped && SIZES[t.k] * 0.93 >= 0.8) { size(t, t.k + 1); return true; }
      if (!wrapped) { t.slide.classList.add("tb-wrap"); return true; } // measured again next round
      return false;
    }
    // Something else too wide (a table of many columns, a long address): smaller, as long as that makes it
    // narrower (a box of a fixed width in raw HTML does not shrink with the text: then the last size is kept);
    // only at the smallest size are its words broken.
    // Text-sized content narrows with each 7 % step; a fixed box narrows only by the padding (well under 2 %).
    if (t.width !== undefined && m.width > t.width * 0.98) { size(t, t.k - 1); return false; }
    t.width = m.width;
    if (t.k < SMALLEST) { size(t, t.k + 1); return true; }
    if (!wrapped) { t.slide.classList.add("tb-wrap"); return true; }
    return false;
  }
  // tall: the text is taller than the slide; wide: a line of code is wider; broad: something else is (a table of
  // many columns, a long address); room: the share of its height that fits.
  // Code taller than its room scrolls inside its block (deck.css), and the body never sees it overflow either: what
  // it hides counts as the body's.
  // A displayed formula scrolls inside itself (so that it can take the focus), and the body never sees it overflow:
  // its overflow counts as the body's (it cannot wrap, so it only shrinks).
  // Beside a split background picture (Marp's ![bg right:40%]) the text's column ends where the picture begins,
  // inside the body's padding: what runs past it (a long address) is measured on the body's children.
  function measure(t) {
    var body = t.body, pres = body.querySelectorAll("pre"), wide = false, over = 0, code = 0;
    for (var k = 0; k < pres.length; k++) {
      wide = wide || pres[k].scrollWidth > pres[k].clientWidth + 1;
      code += Math.max(0, pres[k].scrollHeight - pres[k].clientHeight - 1); // long code scrolls in its block (deck.css)
    }
    var maths = body.querySelectorAll('math[display="block"]');
    for (var j = 0; j < maths.length; j++) over = Math.max(over, maths[j].scrollWidth - maths[j].clientWidth - 1);
    var split = /\btb-bg-(left|right)-slide\b/.test(t.slide.className), column = 0, past = false;
    if (split) { // always the column's width, so that two rounds compare like with like
      for (var c = body.firstElementChild; c; c = c.nextElementSibling) {
        if (c.classList.contains("tb-bg")) continue;
        column = Math.max(column, c.scrollWidth);
        past = past || c.scrollWidth > c.clientWidth + 1;
      }
    }
    return { tall: body.scrollHeight > body.clientHeight + 1 || code > 0, wide: wide,
             broad: body.scrollWidth > body.clientWidth + 1 || over > 0 || past,
             width: (split ? column : body.scrollWidth) + Math.max(0, over),
             room: body.clientHeight / (body.scrollHeight + code) };
  }

  // An embed shaped by CSS (style="width: 100%; aspect-ratio: 16 / 9"): its ratio as --tb-ratio, which deck.css uses to
  // cap its width along with its height, so a slide's height cap never changes its shape.
  function shapeEmbeds() {
    slides.forEach(function (slide) {
      Array.prototype.forEach.call(slide.querySelectorAll("iframe, embed, object"), function (el) {
        var m = /(\d*\.?\d+)(?:\s*\/\s*(\d*\.?\d+))?\s*$/.exec(getComputedStyle(el).aspectRatio || "");
        var ratio = m ? parseFloat(m[1]) / (m[2] ? parseFloat(m[2]) : 1) : 0;
        if (ratio > 0 && isFinite(ratio)) el.style.setProperty("--tb-ratio", ratio.toFixed(4));
      });
    });
  }

  // ---- ready ---------------------------------------------------------------------------------
  // An image still loading has no height yet, and web fonts still loading change the text's size: a slide is
  // fitted again once they are in. The deck is ready (html[data-tb-ready], what printing to PDF waits for) when
  // every slide has been fitted with everything it shows, or after READY_WAIT_MS whatever is still loading.
  var READY_WAIT_MS = 10000;
  var waiting = 1; // every slide's first fitting, then one per image still loading and per slide waiting for fonts
  var queued = [], settled = 0;
  function fitted(count) {
    waiting -= count;
    if (!waiting) root.setAttribute("data-tb-ready", "true");
  }
  // Fit `slide` again soon; `counts`: it was one of the things the deck waits for before it is ready.
  function refit(slide, counts) {
    queued.push(slide);
    if (counts) settled++;
    if (queued.length === 1) setTimeout(refitQueued, 0); // one batch for what arrived together
  }
  function refitQueued() {
    if (deck.overview || !queued.length) return; // measured on thumbnails, the sizes would be wrong: on leaving it
    var batch = queued, count = settled;
    queued = [];
    settled = 0;
    // A slide not fitted yet is measured when its turn comes, with what has arrived by then.
    fitAll(batch.filter(function (s, i) { return batch.indexOf(s) === i && !isUnfitted(s); }));
    if (deck.isPresenter) deck.presenterUpdate(); // its preview is a copy of a slide
    fitted(count);
  }
  // At start-up, once the first slide is shown: every other slide fitted while the page is idle, each fitted again
  // as its pictures and fonts arrive, the window is resized or the page printed.
  function fitTheRest() {
    slides.forEach(function (slide) {
      Array.prototype.forEach.call(slide.querySelectorAll(".tb-slide-body img"), function (img) {
        if (img.complete) return;
        // A lazy picture may never load (one in a closed <details> is never shown): fitted when it comes, not waited for.
        var counts = img.loading !== "lazy";
        if (counts) waiting++;
        function done() {
          img.removeEventListener("load", done);
          img.removeEventListener("error", done);
          refit(slide, counts);
        }
        img.addEventListener("load", done);
        img.addEventListener("error", done);
      });
    });
    if (doc.fonts && doc.fonts.ready && doc.fonts.status !== "loaded") {
      waiting += N;
      doc.fonts.ready.then(function () { slides.forEach(function (slide) { refit(slide, true); }); });
    }
    setTimeout(function () { root.setAttribute("data-tb-ready", "true"); }, READY_WAIT_MS);
    // Printing lays the page out at once: every slide fitted now, with the pictures that have arrived (a refit
    // queued by a picture's load might otherwise run only after the print).
    window.addEventListener("beforeprint", function () { ensureAllFitted(); refitQueued(); });
    // A smaller window can round text differently (a table's last row then overflows): fit again once it settles.
    var resizeTimer = 0;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { slides.forEach(function (slide) { refit(slide, false); }); }, 150);
    });
    if (unfittedCount) { onAllFitted = function () { fitted(1); }; fitWhenIdle(); } else fitted(1);
  }

  deck.ensureFitted = ensureFitted;
  deck.ensureAllFitted = ensureAllFitted;
  deck.refitQueued = refitQueued;
  deck.shapeEmbeds = shapeEmbeds;
  deck.fitTheRest = fitTheRest;
};
