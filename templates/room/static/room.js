// samordna live: the pages work without this file. It adds live updates (server-sent events) and,
// when a sleeping phone wakes up, a re-fetch of the state: the page is reloaded when the statement,
// the phase or the re-vote changed, and the facilitator's counts are updated in place.
(function () {
  "use strict";
  var body = document.body;
  var events = body.getAttribute("data-events");
  var stateUrl = body.getAttribute("data-state-url");
  if (!events || !stateUrl) { return; }
  var shown = {
    statement: body.getAttribute("data-statement") || null,
    phase: body.getAttribute("data-phase"),
    revote: body.getAttribute("data-revote") === "true",
    ownPace: body.getAttribute("data-own-pace") === "true"
  };
  var typing = false;
  document.addEventListener("input", function (e) {
    var t = e.target;  // text being typed (a rationale) is not thrown away by a reload; a radio button is no loss
    if (t && (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "radio"))) { typing = true; }
  });

  var mirror = body.hasAttribute("data-mirror");  // the mirror's room: counts of people only, never a reload

  function apply(state) {
    if (mirror) { update(state); return; }
    var ownPace = Boolean(state.own_pace);  // at their own pace, the phones do not follow the facilitator's statement
    var free = ownPace && body.classList.contains("phone");
    var changed = ownPace !== shown.ownPace || (!free && ((state.statement || null) !== shown.statement ||
      state.phase !== shown.phase || Boolean(state.revote) !== shown.revote));
    if (changed && !typing) { window.location.reload(); return; }
    update(state);
  }

  function update(state) {
    ["answered", "participants", "joined_ungdom", "finished_ungdom", "joined_foreldre", "finished_foreldre"].forEach(function (key) {
      var el = document.querySelector('[data-field="' + key + '"]');
      if (!el || !(key in state)) { return; }
      if (typeof state[key] === "number") { el.textContent = String(state[key]); }
      else if (state[key] === null && el.dataset.below) { el.textContent = el.dataset.below; }  // below the limit
    });
  }

  var source = null;
  function connect() {
    if (source || !window.EventSource) { return; }
    source = new EventSource(events);
    source.addEventListener("state", function (e) {
      try { apply(JSON.parse(e.data)); } catch (err) { /* a broken message: wait for the next */ }
    });
  }
  function refetch() {
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { apply(state); } })
      .catch(function () { /* offline for now: the next wake-up tries again */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      if (source && source.readyState === 2) { source = null; }
      connect();
      refetch();
    }
  });
  connect();
}());
