import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, NARROW, openPage, screenshot } from './helpers/browser.ts';
import { startFakeOidc, type FakeOidc } from './helpers/fake-oidc.ts';
import { startGatewayAlone, type GatewayAlone } from './helpers/gateway-alone.ts';

/**
 * Single sign-on in Chromium: the console's "Sign in with …" button runs the authorization
 * code flow with PKCE against a loopback identity provider speaking the real protocol; the
 * real gateway reads its discovery document, redeems the code with the verifier and
 * verifies the signed ID token against its JWKS.
 */
let idp: FakeOidc;
let stack: GatewayAlone;
let browser: Browser;

beforeAll(async () => {
  idp = await startFakeOidc({ sub: 'u-4711', groups: ['payments'], name: 'Dana Ops' });
  [stack, browser] = await Promise.all([
    startGatewayAlone({
      oidc: {
        issuer: idp.issuer,
        audience: idp.clientId,
        jwksUrl: `${idp.issuer}/jwks`,
        groupsClaim: 'groups',
        groupRoles: { payments: ['requester'] },
      },
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await idp?.stop();
});

const open = () => openPage(browser, stack.url, undefined, [idp.issuer]);
const button = () => `Sign in with ${new URL(idp.issuer).host}`;

describe('single sign-on in the console', () => {
  it('signs in through the identity provider and comes back to the page it left', async () => {
    const { page: p, errors } = await open();
    await p.goto(`${stack.url}/#/cluster`);
    const sso = p.getByRole('button', { name: button() });
    await sso.waitFor();
    await screenshot(p, 'signin-sso-wide');
    await p.setViewportSize(NARROW);
    await screenshot(p, 'signin-sso-narrow');
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await sso.click();

    // At the provider: the authorize request carried an S256 challenge, a state and a nonce.
    await p.waitForURL(`${idp.issuer}/authorize?**`);
    const asked = new URL(p.url()).searchParams;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('redirect_uri')).toBe(`${stack.url}/`);
    await p.getByRole('button', { name: 'Continue as Dana Ops' }).click();

    // Back in the console, signed in as the provider's user, on the page it started from.
    await p.getByTestId('whoami').filter({ hasText: 'oidc:u-4711' }).waitFor();
    await expect(p.getByTestId('whoami').textContent()).resolves.toContain('payments');
    expect(new URL(p.url()).search).toBe('');
    expect(new URL(p.url()).hash).toBe('#/cluster');
    await p.locator('[data-testid="namespace"][data-namespace="payments"]').waitFor();
    const token = await p.evaluate(() => sessionStorage.getItem('opsloop.token'));
    expect(token?.split('.')).toHaveLength(3);
    expect(await p.evaluate(() => sessionStorage.getItem('opsloop.oidc'))).toBeNull();
    expect(idp.requests.filter((r) => r === 'POST /token')).toHaveLength(1);
    expect(idp.refused).toEqual([]);

    // The ID token works for the API as the console uses it: the user may ask.
    await p.getByRole('link', { name: 'Ask', exact: true }).click();
    await expect(p.getByLabel('Namespace').isEnabled()).resolves.toBe(true);
    await p.close();
    expect(errors).toEqual([]);
  });

  it('a cancelled sign-in says so and signs nobody in', async () => {
    const { page: p } = await open();
    await p.goto(`${stack.url}/`);
    await p.getByRole('button', { name: button() }).click();
    await p.getByRole('button', { name: 'Cancel' }).click();
    await p.getByRole('alert').filter({ hasText: 'the user cancelled the sign-in' }).waitFor();
    await expect(p.getByTestId('whoami').count()).resolves.toBe(0);
    expect(new URL(p.url()).search).toBe('');
    await p.close();
  });

  it('a redirect this tab did not start (wrong state) is refused without redeeming the code', async () => {
    const { page: p } = await open();
    const before = idp.requests.filter((r) => r === 'POST /token').length;
    await p.goto(`${stack.url}/?code=stolen-code&state=not-mine#/ops`);
    await p.getByRole('alert').filter({ hasText: 'was not started here' }).waitFor();
    await expect(p.getByTestId('whoami').count()).resolves.toBe(0);
    expect(idp.requests.filter((r) => r === 'POST /token').length).toBe(before);
    await p.close();
  });

  it('a code the provider refuses (already used) ends at the sign-in form with the reason', async () => {
    const { page: p, context } = await open();
    await p.goto(`${stack.url}/`);
    await p.getByRole('button', { name: button() }).click();
    const [back] = await Promise.all([
      p.waitForRequest((r) => r.url().startsWith(`${stack.url}/?`)),
      p.getByRole('button', { name: 'Continue as Dana Ops' }).click(),
    ]);
    await p.getByTestId('whoami').waitFor();
    const used = new URL(back.url()).searchParams.get('code')!;
    // Another tab starts its own sign-in, and is sent back with the spent code under its state.
    const again = await context.newPage();
    await again.goto(`${stack.url}/`);
    await again.getByRole('button', { name: button() }).click();
    await again.waitForURL(`${idp.issuer}/authorize?**`);
    const state = new URL(again.url()).searchParams.get('state')!;
    await again.goto(`${stack.url}/?state=${state}&code=${encodeURIComponent(used)}`);
    await again.getByRole('alert').filter({ hasText: 'did not accept the sign-in' }).waitFor();
    await expect(again.getByTestId('whoami').count()).resolves.toBe(0);
    expect(idp.refused).toEqual(['unknown or used code']);
    await p.close();
    await again.close();
  });
});
