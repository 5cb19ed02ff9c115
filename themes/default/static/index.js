// Site index: filter the talk list as you type (title, author, tag, date, description), and find the slides whose
// text holds every word typed (a word's start, as MkDocs' search; a "quoted phrase" as consecutive words). No
// server, no dependencies.
(function () {
  "use strict";
  var form = document.getElementById("tb-search-form");
  var input = document.getElementById("tb-search");
  var count = document.getElementById("tb-search-count");
  var empty = document.getElementById("tb-empty");
  var talks = Array.prototype.slice.call(document.querySelectorAll(".tb-talk"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".tb-group")); // index_group: folder, day...
  var jumpList = document.querySelector(".tb-jump"); // the list of the groups' headings, with several of them
  if (!form || !input) return;
  form.hidden = false; // without JavaScript the box would do nothing, so it stays hidden

  // The count is shown at once but read out only once typing pauses: a live count, changed at every key, would be
  // announced at every key, one "3 of 12 talks" over the next (WCAG 4.1.3). So the count stops being live (index.html
  // makes it live for a page without this script), and a visually hidden live region of its own, in the count's
  // language, says it SETTLE_MS after the last change; even when it is what was read last (a no-break space makes
  // the text differ): the pause is when someone listens.
  var status = count ? document.createElement("p") : null, statusTimer = 0, SETTLE_MS = 500;
  if (status) {
    count.setAttribute("aria-live", "off");
    status.id = "tb-search-status";
    status.className = "tb-visually-hidden";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    ["lang", "dir"].forEach(function (a) { if (count.hasAttribute(a)) status.setAttribute(a, count.getAttribute(a)); });
    count.parentNode.insertBefore(status, count.nextSibling);
  }
  function countChanged() {
    if (!status) return;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () {
      var text = count.textContent;
      status.textContent = status.textContent === text ? text + "\u00a0" : text;
    }, SETTLE_MS);
  }

  // Text as a search compares it, both what is typed and what is searched: in compatibility form (NFKD:
  // half-width ﾌﾟﾛ as プロ, full-width ２ as 2), lower case, with every combining mark dropped (so "revision" finds
  // "révision", مقدمة finds مُقَدِّمَةٌ, מבוא finds מָבוֹא) and ß as ss, ς as σ, as case folding has them.
  function plain(text) {
    return text.normalize("NFKD").toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/ß/g, "ss").replace(/ς/g, "σ");
  }

  // The query's terms, in plain() form: its words, and each "quoted phrase" as one term (its words joined by one
  // space). A quote left open runs to the end; quotes never become part of a term, so they never mean "nothing".
  function terms(query) {
    var out = [];
    plain(query).split('"').forEach(function (part, n) {
      if (n % 2) { var phrase = part.split(/\s+/).filter(Boolean).join(" "); if (phrase) out.push(phrase); }
      else part.split(/\s+/).forEach(function (w) { if (w) out.push(w); });
    });
    return out;
  }

  // A word `tag:x` (what a tag button writes) matches talks tagged exactly x; other terms match anywhere in
  // title, subtitle, authors, tags, description and date.
  function filter() {
    var words = terms(input.value);
    var shown = 0;
    talks.forEach(function (li) {
      var text = plain(li.getAttribute("data-search") || ""), tags = plain(li.getAttribute("data-tags") || "||");
      var match = words.every(function (w) {
        return w.indexOf("tag:") === 0 ? tags.indexOf("|" + w.slice(4) + "|") !== -1 : text.indexOf(w) !== -1;
      });
      li.hidden = !match;
      if (match) shown++;
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".tb-talk:not([hidden])"); });
    if (jumpList) jumpGroups();
    count.textContent = words.length ? shown + " of " + talks.length + " talks" : talks.length + (talks.length === 1 ? " talk" : " talks");
    empty.hidden = shown > 0;
    searchSlides(words); // hides `empty` too when slides are found
    countChanged();
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    try { history.replaceState(null, "", url); } catch (err) { /* file:// pages may refuse a new query */ }
  }

  // The list of headings at the top offers only the groups still shown (a link to a hidden one would go nowhere),
  // and goes when fewer than two are left: there is nothing to jump between.
  function jumpGroups() {
    var left = 0;
    Array.prototype.forEach.call(jumpList.querySelectorAll("li"), function (li) {
      var a = li.querySelector("a[href^='#']"), heading = a && document.getElementById(decodeURIComponent(a.hash.slice(1)));
      var group = heading && heading.closest(".tb-group");
      li.hidden = !!group && group.hidden;
      if (!li.hidden) left++;
    });
    jumpList.hidden = left < 2;
  }

  // ---- Full-text search of the slides -----------------------------------------------------------------------
  // The site's search index (_talkbuild/search-index.js: every listed talk's slides as plain text) is a script
  // that sets window.talkbuildSearch, so it loads from file:// too, where fetch() of a JSON file is refused. It
  // is loaded the first time a query is long enough, never before. plain() on both sides, as the talk filter,
  // but every term must start a word of the slide's title or text (`the` is not found in "other"), except in a
  // script written without spaces between words (Chinese, Japanese, Thai...), where it may be anywhere.
  var results = document.getElementById("tb-slide-results"); // absent from a theme's own index.html: no slide search
  var MAX_HITS = 50;
  var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  // Scripts written without spaces between words: there a term may start anywhere (no word boundary to find).
  var UNSPACED = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}" +
    "\\p{Script=Khmer}\\p{Script=Myanmar}\\p{Script=Tibetan}\\p{Script=Yi}";
  var UNSPACED_START = new RegExp("^[" + UNSPACED + "]", "u");
  // Before a term: no letter or digit of a spaced script (a Latin word right after Chinese text still starts).
  var WORD_START = "(?<![^\\P{L}" + UNSPACED + "])(?<!\\p{N})";
  var slides = null; // once loaded: one record per slide, in the index's order of talks, then slide order
  var loading = false, failed = false, jump = null;

  function loaded() {
    // Each talk's place on the page and its tags (for `tag:` words, what a tag button writes), by the address
    // its first link leads to: the index lists talks in its own order, the search index by folder.
    // Its entry gives each hit the talk's name as the index shows it (with its path when a title is shared:
    // "Lab (week1/lab)") and its language and direction when they differ from the site's.
    var place = {}, tags = {}, entry = {};
    talks.forEach(function (li, n) {
      var a = li.querySelector("a[href]"), href = a && a.getAttribute("href").replace(/\/index\.html$/, "");
      if (href && !(href in place)) {
        place[href] = n; tags[href] = plain(li.getAttribute("data-tags") || "||");
        entry[href] = {name: a.textContent.replace(/\s+/g, " ").trim(), lang: li.getAttribute("lang"), dir: li.getAttribute("dir")};
      }
    });
    var data = window.talkbuildSearch;
    slides = [];
    (data && data.talks || []).forEach(function (talk) {
      talk.slides.forEach(function (s) {
        slides.push({talk: talk, anchor: s[0], title: s[1], text: s[2], number: s[3],
                     key: plain(s[1] + "\n" + s[2]), tags: tags[talk.href] || "||", entry: entry[talk.href] || null,
                     place: talk.href in place ? place[talk.href] : talks.length});
      });
    });
    slides.sort(function (a, b) { return a.place - b.place; }); // stable: each talk's slides stay in order
  }

  var indexScript = null;
  function load(fresh) {
    if (loading) return;
    loading = true;
    var script = indexScript = document.createElement("script");
    var src = results.getAttribute("data-index");
    script.src = fresh ? src + (src.indexOf("?") < 0 ? "?" : "&") + "rebuilt=" + fresh : src;
    script.onload = function () { if (script === indexScript) { loaded(); searchSlides(terms(input.value)); } };
    script.onerror = function () { if (script === indexScript) { failed = true; searchSlides(terms(input.value)); } };
    document.head.appendChild(script);
  }
  // `talkbuild serve` rebuilt the site without reloading this page (its own HTML is the same): the slides' text may
  // have changed, so a search index already loaded is loaded again (past the browser's cache) and the search rerun.
  window.addEventListener("talkbuild:rebuilt", function (event) {
    if (!slides && !failed && !loading) return; // never loaded: the next search loads the new one
    if (indexScript && indexScript.parentNode) indexScript.parentNode.removeChild(indexScript);
    slides = null; failed = false; loading = false;
    load(String(event.detail && event.detail.generation || Date.now()));
  });

  // Long enough to search the slides: a term of 2 characters, or of 1 in Chinese, Japanese or Korean (one
  // character is a word); `a b` is not (every slide has words starting so).
  function searchable(words) {
    return words.some(function (w) { return Array.from(w).length >= 2 || CJK.test(w); });
  }

  // A term as a pattern over plain() text: at a word's start (anywhere when it starts in an unspaced script), a
  // phrase's words one after another with anything but letters and digits between ("continuous, deployment").
  var patterns = new Map();
  function pattern(term) {
    var re = patterns.get(term);
    if (!re) {
      var body = term.split(" ").map(function (w) { return w.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"); })
        .join("[^\\p{L}\\p{N}]+");
      re = new RegExp((UNSPACED_START.test(term) ? "" : WORD_START) + body, "gu");
      patterns.set(term, re);
    }
    re.lastIndex = 0;
    return re;
  }

  function searchSlides(allWords) {
    if (!results) return;
    var words = allWords.filter(function (w) { return w.indexOf("tag:") !== 0; });
    var tagWords = allWords.filter(function (w) { return w.indexOf("tag:") === 0 && w.length > 4; });
    if (!searchable(words)) { show(null); return; }
    if (failed) { show(null, "The slides could not be searched: " + results.getAttribute("data-index") + " did not load."); return; }
    if (!slides) { load(); return; }
    var hits = slides.filter(function (s) {
      return words.every(function (w) { return pattern(w).test(s.key); }) &&
        tagWords.every(function (w) { return s.tags.indexOf("|" + w.slice(4) + "|") !== -1; });
    });
    show(hits, "", words);
  }

  function show(hits, note, words) {
    var list = document.getElementById("tb-slide-hits"), counter = document.getElementById("tb-slide-count");
    var noteEl = document.getElementById("tb-slide-note");
    list.textContent = "";
    results.hidden = !(hits && hits.length) && !note; // no slide found: the talk list says enough
    if (noteEl) { noteEl.textContent = note || ""; noteEl.hidden = !note; }
    if (!hits) { if (counter) counter.textContent = ""; setJump(0); return; }
    if (counter) counter.textContent = "(" + hits.length + ")";
    hits.slice(0, MAX_HITS).forEach(function (hit) { list.appendChild(item(hit, words)); });
    if (hits.length > MAX_HITS && noteEl) {
      noteEl.textContent = "The first " + MAX_HITS + " of " + hits.length + " slides: add words to narrow the search.";
      noteEl.hidden = false;
    }
    if (hits.length) {
      count.textContent += ", " + slidesFound(hits.length);
      empty.hidden = true; // "No talk matches" would read as "nothing found" above the slides that were
    }
    countChanged(); // the slides found after the search index loaded, later than the talks
    setJump(hits.length);
  }

  // "1 slide", "3 slides", or when more were found than are listed "the first 50 of 194 slides".
  function slidesFound(n) {
    return n > MAX_HITS ? "the first " + MAX_HITS + " of " + n + " slides" : n + (n === 1 ? " slide" : " slides");
  }

  // Right after the count: a link down to the slides found, so the keyboard need not pass every talk listed.
  function setJump(n) {
    if (!jump) {
      if (!n) return;
      jump = document.createElement("a");
      jump.className = "tb-slide-jump";
      jump.href = "#tb-slide-results";
      jump.addEventListener("click", function (e) { e.preventDefault(); results.focus(); results.scrollIntoView(); });
      count.parentNode.insertBefore(jump, count.nextSibling);
    }
    jump.textContent = "Go to " + (n === 1 ? "the slide" : n > MAX_HITS ? slidesFound(n) : "the " + n + " slides") + " found";
    jump.hidden = !n;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function item(hit, words) {
    var li = element("li", "tb-slide-hit"), own = hit.entry || {};
    // The talk's language and direction, from its index entry: its title, the slide's and the text are in it.
    if (own.lang) li.setAttribute("lang", own.lang);
    if (own.dir) li.setAttribute("dir", own.dir);
    var title = hit.title || "Slide " + hit.number;
    var handout = element("a", "tb-slide-hit-link");
    handout.href = hit.talk.href + "/index.html#" + hit.anchor;
    handout.appendChild(element("span", "tb-slide-hit-talk", own.name || hit.talk.title));
    var sep = element("span", "tb-slide-hit-sep", " › ");
    sep.setAttribute("aria-hidden", "true");
    handout.appendChild(sep);
    handout.appendChild(element("span", "tb-visually-hidden", ": "));
    var titleEl = handout.appendChild(element("span", "tb-slide-hit-title", title));
    var deck = element("a", "tb-slide-hit-deck", "Slide " + hit.number);
    if (own.lang || own.dir) { // talkbuild's English words stay English inside a talk of another language
      deck.setAttribute("lang", "en"); deck.setAttribute("dir", "ltr");
      if (!hit.title) { titleEl.setAttribute("lang", "en"); titleEl.setAttribute("dir", "ltr"); }
    }
    deck.href = hit.talk.href + "/slides/index.html#" + hit.anchor;
    deck.appendChild(element("span", "tb-visually-hidden", " in the deck: " + title));
    var head = element("p", "tb-slide-hit-head");
    head.appendChild(handout);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(deck);
    li.appendChild(head);
    if (hit.text) li.appendChild(snippet(hit.text, words));
    return li;
  }

  // Each character's plain() form, remembered: a snippet maps positions in plain text back to the slide's text.
  var plainChars = new Map();
  function plainChar(ch) {
    var p = plainChars.get(ch);
    if (p === undefined) { p = plain(ch); plainChars.set(ch, p); }
    return p;
  }

  // The slide's text in plain() form, with the index in `text` of the character each plain character came from.
  function plainMap(text) {
    var out = [], at = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i)), p = plainChar(ch);
      for (var k = 0; k < p.length; k++) at.push(i);
      out.push(p);
      i += ch.length;
    }
    return {text: out.join(""), at: at};
  }

  // After a character at `i`: past it, and past every character that goes with it and plain() drops (the
  // accent of é written e + ◌́, the sound mark ﾞ of half-width ﾌﾟ).
  function after(text, i) {
    var j = i + String.fromCodePoint(text.codePointAt(i)).length;
    for (var ch; j < text.length && plainChar(ch = String.fromCodePoint(text.codePointAt(j))) === ""; ) j += ch.length;
    return j;
  }

  // `i` moved to the nearest boundary between characters as a reader sees them (graphemes: never half an emoji
  // or a letter without its accent), towards the start, or towards the end when `forward`.
  var graphemes = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, {granularity: "grapheme"}) : null;
  function boundary(text, i, forward) {
    if (i <= 0 || i >= text.length) return i;
    if (graphemes) {
      var from = Math.max(0, i - 40), seg = graphemes.segment(text.slice(from, i + 40)).containing(i - from);
      if (seg && from + seg.index !== i) return forward ? from + seg.index + seg.segment.length : from + seg.index;
      return i;
    }
    var low = /[\uDC00-\uDFFF]/.test(text[i]) && /[\uD800-\uDBFF]/.test(text[i - 1]); // inside a surrogate pair
    return low ? (forward ? i + 1 : i - 1) : i;
  }

  // Some 160 characters of the text around the first word found, each word found marked (<mark>), as text nodes.
  function snippet(text, words) {
    var map = plainMap(text), ranges = [];
    words.forEach(function (w) {
      for (var re = pattern(w), m; (m = re.exec(map.text)) !== null; ) {
        ranges.push([map.at[m.index], after(text, map.at[m.index + m[0].length - 1])]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var first = ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, first - 50), end = Math.min(text.length, start + 160);
    if (start > 0) { var space = text.indexOf(" ", start); if (space !== -1 && space < first) start = space + 1; }
    if (end < text.length) { var last = text.lastIndexOf(" ", end); if (last > first) end = last; }
    start = boundary(text, start, false); end = boundary(text, end, true); // cut inside text without spaces
    var p = element("p", "tb-slide-hit-text"), at = start;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    ranges.forEach(function (r) {
      if (r[0] < at || r[0] >= end) return; // overlaps the previous mark, or outside the snippet
      p.appendChild(document.createTextNode(text.slice(at, r[0])));
      p.appendChild(element("mark", "", text.slice(r[0], Math.min(r[1], end))));
      at = Math.min(r[1], end);
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    return p;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  input.addEventListener("input", filter);
  document.addEventListener("click", function (e) {
    var tag = e.target.closest && e.target.closest("button.tb-tag");
    if (!tag) return;
    input.value = "tag:" + tag.getAttribute("data-tag").toLowerCase().replace(/ /g, "-"); // as index.html's data-tags
    filter();
    input.focus();
  });
  var q = new URL(location.href).searchParams.get("q");
  if (q) { input.value = q; filter(); }
})();
