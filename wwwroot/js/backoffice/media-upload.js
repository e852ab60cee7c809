"use strict";
/*
 * Progressive enhancement of the media library's upload form (/umbraco/media). Without this file the form
 * posts as it is and the server answers with the library or with a field error. With it:
 *   - a file over the size limit is refused at once, before anything is sent, with the server's own message;
 *   - the upload runs in the background with a progress bar and a spoken percentage, and cannot be sent twice;
 *   - the server's answer replaces the page's main content (errors included), or the browser follows its redirect.
 */
(() => {
  function init(form) {
    const input = form.querySelector("input[type=file]");
    const error = document.getElementById("upload-error");
    const progressBox = form.querySelector("[data-upload-progress]");
    const progress = progressBox.querySelector("progress");
    const status = form.querySelector("[data-upload-status]");
    const button = form.querySelector("button[type=submit]");
    const maxBytes = Number(form.dataset.maxBytes);

    function setError(message) {
      error.textContent = message || "";
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.classList.add("input-validation-error");
      } else {
        input.removeAttribute("aria-invalid");
        input.classList.remove("input-validation-error");
      }
    }

    function tooLarge() {
      const file = input.files && input.files[0];
      return file !== undefined && file.size > maxBytes;
    }

    input.addEventListener("change", () => setError(tooLarge() ? form.dataset.tooLarge : ""));

    form.addEventListener("submit", (event) => {
      if (tooLarge()) {
        event.preventDefault();
        setError(form.dataset.tooLarge);
        input.focus();
        return;
      }
      if (!input.files || input.files.length === 0 || !window.FormData) {
        return; // the browser's own "required" message, or a plain post
      }

      event.preventDefault();
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.responseType = "document";
      request.upload.addEventListener("progress", (progressEvent) => {
        if (progressEvent.lengthComputable) {
          const percent = Math.round((progressEvent.loaded / progressEvent.total) * 100);
          progress.value = percent;
          status.textContent = `Uploading… ${percent}%`;
        }
      });
      request.addEventListener("load", () => {
        const answer = request.response;
        const main = answer && answer.querySelector("main");
        if (request.status === 200 && request.responseURL && new URL(request.responseURL).search.includes("status=")) {
          // Stored: show the library as the redirect's GET would (with the new item in view).
          window.location.assign(request.responseURL);
        } else if (request.status === 200 && main) {
          // Refused: the server's page with its errors, without reloading (and without re-sending the file).
          document.querySelector("main").replaceWith(main);
          const next = main.querySelector("form[data-media-upload]");
          if (next) {
            init(next);
          }
          const summary = main.querySelector(".bo-alert--error");
          if (summary) {
            summary.setAttribute("tabindex", "-1");
            summary.focus();
          }
        } else {
          finish(`The upload failed (error ${request.status}). Reload the page and try again.`);
        }
      });
      request.addEventListener("error", () => finish("The upload failed: the connection was lost. Try again."));

      function finish(message) {
        progressBox.hidden = true;
        button.disabled = false;
        status.textContent = message;
      }

      progress.value = 0;
      progressBox.hidden = false;
      button.disabled = true;
      status.textContent = "Uploading… 0%";
      request.send(new FormData(form));
    });
  }

  const form = document.querySelector("form[data-media-upload]");
  if (form && window.XMLHttpRequest) {
    init(form);
  }
})();
