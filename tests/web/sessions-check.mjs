// Loads the box's web page in headless Chromium, logs in, and reads the mirror sessions table and the collector's
// totals as a field engineer sees them. Prints one JSON line.
// usage: node sessions-check.mjs BASE_URL TOKEN
import { launch, logIn } from "./browser.mjs";

const [base, token] = process.argv.slice(2);
const browser = await launch();
const result = {};
try {
  const { page } = await logIn(browser, base, token);
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
