// talkbuild deck viewer, one part (deck.js lists them all): the presenter window (`?presenter`: notes, the next step,
// a timer) and keeping it and the audience's window on the same slide.
(window.talkbuildDeck = window.talkbuildDeck || { parts: {} }).parts.presenter = function (deck) {
  "use strict";
  var doc = deck.doc, root = deck.root, stage = deck.stage, slides = deck.slides, N = deck.N, $ = deck.$;
  var setText = deck.setText, isPresenter = deck.isPresenter;

  // ---- sync ----------------------------------------------------------------------------------
  // Two windows of the same deck: the audience window and the presenter window (`?presenter`). They keep each other
  // on the same slide and step through a BroadcastChannel and, as a fallback that also works from file://, direct
  // postMessage between the window and the one that opened it.

  var channelName = "talkbuild-deck:" + location.pathname;
  var channel = null;
  try { channel = new BroadcastChannel(channelName); } catch (err) { channel = null; }
  var peer = isPresenter ? window.opener : null;
  var connected = false;
  // Both ways carry every message when both exist, so each arrives twice, and the two keep no order between them: a
  // late copy of an old message (a blackout the audience already ended, a slide already left) must not undo a newer
  // one. Each window numbers what it sends, and a receiver acts on a sender's message only if it is newer than the
  // last it acted on.
  var me = Math.random().toString(36).slice(2) + Date.now().toString(36), sent = 0, lastFrom = {};

  function send(msg) {
    msg.talkbuild = channelName;
    msg.from = me;
    msg.seq = ++sent;
    if (msg.type === "hello" || msg.type === "deck") msg.timer = timer; // every greeting carries the talk's timer
    if (channel) channel.postMessage(msg);
    if (peer && !peer.closed) { try { peer.postMessage(msg, "*"); } catch (err) { /* the other window went away */ } }
  }

  function receive(msg) {
    if (!msg || msg.talkbuild !== channelName) return;
    if (msg.from) {
      if (msg.seq <= (lastFrom[msg.from] || 0)) return; // a copy already acted on, or older than one
      lastFrom[msg.from] = msg.seq;
    }
    var wasConnected = connected;
    if (isPresenter && !connected) { connected = true; presenterStatus(""); }
    // Driven from the other window, the audience's history is kept as if it were pressed here: one entry per slide.
    if (msg.type === "state") deck.go(msg.index, msg.step, { remote: true, history: isPresenter ? "replace" : undefined });
    else if (msg.type === "hello") {
      send({ type: "state", index: deck.state.index, step: deck.state.step });
      if (deck.black) send({ type: "blackout", on: true });
      if (!isPresenter) { offerTimer(msg.timer); send({ type: "timer", timer: timer }); }
    }
    else if (msg.type === "deck" && isPresenter) deckJoined(msg, wasConnected);
    else if (msg.type === "blackout") deck.setBlackout(msg.on, true);
    else if (msg.type === "timer") offerTimer(msg.timer);
    else if (msg.type === "media" && deck.mediaRemote) deck.mediaRemote(msg);
    else if (msg.type === "media-refused" && isPresenter) {
      deck.toast("The slides window did not let the clip play: click its play button there once, then it follows.");
    }
  }

  if (channel) channel.onmessage = function (e) { receive(e.data); };
  window.addEventListener("message", function (e) { if (peer && e.source === peer) receive(e.data); });

  // A deck window that opens says where it is. A presenter on its own goes there (opened first, by hand, it would
  // otherwise wait for a key in the deck); a presenter already following a deck keeps its place and brings the new
  // window to it (a second tab, or a reload, must not move the talk).
  // A deck window that joins during a blackout (the audience's window reloaded) goes black too: the presenter
  // blacked the audience out and still says so, and B there brings the slide back in every deck window.
  function deckJoined(msg, wasConnected) {
    offerTimer(msg.timer);
    send({ type: "timer", timer: timer });
    if (wasConnected) send({ type: "state", index: deck.state.index, step: deck.state.step });
    else deck.go(msg.index, msg.step, { remote: true, history: "replace" });
    if (deck.black) send({ type: "blackout", on: true });
  }

  function openPresenter() {
    var base = location.href.replace(/[?#].*$/, "");
    var w = window.open(base + "?presenter" + deck.hashFor(deck.state.index, deck.state.step), "talkbuild-presenter", "popup,width=1200,height=760");
    if (!w) {
      deck.toast("The browser blocked the presenter window. Allow pop-ups for this page, then press S again.");
      return;
    }
    peer = w;
  }

  // ---- the presenter window ------------------------------------------------------------------

  // The talk's timer belongs to the talk, not to the presenter's tab: the audience's window keeps a copy (and its tab's
  // sessionStorage, for a reload), so a presenter window closed and opened again mid-talk goes on counting.
  // `changed` says which copy wins when two windows meet: the one changed last by hand (Pause, Reset), each being
  // Date.now() then. A presenter's new timer, started by opening it, is 0: any timer the talk already has wins over
  // it; one the audience's window takes on is at least 1.
  var timerKey = "talkbuild-timer:" + location.pathname;
  var timer = isPresenter ? { start: Date.now(), paused: 0, pausedAt: 0, changed: 0 } : loadTimer();
  function validTimer(t) { return !!t && typeof t.start === "number" && isFinite(t.start); }
  function loadTimer() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(timerKey) || "null"); } catch (err) { saved = null; }
    return validTimer(saved) ? saved : null;
  }
  function offerTimer(t) {
    if (!validTimer(t) || (timer && !(+t.changed > +timer.changed))) return;
    timer = { start: t.start, paused: +t.paused || 0, pausedAt: +t.pausedAt || 0,
              changed: isPresenter ? +t.changed || 0 : Math.max(1, +t.changed || 0) };
    if (isPresenter) { setText("tb-p-pause", timer.pausedAt ? "Resume" : "Pause"); tick(); savePresenter(); }
    else { try { sessionStorage.setItem(timerKey, JSON.stringify(timer)); } catch (err) { /* storage off */ } }
  }
  function timerChanged() { timer.changed = Date.now(); savePresenter(); send({ type: "timer", timer: timer }); }
  function elapsedSeconds() {
    var now = timer.pausedAt || Date.now();
    return Math.max(0, Math.floor((now - timer.start - timer.paused) / 1000));
  }
  function timerPause() {
    if (timer.pausedAt) { timer.paused += Date.now() - timer.pausedAt; timer.pausedAt = 0; }
    else timer.pausedAt = Date.now();
    setText("tb-p-pause", timer.pausedAt ? "Resume" : "Pause");
    tick();
  }
  function timerReset() { timer = { start: Date.now(), paused: 0, pausedAt: timer.pausedAt ? Date.now() : 0, changed: 0 }; tick(); }

  function clock(seconds) {
    var s = Math.abs(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }

  // Pacing: where the talk should be by now if every slide took the same share of `duration`.
  function tick() {
    var now = new Date();
    setText("tb-p-clock", now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    var elapsed = elapsedSeconds();
    setText("tb-p-elapsed", clock(elapsed));
    var minutes = parseFloat(stage.getAttribute("data-duration"));
    var pace = $("tb-p-pace");
    if (!pace) return;
    if (!minutes) {
      if (pace.querySelector("code")) return; // said already (this runs every second)
      // Text, not Markdown: the key in a <code> of its own, as the talk's front matter writes it; one span, as the
      // bar's lines are flex boxes (each bare piece of text would be an item of its own, its spaces lost).
      var line = doc.createElement("span"), key = doc.createElement("code");
      key.textContent = "duration:";
      line.append("No duration set (add ", key, " minutes to the front matter)");
      pace.replaceChildren(line);
      pace.className = "tb-p-pace";
      return;
    }
    var planned = (deck.state.index / N) * minutes * 60;
    var diff = Math.round(planned - elapsed);
    var left = minutes * 60 - elapsed;
    var verdict = Math.abs(diff) < 30 ? "On time" : diff > 0 ? clock(diff) + " ahead" : clock(diff) + " behind";
    pace.textContent = verdict + " · " + (left >= 0 ? clock(left) + " left" : clock(left) + " over");
    pace.className = "tb-p-pace " + (Math.abs(diff) < 30 ? "tb-on-time" : diff > 0 ? "tb-ahead" : "tb-behind");
  }

  function presenterStatus(text) {
    var el = $("tb-p-conn");
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  function notesSize(factor) {
    var body = $("tb-p-notes");
    if (!body) return;
    var size = parseFloat(body.style.fontSize) || 1.25;
    body.style.fontSize = Math.max(0.75, Math.min(4, size * factor)).toFixed(2) + "rem";
  }

  // Next = what the audience sees after the next press: the next step of this slide, or the next slide.
  function presenterUpdate() {
    var i = deck.state.index, frags = deck.fragments(i).length;
    var frame = $("tb-p-next"), label = $("tb-p-next-label") || doc.createElement("span");
    if (frame) frame.textContent = "";
    var source = null, visible = 0;
    if (deck.state.step < frags) { source = slides[i]; visible = deck.state.step + 1; label.textContent = "Next step (" + (deck.state.step + 1) + " of " + frags + ")"; }
    else if (i < N - 1) { source = slides[i + 1]; label.textContent = "Next slide (" + (i + 2) + " of " + N + ")"; }
    else label.textContent = "End of the talk";
    if (source && frame) {
      var copy = source.cloneNode(true);
      strip(copy);
      if (deck.quietCopy) deck.quietCopy(copy); // no sound, no autoplay, no second live demo
      copy.classList.add("tb-current", "tb-preview");
      deck.setSteps(copy, visible);
      frame.appendChild(copy);
    }
    var notes = slides[i].querySelector("aside.notes");
    var box = $("tb-p-notes");
    if (!box) { tick(); return; }
    box.textContent = "";
    if (notes) {
      var n = notes.cloneNode(true);
      strip(n);
      while (n.firstChild) box.appendChild(n.firstChild);
    } else {
      var p = doc.createElement("p");
      p.className = "tb-p-none";
      p.textContent = "No notes for this slide.";
      if (deck.english) deck.english(p);
      box.appendChild(p);
    }
    tick();
  }

  // Copies must not repeat ids, names or hidden flags of the originals.
  function strip(el) {
    var all = [el].concat(Array.prototype.slice.call(el.querySelectorAll("*")));
    all.forEach(function (x) {
      ["id", "aria-labelledby", "aria-hidden", "inert"].forEach(function (a) { x.removeAttribute(a); });
    });
    var picked = el.querySelectorAll(".tb-pick");
    for (var k = 0; k < picked.length; k++) picked[k].remove();
  }

  function startPresenter() {
    root.classList.add("tb-presenter");
    var panel = $("tb-presenter");
    if (panel) panel.hidden = false;
    doc.title = "Presenter: " + doc.title;
    setInterval(tick, 1000);
    if (!channel && !peer) {
      presenterStatus("Cannot reach the slides window: this browser has no BroadcastChannel here and the presenter " +
        "was not opened from the slides. Open the slides and press S there.");
      return;
    }
    send({ type: "hello" });
    setTimeout(function () {
      if (!connected) {
        // Without a BroadcastChannel only the window that opened this one can be reached; with one (Chromium and
        // Firefox have it, from file:// too) the slides opened in this browser are followed as soon as they open.
        presenterStatus(!channel
          ? "Not connected to a slides window yet. Press S in the slides to open the presenter from there (this " +
            "browser can only follow the slides window that opened it)."
          : "Not connected to a slides window yet. Open the slides (this address without ?presenter) in this browser: " +
            "this window follows them as soon as they open.");
      }
    }, 1500);
  }

  // The presenter's timer, whether it is paused, and the notes' text size outlive a reload of its tab (Reset starts
  // the timer again).
  var presenterKey = "talkbuild-presenter:" + location.pathname;
  function savePresenter() {
    var notes = $("tb-p-notes");
    try {
      sessionStorage.setItem(presenterKey, JSON.stringify({ start: timer.start, paused: timer.paused,
        pausedAt: timer.pausedAt, changed: timer.changed, notes: notes ? notes.style.fontSize : "" }));
    } catch (err) { /* storage off: the timer starts again on a reload */ }
  }
  function restorePresenter() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(presenterKey) || "null"); } catch (err) { saved = null; }
    if (saved && typeof saved.start === "number") {
      timer = { start: saved.start, paused: +saved.paused || 0, pausedAt: +saved.pausedAt || 0, changed: +saved.changed || 0 };
      var pause = $("tb-p-pause");
      if (pause) pause.textContent = timer.pausedAt ? "Resume" : "Pause";
      var notes = $("tb-p-notes");
      if (notes && /^[\d.]+rem$/.test(saved.notes || "")) notes.style.fontSize = saved.notes;
    }
    savePresenter();
  }
  // Where the presenter reads that the audience sees black (made here, so a theme's own deck.html need not have it).
  function addBlackoutNote() {
    var bar = doc.querySelector(".tb-p-bar") || $("tb-presenter");
    if (!bar || $("tb-p-black")) return;
    var note = doc.createElement("p");
    note.id = "tb-p-black";
    note.className = "tb-p-black";
    note.setAttribute("role", "status");
    bar.appendChild(note);
  }

  deck.send = send;
  deck.openPresenter = openPresenter;
  deck.presenterUpdate = presenterUpdate;
  // What the presenter changes by hand is saved at once, for a reload of its tab.
  deck.timerPause = function () { timerPause(); timerChanged(); };
  deck.timerReset = function () { timerReset(); timerChanged(); };
  deck.notesSize = function (factor) { notesSize(factor); savePresenter(); };
  // At start-up, in the presenter window only.
  deck.startPresenter = function () { restorePresenter(); addBlackoutNote(); startPresenter(); };
};
