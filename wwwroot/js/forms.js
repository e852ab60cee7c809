"use strict";
/*
 * Progressive enhancement for the site's forms (contact, booking, manage booking). Without this file the
 * forms work as they are: the browser checks required/maxlength/type=email, the server checks everything
 * and answers with an error summary. With it:
 *   - fields are checked on blur and on submit with the server's own rules and messages (read from the
 *     data-msg-* attributes the server rendered), shown in the same places as the server's;
 *   - a failed submit builds the same error summary the server would and moves focus to it;
 *   - a form on its way shows a "Sending…" state and cannot be sent twice;
 *   - after a page load, focus moves to an error summary or a confirmation.
 */
(() => {
  // The server's TextInput.IsEmail shape (System.Net.Mail also runs there; this is the part a browser can do).
  const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
  // Characters the server strips before it counts (TextInput.Clean): controls but tab/newline, zero-width, separators.
  const STRIPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2028\u2029\uFEFF]/g;

  /** The text as the server measures it after cleaning. */
  function clean(value, multiline) {
    let text = value.replace(/\r\n?/g, "\n").normalize("NFC").replace(STRIPPED, "").replace(/\t/g, " ");
    if (multiline) {
      return text.trim().replace(/\n{3,}/g, "\n\n");
    }
    return text.replace(/\n/g, " ").trim().replace(/ {2,}/g, " ");
  }

  /** The text inputs and text areas _FormField rendered (not the honeypot, not hidden inputs). */
  function isTextControl(element) {
    const text = element instanceof HTMLTextAreaElement ||
      element instanceof HTMLInputElement && (element.type === "text" || element.type === "email");
    return text && element.closest("[data-field]") !== null;
  }

  function textError(control) {
    const value = clean(control.value, control instanceof HTMLTextAreaElement);
    const data = control.dataset;
    if (value.length === 0) {
      return control.required ? data.msgRequired : null;
    }
    if (control.minLength > 1 && value.length < control.minLength) {
      return data.msgShort || null;
    }
    if (control.maxLength > 0 && value.length > control.maxLength) {
      return data.msgLong || null;
    }
    if (control.type === "email" && (value.length < 6 || value.length > 254 || !EMAIL.test(value))) {
      return data.msgEmail || null;
    }
    return null;
  }

  function groupError(group) {
    return group.querySelector("input[type=radio]:checked") ? null : group.dataset.msgRequired || null;
  }

  function describedBy(element, id, present) {
    const ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter((value) => value && value !== id);
    if (present) {
      ids.push(id);
    }
    if (ids.length) {
      element.setAttribute("aria-describedby", ids.join(" "));
    } else {
      element.removeAttribute("aria-describedby");
    }
  }

  function errorElement(id, message) {
    const error = document.createElement("p");
    error.className = "field__error";
    error.id = id;
    const prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = "Error: ";
    error.append(prefix, message);
    return error;
  }

  /** Shows or clears a message where the server puts it: after the hint, before the control. */
  function showTextError(control, message) {
    const field = control.closest("[data-field]");
    const id = control.id + "-error";
    const existing = document.getElementById(id);
    if (message) {
      const error = errorElement(id, message);
      if (existing) {
        existing.replaceWith(error);
      } else {
        control.before(error);
      }
      control.setAttribute("aria-invalid", "true");
      field?.classList.add("field--error");
    } else {
      existing?.remove();
      control.removeAttribute("aria-invalid");
      field?.classList.remove("field--error");
    }
    describedBy(control, id, Boolean(message));
  }

  function showGroupError(group, message) {
    const id = group.id + "-error";
    const existing = document.getElementById(id);
    if (message) {
      const error = errorElement(id, message);
      if (existing) {
        existing.replaceWith(error);
      } else {
        const hint = group.querySelector(".field__hint");
        if (hint) {
          hint.after(error);
        } else {
          group.prepend(error);
        }
      }
      group.classList.add("field--error");
    } else {
      existing?.remove();
      group.classList.remove("field--error");
    }
    describedBy(group, id, Boolean(message));
  }

  function validateControl(control) {
    const message = textError(control);
    showTextError(control, message);
    return message;
  }

  function validateGroup(group) {
    const message = groupError(group);
    showGroupError(group, message);
    return message;
  }

  /** Every error of the form, in page order, as [message, id of the element to focus]. */
  function validateForm(form) {
    const errors = [];
    for (const element of form.querySelectorAll("[data-slot-picker], input, textarea")) {
      if (element.matches("[data-slot-picker]")) {
        const message = validateGroup(element);
        if (message) {
          const first = element.querySelector("input[type=radio]");
          errors.push([message, first ? first.id : element.id]);
        }
      } else if (isTextControl(element)) {
        const message = validateControl(element);
        if (message) {
          errors.push([message, element.id]);
        }
      }
    }
    return errors;
  }

  function renderSummary(form, errors) {
    let summary = document.querySelector("[data-error-summary]");
    if (!errors.length) {
      summary?.remove();
      return null;
    }
    if (!summary) {
      summary = document.createElement("section");
      summary.className = "error-summary";
      summary.id = "error-summary";
      summary.tabIndex = -1;
      summary.setAttribute("aria-labelledby", "error-summary-title");
      summary.dataset.errorSummary = "";
      const anchor = form.dataset.summaryBefore ? document.getElementById(form.dataset.summaryBefore) : null;
      (anchor || form).before(summary);
    }
    const title = document.createElement("h2");
    title.className = "error-summary__title";
    title.id = "error-summary-title";
    title.textContent = "There is a problem";
    const list = document.createElement("ul");
    list.className = "error-summary__list";
    for (const [message, id] of errors) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#" + id;
      link.textContent = message;
      item.append(link);
      list.append(item);
    }
    summary.replaceChildren(title, list);
    return summary;
  }

  /** A summary link puts the cursor in the field and shows its label, not just scrolls to it. */
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest(".error-summary a[href^='#']") : null;
    const target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
    if (!target) {
      return;
    }
    event.preventDefault();
    const label = target.closest("label") || document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
    // A slot: show the whole list from its legend and error; a field: show its label.
    (target.closest("[data-slot-picker]") || label || target).scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });

  function setSending(form, button) {
    form.dataset.sending = "true";
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.dataset.idleText = button.textContent;
      if (button.dataset.sendingText) {
        button.textContent = button.dataset.sendingText;
      }
      // aria-disabled, not disabled: the button keeps focus, and the submit already under way is not cancelled.
      button.setAttribute("aria-disabled", "true");
    }
    let status = form.querySelector("[data-form-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.dataset.formStatus = "";
      form.append(status);
    }
    status.textContent = button?.dataset.sendingText || "Sending…";
  }

  function resetSending(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    for (const button of form.querySelectorAll("[aria-disabled='true']")) {
      button.removeAttribute("aria-disabled");
      if (button.dataset.idleText) {
        button.textContent = button.dataset.idleText;
      }
    }
    const status = form.querySelector("[data-form-status]");
    if (status) {
      status.textContent = "";
    }
  }

  for (const form of document.querySelectorAll("main form[method='post']")) {
    const validates = form.hasAttribute("data-validate");
    if (validates) {
      // Our messages replace the browser's bubbles; the constraints stay in the markup for no-script visitors.
      form.noValidate = true;
      form.addEventListener("input", (event) => {
        const control = event.target;
        if (isTextControl(control)) {
          control.dataset.touched = "true";
          // Once a field shows an error, the error goes away as soon as the text is right.
          if (control.getAttribute("aria-invalid") === "true") {
            validateControl(control);
          }
        }
      });
      form.addEventListener("focusout", (event) => {
        const control = event.target;
        // Tabbing through an empty form is not a mistake; leaving a field one has typed in can be.
        if (isTextControl(control) && (control.dataset.touched || control.getAttribute("aria-invalid") === "true")) {
          validateControl(control);
        }
      });
      form.addEventListener("change", (event) => {
        const group = event.target instanceof Element ? event.target.closest("[data-slot-picker]") : null;
        if (group && group.classList.contains("field--error")) {
          validateGroup(group);
        }
      });
    }

    form.addEventListener("submit", (event) => {
      if (form.dataset.sending === "true") {
        event.preventDefault();
        return;
      }
      if (validates) {
        const errors = validateForm(form);
        const summary = renderSummary(form, errors);
        if (summary) {
          event.preventDefault();
          summary.focus();
          return;
        }
      }
      setSending(form, event.submitter || form.querySelector("[type=submit]"));
    });
  }

  // Back/forward cache: a page restored after submitting must not stay stuck in "Sending…".
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      document.querySelectorAll("main form[data-sending]").forEach(resetSending);
    }
  });

  const focusTarget = document.querySelector("[data-error-summary]") || document.querySelector("[data-focus-on-load]");
  focusTarget?.focus();
})();
