"use strict";
/*
 * The owner's time zone on the bookings pages. The server shows times in the zone the owner chose (kept in a
 * cookie) and in UTC until one is chosen. If none is chosen yet, this picks the browser's own zone once and
 * reloads the page in it. Without JavaScript the owner picks the zone in the form; nothing else depends on this.
 */
(() => {
  const form = document.querySelector("[data-owner-tz-form]");
  const select = form?.querySelector("[data-owner-tz-select]");
  if (!form || !select || form.dataset.ownerTzChosen === "true" || typeof Intl !== "object") {
    return;
  }

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === select.value) {
    return;
  }

  if (![...select.options].some((option) => option.value === zone)) {
    const option = document.createElement("option");
    option.value = zone;
    option.textContent = zone;
    select.append(option);
  }

  // Once per session: a zone the server does not know would otherwise reload the page for ever.
  try {
    if (sessionStorage.getItem("owner-tz-tried") === zone) {
      return;
    }
    sessionStorage.setItem("owner-tz-tried", zone);
  } catch {
    return;
  }

  select.value = zone;
  form.requestSubmit();
})();
