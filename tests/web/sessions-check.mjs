// Loads the box's web page in headless Chromium, logs in, and reads the mirror sessions table and the collector's
// totals as a field engineer sees them. Prints one JSON line.
// usage: node sessions-check.mjs BASE_URL TOKEN
import { chromium } from "playwright-core";

const [base, token] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + "/");
  await page.fill("input[name=token]", token);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  await page.waitForFunction(() => document.querySelectorAll("#sessions tbody tr").length > 0, null, { timeout: 15000 });
  result.visible = await page.isVisible("#collector");
  result.sessions = await page.$$eval("#sessions tbody tr", rows => rows.map(r => [...r.cells].map(c => c.textContent)));
  result.totals = await page.textContent("#collector-totals");
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
