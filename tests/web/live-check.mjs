// The page as a field tool, in headless Chromium: after WAIT seconds of simulated traffic it checks the live graphs
// against /api/status, presses MARK on the simulated board and waits for it on the ring's timeline, drags a window
// across the timeline and downloads it, then looks at the page at phone width. Screenshots at 1280 and 390 px.
// Prints one JSON line of what it saw.
// usage: node live-check.mjs BASE_URL TOKEN WAIT_SECONDS WIDE.png PHONE.png DOWNLOAD.pcapng
import { launch, logIn } from "./browser.mjs";

const [base, token, wait, wide, phone, download] = process.argv.slice(2);
const browser = await launch();
const result = { consoleErrors: [], foreignRequests: [] };
const origin = new URL(base).host;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on("request", r => { const u = new URL(r.url()); if (!["data:", "blob:"].includes(u.protocol) && u.host !== origin) result.foreignRequests.push(r.url()); });
  await page.goto(base + "/");
  await page.fill("input[name=token]", token);
  // The login form itself answers 401 (Chromium logs that as an error); from the page on, nothing may be logged.
  page.on("console", m => { if (m.type() === "error") result.consoleErrors.push(m.text()); });
  page.on("pageerror", e => result.consoleErrors.push(String(e)));
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  await page.waitForFunction(() => window.vc && window.vc.connected && Object.keys(window.vc.charts).length >= 2, null, { timeout: 15000 });
  result.firstRenderMs = await page.evaluate(() => window.vc.firstRenderMs);
  result.firstContentfulPaintMs = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await page.waitForTimeout(Number(wait) * 1000);

  // The live graph's last point against the box's own status, read at once.
  result.live = await page.evaluate(async () => {
    // The sample and the chart are read together, before the fetch: a sample that arrives while the status is on
    // its way would otherwise move the chart past the sample read (seen in CI, a second apart).
    const last = window.vc.last;
    const chart = window.vc.charts["A"];
    const chartLastX = chart.data[0].at(-1), chartLastFps = chart.data[1].at(-1), samples = window.vc.samples.length;
    const status = await (await fetch("/api/status")).json();
    const port = status.ports.find(p => p.name === "A");
    const mine = last.ports.find(p => p.name === "A");
    return { intervalMs: 1000, sampleTimeMs: last.timeMs, statusTimeMs: Date.now(), chartLastX, chartLastFps,
      sampleFps: mine.framesPerSecond, sampleReceived: mine.received, statusReceived: port.counters.received, samples };
  });

  await page.screenshot({ path: wide, fullPage: true });

  // MARK on the simulated board: it appears on the timeline.
  await page.click("#press-mark");
  await page.waitForSelector("#timeline line[data-kind=mark]", { state: "attached", timeout: 10000 });
  result.markOnTimeline = await page.locator("#timeline line[data-kind=mark]").count();
  result.filesOnTimeline = await page.locator("#timeline rect[data-kind=file]").count();

  // A window dragged across the middle of the timeline, downloaded with the page's link.
  const box = await page.locator("#timeline").boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.45, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 8 });
  await page.mouse.up();
  result.href = await page.getAttribute("#download", "href");
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  await file.saveAs(download);
  result.windowText = await page.textContent("#window-text");

  // Times are local with milliseconds, UTC on hover.
  result.fileTime = await page.evaluate(() => { const t = document.querySelector("#files time"); return { text: t.textContent, title: t.title }; });

  // The VM table: sorted by a click, filtered by hypervisor; a VM clicked narrows the timeline and the window.
  await page.click("#vms th[data-key=mac]");
  result.macsSorted = await page.$$eval("#vms tbody tr", rows => rows.map(r => r.dataset.mac));
  await page.selectOption("#vm-family", "VMware");
  await page.waitForTimeout(1200);
  result.familiesShown = await page.$$eval("#vms tbody tr td[data-label=hypervisor]", cells => [...new Set(cells.map(c => c.textContent))]);
  result.vmMarkersAll = await page.locator("#timeline line[data-kind=vm]").count();
  const mac = await page.getAttribute("#vms tbody tr", "data-mac");
  await page.click("#vms tbody tr");
  await page.waitForTimeout(300);
  result.selectedVm = mac;
  result.vmMarkersOne = await page.locator("#timeline line[data-kind=vm]").count();
  result.hrefForVm = await page.getAttribute("#download", "href");

  // At phone width nothing needs horizontal scrolling, and every visible button is big enough to press.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(1500);
  result.phone = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    smallButtons: [...document.querySelectorAll("button, a.button")].filter(b => b.offsetParent !== null).map(b => [b.textContent.trim(), b.getBoundingClientRect().height]).filter(([, h]) => h < 40),
  }));
  await page.screenshot({ path: phone, fullPage: true });
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
