import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { R } from '../../../src/controllers/workloads/kinds.ts';
import { createBackoff } from '../../../src/controllers/workloads/replicaset.ts';
import { ADMIN, at, deployment, node, startHarness, waitFor, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(() => h?.stop());

/** Pod creations the ReplicaSet controller attempted and the API refused (events aggregate). */
const failedCreates = (h: Harness) =>
  h
    .list('Event')
    .filter((e) => at(e, 'reason') === 'FailedCreate')
    .reduce((sum, e) => sum + Number(at(e, 'count') ?? 1), 0);

const quota = (pods: string): KObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'pods-quota', namespace: 'default' },
  spec: { hard: { pods } },
});

describe('ReplicaSet controller back-off on FailedCreate', { timeout: 20_000 }, () => {
  it('retries a refused pod creation with exponential back-off on the sim clock', async () => {
    h = startHarness(400);
    const start = h.clock.now();
    h.apply(node('node-1'), quota('0'), deployment('web', 1));
    // 5 ms doubling: about log2(T / 5 ms) + 1 attempts in T sim-ms, however often the
    // ReplicaSet is woken (its own status writes, pod events, resyncs every 30 s).
    await waitFor(() => h!.clock.now() - start >= 300_000, 10_000);
    const elapsed = h.clock.now() - start;
    const attempts = failedCreates(h);
    const bound = Math.ceil(Math.log2(elapsed / 5)) + 2;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(bound);
    // Still refused, still reported.
    const rs = h.list('ReplicaSet')[0];
    expect(
      (at(rs, 'status', 'conditions') as { type: string }[] | undefined)?.map((c) => c.type),
    ).toContain('ReplicaFailure');
  });

  it('creates the pod once the refusal is lifted, within the current back-off', async () => {
    h = startHarness(400);
    h.apply(node('node-1'), quota('0'), deployment('web', 1));
    await waitFor(() => failedCreates(h!) >= 4, 10_000);
    const q = h.get('ResourceQuota', 'pods-quota')!;
    h.api.update(R.quotas, { ...q, spec: { hard: { pods: '5' } } }, { user: ADMIN });
    await waitFor(() => h!.list('Pod').length === 1, 10_000);
  });

  it('the back-off doubles from 5 ms to at most 1000 s and resets on success', () => {
    const backoff = createBackoff();
    expect(backoff.failed('ns/rs', 'uid-1', 0)).toBe(5);
    expect(backoff.failed('ns/rs', 'uid-1', 5)).toBe(10);
    expect(backoff.failed('ns/rs', 'uid-1', 15)).toBe(20);
    expect(backoff.waitMs('ns/rs', 'uid-1', 20)).toBe(15);
    expect(backoff.waitMs('ns/rs', 'uid-1', 35)).toBe(0);
    for (let i = 0; i < 40; i++) backoff.failed('ns/rs', 'uid-1', 0);
    expect(backoff.failed('ns/rs', 'uid-1', 0)).toBe(1_000_000);
    // A ReplicaSet recreated under the same name starts afresh.
    expect(backoff.waitMs('ns/rs', 'uid-2', 0)).toBe(0);
    backoff.succeeded('ns/rs');
    expect(backoff.waitMs('ns/rs', 'uid-1', 0)).toBe(0);
    expect(backoff.failed('ns/rs', 'uid-1', 0)).toBe(5);
  });
});
