// Orchestration instances: the list (status, name, id prefix and created-time filters) and one
// instance (status, custom status, output or failure, history timeline, actions).
"use strict";

FF.pages.instances = function (main, route) {
  const el = FF.el;
  const params = route.params;
  const field = (label, input) => el("label", {}, label, input);
  const status = el("select", { name: "status" }, [["", "any"], ["Pending", "Pending"],
    ["Running", "Running"], ["Completed", "Completed"], ["Failed", "Failed"],
    ["Terminated", "Terminated"]].map(([v, l]) => el("option", { value: v, text: l })));
  status.value = params.get("status") || "";
  const name = el("input", { type: "search", name: "name", placeholder: "contains", value: params.get("name") || "" });
  const prefix = el("input", { type: "search", name: "prefix", placeholder: "id starts with", value: params.get("prefix") || "" });
  const from = el("input", { type: "datetime-local", name: "from", value: (params.get("from") || "").slice(0, 16) });
  const to = el("input", { type: "datetime-local", name: "to", value: (params.get("to") || "").slice(0, 16) });
  const filters = el("form", { class: "filters", id: "instance-filters", onsubmit: (e) => e.preventDefault() },
    field("Status", status), field("Name", name), field("Instance id", prefix),
    field("Created from (UTC)", from), field("to", to));
  const body = el("tbody", { id: "instances-body" });
  const more = el("button", { type: "button", text: "Load more", hidden: true });
  const note = el("span", { class: "muted" });
  main.append(el("h1", { text: "Orchestrations" }), filters,
    el("table", { id: "instances" }, el("thead", {}, el("tr", {},
      ["Instance", "Name", "Status", "Created", "Elapsed", "Events"].map((h, i) =>
        el("th", { class: i >= 4 ? "num" : "", text: h })))), body),
    el("div", { class: "pager" }, more, note));

  let continuation = "";
  let extended = false;  // "Load more" was used: refreshing would lose the reader's place
  function query(from_continuation) {
    const q = new URLSearchParams();
    for (const input of [status, name, prefix]) if (input.value) q.set(input.name, input.value);
    for (const input of [from, to]) if (input.value) q.set(input.name, input.value + ":00Z");
    FF.setParams(q);
    if (from_continuation) q.set("continuation", from_continuation);
    q.set("limit", "100");
    return q;
  }
  const row = (i) => {
    const end = i.completed ? FF.ms(i.completed) : FF.ms(i.last_updated);
    return el("tr", { dataset: { instance: i.instance, status: i.status } },
      el("td", {}, el("a", { href: "#/instance/" + encodeURIComponent(i.instance), text: i.instance })),
      el("td", { text: i.name }), el("td", {}, FF.badge(i.status)),
      el("td", { text: FF.time(i.created) }),
      el("td", { class: "num", text: FF.duration((end - FF.ms(i.created)) / 1000) }),
      el("td", { class: "num", text: String(i.history_length) }));
  };
  async function load(append) {
    const data = await FF.api("/api/instances?" + query(append ? continuation : "").toString());
    const rows = data.instances.map(row);
    if (append) body.append(...rows);
    else body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 6, class: "muted",
      text: data.hub_exists ? "No instance matches." : "No task hub yet: start a worker." }))]));
    continuation = data.continuation;
    more.hidden = !continuation;
    note.textContent = body.children.length + " shown" + (continuation ? "; more exist" : "");
  }
  let typing = null;
  filters.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { extended = false; FF.refresh(); }, 250);
  });
  more.addEventListener("click", () => { extended = true; load(true).catch((e) => FF.banner(e.message)); });
  return { refresh: () => (extended ? Promise.resolve() : load(false)) };
};

