// The dashboard's shell: DOM helpers, the API client, the router and auto-refresh.
// Every value from storage (file, tenant and job names, error texts) reaches the page as a text
// node (FF.el's string children, textContent), never as HTML: a file named
// `<img src=x onerror=alert(1)>.tbl` shows as those characters.
"use strict";

const FF = (window.FF = {});

// el("td", {class: "num"}, "12", child) -> <td class="num">12<child/></td>. Strings become text.
FF.el = function (tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

FF.session = { actions: false, token_required: false, csrf: "" };
FF.token = sessionStorage.getItem("fanfold-token") || "";

FF.api = async function (path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: "unreadable answer" }));
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
};

FF.post = async function (path, payload) {
  const headers = { "Content-Type": "application/json", "X-Fanfold-Csrf": FF.session.csrf };
  if (FF.token) headers.Authorization = "Bearer " + FF.token;
  const response = await fetch(path, {
    method: "POST", headers, body: JSON.stringify(payload || {}), credentials: "same-origin",
  });
  const body = await response.json().catch(() => ({ error: "unreadable answer" }));
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
};

// "2026-12-05T09:10:41.1234567Z" -> "2026-12-05 09:10:41" (UTC, as the CLI prints).
FF.time = function (iso) {
  return iso ? iso.slice(0, 10) + " " + iso.slice(11, 19) : "-";
};
FF.ms = function (iso) {
  return iso ? Date.parse(iso) : NaN;
};
FF.duration = function (seconds) {
  if (!(seconds >= 0)) return "-";
  if (seconds < 60) return seconds.toFixed(1) + " s";
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return m + " min " + s + " s";
  return Math.floor(m / 60) + " h " + (m % 60) + " min";
};
FF.number = function (n) {
  return typeof n === "number" ? n.toLocaleString("en-US") : String(n);
};
FF.badge = function (state) {
  return FF.el("span", { class: "badge " + state, text: state });
};

// Query parameters of the current hash ("#/jobs?state=Failed").
FF.route = function () {
  const hash = location.hash.replace(/^#/, "") || "/jobs";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent),
           params: new URLSearchParams(query || "") };
};
// Keeps the filters in the address (a reload or a shared link shows the same list) without
// re-mounting the page: replaceState fires no hashchange.
FF.setParams = function (params) {
  const path = location.hash.replace(/^#/, "").split("?")[0] || "/jobs";
  const query = params.toString();
  history.replaceState(null, "", "#" + path + (query ? "?" + query : ""));
};

FF.banner = function (message) {
  const banner = document.getElementById("banner");
  banner.textContent = message || "";
  banner.hidden = !message;
};

// A confirmation with its consequences spelled out; asks for the token when actions need one.
FF.confirm = function (title, text) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  const tokenRow = document.getElementById("confirm-token-row");
  const tokenInput = document.getElementById("confirm-token");
  tokenRow.hidden = !FF.session.token_required;
  tokenInput.value = FF.token;
  return new Promise((resolve) => {
    dialog.addEventListener("close", function done() {
      dialog.removeEventListener("close", done);
      const ok = dialog.returnValue === "ok";
      if (ok && FF.session.token_required) {
        FF.token = tokenInput.value;
        sessionStorage.setItem("fanfold-token", FF.token);
      }
      resolve(ok);
    });
    dialog.showModal();
  });
};

// Runs an action after confirmation and shows its outcome in `where`.
FF.act = async function (where, title, text, path, payload, after) {
  if (!(await FF.confirm(title, text))) return;
  try {
    const answer = await FF.post(path, payload);
    where.replaceChildren(FF.el("div", { class: "toast", text: answer.message }));
    if (after) after();
  } catch (error) {
    where.replaceChildren(FF.el("div", { class: "toast error", text: error.message }));
  }
};

FF.pages = {};
let current = null;
let refreshing = false;

async function refresh() {
  if (!current || refreshing) return;
  refreshing = true;
  try {
    await current.refresh();
    FF.banner("");
    document.getElementById("updated").textContent =
      "updated " + new Date().toISOString().slice(11, 19) + " UTC";
  } catch (error) {
    FF.banner(error.message);
  } finally {
    refreshing = false;
  }
}
FF.refresh = refresh;

function mount() {
  const route = FF.route();
  const name = route.parts[0] || "jobs";
  const page = FF.pages[name] || FF.pages.jobs;
  const main = document.getElementById("main");
  main.replaceChildren();
  for (const link of document.querySelectorAll("[data-nav]")) {
    const section = name === "job" ? "jobs" : name === "instance" ? "instances" : name;
    link.classList.toggle("active", link.dataset.nav === section);
  }
  current = page(main, route);
  refresh();
}

document.addEventListener("DOMContentLoaded", async () => {
  try {
    FF.session = await FF.api("/api/session");
  } catch (error) {
    FF.banner(error.message);
  }
  window.addEventListener("hashchange", mount);
  mount();
  // Auto-refresh redraws the data in place: filters, focus and scroll position stay.
  setInterval(() => {
    if (document.getElementById("auto-refresh").checked && !document.hidden) refresh();
  }, 2000);
});
