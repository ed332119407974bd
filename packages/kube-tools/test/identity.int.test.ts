import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterIdentityError, connectCluster } from '../src/mod.ts';

/**
 * One cluster, one id: the kube-system namespace uid, whoever asks and by whichever URL.
 * Gateway, planner and executor reach a cluster with their own identities and addresses,
 * and a plan names the cluster it was made for.
 */
let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({
    controllers: false,
    users: [
      { token: 't-viewer', username: 'viewer', groups: ['ops'] },
      { token: 't-nobody', username: 'nobody', groups: ['ops'] },
    ],
  });
  const admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  await admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    body: {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'viewer-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }],
    },
  });
});
afterAll(async () => sim?.stop());

describe('Cluster.identity()', () => {
  it('is the kube-system uid, the same for admin, another user, localhost and 127.0.0.1', async () => {
    const admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
    const uid = (await admin.get('Namespace', null, 'kube-system'))!.metadata.uid;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await admin.identity()).toBe(uid);
    const viewer = await connectCluster({ kubeconfigText: sim.kubeconfig('viewer') });
    expect(await viewer.identity()).toBe(uid);
    const text = sim.kubeconfig();
    expect(text).toContain('https://127.0.0.1:');
    const byName = await connectCluster({
      kubeconfigText: text.replace('https://127.0.0.1:', 'https://localhost:'),
    });
    expect(byName.server).toMatch(/^https:\/\/localhost:/);
    expect(await byName.identity()).toBe(uid);
  });

  it('fails with a typed error (not an empty or made-up id) without namespace read access', async () => {
    const nobody = await connectCluster({ kubeconfigText: sim.kubeconfig('nobody') });
    const error = await nobody.identity().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterIdentityError);
    expect(error).toMatchObject({
      code: 'OPS_ERR_CLUSTER_IDENTITY',
      retryable: false,
      details: { status: 403 },
    });
    expect((error as Error).message).toMatch(/get` on namespaces\/kube-system/);
  });
});
