import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/controllers/node/scheduler/decide.ts';
import type { NodeObject, PodObject } from '../../../src/controllers/node/pod-model.ts';

function node(
  name: string,
  extra: Partial<NodeObject> = {},
  labels: Record<string, string> = {},
): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    ...extra,
  };
}

function pod(
  name: string,
  spec: Partial<PodObject['spec']> = {},
  labels: Record<string, string> = {},
): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
  };
}

const noVolumes = { pvcs: [], storageClasses: [] };
const nodes3 = [node('node-1'), node('node-2'), node('node-3')];

describe('scheduler decide', () => {
  it('places a pod on the least loaded node', () => {
    const busy = pod('busy', {
      nodeName: 'node-1',
      containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }],
    });
    // node-2 and node-3 tie; kube-scheduler picks among equal scores at random.
    const chosen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const d = decide(pod('web'), { nodes: nodes3, pods: [busy] }, noVolumes);
      if ('node' in d) chosen.add(d.node);
    }
    expect([...chosen].sort()).toEqual(['node-2', 'node-3']);
  });

  it('spreads pods of one owner over nodes even when requests favour one node', () => {
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-1',
      uid: 'rs-1',
      controller: true,
    };
    const sibling = (n: string, i: number): PodObject => ({
      ...pod(`web-${i}`, { nodeName: n }),
      metadata: { name: `web-${i}`, namespace: 'shop', ownerReferences: [owner] },
    });
    const incoming: PodObject = {
      ...pod('web-new'),
      metadata: { name: 'web-new', namespace: 'shop', ownerReferences: [owner] },
    };
    const pods = [sibling('node-1', 1), sibling('node-1', 2), sibling('node-2', 3)];
    expect(decide(incoming, { nodes: nodes3, pods }, noVolumes)).toEqual({ node: 'node-3' });
  });

  it('reports insufficient cpu with the preemption suffix', () => {
    const big = pod('big', {
      containers: [{ name: 'a', resources: { requests: { cpu: '3', memory: '1Gi' } } }],
    });
    expect(decide(big, { nodes: nodes3, pods: [] }, noVolumes)).toEqual({
      message:
        '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    });
  });

  it('counts requests of pods already on the node, and memory separately', () => {
    const filler = (n: string) =>
      pod(`f-${n}`, {
        nodeName: n,
        containers: [{ name: 'a', resources: { requests: { memory: '3Gi' } } }],
      });
    const p = pod('p', {
      containers: [{ name: 'a', resources: { requests: { memory: '2Gi', cpu: '3' } } }],
    });
    const d = decide(
      p,
      { nodes: nodes3, pods: nodes3.map((n) => filler(n.metadata.name!)) },
      noVolumes,
    );
    expect(d).toEqual({
      message:
        '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    });
  });

  it('aggregates mixed reasons sorted like kube-scheduler', () => {
    const ns = [
      node('node-1', {
        spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      }),
      node('node-2', { spec: { unschedulable: true } }),
      node('node-3', {}, { disk: 'hdd' }),
    ];
    const p = pod('p', { nodeSelector: { disk: 'ssd' } });
    expect(decide(p, { nodes: ns, pods: [] }, noVolumes)).toEqual({
      message:
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    });
  });

  it('honours tolerations and node affinity operators', () => {
    const ns = [
      node(
        'node-1',
        { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
        { gpus: '4' },
      ),
      node('node-2', {}, { gpus: '1' }),
    ];
    const p = pod('p', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['2'] }] },
            ],
          },
        },
      },
    });
    expect(decide(p, { nodes: ns, pods: [] }, noVolumes)).toEqual({ node: 'node-1' });
    const wrong = pod('w', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }],
    });
    expect(decide(wrong, { nodes: [ns[0]!], pods: [] }, noVolumes)).toEqual({
      message:
        '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    });
  });

  it('keeps replicas with hostname anti-affinity apart', () => {
    const anti = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { app: 'db' } },
              topologyKey: 'kubernetes.io/hostname',
            },
          ],
        },
      },
    };
    const placed = [
      pod('db-0', { ...anti, nodeName: 'node-1' }, { app: 'db' }),
      pod('db-1', { ...anti, nodeName: 'node-2' }, { app: 'db' }),
    ];
    const d = decide(
      pod('db-2', anti, { app: 'db' }),
      { nodes: nodes3.slice(0, 2), pods: placed },
      noVolumes,
    );
    expect(d).toEqual({
      message:
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    });
    expect(
      decide(pod('db-2', anti, { app: 'db' }), { nodes: nodes3, pods: placed }, noVolumes),
    ).toEqual({ node: 'node-3' });
  });

  it('refuses pods with unbound immediate claims and too many pods', () => {
    const p = pod('p', {
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    });
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'shop' },
      status: { phase: 'Pending' },
    };
    expect(decide(p, { nodes: nodes3, pods: [] }, { pvcs: [pvc], storageClasses: [] })).toEqual({
      message:
        '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
    const tiny = [
      node('node-1', { status: { allocatable: { cpu: '1', memory: '1Gi', pods: '1' } } }),
    ];
    expect(
      decide(pod('q'), { nodes: tiny, pods: [pod('x', { nodeName: 'node-1' })] }, noVolumes),
    ).toEqual({
      message:
        '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    });
  });
});
