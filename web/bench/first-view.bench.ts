/**
 * First view benchmark (run: npm run bench -w @opsloop/web; builds web/dist first).
 *
 * The whole stack on the demo cluster (startOpsloop: nats-server, kube-sim, the four
 * services), one operation in the list (the seed request, planned). Each round opens a
 * fresh Chromium context (empty cache), with the requester's API token already in the tab's
 * sessionStorage, and measures navigation start → the Operations view usable: the list's
 * row shown and the Search box enabled. The moment is taken inside the page (a
 * MutationObserver reading performance.now(), whose origin is the navigation start), so the
 * harness's polling adds nothing. Baseline in the same run: fetching index.html, then its JS
 * and CSS, over HTTP from Node (what the browser must download at least), and the API call
 * the view makes.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, WIDE } from '../test/helpers/browser.ts';
import { startWholeStack } from '../test/helpers/whole-stack.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const TOKEN_KEY = 'opsloop.token';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const show = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(44)} p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms   max ${Math.max(
      ...values,
    )
      .toFixed(1)
      .padStart(7)} ms   (n=${values.length})`,
  );

const stack = await startWholeStack();
const browser = await launchBrowser();
try {
  const token = stack.token('payments-requester');
  const created = await fetch(`${stack.url}/api/v1/operations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      request: 'payment-api is unreachable since the last deploy. Why, and can you fix it?',
      namespace: 'payments',
    }),
  });
  if (created.status !== 202) throw new Error(`ask failed: ${created.status}`);

  async function firstView(): Promise<number> {
    const context = await browser.newContext({ viewport: WIDE });
    // A string, not a function: tsx keeps function names with a helper the page lacks.
    await context.addInitScript(`
      sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)});
      new MutationObserver((_, observer) => {
        const search = document.getElementById('f-search');
        if (document.querySelector('[data-op]') && search && !search.disabled) {
          window.firstView = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true });
    `);
    const page: Page = await context.newPage();
    await page.goto(`${stack.url}/#/ops`);
    await page.locator('[data-op]').first().waitFor();
    await page.getByLabel('Search').waitFor();
    const at = await page.waitForFunction(() => (window as { firstView?: number }).firstView);
    const ms = (await at.jsonValue()) as number;
    await context.close();
    return ms;
  }

  async function rawAssets(): Promise<number> {
    const start = performance.now();
    const html = await (await fetch(`${stack.url}/`, { cache: 'no-store' })).text();
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
    if (assets.length < 2) throw new Error(`index.html names ${assets.length} assets`);
    await Promise.all(assets.map(async (a) => (await fetch(`${stack.url}/${a}`)).arrayBuffer()));
    return performance.now() - start;
  }

  async function rawApi(): Promise<number> {
    const start = performance.now();
    for (const path of ['/api/v1/me', '/api/v1/operations?limit=25']) {
      const res = await fetch(`${stack.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
    }
    return performance.now() - start;
  }

  // Wait for the plan, so the row shows its final state, and warm up each path once.
  await firstView();
  await rawAssets();
  await rawApi();
  const views: number[] = [];
  const assets: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    views.push(await firstView());
    assets.push(await rawAssets());
    api.push(await rawApi());
  }
  console.log(`first view on the demo cluster, ${ROUNDS} rounds, fresh browser context each`);
  show('navigation → Operations view usable', views);
  show('baseline: index.html + JS + CSS over HTTP', assets);
  show('baseline: GET /me + GET /operations', api);
} finally {
  await browser.close();
  await stack.stop();
}
