// The content editor's enhancements; the editor works fully without them.
// 1. A warning before leaving a form with unsaved changes (beforeunload). A form is "dirty" once a field
//    changes, or from the start when the server says it holds unsaved values (data-unsaved: after a list
//    button, a Markdown preview, a refused save). Submitting that form itself is not leaving it.
// 2. Live Markdown preview: once a preview is shown (the server-side "Preview" button), it follows the typing.
//    It asks the server for the same re-rendered form the button returns, so the preview is exactly what the
//    site's renderer makes of the text, and reads the preview out of it; nothing is saved.
// 3. List buttons (add a block, move it, remove it; the same for FAQ entries, stats …) post the form in the
//    background and swap in only the re-rendered list, so the page keeps its place and focus moves to the item
//    that changed. Without JavaScript (or when the request fails) the same buttons re-render the whole page.
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
  var listCommand = /^(add|remove|up|down):(.+?)(?:\[(\d+)\])?(?::[\w-]+)?$/;

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[name='Command']") : null;
    var match = button && button.dataset.plain !== "true" ? listCommand.exec(button.value) : null;
    var list = button && button.closest("[data-list-editor]");
    var form = button && button.form;
    if (!match || !list || !form || typeof fetch !== "function" || typeof DOMParser !== "function") {
      return;
    }

    event.preventDefault();
    var plainSubmit = function () {
      button.dataset.plain = "true";
      button.click();
    };
    var body = new FormData(form);
    body.append(button.name, button.value);
    button.disabled = true;
    fetch(button.formAction.split("#")[0], { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById(list.id);
        if (!fresh) {
          button.disabled = false;
          plainSubmit();
          return;
        }

        var replacement = document.importNode(fresh, true);
        list.replaceWith(replacement);
        dirty = form;
        focusAfter(replacement, match[1], match[3] === undefined ? null : parseInt(match[3], 10));
      })
      .catch(function () {
        button.disabled = false;
        plainSubmit();
      });
  });

  // Where focus goes after a list change: the added item's first field, the moved item's move button, or what
  // took the removed item's place.
  function focusAfter(list, verb, index) {
    var items = Array.prototype.filter.call(list.querySelectorAll("li.bo-item"), function (item) {
      return item.closest("[data-list-editor]") === list;
    });
    var firstControl = function (item) {
      return item && item.querySelector("input:not([type=hidden]), textarea, select, button");
    };
    var target = null;
    if (verb === "add") {
      target = firstControl(items[items.length - 1]);
    } else if (verb === "up" || verb === "down") {
      var moved = items[verb === "up" ? index - 1 : index + 1];
      // The same button, unless the item reached the end where it is gone or disabled: then the other way's.
      var other = verb === "up" ? "down" : "up";
      target = moved && (moved.querySelector(".bo-item__actions button[value^='" + verb + ":']:not([disabled])")
        || moved.querySelector(".bo-item__actions button[value^='" + other + ":']:not([disabled])")
        || firstControl(moved));
    } else {
      target = firstControl(items[Math.min(index, items.length - 1)]);
    }

    (target || list.querySelector("button[value^='add:']") || list).focus();
  }
})();
