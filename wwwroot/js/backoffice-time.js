// Tells the server the browser's time zone, so that backoffice pages show times in it from the next page on.
// Without JavaScript (or before the first page has run this) pages show UTC and say so.
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
  const current = document.cookie.split("; ").find((cookie) => cookie.startsWith(name));
  if (current && decodeURIComponent(current.slice(name.length)) === zone) {
    return;
  }

  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${name}${encodeURIComponent(zone)}; path=/umbraco; max-age=31536000; samesite=strict${secure}`;
})();
