// Progressive enhancement only: every form works without this file. The
// address steps submit themselves when a choice changes, so the "next step"
// button can hide.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      var form = el.form;
      // A new choice invalidates the choices below it.
      var below = false;
      form.querySelectorAll("select[data-autosubmit], select[name=rka]").forEach(function (s) {
        if (below) { s.value = ""; }
        if (s === el) { below = true; }
      });
      form.submit();
    });
  });
  // The period fields only matter for a temporary registration: hidden
  // while another kind is chosen (without JavaScript they stay, with a hint).
  document.querySelectorAll("[data-show-for-kind]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) { return; }
    var sync = function () {
      var chosen = form.querySelector("input[name=kind]:checked");
      box.hidden = !!chosen && chosen.value !== box.getAttribute("data-show-for-kind");
    };
    form.querySelectorAll("input[name=kind]").forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });
  // A page that waits for answers (a pending application: body
  // data-refresh) reloads itself every so many seconds, unless the person
  // stopped it (WCAG 2.2.1: a time limit can be turned off; the choice lasts
  // for the tab) or is typing. Without JavaScript the page offers a link
  // that reloads it (a meta refresh could not be turned off).
  var every = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  var stop = document.getElementById("refresh-stop");
  if (every > 0) {
    var key = "tirkeu-no-refresh";
    var stopped = function () { try { return sessionStorage.getItem(key) === "1"; } catch (e) { return false; } };
    var note = document.getElementById("refreshes");
    if (stop) {
      var label = function () {
        stop.textContent = stopped() ? stop.getAttribute("data-msg-start") : stop.getAttribute("data-msg-stop");
        if (note) { note.hidden = stopped(); }
      };
      stop.hidden = false;
      label();
      stop.addEventListener("click", function () {
        try { sessionStorage.setItem(key, stopped() ? "0" : "1"); } catch (e) { /* private mode: the page then keeps refreshing */ }
        label();
      });
    }
    window.setInterval(function () {
      var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (!stopped() && !typing) { window.location.reload(); }
    }, every * 1000);
  }
  // The error summary, or else the result of the step, takes the focus.
  var summary = document.getElementById("error-summary") || document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
})();
