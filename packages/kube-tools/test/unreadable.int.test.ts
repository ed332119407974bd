import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, loadSnapshot, runDiagnoseCommand } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';

/**
 * A diagnosis that cannot read a kind says so and does not pass for healthy: the identity
 * below may read everything in the namespace except pods.
 */
let sim: KubeSim;
let dir: string;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const subjects = [{ kind: 'User', name: 'no-pods', apiGroup: 'rbac.authorization.k8s.io' }];
const NAMESPACED: [string, string[]][] = [
  [
    '',
    [
      'services',
      'endpoints',
      'events',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
      'resourcequotas',
      'limitranges',
      'serviceaccounts',
    ],
  ],
  ['apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']],
  ['batch', ['jobs', 'cronjobs']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
];

beforeAll(async () => {
  sim = await startKubeSim({
    controllers: false,
    users: [{ token: 't-no-pods', username: 'no-pods', groups: ['ops'] }],
  });
  const admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  await seedShop(admin);
  const bind = (kind: string, name: string) => ({
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    subjects,
  });
  await admin.request('POST', `${RBAC}/namespaces/${NS}/roles`, {
    body: {
      kind: 'Role',
      metadata: { name: 'no-pods' },
      rules: NAMESPACED.map(([group, resources]) => ({
        apiGroups: [group],
        resources,
        verbs: ['get', 'list'],
      })),
    },
  });
  await admin.request('POST', `${RBAC}/namespaces/${NS}/rolebindings`, {
    body: { kind: 'RoleBinding', ...bind('Role', 'no-pods') },
  });
  await admin.request('POST', `${RBAC}/clusterroles`, {
    body: {
      kind: 'ClusterRole',
      metadata: { name: 'no-pods' },
      rules: [
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['list'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['list'] },
        {
          apiGroups: ['admissionregistration.k8s.io'],
          resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
          verbs: ['list'],
        },
      ],
    },
  });
  await admin.request('POST', `${RBAC}/clusterrolebindings`, {
    body: { kind: 'ClusterRoleBinding', ...bind('ClusterRole', 'no-pods') },
  });
  dir = mkdtempSync(join(tmpdir(), 'opsloop-unreadable-'));
  writeFileSync(join(dir, 'no-pods'), sim.kubeconfig('no-pods'));
  writeFileSync(join(dir, 'admin'), sim.kubeconfig());
});
afterAll(async () => sim?.stop());

async function diagnose(user: string, ...flags: string[]) {
  let stdout = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      stdout += String(chunk);
      done();
    },
  });
  const code = await runDiagnoseCommand(['--kubeconfig', join(dir, user), '-n', NS, ...flags], {
    stdout: out,
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    env: { HOME: dir },
  });
  return { code, stdout };
}

describe('a list the API server refuses (403)', () => {
  it('is recorded in the snapshot as unreadable, not as an empty list', async () => {
    const cluster = await connectCluster({ kubeconfigText: sim.kubeconfig('no-pods') });
    const snapshot = await loadSnapshot(cluster, NS);
    expect(snapshot.pods).toEqual([]);
    expect(snapshot.unreadable).toEqual([{ resource: 'pods', reason: 'forbidden' }]);
    expect(snapshot.deployments.length).toBeGreaterThan(0);
    const admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
    expect((await loadSnapshot(admin, NS)).unreadable).toEqual([]);
  });

  it('makes opsloop diagnose say "could not read pods: forbidden" and exit non-zero', async () => {
    const text = await diagnose('no-pods');
    expect(text.stdout).toContain(`Namespace ${NS}: could not read pods: forbidden`);
    expect(text.code).toBe(1);
    const json = await diagnose('no-pods', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).unreadable).toEqual({
      [NS]: [{ resource: 'pods', reason: 'forbidden' }],
    });
    expect((await diagnose('admin')).stdout).not.toContain('could not read');
  });
});
