// Debian's headless Chromium as the page checks start it, and the login a field engineer does first.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Opens the page, answers the login form with the token; returns the page and the status of the first load (401).
export async function logIn(browser, base, token) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const first = await page.goto(base + "/");
  await page.fill("input[name=token]", token);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  return { page, status: first.status() };
}
