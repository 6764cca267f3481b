// Loads the box's web page in headless Chromium as a field engineer would: log in with the token, read the state,
// stop and start the capture with the buttons, and take a screenshot. Prints one JSON line of what it saw.
// usage: node page-check.mjs BASE_URL TOKEN SCREENSHOT.png
import { launch, logIn } from "./browser.mjs";

const [base, token, screenshot] = process.argv.slice(2);
const browser = await launch();
const result = {};
try {
  const { page, status } = await logIn(browser, base, token);
  result.loginStatus = status;
  await page.waitForFunction(() => document.getElementById("state").textContent.startsWith("capturing"), null, { timeout: 15000 });
  result.stateBefore = await page.textContent("#state");
  result.ledCount = await page.locator(".led").count();
  await page.waitForFunction(() => document.querySelectorAll("#files tbody tr").length > 0, null, { timeout: 15000 });
  result.files = await page.locator("#files tbody tr").count();
  await page.waitForFunction(() => document.querySelectorAll("#vms tbody tr").length > 0, null, { timeout: 15000 });
  result.vms = await page.locator("#vms tbody tr").count();
  result.capacity = await page.textContent("#capacity");
  await page.waitForFunction(() => document.getElementById("settings").textContent.length > 0, null, { timeout: 15000 });
  result.settings = await page.textContent("#settings");
  result.firstDownload = await page.locator("#files tbody a").first().getAttribute("href");
  await page.click("#stop");
  await page.waitForFunction(() => document.getElementById("state").textContent.startsWith("idle"), null, { timeout: 15000 });
  result.stateAfterStop = await page.textContent("#state");
  await page.fill("#filter", "udp and portt 53");
  await page.click("#filter-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("filter-error").textContent.length > 0, null, { timeout: 15000 });
  result.filterError = await page.textContent("#filter-error");
  await page.click("#start");
  await page.waitForFunction(() => document.getElementById("state").textContent.startsWith("capturing"), null, { timeout: 15000 });
  result.stateAfterStart = await page.textContent("#state");
  await page.waitForTimeout(1200);
  result.litLeds = await page.locator(".led i.on").count();
  result.ports = await page.locator("#ports tbody tr").count();
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
