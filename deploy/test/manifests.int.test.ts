import { afterEach, describe, expect, it } from 'vitest';
import { find, parseDocs, render } from './helpers/kustomize.ts';
import {
  listObjects,
  notReady,
  podReport,
  startDeploySim,
  waitFor,
  type DeploySim,
} from './helpers/sim.ts';

/** Secrets an operator creates before applying overlays that do not generate them. */
const OPERATOR_SECRETS = `
apiVersion: v1
kind: Secret
metadata: { name: opsloop-nats-credentials, namespace: opsloop }
stringData: { planner: p1, executor: e1, verifier: v1, gateway: g1, backup: b1, admin: a1 }
---
apiVersion: v1
kind: Secret
metadata: { name: opsloop-gateway-users, namespace: opsloop }
stringData: { users.yaml: "teams: []\\nusers: []\\n" }
---
apiVersion: v1
kind: Secret
metadata: { name: opsloop-nats-tls, namespace: opsloop }
type: kubernetes.io/tls
stringData: { tls.crt: cert, tls.key: key, ca.crt: ca }
`;

// kind's control plane is tainted: ha's required anti-affinity needs three workers.
const OVERLAYS: {
  name: string;
  generatesSecrets: boolean;
  nats: number;
  replicas: number;
  nodes: number;
}[] = [
  { name: 'dev', generatesSecrets: true, nats: 1, replicas: 1, nodes: 2 },
  { name: 'ha', generatesSecrets: false, nats: 3, replicas: 2, nodes: 4 },
  { name: 'airgapped', generatesSecrets: false, nats: 1, replicas: 1, nodes: 2 },
];

let env: DeploySim | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe.each(OVERLAYS)('overlay $name', (overlay) => {
  it('renders with kubectl kustomize, applies to kube-sim with kubectl, and every pod comes up', async () => {
    const yaml = await render(`overlays/${overlay.name}`);
    const docs = parseDocs(yaml);
    expect(find(docs, 'StatefulSet', 'nats').spec).toMatchObject({ replicas: overlay.nats });
    for (const svc of ['planner', 'executor', 'verifier', 'gateway'])
      expect(find(docs, 'Deployment', svc).spec).toMatchObject({ replicas: overlay.replicas });

    env = await startDeploySim(overlay.nodes);
    // The namespaces Opsloop manages exist before it is installed (RoleBindings go there).
    await env.kubectl(['create', 'namespace', 'shop']);
    if (!overlay.generatesSecrets) {
      await env.kubectl(['create', 'namespace', 'opsloop']);
      await env.kubectl(['apply', '-f', '-'], OPERATOR_SECRETS);
    }
    const applied = await env.kubectl(['apply', '-f', '-'], yaml);
    expect(applied).toContain('deployment.apps/planner');
    const sim = env.sim;
    await waitFor(() => notReady(sim, 'opsloop'), 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${podReport(sim, 'opsloop')}`);
    });
    const pods = await env.kubectl(['get', 'pods', '-n', 'opsloop', '-o', 'json']);
    const items = (JSON.parse(pods) as { items: unknown[] }).items;
    expect(items.length).toBe(
      4 * overlay.replicas + overlay.nats + (overlay.name === 'airgapped' ? 1 : 0),
    );
    // Applying the same manifests again creates and changes nothing. (kube-sim answers
    // kubectl's patch of an unchanged PodDisruptionBudget as "configured"; a real API
    // server says "unchanged". Reported to kube-sim; PDBs are left out here.)
    const again = (await env.kubectl(['apply', '-f', '-'], yaml))
      .split('\n')
      .filter((line) => !line.startsWith('poddisruptionbudget.policy/'));
    expect(again.filter((line) => / (created|configured)$/.test(line))).toEqual([]);
  }, 180_000);
});

it('needs its NetworkPolicies: without the egress to NATS a service cannot start', async () => {
  env = await startDeploySim(3);
  await env.kubectl(['create', 'namespace', 'shop']);
  await env.kubectl(['apply', '-f', '-'], await render('overlays/dev'));
  const sim = env.sim;
  await waitFor(() => notReady(sim, 'opsloop'), 90_000);
  const before = new Set(listObjects(sim, 'v1', 'Pod', 'opsloop').map((p) => p.metadata.name));
  await env.kubectl(['delete', 'networkpolicy', '-n', 'opsloop', 'services-to-nats']);
  await env.kubectl(['rollout', 'restart', '-n', 'opsloop', 'deployment/verifier']);
  let logs = '';
  await waitFor(() => {
    const crashed = listObjects(sim, 'v1', 'Pod', 'opsloop').find(
      (p) =>
        !before.has(p.metadata.name) &&
        (
          (p.status as { containerStatuses?: { restartCount: number }[] })?.containerStatuses ?? []
        ).some((c) => c.restartCount > 0),
    );
    if (crashed === undefined) return 'no new verifier pod has crashed yet';
    logs = crashed.metadata.name ?? '';
    return null;
  }, 60_000);
  const text = await env.kubectl(['logs', '-n', 'opsloop', logs, '--previous']);
  expect(text).toContain('cannot connect to nats:4222: i/o timeout');
}, 180_000);
