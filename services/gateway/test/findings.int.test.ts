import { startKubeSim, type KubeSim } from '@opsloop/kube-sim';
import { connectCluster, type Cluster } from '@opsloop/kube-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingsSource } from '../src/kube/findings.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

/**
 * GET /namespaces/{ns}/findings: kube-tools' analyzers over a real kube-sim (the
 * payment-api selector scenario in namespace payments), through the real client.
 */
let sim: KubeSim;
let cluster: Cluster;
let h: Harness;
const clock = { now: Date.now() };

beforeAll(async () => {
  sim = await startKubeSim({ port: 0, scenario: 'payment-api-selector-mismatch' });
  cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  const source = new FindingsSource(cluster, { ttlMs: 10_000, now: () => clock.now });
  h = await startHarness({ findings: (ns) => source.get(ns) });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

const findingsOf = (user: string | null, ns: string) =>
  h.call(user, 'GET', `/api/v1/namespaces/${ns}/findings`);

describe('findings of a namespace', () => {
  it("lists the analyzers' findings, with the cluster text as data", async () => {
    const res = await findingsOf('pay-viewer', 'payments');
    expect(res.status).toBe(200);
    expect(res.body.namespace).toBe('payments');
    expect(Date.parse(res.body.observedAt)).not.toBeNaN();
    const service = res.body.findings.find(
      (f: { object: { kind: string; name: string } }) =>
        f.object.kind === 'Service' && f.object.name === 'payment-api',
    );
    expect(service, JSON.stringify(res.body.findings)).toBeDefined();
    expect(['critical', 'error', 'warning']).toContain(service.severity);
    expect(service.explanation).toMatch(/selects no pods/);
    expect(service.evidence.length).toBeGreaterThan(0);
    expect(service.evidence.every((e: unknown) => typeof e === 'string')).toBe(true);
    expect(service.proposedFix?.action).toBe('PatchServiceSelector');
    expect(res.body.unreadable).toEqual([]);
  });

  it('only in namespaces of your teams', async () => {
    const other = await findingsOf('shop-admin', 'payments');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('OPS_ERR_NOT_TEAM_OWNER');
    expect((await findingsOf(null, 'payments')).status).toBe(401);
    const bad = await findingsOf('pay-viewer', 'Not_A_Namespace');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['namespace']);
  });

  it('reuses a recent snapshot, and reads again when it is old', async () => {
    clock.now += 60_000;
    await findingsOf('pay-viewer', 'payments');
    const before = cluster.stats().requests;
    const again = await Promise.all([1, 2, 3].map(() => findingsOf('pay-admin', 'payments')));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(cluster.stats().requests).toBe(before);
    clock.now += 11_000;
    expect((await findingsOf('pay-viewer', 'payments')).status).toBe(200);
    expect(cluster.stats().requests).toBeGreaterThan(before);
  });

  it('says the cluster cannot be read when the API server is down (503), not "no findings"', async () => {
    await sim.stop();
    clock.now += 60_000;
    const res = await findingsOf('pay-viewer', 'payments');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('OPS_ERR_UNAVAILABLE');
  });
});
