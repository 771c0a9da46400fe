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
  // The error summary, or else the result of the step, takes the focus.
  var summary = document.getElementById("error-summary") || document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
})();
