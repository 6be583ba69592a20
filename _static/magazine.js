/* The Open Bench: reader tools on article pages. Everything here is an enhancement:
   without JavaScript a citation is a link to its Works Cited entry and the reference in
   "Cite this article" is plain text to select. */
(() => {
  "use strict";

  /* -- "Copy reference" ------------------------------------------------------------------ */
  function selectContents(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUpCopyButton(button) {
    const source = document.getElementById(button.dataset.copyFrom);
    const status = button.parentElement.querySelector(".cite-copy-status");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = source.textContent.replace(/\s+/g, " ").trim();
      try {
        await navigator.clipboard.writeText(text);
        if (status) status.textContent = "Copied.";
      } catch {
        selectContents(source);
        if (status) status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
      }
    });
  }

  /* -- Citation previews ---------------------------------------------------------------- */
  // One tooltip for the page, filled with a copy of the entry the citation links to. It shows
  // on hover and on keyboard focus, stays while the pointer is over it, and Escape hides it
  // (WCAG 1.4.13). The citation's aria-describedby points at it while it is shown.
  let tooltip = null;
  let owner = null;
  let hideTimer = 0;
  let dismissed = null; // the citation whose preview Escape closed, until the pointer leaves

  function tooltipElement() {
    if (!tooltip) {
      tooltip = document.createElement("div");
      tooltip.id = "citation-preview";
      tooltip.className = "citation-preview";
      tooltip.setAttribute("role", "tooltip");
      tooltip.hidden = true;
      tooltip.addEventListener("pointerenter", () => clearTimeout(hideTimer));
      tooltip.addEventListener("pointerleave", () => scheduleHide());
      document.body.appendChild(tooltip);
    }
    return tooltip;
  }

  function entryFor(link) {
    const id = decodeURIComponent(link.hash.slice(1));
    const entry = id && document.getElementById(id);
    return entry && entry.matches(".works-cited-entry") ? entry : null;
  }

  function place(link, box) {
    const rect = link.getBoundingClientRect();
    const margin = 8;
    const width = Math.min(box.offsetWidth, document.documentElement.clientWidth - 2 * margin);
    let left = rect.left + window.scrollX;
    left = Math.min(left, window.scrollX + document.documentElement.clientWidth - width - margin);
    left = Math.max(left, window.scrollX + margin);
    let top = rect.bottom + window.scrollY + margin;
    if (rect.bottom + box.offsetHeight + margin > window.innerHeight && rect.top > box.offsetHeight + margin) {
      top = rect.top + window.scrollY - box.offsetHeight - margin;
    }
    box.style.left = `${left}px`;
    box.style.top = `${top}px`;
  }

  function show(link) {
    const entry = entryFor(link);
    if (!entry) return;
    clearTimeout(hideTimer);
    const box = tooltipElement();
    if (owner && owner !== link) owner.removeAttribute("aria-describedby");
    box.replaceChildren(...Array.from(entry.childNodes, (node) => node.cloneNode(true)));
    for (const element of box.querySelectorAll("[id]")) element.removeAttribute("id");
    box.hidden = false;
    place(link, box);
    link.setAttribute("aria-describedby", box.id);
    owner = link;
  }

  function hide() {
    clearTimeout(hideTimer);
    if (tooltip) tooltip.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  function setUpPreview(link) {
    if (!entryFor(link)) return;
    // the preview replaces the browser's own title tooltip, which would show the same text
    if (link.title) {
      link.dataset.title = link.title;
      link.removeAttribute("title");
    }
    link.addEventListener("pointerenter", () => {
      if (dismissed !== link) show(link);
    });
    link.addEventListener("pointerleave", () => {
      if (dismissed === link) dismissed = null;
      scheduleHide();
    });
    link.addEventListener("focus", () => show(link));
    link.addEventListener("blur", hide);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && tooltip && !tooltip.hidden) {
      dismissed = owner;
      hide();
    }
  });

  function setUp() {
    document.querySelectorAll("button[data-copy-from]").forEach(setUpCopyButton);
    document.querySelectorAll('.bibtex-citation a[href^="#"]').forEach(setUpPreview);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
