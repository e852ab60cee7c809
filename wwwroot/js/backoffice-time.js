// The backoffice's one time zone script. The server shows times in the zone kept in the portfolio-tz cookie (chosen
// in a "Show times in" form, or stored here) and in UTC, labelled so, until there is one. The first time, this stores
// the browser's own zone; a page that showed UTC for want of it (its form says data-tz-detect) is reloaded once to
// show it. A zone already in the cookie is the user's choice and is kept. Without JavaScript the form does the same.
(() => {
  "use strict";
  if (typeof Intl !== "object") {
    return;
  }

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone.length > 64) {
    return;
  }

  const name = "portfolio-tz=";
  const stored = () => document.cookie.split("; ").some((cookie) => cookie.startsWith(name));
  if (stored()) {
    return;
  }

  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${name}${encodeURIComponent(zone)}; path=/umbraco; max-age=31536000; samesite=strict${secure}`;

  // Reload only when the cookie stuck (cookies may be off), so this can never loop.
  if (stored() && document.querySelector("[data-tz-detect]")) {
    location.reload();
  }
})();
