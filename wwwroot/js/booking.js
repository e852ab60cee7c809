"use strict";
/*
 * The slot list in the visitor's own time zone. The server renders the list in the zone of the `tz`
 * query (default: the expert's). This script:
 *   - preselects the zone the browser reports (unless the visitor or the booking already chose one),
 *   - regroups and relabels the same radio buttons when the zone changes, without a reload,
 *   - keeps the zone in the form's hidden `tz`, the paging links and the address bar.
 * Labels are built with fixed English names and 24-hour times, exactly as the server writes them.
 */
(() => {
  const tzForm = document.querySelector("[data-timezone-form]");
  const picker = document.querySelector("[data-slot-picker]");
  const select = tzForm?.querySelector("[data-timezone-select]");
  if (!tzForm || !picker || !select || typeof Intl !== "object") {
    return;
  }

  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const form = picker.closest("form");
  const hiddenZone = form?.querySelector("[data-timezone-value]");
  const status = tzForm.querySelector("[data-timezone-status]");

  function isKnownZone(zone) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }

  /** "UTC+01:00" at a given instant, as the server writes offsets. */
  function offset(zone, at) {
    try {
      const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
        .formatToParts(at).find((part) => part.type === "timeZoneName")?.value || "GMT";
      return name === "GMT" ? "UTC+00:00" : name.replace("GMT", "UTC");
    } catch {
      return "";
    }
  }

  function city(zone) {
    return zone === "UTC" ? "UTC" : zone.slice(zone.lastIndexOf("/") + 1).replace(/_/g, " ");
  }

  function firstSlotTime() {
    const first = picker.querySelector("input[type=radio]");
    return first ? new Date(first.value) : new Date();
  }

  function describe(zone) {
    const at = firstSlotTime();
    return zone === "UTC" ? "UTC" : `${city(zone)} time, ${zone} (${offset(zone, at)})`;
  }

  /** Adds a zone the curated list lacks (the browser's own), in its region's group. */
  function ensureOption(zone) {
    if ([...select.options].some((option) => option.value === zone)) {
      return true;
    }
    if (!isKnownZone(zone)) {
      return false;
    }
    const option = new Option(`${city(zone)} (${offset(zone, firstSlotTime())})`, zone);
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "";
    const group = [...select.querySelectorAll("optgroup")].find((candidate) => candidate.label === region);
    const parent = group || select;
    const next = [...parent.children].find((candidate) => candidate.tagName === "OPTION" && candidate.text.localeCompare(option.text) > 0);
    parent.insertBefore(option, next || null);
    return true;
  }

  function localParts(formatter, date) {
    const parts = {};
    for (const part of formatter.formatToParts(date)) {
      parts[part.type] = part.value;
    }
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      time: `${parts.hour.padStart(2, "0")}:${parts.minute.padStart(2, "0")}`,
    };
  }

  /** Moves the existing radio buttons into one fieldset per local day of the zone, and relabels them. */
  function render(zone) {
    const formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    const days = new Map();
    for (const item of picker.querySelectorAll("[data-slot]")) {
      const input = item.querySelector("input[type=radio]");
      const start = localParts(formatter, new Date(input.value));
      const end = localParts(formatter, new Date(input.dataset.end));
      const weekday = new Date(Date.UTC(start.year, start.month - 1, start.day)).getUTCDay();
      item.querySelector("[data-slot-day]").textContent = `${DAYS[weekday].slice(0, 3)} ${start.day} ${MONTHS[start.month - 1].slice(0, 3)}, `;
      item.querySelector("[data-slot-time]").textContent = `${start.time}–${end.time}`;
      const key = `${start.year}-${start.month}-${start.day}`;
      if (!days.has(key)) {
        days.set(key, { heading: `${DAYS[weekday]} ${start.day} ${MONTHS[start.month - 1]}`, items: [] });
      }
      days.get(key).items.push(item);
    }

    const fragment = document.createDocumentFragment();
    for (const day of days.values()) {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "slot-day";
      const legend = document.createElement("legend");
      legend.className = "slot-day__title";
      legend.textContent = day.heading;
      const list = document.createElement("ul");
      list.className = "slot-list";
      list.append(...day.items);
      fieldset.append(legend, list);
      fragment.append(fieldset);
    }
    picker.querySelector("[data-slot-days]").replaceChildren(fragment);
  }

  function withZone(href, zone) {
    const url = new URL(href, window.location.href);
    url.searchParams.set("tz", zone);
    return url.pathname + url.search + url.hash;
  }

  function apply(zone, announce) {
    select.value = zone;
    if (hiddenZone) {
      hiddenZone.value = zone;
    }
    picker.dataset.zone = zone;
    render(zone);
    const label = describe(zone);
    const zoneLabel = picker.querySelector("[data-zone-label]");
    if (zoneLabel) {
      zoneLabel.textContent = label;
    }
    for (const link of document.querySelectorAll("[data-keep-tz]")) {
      link.setAttribute("href", withZone(link.getAttribute("href"), zone));
    }
    // A reload or a shared link shows the same times (only the zone goes into the address, never form data).
    window.history.replaceState(window.history.state, "", withZone(window.location.href, zone));
    if (announce && status) {
      status.textContent = `Times now shown in ${label}.`;
    }
  }

  // The list follows the select at once, so the "Show times" reload (which would drop typed details) is not needed.
  tzForm.querySelector("[data-timezone-submit]")?.setAttribute("hidden", "");
  tzForm.addEventListener("submit", (event) => {
    event.preventDefault();
    apply(select.value, true);
  });
  select.addEventListener("change", () => apply(select.value, true));

  const zoneRejected = select.getAttribute("aria-invalid") === "true";
  if (picker.dataset.zoneChosen !== "true" && !zoneRejected) {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (detected && detected !== select.value && ensureOption(detected)) {
      apply(detected, false);
    }
  }
})();
