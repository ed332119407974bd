import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Step } from '@opsloop/contracts';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { applyStep, connectCluster, planStep, type Cluster } from '../src/mod.ts';

/**
 * The planner reads the cluster only, so it cannot make server-side dry runs (RBAC treats a
 * dry-run patch as a patch). Planning on such an identity must still give the full step,
 * its diff showing the values the patch sets, and the executor's write must hold them.
 */
let run: ScenarioSim;
let reader: Cluster;
let writer: Cluster;

beforeAll(async () => {
  run = await startScenarioSim('payment-api-selector-mismatch', {
    speed: 20,
    users: [{ token: 'reader-token-0123456789', username: 'reader' }],
  });
  run.sim.loadYaml(
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: { name: reader-view, namespace: payments }',
      'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }',
      'subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: reader }]',
    ].join('\n'),
    'reader-rbac',
  );
  reader = await connectCluster({ kubeconfigText: run.kubeconfig('reader') });
  writer = await connectCluster({ kubeconfigText: run.kubeconfig() });
}, 60_000);

afterAll(async () => {
  await run?.stop();
});

describe('planning as a read-only identity', () => {
  it('plans without a server dry run, and the approved patch writes what the diff shows', async () => {
    const args = {
      namespace: 'payments',
      name: 'payment-api',
      selector: { 'app.kubernetes.io/name': 'payment-api' },
    };
    await expect(
      reader.patch(
        'Service',
        'payments',
        'payment-api',
        { type: 'json', body: [] },
        { dryRun: true },
      ),
    ).rejects.toThrow(/forbidden/);
    const planned = await planStep('PatchServiceSelector', args, reader);
    expect(Step.safeParse({ id: 's1', ...planned }).success).toBe(true);
    expect(planned.diff.map((d) => d.after)).toContainEqual({
      'app.kubernetes.io/name': 'payment-api',
    });
    const observed = await applyStep(planned, writer);
    expect(observed.resourceVersionAfter).not.toBe(observed.resourceVersionBefore);
    const live = await writer.get('Service', 'payments', 'payment-api');
    expect(live?.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'payment-api' });
  }, 60_000);
});
