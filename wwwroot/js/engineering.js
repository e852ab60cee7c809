/*
 * /engineering: the lifecycle stepper, the schema explorer and the job-queue simulation.
 *
 * Progressive enhancement: the server renders every stage, table and rule as readable content
 * (Site/Pages/Engineering.cshtml and Shared/_Engineering*.cshtml). This file finds those sections by
 * their data-* attributes, adds the interactive parts and reveals the controls rendered hidden. It
 * builds DOM with textContent only (content is never parsed as HTML) and sets no inline style
 * attributes: the one dynamic value (a job's duration) goes through the CSSOM, which CSP allows.
 */
"use strict";

(() => {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  /** Creates an element with a class and optional text. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /** Reads a whole number from a data-* attribute, within the range the document type allows. */
  function readInt(value, min, max, fallback) {
    const number = Number.parseInt(value ?? "", 10);
    return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : fallback;
  }

  /**
   * Roving-focus keyboard support shared by both tablists (WAI-ARIA APG "Tabs" pattern, automatic
   * activation): arrows move and wrap, Home/End jump. Left/Up and Right/Down both work because the
   * lists are laid out in a row on phones and in a column or grid on wide screens.
   */
  function bindTabKeys(tabs, select) {
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => select(index, { focusTab: false }));
      tab.addEventListener("keydown", (event) => {
        if (event.altKey || event.ctrlKey || event.metaKey) {
          return;
        }
        let target;
        switch (event.key) {
          case "ArrowRight":
          case "ArrowDown":
            target = (index + 1) % tabs.length;
            break;
          case "ArrowLeft":
          case "ArrowUp":
            target = (index - 1 + tabs.length) % tabs.length;
            break;
          case "Home":
            target = 0;
            break;
          case "End":
            target = tabs.length - 1;
            break;
          default:
            return;
        }
        event.preventDefault();
        select(target, { focusTab: true });
      });
    });
  }

  function markSelected(tabs, selected) {
    tabs.forEach((tab, index) => {
      const isSelected = index === selected;
      tab.setAttribute("aria-selected", String(isSelected));
      tab.tabIndex = isSelected ? 0 : -1;
    });
  }

  // ---- Request lifecycle ---------------------------------------------------------------------------

  function initLifecycle(root) {
    const panels = Array.from(root.querySelectorAll("[data-stage]"));
    const list = root.querySelector("[data-lifecycle-stages]");
    const controls = root.querySelector("[data-lifecycle-controls]");
    if (panels.length === 0 || !list || !controls) {
      return;
    }
    const previous = controls.querySelector("[data-lifecycle-previous]");
    const next = controls.querySelector("[data-lifecycle-next]");
    const status = controls.querySelector("[data-lifecycle-status]");
    const heading = root.closest("section")?.querySelector("h2");

    const tablist = element("div", "lifecycle__tabs");
    tablist.setAttribute("role", "tablist");
    if (heading?.id) {
      tablist.setAttribute("aria-labelledby", heading.id);
    }

    const tabs = panels.map((panel, index) => {
      const tab = element("button", "lifecycle__tab");
      tab.type = "button";
      tab.id = `${panel.id}-tab`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      // The number and layer repeat what the tab's position and the panel say; the tab's name is the stage's.
      const number = element("span", "lifecycle__tab-number", String(index + 1));
      number.setAttribute("aria-hidden", "true");
      tab.append(number, element("span", "lifecycle__tab-name", panel.dataset.stageName ?? ""));
      if (panel.dataset.stageLayer) {
        const layer = element("span", "lifecycle__tab-layer", panel.dataset.stageLayer);
        layer.setAttribute("aria-hidden", "true");
        tab.append(layer);
      }
      tablist.append(tab);

      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      return tab;
    });

    // The list becomes a plain container of panels; list semantics would contradict the tabs.
    list.setAttribute("role", "none");
    for (const item of list.children) {
      item.setAttribute("role", "none");
    }

    let current = 0;

    function select(index, { focusTab = false } = {}) {
      current = Math.min(panels.length - 1, Math.max(0, index));
      markSelected(tabs, current);
      tabs.forEach((tab, i) => tab.classList.toggle("is-done", i < current));
      panels.forEach((panel, i) => {
        panel.parentElement.hidden = i !== current;
      });
      previous.setAttribute("aria-disabled", String(current === 0));
      next.setAttribute("aria-disabled", String(current === panels.length - 1));
      const panel = panels[current];
      const layer = panel.dataset.stageLayer ? ` (${panel.dataset.stageLayer})` : "";
      status.textContent = `Stage ${current + 1} of ${panels.length}: ${panel.dataset.stageName ?? ""}${layer}`;
      if (focusTab) {
        tabs[current].focus();
      }
    }

    bindTabKeys(tabs, select);
    // aria-disabled rather than disabled: the button keeps focus at either end instead of dropping it.
    previous.addEventListener("click", () => {
      if (current > 0) {
        select(current - 1);
      }
    });
    next.addEventListener("click", () => {
      if (current < panels.length - 1) {
        select(current + 1);
      }
    });

    // Fill the status before revealing it, so the page does not announce "Stage 1 of …" on load.
    const fromHash = () => panels.findIndex((panel) => `#${panel.id}` === window.location.hash);
    select(Math.max(0, fromHash()));
    list.before(tablist);
    controls.hidden = false;
    root.classList.add("is-enhanced");
    window.addEventListener("hashchange", () => {
      const index = fromHash();
      if (index >= 0) {
        select(index);
      }
    });
  }

  // ---- Schema explorer -----------------------------------------------------------------------------

  function initSchema(root) {
    const panels = Array.from(root.querySelectorAll("[data-schema-table]"));
    const index = root.querySelector("[data-schema-index]");
    if (panels.length === 0 || !index) {
      return;
    }

    const picker = element("div", "schema__picker");
    const label = element("p", "schema__picker-label", index.querySelector("h3")?.textContent ?? "Tables");
    label.id = "schema-tabs-label";
    const tablist = element("div", "schema__tabs");
    tablist.setAttribute("role", "tablist");
    tablist.setAttribute("aria-labelledby", label.id);

    const tabs = panels.map((panel) => {
      const tab = element("button", "schema__tab");
      tab.type = "button";
      tab.id = `${panel.id}-tab`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.append(element("code", "", panel.dataset.tableName ?? panel.id));
      tablist.append(tab);

      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      return tab;
    });
    picker.append(label, tablist);

    let current = 0;

    function select(target, { focusTab = false, focusPanel = false } = {}) {
      current = target;
      markSelected(tabs, current);
      panels.forEach((panel, i) => {
        panel.hidden = i !== current;
      });
      if (focusTab) {
        tabs[current].focus();
      } else if (focusPanel) {
        panels[current].focus({ preventScroll: true });
        panels[current].scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
      }
    }

    const indexOfHash = (hash) => panels.findIndex((panel) => `#${panel.id}` === hash);

    bindTabKeys(tabs, select);

    // Foreign-key and relation links switch tables instead of scrolling to a hidden section.
    root.addEventListener("click", (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
      const target = link ? indexOfHash(link.hash) : -1;
      if (target < 0) {
        return;
      }
      event.preventDefault();
      select(target, { focusPanel: true });
      history.replaceState(null, "", link.hash);
    });

    window.addEventListener("hashchange", () => {
      const target = indexOfHash(window.location.hash);
      if (target >= 0) {
        select(target, { focusPanel: true });
      }
    });

    index.hidden = true;
    index.after(picker);
    root.classList.add("is-enhanced");

    const initial = indexOfHash(window.location.hash);
    select(Math.max(0, initial));
    if (initial >= 0) {
      // The browser scrolled to the anchor before the other tables were hidden.
      panels[initial].scrollIntoView({ block: "start" });
    }
  }

  // ---- Job-queue simulation ------------------------------------------------------------------------

  /** Longest job of the content, in real time at normal speed; others are scaled by the same factor. */
  const LONGEST_JOB_REAL_MS = 4000;
  const SHORTEST_STEP_REAL_MS = 250;
  const MAX_WAITING_JOBS = 30;
  const RECENT_DONE_SHOWN = 6;
  const DEAD_SHOWN = 20;
  const LOG_ENTRIES_KEPT = 100;

  function seconds(milliseconds) {
    return `${Number((milliseconds / 1000).toFixed(1))} s`;
  }

  function initQueue(root) {
    const sim = root.querySelector("[data-queue-sim]");
    const jobTypes = Array.from(root.querySelectorAll("[data-job-type]")).map((node) => ({
      name: node.dataset.name ?? "Job",
      durationMs: readInt(node.dataset.durationMs, 100, 60000, 1500),
      failurePercent: readInt(node.dataset.failurePercent, 0, 100, 0),
    }));
    if (!sim || jobTypes.length === 0) {
      return;
    }

    const maxAttempts = readInt(root.dataset.maxAttempts, 1, 10, 3);
    const backoffMs = readInt(root.dataset.backoffMs, 100, 60000, 1000);
    // Content durations are "simulated" milliseconds; squeeze them so the longest job stays watchable.
    const timeScale = Math.min(1, LONGEST_JOB_REAL_MS / Math.max(...jobTypes.map((type) => type.durationMs)));

    const lists = {
      pending: sim.querySelector("[data-queue-list='pending']"),
      done: sim.querySelector("[data-queue-list='done']"),
      dead: sim.querySelector("[data-queue-list='dead']"),
    };
    const empties = {
      pending: sim.querySelector("[data-queue-empty='pending']"),
      done: sim.querySelector("[data-queue-empty='done']"),
      dead: sim.querySelector("[data-queue-empty='dead']"),
    };
    const counters = {
      pending: sim.querySelector("[data-count='pending']"),
      active: sim.querySelector("[data-count='active']"),
      done: sim.querySelector("[data-count='done']"),
      dead: sim.querySelector("[data-count='dead']"),
    };
    const logContainer = sim.querySelector("[role='log']");
    const logList = sim.querySelector("[data-queue-log]");
    const speedSelect = sim.querySelector("[data-queue-speed]");
    const workers = Array.from(sim.querySelectorAll("[data-worker]")).map((node) => ({
      node,
      number: node.dataset.worker,
      status: node.querySelector("[data-worker-status]"),
      bar: node.querySelector(".worker__bar"),
      job: null,
    }));
    const idleText = workers[0]?.status?.textContent ?? "Idle";

    const timers = new Set();
    let state;

    function freshState() {
      return { nextId: 1, ready: [], waiting: [], recentDone: [], dead: [], doneCount: 0, startedAt: performance.now() };
    }

    function speed() {
      const value = Number.parseFloat(speedSelect?.value ?? "1");
      return value > 0 ? value : 1;
    }

    function realMs(simulatedMs) {
      return Math.max(SHORTEST_STEP_REAL_MS, (simulatedMs * timeScale) / speed());
    }

    function schedule(callback, delay) {
      const id = window.setTimeout(() => {
        timers.delete(id);
        callback();
      }, delay);
      timers.add(id);
    }

    const label = (job) => `${job.type.name} #${job.id}`;

    function log(message, kind) {
      const entry = element("li", kind ? `queue-log__entry queue-log__entry--${kind}` : "queue-log__entry");
      const elapsed = Math.floor((performance.now() - state.startedAt) / 1000);
      const time = element("span", "queue-log__time", `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, "0")}`);
      // The clock helps sighted users follow the sequence; read aloud it would only add noise.
      time.setAttribute("aria-hidden", "true");
      entry.append(time, document.createTextNode(message));
      // Keep reading position: follow new entries only when the reader is already at the bottom.
      const atBottom = logContainer.scrollHeight - logContainer.scrollTop - logContainer.clientHeight < 8;
      logList.append(entry);
      while (logList.children.length > LOG_ENTRIES_KEPT) {
        logList.firstElementChild.remove();
      }
      if (atBottom) {
        logContainer.scrollTop = logContainer.scrollHeight;
      }
    }

    function jobItem(job) {
      const item = element("li", "queue-job");
      item.dataset.jobId = String(job.id);
      item.append(element("span", "queue-job__name", label(job)), element("span", "queue-job__detail"));
      return item;
    }

    /**
     * Makes the list show these jobs in this order. A job already in the list keeps its node, updated in
     * place: rebuilding every item on every event restarted each one's fade-in (the whole board flickered)
     * and threw away the node a screen reader's cursor was on. Only new or moved items are inserted.
     */
    function renderList(list, entries) {
      const shown = new Map(Array.from(list.children, (item) => [item.dataset.jobId, item]));
      const items = entries.map(({ job, detail, modifier }) => {
        const item = shown.get(String(job.id)) ?? jobItem(job);
        item.className = modifier ? `queue-job queue-job--${modifier}` : "queue-job";
        const detailNode = item.querySelector(".queue-job__detail");
        if (detailNode.textContent !== detail) {
          detailNode.textContent = detail;
        }
        return item;
      });
      const kept = new Set(items);
      for (const item of Array.from(list.children)) {
        if (!kept.has(item)) {
          item.remove();
        }
      }
      items.forEach((item, index) => {
        const current = list.children[index] ?? null;
        if (current !== item) {
          list.insertBefore(item, current);
        }
      });
    }

    function render() {
      const active = workers.filter((worker) => worker.job).length;
      counters.pending.textContent = String(state.ready.length + state.waiting.length);
      counters.active.textContent = String(active);
      counters.done.textContent = String(state.doneCount);
      counters.dead.textContent = String(state.dead.length);

      renderList(lists.pending, [
        ...state.ready.map((job) => ({ job, detail: job.attempt === 0 ? "new" : `attempt ${job.attempt + 1} of ${maxAttempts}` })),
        ...state.waiting.map((job) => ({ job, detail: `retry ${job.attempt + 1} of ${maxAttempts} after ${seconds(job.backoffMs)}`, modifier: "waiting" })),
      ]);
      renderList(lists.done, state.recentDone.map((job) =>
        ({ job, detail: job.attempt === 1 ? "on the first attempt" : `on attempt ${job.attempt}`, modifier: "done" })));
      renderList(lists.dead, state.dead.slice(-DEAD_SHOWN).map((job) =>
        ({ job, detail: `failed ${job.attempt} ${job.attempt === 1 ? "attempt" : "attempts"}`, modifier: "dead" })));
      for (const [name, list] of Object.entries(lists)) {
        empties[name].hidden = list.children.length > 0;
      }

      for (const worker of workers) {
        worker.node.classList.toggle("is-busy", worker.job !== null);
        worker.status.textContent = worker.job
          ? `${label(worker.job)}, attempt ${worker.job.attempt} of ${maxAttempts}`
          : idleText;
      }
    }

    function start(worker, job) {
      job.attempt += 1;
      worker.job = job;
      const duration = realMs(job.type.durationMs);
      if (worker.bar) {
        // Restart the progress animation for this attempt; its length is the only per-job style.
        worker.bar.classList.remove("is-running");
        worker.bar.style.setProperty("--eng-job-duration", `${Math.round(duration)}ms`);
        void worker.bar.offsetWidth;
        worker.bar.classList.add("is-running");
      }
      log(`Worker ${worker.number} took ${label(job)} (attempt ${job.attempt} of ${maxAttempts}).`);
      schedule(() => finish(worker, job), duration);
    }

    function finish(worker, job) {
      worker.job = null;
      worker.bar?.classList.remove("is-running");
      const failed = Math.random() * 100 < job.type.failurePercent;
      if (!failed) {
        state.doneCount += 1;
        state.recentDone = [job, ...state.recentDone].slice(0, RECENT_DONE_SHOWN);
        log(`${label(job)} done on attempt ${job.attempt}.`, "done");
      } else if (job.attempt < maxAttempts) {
        // Exponential backoff: 1×, 2×, 4× … the base pause.
        job.backoffMs = backoffMs * 2 ** (job.attempt - 1);
        state.waiting.push(job);
        log(`${label(job)} failed on attempt ${job.attempt} of ${maxAttempts}; retrying in ${seconds(job.backoffMs)}.`, "failed");
        schedule(() => {
          state.waiting = state.waiting.filter((waiting) => waiting !== job);
          state.ready.push(job);
          dispatch();
        }, realMs(job.backoffMs));
      } else {
        state.dead.push(job);
        log(`${label(job)} failed its last attempt (${job.attempt} of ${maxAttempts}) and moved to the dead-letter list.`, "dead");
      }
      dispatch();
    }

    /** Hands ready jobs to idle workers, oldest first, then redraws. */
    function dispatch() {
      for (const worker of workers) {
        if (!worker.job && state.ready.length > 0) {
          start(worker, state.ready.shift());
        }
      }
      render();
    }

    function enqueue(typeIndexes) {
      const room = MAX_WAITING_JOBS - state.ready.length - state.waiting.length;
      if (room <= 0) {
        log(`The queue is full (${MAX_WAITING_JOBS} jobs); let the workers catch up.`, "failed");
        return;
      }
      const jobs = typeIndexes.slice(0, room).map((typeIndex) => ({ id: state.nextId++, type: jobTypes[typeIndex], attempt: 0, backoffMs: 0 }));
      state.ready.push(...jobs);
      log(jobs.length === 1 ? `${label(jobs[0])} enqueued.` : `Enqueued ${jobs.length} jobs: ${jobs.map(label).join(", ")}.`);
      dispatch();
    }

    function reset() {
      timers.forEach((id) => window.clearTimeout(id));
      timers.clear();
      for (const worker of workers) {
        worker.job = null;
        worker.bar?.classList.remove("is-running");
      }
      state = freshState();
      logList.replaceChildren();
      log("Reset: the queue, the workers and the dead-letter list are empty.");
      render();
    }

    sim.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button") : null;
      if (!button || !sim.contains(button)) {
        return;
      }
      if (button.dataset.enqueue !== undefined) {
        const typeIndex = readInt(button.dataset.enqueue, 0, jobTypes.length - 1, 0);
        enqueue([typeIndex]);
      } else if (button.dataset.enqueueRandom !== undefined) {
        const count = readInt(button.dataset.enqueueRandom, 1, MAX_WAITING_JOBS, 5);
        enqueue(Array.from({ length: count }, () => Math.floor(Math.random() * jobTypes.length)));
      } else if (button.dataset.queueReset !== undefined) {
        reset();
      }
    });

    state = freshState();
    render();
    sim.hidden = false;
    root.classList.add("is-enhanced");
  }

  document.querySelectorAll("[data-lifecycle]").forEach(initLifecycle);
  document.querySelectorAll("[data-schema]").forEach(initSchema);
  document.querySelectorAll("[data-queue]").forEach(initQueue);
})();
