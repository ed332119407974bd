import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import {
  analyzeSnapshot,
  applyStep,
  connectCluster,
  loadSnapshot,
  planStep,
  type Cluster,
} from '../src/mod.ts';

/**
 * Opsloop's own identities cannot read Secrets (deploy/README.md). A pod that pulls from a
 * private registry with no pull secret is then diagnosed without guessing a Secret's name,
 * the answer says what a person must provide, and the name a person gives can be planned
 * (unchecked, and saying so) and applied.
 */
let run: ScenarioSim;
let reader: Cluster;
let writer: Cluster;

beforeAll(async () => {
  run = await startScenarioSim('private-image-without-pull-secret', {
    speed: 50,
    users: [{ token: 'reader-token-0123456789', username: 'reader' }],
  });
  run.sim.loadYaml(
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: { name: reader-view, namespace: checkout }',
      'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }',
      'subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: reader }]',
      '---',
      // What the planner reads cluster-wide (deploy/base/rbac/planner.yaml), no Secrets.
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRole',
      'metadata: { name: cluster-reader }',
      'rules:',
      "  - { apiGroups: [''], resources: [nodes, namespaces, persistentvolumes, pods], verbs: [get, list] }",
      '  - { apiGroups: [storage.k8s.io], resources: [storageclasses], verbs: [get, list] }',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: { name: reader-cluster }',
      'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-reader }',
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

describe('a missing pull secret, seen by an identity that cannot read Secrets', () => {
  it('names no Secret it cannot see, and says what a person must give', async () => {
    const deadline = Date.now() + 30_000;
    let finding;
    while (!finding && Date.now() < deadline) {
      const snapshot = await loadSnapshot(reader, 'checkout');
      expect(snapshot.unreadable).toContainEqual({ resource: 'secrets', reason: 'forbidden' });
      finding = analyzeSnapshot(snapshot).find((f) => f.code === 'IMAGE_PULL_UNAUTHORIZED');
      if (!finding) await new Promise((r) => setTimeout(r, 500));
    }
    expect(finding?.remediations).toEqual([]);
    expect(finding?.humanAction).toMatch(/cannot read Secrets in checkout/);
    expect(finding?.humanAction).toMatch(/ServiceAccount checkout-api/);
  }, 60_000);

  it('plans the name a person gives without checking it, says so, and the write fixes the pull', async () => {
    const args = {
      namespace: 'checkout',
      kind: 'Deployment',
      name: 'checkout-api',
      secrets: ['registry-credentials'],
    };
    const step = await planStep('SetImagePullSecrets', args, reader);
    expect(step.summary).toMatch(/registry-credentials exists was not checked/);
    await applyStep(step, writer);
    const verdict = await run.waitSolved(60_000);
    expect(verdict.ok, verdict.report).toBe(true);
  }, 90_000);
});
