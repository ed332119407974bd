import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The system Chromium driven by playwright-core: nothing is downloaded, nothing leaves the
 * machine (background networking, component updates and sync are off).
 */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

export async function openPage(
  browser: Browser,
  baseUrl: string,
  viewport = WIDE,
  /** Other origins the page may reach (a loopback identity provider). */
  allow: string[] = [],
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport,
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  // Air-gapped: any request leaving the gateway's origin fails the test.
  const origins = [baseUrl, ...allow].map((url) => new URL(url).origin);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const own = origins.some((origin) => url.startsWith(`${origin}/`) || url === origin);
    if (own || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    errors.push(`external request: ${url}`);
    return route.abort();
  });
  return { context, page, errors };
}

export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/#/ops`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('whoami').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
