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

// Links to a booking page carry the browser's time zone, so the booking page is drawn in it at once. Without this,
// booking-calendar.js asks for the page again in that zone on arrival: one more request and a flash of the expert's
// zone. An address typed in or bookmarked still takes that way.
(() => {
  const zone = typeof Intl === "object" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "";
  if (!zone) {
    return;
  }

  // Links on a booking page to itself (the error summary's #fragments among them) are that page's own business.
  for (const link of document.querySelectorAll("a[href]:not([href^='#'])")) {
    const url = new URL(link.href, location.href);
    if (url.origin === location.origin && url.pathname !== location.pathname &&
        /^\/(team|services)\/[a-z0-9-]+\/book$/.test(url.pathname) && !url.searchParams.has("tz")) {
      url.searchParams.set("tz", zone);
      link.href = url.pathname + url.search + url.hash;
    }
  }
})();
