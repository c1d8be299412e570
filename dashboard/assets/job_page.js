// One job: live progress, the failure and what a retry would re-run, the per-nation result (the
// exact text of `fanfold result --json`), rejects by reason, and the chunk chart.
"use strict";

FF.pages.job = function (main, route) {
  const el = FF.el;
  const id = route.parts[1];
  const title = el("h1", { id: "job-title", text: id });
  const facts = el("dl", { class: "facts", id: "job-facts" });
  const progress = el("div", { class: "progress", id: "job-progress" });
  const progressText = el("div", { class: "muted", id: "job-progress-text" });
  const failure = el("div", { id: "job-failure" });
  const actionOutcome = el("div", { id: "job-action" });
  const result = el("div", { id: "job-result" });
  const gantt = el("div", { id: "job-gantt" });
  main.append(el("p", {}, el("a", { href: "#/jobs", text: "← all jobs" })), title, facts,
    progress, progressText, failure, actionOutcome,
    el("h2", { text: "Result per nation" }), result,
    el("h2", { text: "Timeline: queue wait and run per chunk" }), gantt);

  const fact = (label, value) => [el("dt", { text: label }), el("dd", {}, value)];

  function renderResult(data) {
    if (!data.result) {
      result.replaceChildren(el("p", { class: "muted", text: data.job.state === "Completed"
        ? "No result stored." : "No result yet: the job is " + data.job.state + "." }));
      return;
    }
    const nations = el("table", { id: "result-table" },
      el("thead", {}, el("tr", {}, ["Nation", "Rows", "Sum", "Mean"].map((h, i) =>
        el("th", { class: i ? "num" : "", text: h })))),
      el("tbody", {}, data.result_display.map((n) => el("tr", { dataset: { nation: n.nation } },
        el("td", { text: String(n.nation) }),
        el("td", { class: "num", text: FF.number(n.rows) }),
        el("td", { class: "num sum", text: n.sum }),
        el("td", { class: "num mean", text: n.mean })))));
    const reasons = Object.entries(data.result.rejects || {});
    const rejects = reasons.length
      ? el("table", { id: "rejects-table" },
          el("thead", {}, el("tr", {}, el("th", { text: "Reason" }), el("th", { class: "num", text: "Rows" }),
            el("th", { text: "First byte offsets" }))),
          el("tbody", {}, reasons.map(([reason, tally]) => el("tr", {},
            el("td", { text: reason }), el("td", { class: "num", text: FF.number(tally.count) }),
            el("td", { text: tally.first_offsets.join(", ") })))))
      : el("p", { class: "muted", text: "No rejected rows." });
    result.replaceChildren(el("div", { class: "cols" },
      el("div", {}, nations, el("p", { class: "muted" },
        "Totals: " + FF.number(data.result.rows) + " rows, " + FF.number(data.result.rejected) +
        " rejected; format " + data.result.format + ". ",
        el("a", { href: "/api/jobs/" + encodeURIComponent(id) + "/result", text: "JSON" }),
        " (as fanfold result --json)")),
      el("div", {}, el("h2", { text: "Rejected rows by reason" }), rejects)));
  }

  async function refresh() {
    const data = await FF.api("/api/jobs/" + encodeURIComponent(id));
    const job = data.job;
    title.replaceChildren(job.file, " ", FF.badge(job.state));
    const file = job.container + "/" + job.file;
    facts.replaceChildren(
      ...fact("Job", job.job), ...fact("File", file + " (" + FF.number(job.size) + " bytes)"),
      ...fact("Tenant", job.tenant || "—"), ...fact("Pipeline", job.pipeline),
      ...fact("Created", FF.time(job.created) + " UTC"),
      ...fact("Finished", job.finished ? FF.time(job.finished) + " UTC" : "-"),
      ...fact("Duration", FF.duration(job.elapsed_s)),
      ...fact("Rows", FF.number(job.rows) + " accepted, " + FF.number(job.rejected) + " rejected"),
      ...(job.pipeline === "orchestrated"
        ? fact("Orchestration", el("a", { href: "#/instance/" + encodeURIComponent(job.job),
                                        text: "instance " + job.job }))
        : []));
    const p = job.progress;
    const total = Math.max(p.total, 1);
    const failing = ["Completed", "Failed", "Refused"].includes(job.state) ? job.chunks_failed : p.failing;
    const done = el("div", { class: "done" });
    done.style.width = (100 * Math.min(p.done, total) / total) + "%";
    const bad = el("div", { class: "failing" });
    bad.style.width = (100 * Math.min(failing, total) / total) + "%";
    progress.replaceChildren(done, bad);
    progressText.textContent = (p.approximate ? "~" : "") + p.done + " of " + p.total +
      " chunks done" + (failing ? ", " + failing + (job.state === "Failed" ? " failed" : " being retried") : "") +
      (p.approximate ? " (approximate: counted from the partials queue)" : "");

    const parts = [];
    if (job.error) parts.push(el("div", { class: "failure", id: "job-error" }, el("strong", { text: "Reason: " }), job.error));
    if (data.retry.possible) {
      const note = el("div", { class: "note", id: "retry-plan" }, el("strong", { text: "Retry: " }), data.retry.summary);
      if (FF.session.actions) {
        note.append(" ", el("button", { class: "primary", id: "retry-button", text: "Retry job", onclick: () =>
          FF.act(actionOutcome, "Retry job " + job.job + "?", data.retry.summary +
            ". Workers must be running to pick it up.", "/api/jobs/" + encodeURIComponent(job.job) + "/retry",
            {}, FF.refresh) }));
      } else {
        note.append(el("span", { class: "muted", text: " (actions are off: fanfold dashboard --allow-actions, or fanfold retry " + job.job + ")" }));
      }
      parts.push(note);
    }
    failure.replaceChildren(...parts);
    renderResult(data);
    const now = FF.ms(data.now);
    gantt.replaceChildren(FF.ganttChart(job, now),
      data.keeps_chunk_rows ? "" : el("p", { class: "muted",
        text: "The " + job.pipeline + " pipeline keeps no chunk rows (it writes the job row at its start and end), " +
              "so only the job's own wait and run are drawn." }));
  }
  return { refresh };
};
