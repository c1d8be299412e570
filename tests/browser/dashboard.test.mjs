// The dashboard in a real headless Chromium, as a person uses it (started by
// tests/dashboard/dashboard_browser_test.cpp, which prepares the jobs and the dashboard):
//  1. the jobs list shows the hostile file name as text, and no script runs;
//  2. a job uploaded while the page is open is followed to Completed without reloading, and
//     its page shows the numbers `fanfold result --json` prints;
//  3. filters narrow the list; an instance's timeline opens;
//  4. the failed job is retried through its button and completes;
// and screenshots of the main pages are written to SCREENSHOT_DIR.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import puppeteer from "puppeteer-core";

const env = process.env;
const base = env.DASHBOARD_URL;
const deployment = env.FANFOLD_DEPLOYMENT.split(" ");
const hostileName = "acme/<img src=x onerror=alert(1)>.tbl";
const shots = env.SCREENSHOT_DIR;
mkdirSync(shots, { recursive: true });
const t0 = Date.now();

function fanfold(...args) {
  return execFileSync(env.FANFOLD_BINARY, [...args, ...deployment], { encoding: "utf8" });
}
function check(condition, message) {
  if (!condition) throw new Error("check failed: " + message);
}
async function step(name, body) {
  const start = Date.now();
  await body();
  console.log(`ok  ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
}
// "-123.45" from cents, exactly.
function money(cents) {
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;
  return (negative ? "-" : "") + (magnitude / 100n).toString() + "." +
    (magnitude % 100n).toString().padStart(2, "0");
}

const browser = await puppeteer.launch({
  executablePath: env.CHROMIUM,
  headless: true,
  // No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
});
let failure = null;
const alerts = [];
const pageErrors = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("dialog", async (dialog) => { alerts.push(dialog.message()); await dialog.dismiss(); });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  // Anything leaving this origin would be a CDN or a leak: the page must need nothing else.
  const foreign = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith("data:")) foreign.push(request.url());
  });

  await step("jobs list renders the hostile file name as text", async () => {
    await page.goto(base + "#/jobs", { waitUntil: "networkidle0" });
    await page.waitForSelector(`tr[data-job="${env.HOSTILE_JOB}"]`);
    const cell = await page.$eval(`tr[data-job="${env.HOSTILE_JOB}"] td.file`, (td) => td.textContent);
    check(cell === hostileName, "file cell shows " + JSON.stringify(cell));
    check((await page.$$("main img")).length === 0, "an <img> element was created from a name");
    await page.evaluate(() => { window.__sameDocument = true; });
  });

  let liveJob = "";
  await step("a new upload is followed to Completed without reloading", async () => {
    liveJob = fanfold("upload", env.SAMPLE_FILE, "--pipeline", "orchestrated", "--chunks", "6").trim().split("\n")[0];
    check(/^[a-z0-9-]+$/.test(liveJob), "upload printed " + liveJob);
    const link = `tr[data-job="${liveJob}"] a`;
    await page.waitForSelector(link, { timeout: 20000 });  // auto-refresh brings the row
    await page.click(link);  // a hash change: same document
    await page.waitForSelector("#job-title .badge.Completed", { timeout: 40000 });
    await page.waitForSelector("#result-table tbody tr");
    check(await page.evaluate(() => window.__sameDocument === true), "the page was reloaded");
  });

  await step("the job page shows the numbers of `fanfold result --json`", async () => {
    // Means keep their two decimals as text; sums are exact integers (BigInt).
    const text = fanfold("result", liveJob, "--json")
      .replace(/"mean": (-?\d+\.\d+)/g, '"mean": "$1"')
      .replace(/"sum_cents": (-?\d+)/g, '"sum_cents": "$1"');
    const expected = JSON.parse(text);
    const shown = await page.$$eval("#result-table tbody tr", (rows) => rows.map((row) =>
      [...row.children].map((td) => td.textContent)));
    check(shown.length === expected.nations.length, `${shown.length} nation rows shown`);
    expected.nations.forEach((nation, i) => {
      const [key, rows, sum, mean] = shown[i];
      check(Number(key) === nation.nation, `nation ${key}`);
      check(Number(rows.replaceAll(",", "")) === nation.rows, `rows of nation ${key}: ${rows}`);
      check(sum === money(BigInt(nation.sum_cents)), `sum of nation ${key}: ${sum}`);
      check(mean === nation.mean, `mean of nation ${key}: ${mean} vs ${nation.mean}`);
    });
    const bars = await page.$$eval("#gantt rect", (rects) => rects.map((r) => r.dataset.kind));
    check(bars.filter((k) => k === "run").length >= 7, "a run bar for the job and each chunk");
    check(bars.includes("wait"), "queue wait is drawn");
    await page.screenshot({ path: `${shots}/dashboard-job.png`, fullPage: true });
  });

  await step("filters narrow the list", async () => {
    await page.goto(base + "#/jobs", { waitUntil: "networkidle0" });
    await page.select("select[name=state]", "Failed");
    await page.waitForFunction((job) => {
      const rows = [...document.querySelectorAll("#jobs-body tr[data-job]")];
      return rows.length === 1 && rows[0].dataset.job === job;
    }, { timeout: 10000 }, env.FAILED_JOB);
    await page.click("#job-filters button");  // Clear filters
    await page.type("input[name=tenant]", "acme");
    await page.waitForFunction((job) => {
      const rows = [...document.querySelectorAll("#jobs-body tr[data-job]")];
      return rows.length === 1 && rows[0].dataset.job === job;
    }, { timeout: 10000 }, env.HOSTILE_JOB);
    await page.click("#job-filters button");
    await page.waitForFunction(() => document.querySelectorAll("#jobs-body tr[data-job]").length === 3,
      { timeout: 10000 });
    await page.screenshot({ path: `${shots}/dashboard-jobs.png`, fullPage: true });
  });

  await step("an orchestration's timeline opens", async () => {
    await page.goto(base + "#/instances", { waitUntil: "networkidle0" });
    await page.type("input[name=prefix]", env.FAILED_JOB);
    await page.waitForFunction((job) => {
      const rows = [...document.querySelectorAll("#instances-body tr[data-instance]")];
      return rows.length === 1 && rows[0].dataset.instance === job && rows[0].dataset.status === "Failed";
    }, { timeout: 10000 }, env.FAILED_JOB);
    await page.click(`tr[data-instance="${env.FAILED_JOB}"] a`);
    await page.waitForSelector("#timeline rect[data-kind=failed]", { timeout: 10000 });
    await page.waitForSelector("#instance-failure");
    await page.screenshot({ path: `${shots}/dashboard-instance.png`, fullPage: true });
  });

  await step("the failed job is retried through its button and completes", async () => {
    await page.goto(base + "#/job/" + env.FAILED_JOB, { waitUntil: "networkidle0" });
    await page.waitForSelector("#retry-button");
    const plan = await page.$eval("#retry-plan", (node) => node.textContent);
    check(plan.includes("chunks 2"), "the retry plan names chunk 2: " + plan);
    await page.screenshot({ path: `${shots}/dashboard-failed-job.png`, fullPage: true });
    await page.click("#retry-button");
    await page.waitForSelector("dialog#confirm[open]");
    await page.click("#confirm-ok");
    await page.waitForSelector("#job-action .toast:not(.error)", { timeout: 10000 });
    await page.waitForSelector("#job-title .badge.Completed", { timeout: 40000 });
    await page.waitForSelector("#result-table tbody tr");
  });

  await step("the hostile job's own page shows its name as text", async () => {
    await page.goto(base + "#/job/" + env.HOSTILE_JOB, { waitUntil: "networkidle0" });
    await page.waitForSelector("#job-title .badge");
    const title = await page.$eval("#job-title", (h1) => h1.textContent);
    check(title.startsWith(hostileName), "title " + JSON.stringify(title));
    check((await page.$$("main img")).length === 0, "an <img> element was created from a name");
  });

  check(alerts.length === 0, "a dialog opened: " + alerts.join("; "));
  check(pageErrors.length === 0, "errors in the page: " + pageErrors.join("; "));
  check(foreign.length === 0, "requests left the dashboard's origin: " + foreign.join(", "));
} catch (error) {
  failure = error;
} finally {
  await browser.close();
}
console.log(`browser steps took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (failure) {
  console.error(failure.stack || String(failure));
  process.exit(1);
}
