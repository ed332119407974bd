import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot, loadSnapshot } from '../src/mod.ts';
import type { Snapshot } from '../src/mod.ts';
import { runScenario } from './helpers/scenario.ts';
import type { ScenarioEnv } from './helpers/scenario.ts';

/**
 * The snapshot reads a namespace's Roles and RoleBindings only when a crash log quotes the
 * API server refusing one of its ServiceAccounts. A leader-election sidecar here may not
 * get leases; the Role bound to it grants get on configmaps.
 */
const SCENARIO = `
apiVersion: sim.opsloop.dev/v1alpha1
kind: Scenario
metadata: { name: lease-refused }
spec:
  summary: leader election refused
  request: why does relay crash?
  namespace: relay
  verify:
    - { apiVersion: apps/v1, kind: Deployment, name: relay, jsonpath: '{.metadata.name}', equals: relay }
---
apiVersion: sim.opsloop.dev/v1alpha1
kind: ImageBehavior
metadata: { name: relay-3 }
spec:
  image: example.org/relay:3
  binaries: [relay]
  startupSeconds: 1
  logs:
    - 'leaderelection.go:332] error retrieving resource lock relay/relay: leases.coordination.k8s.io "relay" is forbidden: User "system:serviceaccount:relay:lease-keeper" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "relay"'
  exitAfterSeconds: 2
  exitCode: 1
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: lease-keeper }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: election }
rules:
  - { apiGroups: [''], resources: [configmaps], verbs: [get, update] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: election }
subjects: [{ kind: ServiceAccount, name: lease-keeper, namespace: relay }]
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: election }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: relay }
spec:
  replicas: 1
  selector: { matchLabels: { run: relay } }
  template:
    metadata: { labels: { run: relay } }
    spec:
      serviceAccountName: lease-keeper
      containers: [{ name: relay, image: example.org/relay:3 }]
`;

let env: ScenarioEnv;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rbac-snapshot-'));
  writeFileSync(join(dir, 'lease-refused.yaml'), SCENARIO);
  env = await runScenario(join(dir, 'lease-refused.yaml'));
}, 60_000);

afterAll(() => env?.stop());

async function refusedSnapshot(): Promise<Snapshot> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = await loadSnapshot(env.cluster, 'relay');
    if (Object.values(s.logs).some((l) => l.includes('is forbidden'))) return s;
    if (Date.now() > deadline) throw new Error('no refusal in the crash logs');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('snapshot: RBAC read only when a log quotes a refusal', () => {
  it('reads the Roles and RoleBindings; the finding names the Role and the missing rule', async () => {
    const s = await refusedSnapshot();
    expect(s.rbac.roles.map((r) => r.metadata.name)).toEqual(['election']);
    expect(s.rbac.roleBindings.map((r) => r.metadata.name)).toEqual(['election']);
    const f = analyzeSnapshot(s).find((x) => x.code === 'RBAC_PERMISSION_DENIED');
    expect(f?.object).toMatchObject({ kind: 'Deployment', name: 'relay' });
    expect(f?.remediations).toEqual([]);
    expect(f?.humanAction).toMatch(
      /Add verb "get" on resource "leases" in API group "coordination.k8s.io" to Role election/,
    );
  }, 60_000);

  it('reads nothing of RBAC in a namespace whose logs quote no refusal', async () => {
    const s = await loadSnapshot(env.cluster, 'default');
    expect(s.rbac).toEqual({ roles: [], roleBindings: [], clusterRoles: [] });
  });
});
