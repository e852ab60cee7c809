"use strict";
/*
 * The contact form's character counter (validation and the sending state come from forms.js). The
 * visible count updates as one types; screen readers hear it only after a pause, not on every key.
 */
(() => {
  for (const area of document.querySelectorAll("textarea[data-counter='true']")) {
    const max = area.maxLength > 0 ? area.maxLength : 0;
    const min = area.minLength > 1 ? area.minLength : 0;
    if (!max) {
      continue;
    }

    const counter = document.createElement("p");
    counter.className = "field__counter";
    counter.id = area.id + "-counter";
    counter.setAttribute("aria-hidden", "true");
    const spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("role", "status");
    area.after(counter, spoken);

    const format = new Intl.NumberFormat("en-GB");
    let timer = 0;

    function text() {
      // Line breaks count once, as the server counts them.
      const length = area.value.replace(/\r\n?/g, "\n").trim().length;
      if (length > max) {
        return [`${format.format(length - max)} characters too many`, true];
      }
      if (min && length > 0 && length < min) {
        return [`${format.format(min - length)} more characters needed (at least ${min})`, false];
      }
      return [`You have ${format.format(max - length)} characters remaining`, false];
    }

    function update() {
      const [message, over] = text();
      counter.textContent = message;
      counter.classList.toggle("field__counter--over", over);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        spoken.textContent = message;
      }, 1000);
    }

    counter.textContent = text()[0];
    area.addEventListener("input", update);
  }
})();
