// Minimal deck navigation (Right/Left, Home/End, #/n and #id deep links).
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("#tb-stage > section.slide"));
  var current = 0;
  function indexFromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (/^\/\d+$/.test(h)) return Math.min(Math.max(parseInt(h.slice(1), 10) - 1, 0), slides.length - 1);
    for (var i = 0; i < slides.length; i++) if (slides[i].id === h) return i;
    return 0;
  }
  function show(n, push) {
    current = Math.min(Math.max(n, 0), slides.length - 1);
    slides.forEach(function (s, i) { s.classList.toggle("tb-current", i === current); });
    if (push) history.pushState(null, "", "#/" + (current + 1));
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === " " || e.key === "PageDown") show(current + 1, true);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") show(current - 1, true);
    else if (e.key === "Home") show(0, true);
    else if (e.key === "End") show(slides.length - 1, true);
  });
  window.addEventListener("popstate", function () { show(indexFromHash(), false); });
  show(indexFromHash(), false);
})();
