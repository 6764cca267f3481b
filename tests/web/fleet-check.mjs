// Loads a box's web page in headless Chromium, logs in, follows a VM with the page's own form (and tries a wrong
// MAC first), then waits until the fleet table shows the VM on WANT_BOX. Prints one JSON line of what it saw.
// usage: node fleet-check.mjs BASE_URL TOKEN MAC WANT_BOX
import { launch, logIn } from "./browser.mjs";

const [base, token, mac, wantBox] = process.argv.slice(2);
const browser = await launch();
const result = {};
try {
  const { page } = await logIn(browser, base, token);
  await page.waitForFunction(() => !document.getElementById("fleet").hidden, null, { timeout: 15000 });
  result.site = await page.textContent("#fleet-site");
  await page.fill("#follow-mac", "not-a-mac");
  await page.click("#follow-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("follow-error").textContent.length > 0, null, { timeout: 15000 });
  result.followError = await page.textContent("#follow-error");
  await page.fill("#follow-mac", mac);
  await page.click("#follow-form button[type=submit]");
  await page.waitForFunction(([m, b]) => [...document.querySelectorAll("#followed tbody tr")].some(r => r.cells[0].textContent === m && r.cells[1].textContent.startsWith(b + " port")), [mac, wantBox], { timeout: 20000 });
  result.followed = await page.$$eval("#followed tbody tr", rows => rows.map(r => [...r.cells].map(c => c.textContent)));
  result.boxes = await page.$$eval("#boxes tbody tr", rows => rows.map(r => [...r.cells].map(c => c.textContent)));
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
