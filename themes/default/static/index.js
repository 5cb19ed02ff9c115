// Site index: filter the talk list as you type (title, author, tag, date, description). No server, no dependencies.
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
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    try { history.replaceState(null, "", url); } catch (err) { /* file:// pages may refuse a new query */ }
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
