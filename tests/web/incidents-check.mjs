// Arms a MARK trigger from the web page, presses the simulated MARK, waits for the incident to be listed complete,
// and downloads it through its link with the page's own login. Prints one JSON line.
// usage: node incidents-check.mjs BASE_URL TOKEN
import { launch, logIn } from "./browser.mjs";

const [base, token] = process.argv.slice(2);
const browser = await launch();
const result = { consoleErrors: [] };
try {
  const { page } = await logIn(browser, base, token);
  page.on("console", m => { if (m.type() === "error") result.consoleErrors.push(m.text()); });
  await page.fill("#triggers", "marked: event=mark; pre=2s; post=1s");
  await page.click("#trigger-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("state").textContent.startsWith("capturing"), null, { timeout: 10000 });
  await page.waitForTimeout(2500);
  await page.click("#press-mark");
  await page.waitForFunction(() => [...document.querySelectorAll("#incidents tbody tr")].some(r => r.cells[1].textContent === "marked" && r.cells[4].textContent.startsWith("complete")), null, { timeout: 20000 });
  result.rows = await page.$$eval("#incidents tbody tr", rows => rows.map(r => [...r.cells].map(c => c.textContent)));
  const href = await page.$eval("#incidents tbody tr a", a => a.getAttribute("href"));
  const download = await page.request.get(base + href);
  const body = await download.body();
  result.download = { status: download.status(), bytes: body.length, magic: body.subarray(0, 4).toString("hex") };
  result.armed = await page.inputValue("#triggers");
  result.consoleErrorsBeforeBadRule = [...result.consoleErrors];
  const bad = await page.fill("#triggers", "oops: filter=tcp port nonsense").then(() => page.click("#trigger-form button[type=submit]"));
  await page.waitForFunction(() => document.getElementById("trigger-error").textContent.length > 0, null, { timeout: 10000 });
  result.badRuleError = await page.textContent("#trigger-error");
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
