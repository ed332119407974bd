// The scheduler and the node lifecycle through the real client and kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { findEvent, startTestCluster, type TestCluster } from './cluster.ts';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster(50);
});
afterAll(async () => {
  await c.stop();
});

function pod(
  ns: string,
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec,
  });
}

const scheduled = (p: V1Pod | undefined) =>
  p?.status?.conditions?.find((x) => x.type === 'PodScheduled');

async function unschedulable(ns: string, name: string): Promise<string> {
  const condition = await c.waitFor(`${name} Unschedulable`, async () => {
    const s = scheduled(await c.pod(ns, name));
    return s?.reason === 'Unschedulable' ? s : undefined;
  });
  expect(condition.status).toBe('False');
  const event = await c.waitFor('FailedScheduling', async () =>
    findEvent(await c.events(ns, name), 'FailedScheduling'),
  );
  expect(event.type).toBe('Warning');
  expect(event.message).toBe(condition.message);
  return condition.message ?? '';
}

describe('scheduler', { timeout: 30_000 }, () => {
  it('reports Insufficient cpu, then schedules once capacity appears', async () => {
    await c.kubectl.ok(['create', 'namespace', 'cpu']);
    await c.apply(
      pod('cpu', 'big', {
        containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '3' } } }],
      }),
    );
    expect(await unschedulable('cpu', 'big')).toBe(
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    expect(await c.kubectl.ok(['get', 'pod', 'big', '-n', 'cpu'])).toContain('Pending');
    await c.apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-big' },
        status: {
          capacity: { cpu: '8', memory: '16Gi', pods: '110' },
          allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
        },
      }),
    );
    const bound = await c.waitFor(
      'big bound',
      async () => (await c.pod('cpu', 'big'))?.spec?.nodeName,
    );
    expect(bound).toBe('node-big');
    expect(findEvent(await c.events('cpu', 'big'), 'Scheduled')?.message).toBe(
      'Successfully assigned cpu/big to node-big',
    );
    await c.kubectl.ok(['delete', 'node', 'node-big']);
    // PodGC removes pods bound to a node that no longer exists.
    await c.waitFor('big collected', async () => (await c.pod('cpu', 'big')) === undefined);
  });

  it('explains node selectors, taints and cordons, and schedules after uncordon', async () => {
    await c.kubectl.ok(['create', 'namespace', 'sel']);
    await c.apply(
      pod('sel', 'ssd', {
        nodeSelector: { disk: 'nvme' },
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    expect(await unschedulable('sel', 'ssd')).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await c.kubectl.ok(['taint', 'node', 'node-1', 'dedicated=gpu:NoSchedule']);
    await c.kubectl.ok(['cordon', 'node-2']);
    await c.kubectl.ok(['cordon', 'node-3']);
    await c.apply(pod('sel', 'plain', { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    expect(await unschedulable('sel', 'plain')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    const taints = await c.kubectl.ok([
      'get',
      'node',
      'node-2',
      '-o',
      'jsonpath={.spec.taints[*].key}',
    ]);
    expect(taints).toContain('node.kubernetes.io/unschedulable');
    await c.kubectl.ok(['uncordon', 'node-3']);
    expect(
      await c.waitFor('plain bound', async () => (await c.pod('sel', 'plain'))?.spec?.nodeName),
    ).toBe('node-3');
    await c.kubectl.ok(['uncordon', 'node-2']);
    await c.kubectl.ok(['taint', 'node', 'node-1', 'dedicated-']);
  });

  it('keeps required anti-affinity replicas on separate nodes and waits on unbound claims', async () => {
    await c.kubectl.ok(['create', 'namespace', 'anti']);
    const anti = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    for (const i of [0, 1, 2, 3])
      await c.apply(
        pod(
          'anti',
          `db-${i}`,
          { affinity: anti, containers: [{ name: 'db', image: 'nginx:1.27' }] },
          { app: 'db' },
        ),
      );
    await c.waitFor('three placed', async () => {
      const nodes = await Promise.all(
        [0, 1, 2, 3].map(async (i) => (await c.pod('anti', `db-${i}`))?.spec?.nodeName),
      );
      return new Set(nodes.filter(Boolean)).size === 3;
    });
    const pending = (await Promise.all([0, 1, 2, 3].map((i) => c.pod('anti', `db-${i}`)))).find(
      (p) => !p?.spec?.nodeName,
    )!;
    expect(await unschedulable('anti', pending.metadata!.name!)).toContain(
      "3 node(s) didn't match pod anti-affinity rules",
    );

    await c.apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: 'anti' },
        spec: {
          storageClassName: 'manual',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      }),
    );
    await c.apply(
      pod('anti', 'with-pvc', {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    expect(await unschedulable('anti', 'with-pvc')).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});

describe('node lifecycle', { timeout: 30_000 }, () => {
  it('fills node status like a registering kubelet', async () => {
    const wide = await c.kubectl.ok(['get', 'node', 'node-1', '-o', 'wide']);
    expect(wide).toContain('Ready');
    expect(wide).toContain('containerd://1.7');
    const node = await c.core.readNode({ name: 'node-1' });
    expect(node.status?.addresses?.map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
    expect(node.status?.conditions?.map((x) => x.type).sort()).toEqual([
      'DiskPressure',
      'MemoryPressure',
      'PIDPressure',
      'Ready',
    ]);
    expect(node.metadata?.labels?.['kubernetes.io/hostname']).toBe('node-1');
  });

  it('taints a NotReady node and evicts pods after their tolerationSeconds', async () => {
    await c.kubectl.ok(['create', 'namespace', 'evict']);
    const toleration = (s: number) => [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: s,
      },
    ];
    await c.apply(
      pod('evict', 'short', {
        nodeName: 'node-3',
        tolerations: toleration(20),
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    await c.apply(
      pod('evict', 'long', {
        nodeName: 'node-3',
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    await c.waitFor(
      'pods running',
      async () => (await c.pod('evict', 'short'))?.status?.phase === 'Running',
    );
    const defaults = (await c.pod('evict', 'long'))?.spec?.tolerations ?? [];
    expect(defaults).toContainEqual({
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    });
    const node = await c.core.readNode({ name: 'node-3' });
    const conditions = (node.status?.conditions ?? []).map((x) =>
      x.type === 'Ready'
        ? {
            ...x,
            status: 'False',
            reason: 'KubeletNotReady',
            message: 'container runtime network not ready',
          }
        : x,
    );
    await c.kubectl.ok([
      'patch',
      'node',
      'node-3',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions } }),
    ]);
    await c.waitFor('not-ready taints', async () => {
      const taints = (await c.core.readNode({ name: 'node-3' })).spec?.taints ?? [];
      return (
        taints.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute') &&
        taints.some((t) => t.effect === 'NoSchedule')
      );
    });
    expect(await c.kubectl.ok(['get', 'node', 'node-3'])).toContain('NotReady');
    await c.waitFor(
      'short evicted',
      async () => (await c.pod('evict', 'short')) === undefined,
      10_000,
    );
    const event = findEvent(await c.events('evict', 'short'), 'TaintManagerEviction');
    expect(event?.message).toBe('Marking for deletion Pod evict/short');
    expect(await c.pod('evict', 'long')).toBeDefined();
    expect(scheduled(await c.pod('evict', 'long'))?.status).toBe('True');
    expect(
      (await c.pod('evict', 'long'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status,
    ).toBe('False');
  });
});
