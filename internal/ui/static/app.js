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
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
