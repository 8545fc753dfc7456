/* The frame's side of Streamlit's component messages, and its start.
 *
 * The map data starts downloading as the frame loads (its URL is on <body data-map>, the
 * file is cached by the browser for good); each "render" message from Streamlit carries a
 * page run's arguments and is applied in place (``NMG.apply``). A click sends the project id
 * back. The frame sizes itself to the window's height below its own top, so the map fills the
 * screen without making the page scroll.
 *
 * Only the app's own page may drive the frame: messages are taken from the parent window alone
 * and only when it has the frame's own origin (the app serves both), and ours go to that
 * origin only. A page of another origin that frames this one (the server forbids it, with
 * ``frame-ancestors 'self'``; an old browser may not know that) can neither hand the frame a
 * sign-in ticket to claim or end the session, nor read the project a user clicked.
 */
(function (NMG) {
  "use strict";

  var pending = null, ready = false, lastHeight = 0, lastSession = null;
  var OWN = window.location.origin, framed = window.parent !== window;

  function post(type, extra) {
    var message = {isStreamlitMessage: true, type: type};
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    if (framed) window.parent.postMessage(message, OWN);
  }

  NMG.setValue = function (value) { post("streamlit:setComponentValue", {value: value, dataType: "json"}); };

  /* The window's height below the frame's top (the page's scrolling included), at least 320 px.
   * The map takes that height at once, before the page has resized the frame (which it does
   * only when its own work allows): the map is drawn once at its final size, not drawn at the
   * frame's first height and then fitted and drawn again. */
  NMG.fitHeight = function () {
    var height = 480, embedded = false;
    try {
      var frame = window.frameElement, top = frame.getBoundingClientRect().top;
      for (var node = frame.parentElement; node; node = node.parentElement) top += node.scrollTop || 0;
      height = Math.max(320, Math.floor(window.parent.innerHeight - top - 12));
      embedded = true;
    } catch (err) { /* not embedded in the app's page: keep the default */ }
    if (height !== lastHeight) {
      lastHeight = height;
      if (embedded) {
        document.getElementById("map").style.height = height + "px";
        if (NMG.state && NMG.state.map) NMG.state.map.invalidateSize();
      }
      post("streamlit:setFrameHeight", {height: height});
    }
  };

  /* The signed-in session's cookie: claimed with a one-time ticket, or ended. */
  function session(request) {
    if (!request || request.id === lastSession) return;
    lastSession = request.id;
    var init = {method: request.op === "end" ? "DELETE" : "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-NMG-Session": "1"}};
    if (request.op !== "end") init.body = JSON.stringify({ticket: request.ticket});
    fetch(request.url, init).catch(function () { /* the sign-in still holds for this page */ });
  }

  function onRender(args) {
    NMG.fitHeight();
    session(args.session);
    if (NMG.dataUrl && args.data && args.data !== NMG.dataUrl) {
      // Other data (another plan's year, or the server has other layers): start again with them.
      var here = new URL(window.location.href);
      here.searchParams.set("data", args.data);
      window.location.replace(here.toString());
      return;
    }
    pending = args;
    if (ready) NMG.apply(args);
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!framed || event.source !== window.parent || event.origin !== OWN) return;
    if (message && message.type === "streamlit:render") onRender(message.args || {});
  });

  NMG.dataUrl = document.body.getAttribute("data-map");
  fetch(NMG.dataUrl, {credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) throw new Error("map data: HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      NMG.build(data, document.getElementById("map"));
      ready = true;
      if (pending) NMG.apply(pending);
    })
    .catch(function (err) {
      document.getElementById("map").textContent = String(err);
      NMG.failed = String(err);
      NMG.setValue({ready: true, failed: true, id: null, n: 0});  // the page's table stands in for the map
    });

  post("streamlit:componentReady", {apiVersion: 1});
  NMG.fitHeight();
  try { window.parent.addEventListener("resize", NMG.fitHeight); } catch (err) { /* not embedded */ }
  window.addEventListener("load", NMG.fitHeight);
})(window.NMG = window.NMG || {});
