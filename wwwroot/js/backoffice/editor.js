// The content editor's enhancements; the editor works fully without them.
// 1. A warning before leaving a form with unsaved changes (beforeunload). A form is "dirty" once a field
//    changes, or from the start when the server says it holds unsaved values (data-unsaved: after a list
//    button, a Markdown preview, a refused save). Submitting that form itself is not leaving it.
// 2. Live Markdown preview: once a preview is shown (the server-side "Preview" button), it follows the typing.
//    It asks the server for the same re-rendered form the button returns, so the preview is exactly what the
//    site's renderer makes of the text, and reads the preview out of it; nothing is saved.
// (The schedule's time zone is the backoffice's one: backoffice-time.js detects it for every page.)
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

  document.querySelectorAll("textarea[data-markdown-source]").forEach(function (textarea) {
    var previewId = textarea.dataset.markdownSource;
    var button = textarea.parentElement && textarea.parentElement.querySelector("button[value^='preview:']");
    var form = textarea.form;
    if (!button || !form || typeof fetch !== "function" || typeof DOMParser !== "function") {
      return;
    }

    var timer = null;
    var latest = 0;
    textarea.addEventListener("input", function () {
      if (!document.getElementById(previewId)) {
        return; // no preview open: the button opens one
      }

      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var request = ++latest;
        var body = new FormData(form);
        body.append(button.name, button.value);
        fetch(button.formAction.split("#")[0], { method: "POST", body: body, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            var current = document.getElementById(previewId);
            if (!html || request !== latest || !current) {
              return;
            }

            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(previewId);
            if (fresh) {
              current.replaceChildren.apply(current, Array.prototype.slice.call(fresh.childNodes).map(function (node) {
                return document.importNode(node, true);
              }));
            }
          })
          .catch(function () { /* offline or signed out: the Preview button still works */ });
      }, 600);
    });
  });
})();
