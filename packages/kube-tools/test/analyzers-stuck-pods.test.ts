import { describe, expect, it } from 'vitest';
import { addStuckPodFollowUps } from '../src/analyzers/stuck-pods.ts';
import { ACTIONS, analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Remediation, Snapshot } from '../src/mod.ts';

const spec = {
  containers: [
    { name: 'es', image: 'search:8', resources: { requests: { cpu: '1', memory: '40Gi' } } },
  ],
};

const statefulSet = (updateStrategy?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'search', namespace: 'docs', uid: 'sts-1' },
  spec: {
    replicas: 2,
    ...(updateStrategy ? { updateStrategy: { type: updateStrategy } } : {}),
    selector: { matchLabels: { role: 'search' } },
    template: { metadata: { labels: { role: 'search' } }, spec },
  },
});

const pod = (name: string, ready: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'docs',
    uid: `uid-${name}`,
    labels: { role: 'search' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'search',
        uid: 'sts-1',
        controller: true,
      },
    ],
  },
  spec,
  status: ready
    ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
    : {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient memory.',
          },
        ],
      },
});

const snapshot = (pods: KubeObject[], updateStrategy?: string): Snapshot => ({
  ...emptySnapshot('docs'),
  takenAt: '2026-01-01T00:00:00Z',
  statefulSets: [statefulSet(updateStrategy)],
  pods,
  nodeRoom: ['node-1', 'node-2', 'node-3'].map((name) => ({
    name,
    free: { cpu: 4, memory: 16 * 1024 ** 3 },
  })),
});

const resources = (kind = 'StatefulSet'): Remediation => ({
  action: 'SetContainerResources',
  args: { namespace: 'docs', kind, name: 'search', container: 'es', requests: { memory: '8Gi' } },
  confidence: 0.35,
  reasoning: 'fits',
});

describe('a template fix of a StatefulSet whose pods are stuck', () => {
  it('is followed by a DeletePod of each pod that is not Ready (the controller would not replace it)', () => {
    const s = snapshot([pod('search-0', true), pod('search-1', false)]);
    const [f] = analyzeSnapshot(s).filter((x) => x.code === 'INSUFFICIENT_RESOURCES');
    const top = f!.remediations[0]!;
    expect(top.action).toBe('SetContainerResources');
    expect(top.followUps).toEqual([
      {
        action: 'DeletePod',
        args: { namespace: 'docs', name: 'search-1' },
        reasoning: expect.stringMatching(
          /only while all its pods are Running and Ready; pod search-1 is Pending/,
        ),
      },
    ]);
    for (const next of top.followUps!)
      expect(ACTIONS[next.action]!.schema.safeParse(next.args).success).toBe(true);
    // What the request was, as written, not in bytes.
    expect(top.reasoning).toMatch(/es asks for 40Gi/);
  });

  it('says why for OnDelete too', () => {
    const r = addStuckPodFollowUps(snapshot([pod('search-0', false)], 'OnDelete'), resources());
    expect(r.followUps?.[0]?.reasoning).toMatch(/OnDelete update strategy/);
  });

  it('none when every pod is Ready, for a Deployment, or for an action that keeps the template', () => {
    expect(addStuckPodFollowUps(snapshot([pod('search-0', true)]), resources()).followUps).toBe(
      undefined,
    );
    expect(
      addStuckPodFollowUps(snapshot([pod('search-0', false)]), resources('Deployment')).followUps,
    ).toBe(undefined);
    const scale: Remediation = {
      action: 'ScaleWorkload',
      args: { namespace: 'docs', kind: 'StatefulSet', name: 'search', replicas: 1 },
      confidence: 0.5,
      reasoning: 'fewer',
    };
    expect(addStuckPodFollowUps(snapshot([pod('search-0', false)]), scale).followUps).toBe(
      undefined,
    );
  });
});
