import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { Kubectl } from '@opsloop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  applyStep,
  connectCluster,
  planStep,
  reviewStepAccess,
  stepPermissions,
} from '../src/mod.ts';
import type { Cluster, KubeRequest, PlannedStep } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';

/**
 * The permissions of a step, proven against kube-sim's RBAC: a user granted exactly
 * `stepPermissions(step)` (nothing more) can apply the step, and the SubjectAccessReviews
 * say so; a user missing one of them is denied exactly that one, and applyStep as that
 * user writes nothing.
 */
const USERS = ['exact-scale', 'no-patch', 'exact-volume', 'exact-delete'];

let sim: KubeSim;
let admin: Cluster;
beforeAll(async () => {
  sim = await startKubeSim({
    controllers: false,
    users: USERS.map((username) => ({ token: `t-${username}`, username, groups: ['opsloop'] })),
  });
  admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  await seedShop(admin);
});
afterAll(async () => sim?.stop());

/** A Role (namespaced requests) and ClusterRole (the rest) granting exactly `requests`. */
async function grant(user: string, requests: KubeRequest[]): Promise<void> {
  const rule = (r: KubeRequest) => ({
    apiGroups: [r.group],
    resources: [r.subresource ? `${r.resource}/${r.subresource}` : r.resource],
    verbs: [r.verb],
    ...(r.name ? { resourceNames: [r.name] } : {}),
  });
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const subjects = [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }];
  const namespaced = requests.filter((r) => r.namespace === NS);
  const clusterWide = requests.filter((r) => r.namespace === null);
  if (namespaced.length) {
    await admin.request('POST', `${rbac}/namespaces/${NS}/roles`, {
      body: { kind: 'Role', metadata: { name: user }, rules: namespaced.map(rule) },
    });
    await admin.request('POST', `${rbac}/namespaces/${NS}/rolebindings`, {
      body: {
        kind: 'RoleBinding',
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: user },
        subjects,
      },
    });
  }
  if (clusterWide.length) {
    await admin.request('POST', `${rbac}/clusterroles`, {
      body: { kind: 'ClusterRole', metadata: { name: user }, rules: clusterWide.map(rule) },
    });
    await admin.request('POST', `${rbac}/clusterrolebindings`, {
      body: {
        kind: 'ClusterRoleBinding',
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
        subjects,
      },
    });
  }
}

const as = (user: string) => connectCluster({ kubeconfigText: sim.kubeconfig(user) });
/** Writes to cluster objects (access reviews, which kubectl auth can-i creates, are questions). */
const writes = (user: string) =>
  sim.audit
    .entries()
    .filter(
      (e) =>
        e.user === user &&
        !e.dryRun &&
        e.responseCode < 300 &&
        e.apiGroup !== 'authorization.k8s.io',
    );

async function expectExactGrantWorks(user: string, step: PlannedStep): Promise<void> {
  await grant(user, stepPermissions(step));
  expect(await reviewStepAccess(admin, { user, groups: ['opsloop'] }, step)).toEqual({
    allowed: true,
    denied: [],
  });
  await applyStep(step, await as(user));
  expect(writes(user).length).toBeGreaterThan(0);
}

describe('stepPermissions and reviewStepAccess', () => {
  it('lists the reads and the write of a single-patch action, derived from its args', async () => {
    const step = await planStep(
      'ScaleWorkload',
      { namespace: NS, kind: 'Deployment', name: 'web', replicas: 3 },
      admin,
    );
    expect(stepPermissions(step)).toEqual([
      { verb: 'get', group: 'apps', resource: 'deployments', namespace: NS, name: 'web' },
      { verb: 'patch', group: 'apps', resource: 'deployments', namespace: NS, name: 'web' },
    ]);
    await expectExactGrantWorks('exact-scale', step);
  });

  it('denies exactly the missing request, and applyStep as that user writes nothing', async () => {
    const step = await planStep(
      'ScaleWorkload',
      { namespace: NS, kind: 'Deployment', name: 'web', replicas: 4 },
      admin,
    );
    await grant(
      'no-patch',
      stepPermissions(step).filter((r) => r.verb !== 'patch'),
    );
    const review = await reviewStepAccess(admin, { user: 'no-patch', groups: ['opsloop'] }, step);
    expect(review.allowed).toBe(false);
    expect(review.denied).toEqual([
      expect.objectContaining({
        verb: 'patch',
        resource: 'deployments',
        namespace: NS,
        name: 'web',
        reason: expect.any(String),
      }),
    ]);
    // The real kubectl, asked as that user, agrees with the reviews.
    const kubectl = new Kubectl(sim.kubeconfig());
    try {
      for (const request of stepPermissions(step)) {
        const answer = await kubectl.run([
          'auth',
          'can-i',
          request.verb,
          `${request.resource}.${request.group}/${request.name}`,
          '-n',
          NS,
          '--as',
          'no-patch',
        ]);
        expect([request.verb, answer.stdout.trim()]).toEqual([
          request.verb,
          request.verb === 'patch' ? 'no' : 'yes',
        ]);
      }
    } finally {
      kubectl.cleanup();
    }
    const error = await applyStep(step, await as('no-patch')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(403);
    expect(writes('no-patch')).toEqual([]);
  });

  it('includes the extra reads an action re-derives from (the ConfigMap a volume points at)', async () => {
    const step = await planStep(
      'SetConfigMapVolume',
      {
        namespace: NS,
        kind: 'Deployment',
        name: 'web',
        volume: 'config',
        configMap: 'web-config-v2',
      },
      admin,
    );
    expect(stepPermissions(step)).toContainEqual({
      verb: 'get',
      group: '',
      resource: 'configmaps',
      namespace: NS,
      name: 'web-config-v2',
    });
    await expectExactGrantWorks('exact-volume', step);
  });

  it('a delete action needs delete, not patch', async () => {
    const step = await planStep('DeletePod', { namespace: NS, name: 'web-bbbb2-x1' }, admin);
    expect(stepPermissions(step).map((r) => `${r.verb} ${r.resource}`)).toEqual([
      'get pods',
      'delete pods',
    ]);
    await expectExactGrantWorks('exact-delete', step);
  });
});
