// Kesher web UI: small progressive enhancements; every screen also works without them.
(function () {
  "use strict";
  const csrf = () => document.body.dataset.csrf;
  const CONTROLS = "input, select, textarea";

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, input, button, label, select")) { window.location = row.dataset.href; }
    const confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) { event.preventDefault(); }
    const add = event.target.closest("[data-add-line]");
    if (add) { addLine(add.closest("fieldset")); }
  });

  document.addEventListener("change", (event) => {
    const all = event.target.closest("[data-select-all]");
    if (all) { all.closest("table").querySelectorAll("input[name=ids]").forEach((box) => { box.checked = all.checked; }); }
    if (event.target.dataset.onchange) { onchange(event.target); }
  });

  // The hidden "new line" row of an inline list is only a model to copy: its controls must
  // neither be posted (the server refuses its "__new__" names) nor block the form's
  // validation (a required, empty, hidden input stops the submission).
  function disableTemplates(root) {
    root.querySelectorAll("tr.line-template").forEach((template) => {
      template.querySelectorAll(CONTROLS).forEach((input) => { input.disabled = true; });
    });
  }

  // new lines shown again after an error keep their names (new1, new2...): count on from them
  let newLine = Math.max(0, ...Array.from(document.querySelectorAll("[name]"), (input) => {
    const match = /-new(\d+)-/.exec(input.name);
    return match ? Number(match[1]) : 0;
  }));
  function addLine(fieldset) {
    const template = fieldset.querySelector("tr.line-template");
    const row = template.cloneNode(true);
    row.hidden = false;
    row.classList.remove("line-template");
    newLine += 1;
    row.querySelectorAll(CONTROLS).forEach((input) => { input.disabled = false; });
    row.querySelectorAll("[name]").forEach((input) => { input.name = input.name.replace("__new__", "new" + newLine); });
    row.querySelectorAll("[data-ready]").forEach((box) => { delete box.dataset.ready; });
    template.parentNode.insertBefore(row, template);
    setupAutocomplete(row);
    const first = row.querySelector(CONTROLS);
    if (first) { first.focus(); }
  }

  // many2one: type to search (name_search), pick from the list, the hidden input keeps the id
  function setupAutocomplete(root) {
    root.querySelectorAll(".m2o").forEach((box) => {
      if (box.dataset.ready || box.closest("tr.line-template")) { return; }
      box.dataset.ready = "1";
      const text = box.querySelector(".m2o-text");
      const hidden = box.querySelector("input[type=hidden]");
      let list = box.querySelector("datalist");
      if (!list) {
        list = document.createElement("datalist");
        list.id = "dl-" + Math.random().toString(36).slice(2);
        box.appendChild(list);
        text.setAttribute("list", list.id);
      }
      let found = [];
      let asked = 0;
      const setId = (id) => {
        if (hidden.value === String(id)) { return; }
        hidden.value = id;
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      };
      // the text names a record only once it is one of the proposals: else the id is cleared
      const pick = () => {
        const match = found.find((item) => item.name === text.value);
        if (match) { setId(match.id); return true; }
        if (hidden.value !== "") { setId(""); }
        return false;
      };
      text.addEventListener("input", async () => {
        if (pick()) { return; }
        const ticket = ++asked;
        const response = await fetch("/web/name_search/" + box.dataset.model + "?q=" + encodeURIComponent(text.value),
                                     { credentials: "same-origin" });
        if (!response.ok || ticket !== asked) { return; }  // a later keystroke has its own answer
        found = await response.json();
        list.replaceChildren(...found.map((item) => { const option = document.createElement("option"); option.value = item.name; return option; }));
        pick();  // the whole name was typed (or pasted) before the proposals came
      });
    });
  }

  async function onchange(input) {
    const form = input.closest("form");
    const values = {};
    new FormData(form).forEach((value, key) => { if (key !== "csrf_token") { values[key] = value; } });
    const response = await fetch("/web/onchange/" + form.dataset.model, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify({ field: input.name, values: values }),
    });
    if (!response.ok) { return; }
    const answer = await response.json();
    Object.entries(answer.values || {}).forEach(([name, value]) => {
      const target = form.querySelector("[name='" + name + "']");
      if (!target) { return; }
      if (value && typeof value === "object") { target.value = value.id; const text = target.parentNode.querySelector(".m2o-text"); if (text) { text.value = value.name; } }
      else { target.value = value === null ? "" : value; }
    });
  }

  // kanban: drag a card to another column writes the group-by field
  function setupKanban() {
    document.querySelectorAll(".kanban").forEach((board) => {
      if (!board.dataset.field) { return; }  // one column only: nothing to move along
      board.addEventListener("dragstart", (event) => {
        const card = event.target.closest(".kanban-card");
        if (!card) { return; }
        event.dataTransfer.setData("text/plain", card.dataset.id);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("dragging");
      });
      board.addEventListener("dragend", (event) => {
        const card = event.target.closest(".kanban-card");
        if (card) { card.classList.remove("dragging"); }
      });
      const recount = () => board.querySelectorAll(".kanban-column").forEach((column) => {
        const count = column.querySelector(".count");
        if (count) { count.textContent = column.querySelectorAll(".kanban-card").length; }
      });
      board.querySelectorAll(".kanban-column").forEach((column) => {
        column.addEventListener("dragover", (event) => { event.preventDefault(); event.dataTransfer.dropEffect = "move"; column.classList.add("drop-target"); });
        column.addEventListener("dragleave", (event) => {
          if (!column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
        });
        column.addEventListener("drop", async (event) => {
          event.preventDefault();
          column.classList.remove("drop-target");
          const id = event.dataTransfer.getData("text/plain");
          const card = board.querySelector(".kanban-card[data-id='" + CSS.escape(id) + "']");
          if (!card || card.parentNode === column) { return; }
          const body = new URLSearchParams({ id: id, field: board.dataset.field, value: column.dataset.value, csrf_token: csrf() });
          const response = await fetch("/web/m/" + board.dataset.model + "/kanban_move", { method: "POST", credentials: "same-origin", body: body });
          if (response.ok) {
            column.appendChild(card);
            recount();
          } else {
            const page = new DOMParser().parseFromString(await response.text(), "text/html");
            const message = page.querySelector("[role=alert]");
            window.alert((message ? message.textContent : response.statusText).trim().slice(0, 300));
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => { disableTemplates(document); setupAutocomplete(document); setupKanban(); });
})();
