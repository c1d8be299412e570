// SVG charts drawn with DOM calls (no markup strings, no library): the chunk Gantt chart, whose
// bars separate waiting in a queue from running, and an instance's history timeline.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const COLORS = { wait: "#e3b341", run: "#0969da", failed: "#cf222e", timer: "#8250df",
                   done: "#1a7f37" };

  // Ticks at 1/2/5 x 10^k seconds, about `count` of them.
  function ticks(span, count) {
    const raw = span / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw || 1)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
    const out = [];
    for (let t = 0; t <= span + 1e-9; t += step) out.push(t);
    return out;
  }
  // 0.05 -> "0.05 s", 2 -> "2 s": as many decimals as the tick step needs, no repeated labels.
  const seconds = (t) => String(Number(t.toFixed(3))) + " s";

  // rows: [{label, segments: [{from, to, kind, title}]}] with times in ms since the epoch; t0 the
  // origin of the axis. Returns an <svg>.
  function timeChart(rows, t0, t1, options) {
    // Wide enough for the longest label (about 6.5 px a character at 11 px).
    const longest = Math.max(4, ...rows.map((row) => row.label.length));
    const labelWidth = Math.min(260, 12 + Math.ceil(longest * 6.5));
    const width = Math.max(600, options.width || 900);
    const plot = width - labelWidth - 20;
    const rowHeight = rows.length > 60 ? Math.max(4, Math.floor(600 / rows.length)) : 18;
    const gap = rowHeight >= 12 ? 4 : 1;
    const top = 24;
    const height = top + rows.length * rowHeight + 8;
    const span = Math.max((t1 - t0) / 1000, 0.001);
    const x = (t) => labelWidth + ((t - t0) / 1000 / span) * plot;
    const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`,
                               role: "img", "aria-label": options.label });
    for (const t of ticks(span, 8)) {
      const px = labelWidth + (t / span) * plot;
      chart.append(svg("line", { x1: px, x2: px, y1: top - 4, y2: height - 8, class: "axis" }));
      chart.append(svg("text", { x: px, y: 14, "text-anchor": "middle" }, seconds(t)));
    }
    rows.forEach((row, i) => {
      const y = top + i * rowHeight;
      if (rowHeight >= 12) {
        chart.append(svg("text", { x: labelWidth - 6, y: y + rowHeight - 6, "text-anchor": "end" },
                         row.label));
      }
      for (const segment of row.segments) {
        if (!(segment.to >= segment.from)) continue;
        const rect = svg("rect", { x: x(segment.from), y: y + gap / 2,
          width: Math.max(1, x(segment.to) - x(segment.from)), height: rowHeight - gap,
          fill: COLORS[segment.kind], rx: rowHeight >= 12 ? 2 : 0,
          "data-kind": segment.kind });
        rect.append(svg("title", {}, segment.title));
        chart.append(rect);
      }
    });
    return chart;
  }

  const legend = (items) => FF.el("div", { class: "legend" }, items.map(([kind, label]) => {
    const span = FF.el("span", { text: label });
    span.style.setProperty("--c", COLORS[kind]);
    return span;
  }));

  // One job: a "job" row (created -> started is the trigger's hand-off, started -> finished the
  // run), then one row per chunk: queued -> started waiting, started -> ended running.
  FF.ganttChart = function (job, now) {
    const t0 = FF.ms(job.created);
    const end = (iso) => (iso ? FF.ms(iso) : now);
    const rows = [];
    const started = FF.ms(job.started);
    rows.push({ label: "job", segments: [
      { from: t0, to: started, kind: "wait", title: "queued until a pipeline took it: " +
        ((started - t0) / 1000).toFixed(3) + " s" },
      { from: started, to: end(job.finished), kind: job.state === "Failed" ? "failed" : "run",
        title: "running: " + ((end(job.finished) - started) / 1000).toFixed(3) + " s" }] });
    for (const chunk of job.chunks || []) {
      const queued = FF.ms(chunk.queued), begin = FF.ms(chunk.started);
      const stop = chunk.ended ? FF.ms(chunk.ended) : now;
      const failed = chunk.state !== "Done";
      const segments = [];
      if (queued >= 0 && begin >= 0) {
        segments.push({ from: queued, to: begin, kind: "wait", title: "chunk " + chunk.chunk +
          " waited in the queue " + ((begin - queued) / 1000).toFixed(3) + " s" });
      }
      if (begin >= 0) {
        segments.push({ from: begin, to: stop, kind: failed ? "failed" : "run", title: "chunk " +
          chunk.chunk + (failed ? " failed after " : " ran ") + ((stop - begin) / 1000).toFixed(3) +
          " s on " + chunk.worker + (chunk.error ? ": " + chunk.error : "") });
      }
      rows.push({ label: "chunk " + chunk.chunk, segments });
    }
    let t1 = t0;
    for (const row of rows) for (const s of row.segments) if (s.to > t1) t1 = s.to;
    const chart = timeChart(rows, t0, t1, { label: "chunk timeline", width: 1100 });
    chart.id = "gantt";
    return FF.el("div", {},
      legend([["wait", "waiting in a queue"], ["run", "running"], ["failed", "failed attempt"]]),
      FF.el("div", { class: "chart" }, chart));
  };

  // One instance: a bar per task from TaskScheduled to its answer, and per timer from its
  // creation to its firing; the x axis starts at ExecutionStarted.
  FF.historyChart = function (history, now) {
    if (!history.length) return FF.el("p", { class: "muted", text: "No history yet." });
    const t0 = Math.min(...history.map((event) => event.ts)) / 1000;
    const tasks = new Map();
    for (const event of history) {
      const t = event.ts / 1000;
      if (event.type === "TaskScheduled" || event.type === "TimerCreated") {
        // "mean_balance.aggregate" -> "aggregate": the orchestration's name is the page's title.
        const short = (event.name || "timer").split(".").pop();
        tasks.set(event.task, { label: short + " #" + event.task, from: t,
                                to: null, kind: event.type === "TimerCreated" ? "timer" : "run" });
      } else if (["TaskCompleted", "TaskFailed", "TimerFired"].includes(event.type) && tasks.has(event.task)) {
        const task = tasks.get(event.task);
        task.to = t;
        if (event.type === "TaskFailed") task.kind = "failed";
      }
    }
    const rows = [...tasks.values()].map((task) => ({ label: task.label, segments: [{
      from: task.from, to: task.to === null ? now : task.to, kind: task.kind,
      title: task.label + ": " + (((task.to === null ? now : task.to) - task.from) / 1000).toFixed(3) +
        " s" + (task.to === null ? " (no answer yet)" : "") }] }));
    let t1 = t0;
    for (const event of history) t1 = Math.max(t1, event.ts / 1000);
    for (const row of rows) t1 = Math.max(t1, row.segments[0].to);
    const chart = timeChart(rows, t0, t1, { label: "history timeline", width: 1100 });
    chart.id = "timeline";
    return FF.el("div", {},
      legend([["run", "activity (scheduled → answered)"], ["failed", "activity failed"],
              ["timer", "durable timer"]]),
      FF.el("div", { class: "chart" }, chart));
  };
})();
