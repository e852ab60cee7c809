"use strict";
/*
 * The booking page's month calendar in the visitor's own time zone. The server renders it in the zone of the `tz`
 * query (default: the expert's) and every link keeps that zone, so the page works without this script. On a first
 * visit (no `tz` in the address) this script asks for the page again in the zone the browser reports, once: which days
 * have free times depends on the zone, so the server must draw the month. Nothing else changes without script.
 */
(() => {
  const calendar = document.querySelector("[data-booking-calendar]");
  if (!calendar || calendar.dataset.zoneChosen === "true" || typeof Intl !== "object") {
    return;
  }

  const url = new URL(window.location.href);
  // Only when the address has no zone: a zone the server did not accept must not send the browser round in circles.
  if (url.searchParams.has("tz")) {
    return;
  }

  const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!detected || detected === calendar.dataset.zone) {
    return;
  }

  url.searchParams.set("tz", detected);
  window.location.replace(url.pathname + url.search + url.hash);
})();
