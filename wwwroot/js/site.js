"use strict";
// Progressive enhancements only: every page works without this file.

// The colour scheme toggle is a form the server answers with a cookie and a redirect back (Site/ThemePreference.cs).
// Here it is saved without reloading the page: the cookie is set by the same post, the page switches at once.
(() => {
  const form = document.querySelector(".theme-toggle");
  if (!form || !window.fetch) {
    return;
  }

  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || !button.value) {
      return;
    }

    event.preventDefault();
    const body = new URLSearchParams({ theme: button.value, returnUrl: location.pathname });
    fetch(form.action, { method: "POST", body, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }

        document.documentElement.dataset.theme = button.value;
        // The other button takes this one's place: keep the keyboard focus on the toggle.
        const other = form.querySelector(`button[value="${button.value === "dark" ? "light" : "dark"}"]`);
        if (other) {
          other.focus();
        }
      })
      .catch(() => {
        // The page's own way, which submit() takes without this listener: the choice rides in a hidden field.
        const choice = document.createElement("input");
        choice.type = "hidden";
        choice.name = "theme";
        choice.value = button.value;
        form.append(choice);
        form.submit();
      });
  });
})();
