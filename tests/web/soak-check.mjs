// Leaves the page open for SECONDS with its live event stream, as an engineer leaves a tab open at the rack; then
// says whether the stream is still alive and how many updates came. Prints one JSON line.
// usage: node soak-check.mjs BASE_URL TOKEN SECONDS
import { launch, logIn } from "./browser.mjs";

const [base, token, seconds] = process.argv.slice(2);
const browser = await launch();
const result = {};
try {
  const { page } = await logIn(browser, base, token);
  await page.evaluate(() => {
    window.updates = 0;
    const source = new EventSource("/api/events/live");
    source.addEventListener("update", ev => { window.updates += JSON.parse(ev.data).samples.length; });
  });
  await page.waitForTimeout(Number(seconds) * 1000);
  result.connected = await page.evaluate(() => window.vc.connected);
  result.samplesKept = await page.evaluate(() => window.vc.samples.length);
  result.lastAgeMs = await page.evaluate(() => Date.now() - window.vc.last.timeMs);
  result.updates = await page.evaluate(() => window.updates);
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
