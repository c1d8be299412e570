// The jobs list: filters, sortable columns, paging and totals per tenant. Filters live in the
// address; a refresh redraws only the rows, so typing, focus and scroll survive it.
"use strict";

FF.pages.jobs = function (main, route) {
  const el = FF.el;
  const params = route.params;
  const columns = [
    ["job", "Job"], ["file", "File"], ["tenant", "Tenant"], ["pipeline", "Pipeline"],
    ["state", "State"], [null, "Chunks ✓/✗/Σ", "num"], ["rows", "Rows", "num"],
    ["rejected", "Rejects", "num"], ["created", "Started"], ["duration", "Duration", "num"],
  ];
  if (!params.get("sort")) params.set("sort", "created");
  if (!params.get("order")) params.set("order", "desc");

  // datetime-local inputs hold UTC times here (the page shows UTC everywhere).
  const toIso = (value) => (value ? value + (value.length === 16 ? ":00Z" : "Z") : "");
  const fromIso = (iso) => (iso ? iso.slice(0, 16) : "");
  const field = (label, input) => el("label", {}, label, input);
  const text = (name, placeholder) =>
    el("input", { type: "search", name, placeholder, value: params.get(name) || "" });
  const select = (name, options) => {
    const node = el("select", { name }, options.map(([value, label]) =>
      el("option", { value, text: label })));
    node.value = params.get(name) || "";
    return node;
  };
  const state = select("state", [["", "any"], ["Queued", "Queued"], ["Running", "Running"],
    ["Completed", "Completed"], ["Failed", "Failed"], ["Refused", "Refused"]]);
  const pipeline = select("pipeline", [["", "both"], ["orchestrated", "orchestrated"],
    ["chained", "chained"]]);
  const tenant = text("tenant", "any tenant");
  const file = text("file", "name contains");
  const from = el("input", { type: "datetime-local", name: "from", value: fromIso(params.get("from")) });
  const to = el("input", { type: "datetime-local", name: "to", value: fromIso(params.get("to")) });
  const limit = select("limit", [["50", "50"], ["100", "100"], ["500", "500"]]);
  if (!params.get("limit")) limit.value = "50";
  const clear = el("button", { type: "button", text: "Clear filters" });

  const filters = el("form", { class: "filters", id: "job-filters", onsubmit: (e) => e.preventDefault() },
    field("State", state), field("Pipeline", pipeline), field("Tenant", tenant),
    field("File", file), field("Created from (UTC)", from), field("to", to),
    field("Per page", limit), clear);

  const head = el("tr", {}, columns.map(([key, label, cls]) => {
    const th = el("th", { class: [cls, key ? "sortable" : ""].join(" ").trim(), text: label });
    if (key) {
      th.dataset.sort = key;
      th.addEventListener("click", () => {
        const same = params.get("sort") === key;
        params.set("sort", key);
        params.set("order", same && params.get("order") === "desc" ? "asc" : "desc");
        params.set("offset", "0");
        apply();
      });
    }
    return th;
  }));
  const body = el("tbody", { id: "jobs-body" });
  const summary = el("span", { class: "muted", id: "jobs-summary" });
  const prev = el("button", { type: "button", text: "‹ Previous" });
  const next = el("button", { type: "button", text: "Next ›" });
  const tenantsBody = el("tbody", { id: "tenants-body" });

  main.append(
    el("h1", { text: "Jobs" }), filters,
    el("table", { id: "jobs" }, el("thead", {}, head), body),
    el("div", { class: "pager" }, prev, next, summary),
    el("h2", { text: "Totals per tenant (jobs matching the filters)" }),
    el("table", { id: "tenants" }, el("thead", {}, el("tr", {},
      ["Tenant", "Files", "Bytes", "Rows", "Rejects", "Failed", "Refused", "Queued", "Running",
       "Completed", "Mean rate"].map((h, i) => el("th", { class: i ? "num" : "", text: h })))),
      tenantsBody));

  function readFilters() {
    for (const input of [state, pipeline, tenant, file, limit]) {
      if (input.value) params.set(input.name, input.value); else params.delete(input.name);
    }
    for (const input of [from, to]) {
      if (input.value) params.set(input.name, toIso(input.value)); else params.delete(input.name);
    }
  }
  function apply() {
    FF.setParams(params);
    FF.refresh();
  }
  let typing = null;
  filters.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { readFilters(); params.set("offset", "0"); apply(); }, 250);
  });
  clear.addEventListener("click", () => {
    for (const input of [state, pipeline, tenant, file, from, to]) input.value = "";
    readFilters();
    params.set("offset", "0");
    apply();
  });
  prev.addEventListener("click", () => {
    params.set("offset", String(Math.max(0, Number(params.get("offset") || 0) - Number(limit.value))));
    apply();
  });
  next.addEventListener("click", () => {
    params.set("offset", String(Number(params.get("offset") || 0) + Number(limit.value)));
    apply();
  });

  function chunksCell(job) {
    const p = job.progress;
    if (p.approximate) return "~" + p.done + "/?/" + p.total;
    const failed = ["Completed", "Failed", "Refused"].includes(job.state) ? job.chunks_failed : p.failing;
    return p.done + "/" + failed + "/" + p.total;
  }

  async function refresh() {
    const query = new URLSearchParams(params);
    if (!query.get("limit")) query.set("limit", limit.value);
    const data = await FF.api("/api/jobs?" + query.toString());
    for (const th of head.children) {
      const sorted = th.dataset.sort === params.get("sort");
      th.classList.toggle("sorted", sorted);
      th.classList.toggle("asc", sorted && params.get("order") === "asc");
    }
    const rows = data.jobs.map((job) => el("tr", { dataset: { job: job.job, state: job.state } },
      el("td", {}, el("a", { href: "#/job/" + encodeURIComponent(job.job), text: job.job })),
      el("td", { class: "file", text: job.file }),
      el("td", { text: job.tenant || "—" }),
      el("td", { text: job.pipeline }),
      el("td", {}, FF.badge(job.state)),
      el("td", { class: "num", text: chunksCell(job) }),
      el("td", { class: "num", text: FF.number(job.rows) }),
      el("td", { class: "num", text: FF.number(job.rejected) }),
      el("td", { text: FF.time(job.created) }),
      el("td", { class: "num", text: FF.duration(job.elapsed_s) })));
    if (!rows.length) {
      rows.push(el("tr", {}, el("td", { colspan: columns.length, class: "muted",
        text: data.total === 0 && !location.hash.includes("=") ? "No jobs yet: `fanfold upload FILE` starts one."
          : "No job matches these filters." })));
    }
    body.replaceChildren(...rows);
    const first = data.total ? data.offset + 1 : 0;
    summary.textContent = first + "–" + (data.offset + data.jobs.length) + " of " + data.total + " jobs";
    prev.disabled = data.offset === 0;
    next.disabled = data.offset + data.jobs.length >= data.total;
    tenantsBody.replaceChildren(...data.tenants.map((t) => el("tr", {},
      el("td", { text: t.tenant || "(no tenant)" }),
      ...[t.files, t.bytes, t.rows, t.rejected, t.failed, t.refused, t.queued, t.running,
          t.completed].map((n) => el("td", { class: "num", text: FF.number(n) })),
      el("td", { class: "num", text: t.completed_seconds > 0
        ? (t.mean_bytes_per_second / 1048576).toFixed(2) + " MiB/s" : "-" }))));
  }
  return { refresh };
};
