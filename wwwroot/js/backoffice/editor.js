// The content editor's enhancements; the editor works fully without them.
// 1. A warning before leaving a form with unsaved changes (beforeunload). A form is "dirty" once a field
//    changes, or from the start when the server says it holds unsaved values (data-unsaved: after a list
//    button, a Markdown preview, a refused save). Submitting that form itself is not leaving it.
// 2. The schedule's time zone select starts at the browser's zone, unless the server already chose one.
// No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  var dirty = null;

  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    if (form.dataset.unsaved === "true") {
      dirty = form;
    }

    var markDirty = function () { dirty = form; };
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", function () {
      if (dirty === form) {
        dirty = null;
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set; the text itself is not shown any more.
      event.returnValue = "";
    }
  });

  var zoneSelect = document.querySelector('select[data-timezone-detect="true"]');
  if (zoneSelect && typeof Intl === "object") {
    var detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var option = detected && Array.prototype.find.call(zoneSelect.options, function (o) { return o.value === detected; });
    if (option) {
      zoneSelect.value = detected;
    }
  }
})();
