// talkbuild deck viewer, one part (deck.js lists them all): the black screen (B or `.`, as in reveal.js).
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.blackout = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, $ = deck.$, isPresenter = deck.isPresenter;

  // The audience sees black until any key or a click. In the presenter window B blacks out the audience's window; the
  // presenter keeps the slides and is told the audience sees black.
  // The black is an element this script makes, styled inline, above everything (the toast, the controls): it needs no
  // rule in a theme's deck.css, so a theme with its own copy from before blackout existed blacks out too. An open
  // help dialog (the top layer, above any z-index) is closed, so the screen is black and a key brings the slide back.
  // (Any key ends it, deck-keys.js seeing the key first; with the single-key shortcuts off, any key but a character.)
  deck.black = false;
  var cover = null;
  function blackCover(on) {
    if (!cover) {
      cover = doc.createElement("div");
      cover.className = "tb-black";
      cover.setAttribute("aria-hidden", "true");
      cover.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:#000;cursor:none;display:none";
      doc.body.appendChild(cover);
    }
    cover.style.display = on ? "block" : "none";
    if (on) {
      var help = $("tb-help");
      if (help && help.open) help.close();
    }
  }
  // Printing during a blackout prints the slides, not a black page.
  window.addEventListener("beforeprint", function () { if (cover) cover.style.display = "none"; });
  window.addEventListener("afterprint", function () { if (cover) cover.style.display = deck.black && !isPresenter ? "block" : "none"; });
  // The help's Black screen button toggles: it says whether the screen is black (its name stays the same).
  function pressed(on) {
    Array.prototype.forEach.call(doc.querySelectorAll('[data-action="blackout"]'), function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  pressed(false);
  function setBlackout(on, remote) {
    on = !!on;
    if (on === deck.black) return;
    deck.black = on;
    root.classList.toggle(isPresenter ? "tb-audience-black" : "tb-blackout", on);
    if (!isPresenter) blackCover(on);
    pressed(on);
    if (isPresenter) {
      var note = $("tb-p-black");
      var back = deck.singleKeys === false ? "Choose Black screen under Keyboard shortcuts (?) again" : "Press B";
      if (note) note.textContent = on ? "The audience sees a black screen. " + back + " to show the slide again." : "";
    } else {
      if (on) deck.announce("Screen blacked out. Press any key to return."); else deck.announceSlide();
    }
    if (!remote) deck.send({ type: "blackout", on: on });
  }

  window.addEventListener("click", function (e) {
    if (!deck.black || isPresenter) return;
    setBlackout(false);
    e.preventDefault();
    e.stopPropagation();
  }, true);

  deck.setBlackout = setBlackout;
};
