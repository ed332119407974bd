import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { plan } from './helpers/plans.ts';

/**
 * Malformed bodies, headers and paths, generated from a fixed seed: none may get a 5xx,
 * every refusal has the one error shape, and nothing internal (stack, file path) leaks.
 */
let h: Harness;
let opId: string;
let planHash: string;
beforeAll(async () => {
  h = await startHarness();
  opId = await request(h, 'shop-requester');
  planHash = await h.propose(opId, plan('shop'));
}, 60_000);
afterAll(async () => h?.close());

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(20260101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);
const STRINGS = [
  '',
  ' ',
  'approve',
  'reject',
  '\u0000',
  '💥'.repeat(50),
  'a'.repeat(5000),
  '<script>',
  '../../etc/passwd',
  '%00',
  '{"a":1}',
  'null',
  '-1',
  '1e309',
  'Bearer',
];

function value(depth = 0): unknown {
  const kind = int(depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return pick(STRINGS);
    case 1:
      return random() * 1e12 - 5e11;
    case 2:
      return pick([true, false, null]);
    case 3:
      return pick([Number.MAX_SAFE_INTEGER, -0, 0.5]);
    case 4:
      return 'x'.repeat(int(3000));
    case 5:
      return Array.from({ length: int(5) }, () => value(depth + 1));
    default: {
      const keys = [
        'request',
        'namespace',
        'decision',
        'planHash',
        'comment',
        '__proto__',
        'constructor',
        'x',
      ];
      return Object.fromEntries(
        Array.from({ length: int(5) }, () => [pick(keys), value(depth + 1)]),
      );
    }
  }
}

const PATHS = () => [
  '/api/v1/operations',
  `/api/v1/operations/${opId}`,
  `/api/v1/operations/${opId}/approval`,
  `/api/v1/operations/${opId}/events`,
  `/api/v1/operations/${encodeURIComponent(pick(STRINGS))}`,
  `/api/v1/operations/${'a'.repeat(int(400))}/approval`,
  '/api/v1/operations/%E0%A4%A',
  '/api/v1/operations/..%2F..%2Fetc',
  `/api/v1/operations?limit=${pick(STRINGS)}&status=${encodeURIComponent(pick(STRINGS))}`,
  `/api/v1/operations?cursor=${encodeURIComponent(pick(STRINGS))}`,
  '/api/v1/operations?limit=1&limit=2',
  '/api/v1/me?x[y]=1',
  `/${'x/'.repeat(int(100))}`,
  '/api/openapi.json/..',
  '/api/v1/operations/op-1/approval/extra',
  '//api//v1',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
  '',
  'application/json\u0000',
];

function headers(): Record<string, string> {
  const out: Record<string, string> = {};
  const token = h.tokens[pick(['shop-approver', 'shop-requester', 'shop-viewer', 'pay-approver'])]!;
  switch (int(6)) {
    case 0:
      break;
    case 1:
      out.authorization = `Bearer ${token}`;
      break;
    case 2:
      out.authorization = pick([
        'Bearer ',
        `Bearer ${token}${token}`,
        `bearer ${'x'.repeat(9000)}`,
        'Bearer a.b.c',
        `Bearer ${Buffer.from(pick(STRINGS)).toString('base64')}.e30.`,
        'Basic Zm9vOmJhcg==',
      ]);
      break;
    default:
      out.authorization = `Bearer ${token}`;
  }
  if (random() < 0.5) out['content-type'] = pick(CONTENT_TYPES).replace('\u0000', '');
  if (random() < 0.3) out['last-event-id'] = pick(STRINGS).replace(/[^\x20-\x7e]/g, '') || '-1';
  if (random() < 0.3)
    out.accept = pick([
      'application/json',
      'text/event-stream',
      '*/*',
      'image/png',
      'application/json, text/event-stream',
    ]);
  return out;
}

function body(): string | undefined {
  switch (int(5)) {
    case 0:
      return undefined;
    case 1:
      return pick(['{', '{"request":', '[1,2', 'nul', '\u0000', '{"a":1}}', '"just a string"']);
    case 2:
      return JSON.stringify({ request: value(), namespace: value() });
    case 3:
      return JSON.stringify({
        decision: pick(['approve', 'reject', 'maybe', '']),
        planHash: pick([planHash, value()]),
        comment: value(),
      });
    default:
      return JSON.stringify(value());
  }
}

describe('fuzz', () => {
  it('600 malformed requests: no 5xx, one error shape, nothing internal', async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const method = i % 10 === 0 ? pick(METHODS) : pick(['GET', 'POST'] as const);
      const url = pick(PATHS());
      const payload =
        method === 'GET' || method === 'HEAD'
          ? undefined
          : i % 50 === 0
            ? 'x'.repeat(70_000)
            : body();
      const sent = headers();
      // inject() waits for the end of a response; an event stream never ends (tested in events.int.test.ts).
      if (url.endsWith('/events')) sent.accept = 'application/json';
      const response = await h.app.inject({
        method,
        url,
        headers: sent,
        ...(payload === undefined ? {} : { payload }),
      });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const what = `${method} ${url.slice(0, 80)} → ${response.statusCode}: ${response.body.slice(0, 200)}`;
      expect(response.statusCode, what).toBeLessThan(500);
      expect(response.body, what).not.toMatch(/at .*\.ts:\d+|node_modules|stack/i);
      if (response.statusCode >= 400 && method !== 'HEAD') {
        expect(JSON.parse(response.body), what).toEqual({
          error: expect.objectContaining({
            code: expect.stringMatching(/^OPS_ERR_/),
            message: expect.any(String),
          }),
        });
      }
    }
    // The generator reached the handlers, not only the authentication layer.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 404]));
    // And the service still works.
    expect((await h.call('shop-viewer', 'GET', `/api/v1/operations/${opId}`)).status).toBe(200);
  }, 120_000);
});
