// Signing through NCALayer, the NCA's signing application on the citizen's
// computer, as progressive enhancement: every signing form also takes an
// uploaded signature file or the SMS code, and works without this file.
//
// A widget ([data-ncalayer]) carries the exact bytes the server verifies
// (data-sign-data, base64), NCALayer's address (data-ncalayer-ws) and its
// status messages in the page's language (data-msg-*). The button asks
// NCALayer (module kz.gov.pki.knca.basics, method sign) for a detached CMS
// over those bytes, puts it in the hidden field "signature" and submits the
// form.
(function () {
  "use strict";
  var widgets = document.querySelectorAll("[data-ncalayer]");
  if (!widgets.length || typeof WebSocket === "undefined") { return; }
  var TIMEOUT = 8000; // ms to wait for NCALayer to answer the connection

  function say(w, state, extra) {
    var s = w.querySelector(".eds-status");
    s.textContent = (w.getAttribute("data-msg-" + state) || state) + (extra ? " (" + extra + ")" : "");
    s.setAttribute("data-state", state);
  }

  // connect opens a WebSocket to NCALayer and calls back once: with the
  // socket after NCALayer's greeting ({"result":{"version":…}}), or with
  // null when nothing answers.
  function connect(url, done) {
    var ws, settled = false;
    function finish(sock) {
      if (settled) { return; }
      settled = true;
      clearTimeout(timer);
      if (!sock && ws) { try { ws.close(); } catch (e) { /* already closed */ } }
      done(sock);
    }
    var timer = setTimeout(function () { finish(null); }, TIMEOUT);
    try {
      ws = new WebSocket(url);
    } catch (e) { // a bad URL or the page's policy
      finish(null);
      return;
    }
    ws.onerror = function () { finish(null); };
    ws.onclose = function () { finish(null); };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { m = null; }
      finish(m && m.result && m.result.version ? ws : null);
    };
  }

  // signRequest is the basics module's sign call for a detached CMS, with
  // the signing key's extended key usage (id-kp-emailProtection, as the
  // NCA writes on signing certificates).
  function signRequest(data, locale) {
    return JSON.stringify({
      module: "kz.gov.pki.knca.basics",
      method: "sign",
      args: {
        allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore"],
        format: "cms",
        data: data,
        signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: null },
        signerParams: { extKeyUsageOids: ["1.3.6.1.5.5.7.3.4"], chain: [] },
        locale: locale
      }
    });
  }

  // answer reads NCALayer's reply to sign: {"status":true,"body":{"result":
  // ["<CMS>"]}} when signed; a body without result when the person closed
  // the dialogue; {"status":false,"code":…,"message":…} on an error.
  function answer(raw) {
    var m;
    try { m = JSON.parse(raw); } catch (e) { return { error: "bad answer" }; }
    if (!m || typeof m !== "object") { return { error: "bad answer" }; }
    if (m.status === true) {
      var r = m.body && m.body.result;
      if (Array.isArray(r)) { r = r[0]; }
      if (typeof r === "string" && r !== "") { return { cms: r }; }
      return { cancelled: true };
    }
    if (m.status === false) {
      return { error: String(m.code || "") + (m.message ? " " + m.message : "") };
    }
    return { error: "bad answer" };
  }

  function sign(w, button) {
    var url = w.getAttribute("data-ncalayer-ws");
    button.disabled = true;
    say(w, "checking");
    connect(url, function (ws) {
      if (!ws) {
        button.disabled = false;
        say(w, "absent");
        return;
      }
      say(w, "signing");
      var replied = false;
      ws.onclose = function () {
        if (!replied) { button.disabled = false; say(w, "absent"); }
      };
      ws.onerror = null;
      ws.onmessage = function (ev) {
        replied = true;
        ws.close();
        button.disabled = false;
        var a = answer(ev.data);
        if (a.cms) {
          w.querySelector("input[name=signature]").value = a.cms;
          say(w, "signed");
          // Not form.submit(): a control named or id'd "submit" shadows it.
          HTMLFormElement.prototype.submit.call(w.closest("form"));
        } else if (a.cancelled) {
          say(w, "cancelled");
        } else {
          say(w, "failed", a.error);
        }
      };
      ws.send(signRequest(w.getAttribute("data-sign-data"), w.getAttribute("data-locale") || "ru"));
    });
  }

  widgets.forEach(function (w) {
    var button = w.querySelector("button.eds-sign");
    button.hidden = false;
    button.addEventListener("click", function () { sign(w, button); });
    say(w, "checking");
  });
  // One look for NCALayer on load, so that the page says at once whether
  // it is running; the button tries again on every press.
  connect(widgets[0].getAttribute("data-ncalayer-ws"), function (ws) {
    if (ws) { ws.close(); }
    widgets.forEach(function (w) {
      if (!w.querySelector("button.eds-sign").disabled) { say(w, ws ? "ready" : "absent"); }
    });
  });
})();
