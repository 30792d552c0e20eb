// Opens a page from disk in headless Chromium (Debian's, driven by playwright-core), recording
// every console error and every request other than the page itself, which is refused.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.FLOW_CHROMIUM ?? '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  /** URLs the page asked for besides itself (each was refused). */
  requests: string[];
  close(): Promise<void>;
}

let browser: Promise<Browser> | undefined;

/** The one browser of this test file; closed by closeBrowser(). A missing Chromium fails the test. */
function launch(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: run \`node scripts/setup-browser.mjs\` (npm run setup does), or set FLOW_CHROMIUM`);
  }
  browser ??= chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  await (await b)?.close();
}

export async function openPage(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const context = await (await launch()).newContext({ viewport });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests, close: () => context.close() };
}
