// Loads every dashboard page in headless Chromium (Debian's, driven by playwright-core), waits until
// Streamlit has finished running it and its charts are drawn, and prints one JSON object:
// {page: {text, errors, charts, screenshot}}. Errors are console errors, uncaught page errors,
// Streamlit exception/error boxes and any request leaving 127.0.0.1 (the dashboard must work offline).
// Usage: node dashboard/browser_check.mjs <base url> <screenshot dir> <default page> [<page> …]
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [baseUrl, outDir, ...pages] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = {};
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN" });
  const page = await context.newPage();
  let errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on("request", (request) => {
    const host = new URL(request.url()).hostname;
    if (!["127.0.0.1", "localhost"].includes(host) && !request.url().startsWith("data:")) {
      errors.push(`request leaves the machine: ${request.url()}`);
    }
  });
  // The first page is the app's default (its URL is the base URL); the others are reached as a
  // person does, through the sidebar navigation.
  for (const [position, name] of pages.entries()) {
    errors = [];
    if (position === 0) {
      await page.goto(baseUrl, { waitUntil: "domcontentloaded", timeout: 60000 });
    } else {
      const previous = results[pages[position - 1]].title;
      await page.locator(`[data-testid="stSidebarNav"] a[href$="/${name}"]`).click();
      await page.waitForURL(`**/${name}`, { timeout: 30000 });
      await page.waitForFunction((title) => {
        const heading = document.querySelector('[data-testid="stMain"] h1');
        return heading && heading.innerText.trim() !== title;
      }, previous, { timeout: 60000 });
    }
    await page.waitForSelector('[data-testid="stMain"] h1', { timeout: 60000 });
    // Finished = the script has stopped running for a full second, and every chart is drawn.
    await page.waitForFunction(() => {
      const app = document.querySelector('[data-testid="stApp"]');
      const idle = app && app.getAttribute("data-test-script-state") === "notRunning";
      const now = Date.now();
      window.__idleSince = idle ? (window.__idleSince || now) : 0;
      const charts = [...document.querySelectorAll(".vega-embed")];
      const drawn = charts.every((chart) => chart.querySelector("canvas, svg"));
      return idle && drawn && now - window.__idleSince > 1000;
    }, null, { timeout: 90000, polling: 200 });
    for (const box of await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').all()) {
      errors.push(`streamlit: ${(await box.innerText()).slice(0, 500)}`);
    }
    const screenshot = `${outDir}/${name}.png`;
    await page.screenshot({ path: screenshot, fullPage: true });
    results[name] = {
      url: page.url(),
      title: (await page.locator('[data-testid="stMain"] h1').first().innerText()).trim(),
      text: await page.locator('[data-testid="stMain"]').innerText(),
      charts: await page.locator(".vega-embed").count(),
      errors,
      screenshot,
    };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
