// Kesher web UI: small progressive enhancements; every screen also works without them.
(function () {
  "use strict";
  const csrf = () => document.body.dataset.csrf;

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, input, button, label")) { window.location = row.dataset.href; }
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

  let newLine = 0;
  function addLine(fieldset) {
    const template = fieldset.querySelector("tr.line-template");
    const row = template.cloneNode(true);
    row.hidden = false;
    row.classList.remove("line-template");
    newLine += 1;
    row.querySelectorAll("[name]").forEach((input) => { input.name = input.name.replace("__new__", "new" + newLine); });
    template.parentNode.insertBefore(row, template);
    setupAutocomplete(row);
  }

  // many2one: type to search (name_search), pick from the list, the hidden input keeps the id
  function setupAutocomplete(root) {
    root.querySelectorAll(".m2o").forEach((box) => {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      const text = box.querySelector(".m2o-text");
      const hidden = box.querySelector("input[type=hidden]");
      let list = box.querySelector("datalist");
      if (!list) { list = document.createElement("datalist"); list.id = "dl-" + Math.random().toString(36).slice(2); box.appendChild(list); text.setAttribute("list", list.id); }
      let found = [];
      text.addEventListener("input", async () => {
        const match = found.find((item) => item.name === text.value);
        if (match) { hidden.value = match.id; hidden.dispatchEvent(new Event("change", { bubbles: true })); return; }
        if (text.value === "") { hidden.value = ""; }
        const response = await fetch("/web/name_search/" + box.dataset.model + "?q=" + encodeURIComponent(text.value), { credentials: "same-origin" });
        if (!response.ok) { return; }
        found = await response.json();
        list.replaceChildren(...found.map((item) => { const option = document.createElement("option"); option.value = item.name; return option; }));
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
      board.addEventListener("dragstart", (event) => {
        const card = event.target.closest(".kanban-card");
        if (card) { event.dataTransfer.setData("text/plain", card.dataset.id); }
      });
      board.querySelectorAll(".kanban-column").forEach((column) => {
        column.addEventListener("dragover", (event) => { event.preventDefault(); column.classList.add("drop-target"); });
        column.addEventListener("dragleave", () => column.classList.remove("drop-target"));
        column.addEventListener("drop", async (event) => {
          event.preventDefault();
          column.classList.remove("drop-target");
          const id = event.dataTransfer.getData("text/plain");
          const body = new URLSearchParams({ id: id, field: board.dataset.field, value: column.dataset.value, csrf_token: csrf() });
          const response = await fetch("/web/m/" + board.dataset.model + "/kanban_move", { method: "POST", credentials: "same-origin", body: body });
          if (response.ok) {
            const card = board.querySelector(".kanban-card[data-id='" + id + "']");
            column.appendChild(card);
          } else { window.alert((await response.text()).slice(0, 300)); }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => { setupAutocomplete(document); setupKanban(); });
})();