FF.pages.instance = function (main, route) {
  const el = FF.el;
  const id = route.parts[1];
  const title = el("h1", { id: "instance-title", text: id });
  const facts = el("dl", { class: "facts", id: "instance-facts" });
  const details = el("div", { id: "instance-details" });
  const failureBox = el("div");
  const actions = el("div", { class: "actions", id: "instance-actions" });
  const outcome = el("div", { id: "instance-action" });
  const timeline = el("div", { id: "instance-timeline" });
  const events = el("tbody", { id: "history-body" });
  main.append(el("p", {}, el("a", { href: "#/instances", text: "← all orchestrations" })), title, facts,
    failureBox, actions, outcome, el("h2", { text: "History timeline" }), timeline, details,
    el("h2", { text: "History events" }),
    el("table", { id: "history" }, el("thead", {}, el("tr", {},
      ["+ seconds", "Event", "Task", "Name", "Detail"].map((h, i) => el("th", { class: i === 0 ? "num" : "", text: h })))),
      events));
  const fact = (label, value) => [el("dt", { text: label }), el("dd", {}, value)];
  const json = (value) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));
  let shownStatus = null;

  function actionButtons(instance) {
    const path = (verb) => "/api/instances/" + encodeURIComponent(id) + "/" + verb;
    const buttons = [];
    const after = () => FF.refresh();
    if (instance.status === "Failed") {
      buttons.push(el("button", { class: "primary", id: "rewind-button", text: "Rewind", onclick: () =>
        FF.act(outcome, "Rewind " + id + "?", "Only its failed activities run again; every completed one keeps its result.",
          path("rewind"), { reason: "rewound from the dashboard" }, after) }));
    }
    if (instance.status === "Running" || instance.status === "Pending") {
      buttons.push(el("button", { class: "danger", id: "terminate-button", text: "Terminate", onclick: () =>
        FF.act(outcome, "Terminate " + id + "?", "It stops for good: nothing it scheduled is undone, and it cannot be rewound.",
          path("terminate"), { reason: "terminated from the dashboard" }, after) }));
    }
    if (["Completed", "Failed", "Terminated"].includes(instance.status)) {
      buttons.push(el("button", { class: "danger", id: "purge-button", text: "Purge", onclick: () =>
        FF.act(outcome, "Purge " + id + "?", "Its history, status and payload blobs are deleted; this cannot be undone.",
          path("purge"), {}, () => { location.hash = "#/instances"; }) }));
    }
    if (!FF.session.actions) {
      return buttons.length ? [el("span", { class: "muted", text: "Actions are off (fanfold dashboard --allow-actions)." })] : [];
    }
    return buttons;
  }

  async function refresh() {
    const data = await FF.api("/api/instances/" + encodeURIComponent(id));
    const i = data.instance;
    title.replaceChildren(i.name + " ", FF.badge(i.status));
    facts.replaceChildren(...fact("Instance", i.instance), ...fact("Created", FF.time(i.created) + " UTC"),
      ...fact("Updated", FF.time(i.last_updated) + " UTC"),
      ...fact("Completed", i.completed ? FF.time(i.completed) + " UTC" : "-"),
      ...fact("Events", String(i.history_length)));
    const parts = [];
    if (i.custom_status !== undefined) parts.push(el("h2", { text: "Custom status" }), el("pre", { id: "custom-status", text: json(i.custom_status) }));
    failureBox.replaceChildren(...(i.failure ? [el("div", { class: "failure", id: "instance-failure" },
      el("strong", { text: (i.failure.type || "Failure") + ": " }), json(i.failure.message || i.failure))] : []));
    if (i.output !== undefined) parts.push(el("h2", { text: "Output" }), el("pre", { id: "instance-output", text: json(i.output) }));
    if (i.input !== undefined) parts.push(el("h2", { text: "Input" }), el("pre", { text: json(i.input) }));
    details.replaceChildren(...parts);
    if (shownStatus !== i.status) {  // rebuilt only on a change, so a click is never lost
      actions.replaceChildren(...actionButtons(i));
      shownStatus = i.status;
    }
    const now = FF.ms(data.now);
    timeline.replaceChildren(FF.historyChart(data.history, now));
    const t0 = data.history.length ? Math.min(...data.history.map((e) => e.ts)) : 0;
    events.replaceChildren(...data.history.map((e) => el("tr", { dataset: { type: e.type } },
      el("td", { class: "num", text: ((e.ts - t0) / 1e6).toFixed(3) }), el("td", { text: e.type }),
      el("td", { text: e.task === undefined ? "" : String(e.task) }), el("td", { text: e.name || "" }),
      el("td", { class: "file", text: e.failure ? json(e.failure) : (e.payload || "").slice(0, 200) }))));
  }
  return { refresh };
};
