// Site index: filter the talk list as you type (title, author, tag, date, description), and find the slides whose
// text holds every word typed. No server, no dependencies.
(function () {
  "use strict";
  var form = document.getElementById("tb-search-form");
  var input = document.getElementById("tb-search");
  var count = document.getElementById("tb-search-count");
  var empty = document.getElementById("tb-empty");
  var talks = Array.prototype.slice.call(document.querySelectorAll(".tb-talk"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".tb-group")); // index_group: folder
  if (!form || !input) return;
  form.hidden = false; // without JavaScript the box would do nothing, so it stays hidden

  // Text as a search compares it, both what is typed and what is searched: in compatibility form (NFKD:
  // half-width ﾌﾟﾛ as プロ, full-width ２ as 2), lower case, with every combining mark dropped (so "revision" finds
  // "révision", مقدمة finds مُقَدِّمَةٌ, מבוא finds מָבוֹא) and ß as ss, ς as σ, as case folding has them.
  function plain(text) {
    return text.normalize("NFKD").toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/ß/g, "ss").replace(/ς/g, "σ");
  }

  // A word `tag:x` (what a tag button writes) matches talks tagged exactly x; other words match anywhere in
  // title, subtitle, authors, tags, description and date.
  function filter() {
    var words = plain(input.value).split(/\s+/).filter(Boolean);
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
    count.textContent = words.length ? shown + " of " + talks.length + " talks" : talks.length + (talks.length === 1 ? " talk" : " talks");
    empty.hidden = shown > 0;
    searchSlides(words);
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    try { history.replaceState(null, "", url); } catch (err) { /* file:// pages may refuse a new query */ }
  }

  // ---- Full-text search of the slides -----------------------------------------------------------------------
  // The site's search index (_talkbuild/search-index.js: every listed talk's slides as plain text) is a script
  // that sets window.talkbuildSearch, so it loads from file:// too, where fetch() of a JSON file is refused. It
  // is loaded the first time a query is long enough, never before. Matching is the talk filter's: plain() on
  // both sides, every word of the query somewhere in the slide's title or text.
  var results = document.getElementById("tb-slide-results"); // absent from a theme's own index.html: no slide search
  var MAX_HITS = 50;
  var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  var slides = null; // once loaded: one record per slide, in the index's order of talks, then slide order
  var loading = false, failed = false, jump = null;

  function loaded() {
    // Each talk's place on the page and its tags (for `tag:` words, what a tag button writes), by the address
    // its first link leads to: the index lists talks in its own order, the search index by folder.
    var place = {}, tags = {};
    talks.forEach(function (li, n) {
      var a = li.querySelector("a[href]"), href = a && a.getAttribute("href").replace(/\/index\.html$/, "");
      if (href && !(href in place)) { place[href] = n; tags[href] = plain(li.getAttribute("data-tags") || "||"); }
    });
    var data = window.talkbuildSearch;
    slides = [];
    (data && data.talks || []).forEach(function (talk) {
      talk.slides.forEach(function (s) {
        slides.push({talk: talk, anchor: s[0], title: s[1], text: s[2], number: s[3],
                     key: plain(s[1] + "\n" + s[2]), tags: tags[talk.href] || "||",
                     place: talk.href in place ? place[talk.href] : talks.length});
      });
    });
    slides.sort(function (a, b) { return a.place - b.place; }); // stable: each talk's slides stay in order
  }

  function load() {
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = results.getAttribute("data-index");
    script.onload = function () { loaded(); searchSlides(queryWords()); };
    script.onerror = function () { failed = true; searchSlides(queryWords()); };
    document.head.appendChild(script);
  }

  function queryWords() { return plain(input.value).split(/\s+/).filter(Boolean); }

  // Long enough to search the slides: 2 characters, or 1 in Chinese, Japanese or Korean (one character is a word).
  function searchable(words) {
    var text = words.join("");
    return Array.from(text).length >= 2 || CJK.test(text);
  }

  function searchSlides(allWords) {
    if (!results) return;
    var words = allWords.filter(function (w) { return w.indexOf("tag:") !== 0; });
    var tagWords = allWords.filter(function (w) { return w.indexOf("tag:") === 0 && w.length > 4; });
    if (!searchable(words)) { show(null); return; }
    if (failed) { show(null, "The slides could not be searched: " + results.getAttribute("data-index") + " did not load."); return; }
    if (!slides) { load(); return; }
    var hits = slides.filter(function (s) {
      return words.every(function (w) { return s.key.indexOf(w) !== -1; }) &&
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
    if (hits.length) count.textContent += ", " + hits.length + (hits.length === 1 ? " slide" : " slides");
    setJump(hits.length);
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
    jump.textContent = "Go to the " + (n === 1 ? "slide" : n + " slides") + " found";
    jump.hidden = !n;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function item(hit, words) {
    var li = element("li", "tb-slide-hit");
    var title = hit.title || "Slide " + hit.number;
    var handout = element("a", "tb-slide-hit-link");
    handout.href = hit.talk.href + "/index.html#" + hit.anchor;
    handout.appendChild(element("span", "tb-slide-hit-talk", hit.talk.title));
    var sep = element("span", "tb-slide-hit-sep", " › ");
    sep.setAttribute("aria-hidden", "true");
    handout.appendChild(sep);
    handout.appendChild(element("span", "tb-visually-hidden", ": "));
    handout.appendChild(element("span", "tb-slide-hit-title", title));
    var deck = element("a", "tb-slide-hit-deck", "Slide " + hit.number);
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

  // After a character at `i`: past it, and past any marks that go with it (é written as e + ◌́).
  function after(text, i) {
    var j = i + String.fromCodePoint(text.codePointAt(i)).length;
    while (j < text.length && /\p{M}/u.test(String.fromCodePoint(text.codePointAt(j)))) j += String.fromCodePoint(text.codePointAt(j)).length;
    return j;
  }

  // Some 160 characters of the text around the first word found, each word found marked (<mark>), as text nodes.
  function snippet(text, words) {
    var map = plainMap(text), ranges = [];
    words.forEach(function (w) {
      for (var from = map.text.indexOf(w); from !== -1; from = map.text.indexOf(w, from + w.length)) {
        ranges.push([map.at[from], after(text, map.at[from + w.length - 1])]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var first = ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, first - 50), end = Math.min(text.length, start + 160);
    if (start > 0) { var space = text.indexOf(" ", start); if (space !== -1 && space < first) start = space + 1; }
    if (end < text.length) { var last = text.lastIndexOf(" ", end); if (last > first) end = last; }
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
