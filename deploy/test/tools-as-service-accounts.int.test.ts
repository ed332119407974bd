import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyStep,
  connectCluster,
  KubeApiError,
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

/** Per list of a snapshot, the names in it (Secrets left out). */
function seen(snapshot: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (key === 'secrets' || !Array.isArray(value)) continue;
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
    // The cluster moves between the two reads (heartbeats, status): compare what was seen.
    expect(seen(mine)).toEqual(seen(admin));
    expect(Object.keys(seen(mine)).length).toBeGreaterThan(15);
  });

  it('the planner cannot even dry-run a write: the API server authorizes dry-run as the write', async () => {
    const args = { namespace: 'shop', kind: 'Deployment', name: 'storefront', replicas: 4 };
    const planned = planStep('ScaleWorkload', args, as.planner!);
    await expect(planned).rejects.toBeInstanceOf(KubeApiError);
    await expect(planned).rejects.toMatchObject({ status: 403 });
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
