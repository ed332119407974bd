import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyStep,
  connectCluster,
  loadSnapshot,
  planStep,
  runCheck,
  type Cluster,
} from '@opsloop/kube-tools';
import { render } from './helpers/kustomize.ts';
import { saUser, startDeploySim, type DeploySim } from './helpers/sim.ts';

/**
 * The RBAC of deploy/ against the real tools: each service's own code, run with its
 * ServiceAccount's identity on the healthy-shop scenario (namespace shop, managed).
 */
let env: DeploySim;
const as: Record<string, Cluster> = {};
beforeAll(async () => {
  env = await startDeploySim(0, 'healthy-shop');
  await env.sim.scenarioApplied;
  await env.kubectl(['apply', '-f', '-'], await render('overlays/dev'));
  as.admin = await connectCluster({ kubeconfigText: env.sim.kubeconfig() });
  for (const name of ['planner', 'executor', 'verifier'])
    as[name] = await connectCluster({ kubeconfigText: env.sim.kubeconfig(saUser(name)) });
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

/** Lists whose members come and go on their own (the shop's CronJob starts Jobs and pods). */
const CHURNING = new Set(['secrets', 'unreadable', 'pods', 'events', 'jobs', 'endpoints']);

/** Per list of a snapshot, the names in it (Secrets and the churning lists left out). */
function seen(snapshot: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (CHURNING.has(key) || !Array.isArray(value)) continue;
    out[key] = value
      .map((item: { metadata?: { name?: string }; name?: string }) =>
        String(item.metadata?.name ?? item.name ?? JSON.stringify(item)),
      )
      .sort();
  }
  return out;
}

describe('deploy RBAC with the real kube-tools', () => {
  it("the planner's snapshot of a managed namespace is the admin's, less Secrets", async () => {
    const mine = await loadSnapshot(as.planner!, 'shop');
    const admin = await loadSnapshot(as.admin!, 'shop');
    expect(mine.pods.length).toBeGreaterThan(30);
    expect(admin.secrets.length).toBeGreaterThan(0);
    expect(mine.secrets).toEqual([]);
    // Secrets are the one kind it may not read, and the snapshot says so.
    expect(mine.unreadable.map((u) => u.resource)).toEqual(['secrets']);
    expect(admin.unreadable).toEqual([]);
    // The cluster moves between the two reads (heartbeats, status): compare what was seen.
    expect(seen(mine)).toEqual(seen(admin));
    expect(Object.keys(seen(mine)).length).toBeGreaterThan(15);
  });

  it('the planner plans from the live object but cannot write the step itself', async () => {
    // RBAC authorizes a dry run as the write, so the read-only planner's dry run is refused
    // and kube-tools plans from the live object; applying is the executor's alone.
    const args = { namespace: 'shop', kind: 'Deployment', name: 'storefront', replicas: 4 };
    const step = await planStep('ScaleWorkload', args, as.planner!);
    await expect(
      applyStep(step, as.planner!, { operationId: 'op-planner-write' }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect((await as.admin!.get('Deployment', 'shop', 'storefront'))?.spec?.replicas).not.toBe(4);
  });

  it('the executor plans and applies a catalog step; the verifier proves it with its checks', async () => {
    const args = { namespace: 'shop', kind: 'Deployment', name: 'storefront', replicas: 5 };
    const step = await planStep('ScaleWorkload', args, as.executor!);
    await applyStep(step, as.executor!, { operationId: 'op-deploy-rbac' });
    const live = await as.admin!.get('Deployment', 'shop', 'storefront');
    expect(live?.spec?.replicas).toBe(5);
    expect(step.checks.length).toBeGreaterThan(0);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const verdicts = await Promise.all(step.checks.map((c) => runCheck(c, as.verifier!)));
      const bad = verdicts.filter((v) => !v.passed);
      if (bad.length === 0) break;
      if (Date.now() > deadline) throw new Error(`checks still failing: ${JSON.stringify(bad)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const proxied = await runCheck(
      {
        name: 'ServiceResponds',
        args: { namespace: 'shop', service: 'storefront', port: 80, path: '/' },
      },
      as.verifier!,
    );
    expect(proxied).toMatchObject({ passed: true });
  }, 90_000);

  it('the executor cannot write in a namespace that is not managed', async () => {
    await env.kubectl(['create', 'namespace', 'other']);
    await env.kubectl(['create', 'deployment', 'web', '-n', 'other', '--image', 'nginx:1.27']);
    const args = { namespace: 'other', kind: 'Deployment', name: 'web', replicas: 3 };
    await expect(planStep('ScaleWorkload', args, as.executor!)).rejects.toMatchObject({
      status: 403,
    });
  });
});
