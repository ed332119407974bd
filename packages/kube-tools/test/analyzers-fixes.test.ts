import { describe, expect, it } from 'vitest';
import { ACTIONS, analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { Finding, KubeObject, Snapshot } from '../src/mod.ts';

/** A Deployment "api" whose one pod (through ReplicaSet api-2, revision 2) is in `status`. */
function workload(
  podSpec: Record<string, unknown>,
  podStatus: Record<string, unknown>,
  extra: Partial<Snapshot> = {},
): Snapshot {
  const template = { metadata: { labels: { app: 'api' } }, spec: podSpec };
  const rs = (revision: number, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `api-${revision}`,
      namespace: 'shop',
      uid: `rs-${revision}`,
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-1', controller: true },
      ],
    },
    spec: { replicas: 1, template: { ...template, spec } },
  });
  return {
    ...emptySnapshot('shop'),
    takenAt: '2026-01-01T00:10:00Z',
    deployments: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'api',
          namespace: 'shop',
          uid: 'd-1',
          annotations: { 'deployment.kubernetes.io/revision': '2' },
        },
        spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template },
      },
    ],
    replicaSets: [rs(2, podSpec)],
    pods: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'api-2-x',
          namespace: 'shop',
          labels: { app: 'api' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: 'api-2',
              uid: 'rs-2',
              controller: true,
            },
          ],
        },
        spec: podSpec,
        status: podStatus,
      },
    ],
    ...extra,
  };
}

const pulling = (message: string) => ({
  phase: 'Pending',
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: 0,
      image: 'registry.example.com/api:2',
      state: { waiting: { reason: 'ImagePullBackOff', message } },
    },
  ],
});
const IMAGE = { containers: [{ name: 'app', image: 'registry.example.com/api:2' }] };
const secret = (name: string, type: string) => ({ name, type, keys: ['.dockerconfigjson'] });

function only(findings: Finding[], code: string): Finding {
  const f = findings.filter((x) => x.code === code);
  expect(f, JSON.stringify(findings.map((x) => x.code))).toHaveLength(1);
  for (const r of f[0]!.remediations)
    expect(ACTIONS[r.action]!.schema.safeParse(r.args).success).toBe(true);
  return f[0]!;
}

describe('remediations that need a known, existing value', () => {
  it('unauthorized pull: references the one unused registry secret, by name', () => {
    const s = workload(IMAGE, pulling('pull access denied: 401 Unauthorized'), {
      secrets: [
        secret('registry-credentials', 'kubernetes.io/dockerconfigjson'),
        secret('db', 'Opaque'),
      ],
    });
    const f = only(analyzeSnapshot(s), 'IMAGE_PULL_UNAUTHORIZED');
    expect(f.remediations).toEqual([
      expect.objectContaining({
        action: 'SetImagePullSecrets',
        args: {
          namespace: 'shop',
          kind: 'Deployment',
          name: 'api',
          secrets: ['registry-credentials'],
        },
      }),
    ]);
    expect(f.humanAction).toBeUndefined();
  });

  it('unauthorized pull: with two candidate secrets or none, a person chooses or provides', () => {
    const two = workload(IMAGE, pulling('401 Unauthorized'), {
      secrets: [
        secret('registry-a', 'kubernetes.io/dockerconfigjson'),
        secret('registry-b', 'kubernetes.io/dockerconfigjson'),
      ],
    });
    const f = only(analyzeSnapshot(two), 'IMAGE_PULL_UNAUTHORIZED');
    expect(f.remediations).toEqual([]);
    expect(f.humanAction).toMatch(/registry-a, registry-b/);
    const none = only(
      analyzeSnapshot(workload(IMAGE, pulling('401 Unauthorized'))),
      'IMAGE_PULL_UNAUTHORIZED',
    );
    expect(none.remediations).toEqual([]);
    expect(none.humanAction).toMatch(/create a Secret of type kubernetes.io\/dockerconfigjson/);
  });

  it('missing image tag: rolls back to the previous revision when there is one, else asks for a tag', () => {
    const bad = workload(IMAGE, pulling('manifest unknown: not found'));
    const none = only(analyzeSnapshot(bad), 'IMAGE_NOT_FOUND');
    expect(none.remediations).toEqual([]);
    expect(none.humanAction).toMatch(
      /Choose an image for container .* that exists.*set the image of/,
    );
    const withPrevious: Snapshot = {
      ...bad,
      replicaSets: [
        ...bad.replicaSets,
        {
          ...bad.replicaSets[0]!,
          metadata: {
            ...bad.replicaSets[0]!.metadata,
            name: 'api-1',
            uid: 'rs-1',
            annotations: { 'deployment.kubernetes.io/revision': '1' },
          },
          spec: {
            replicas: 0,
            template: {
              spec: { containers: [{ name: 'app', image: 'registry.example.com/api:1' }] },
            },
          },
        },
      ],
    };
    const f = only(analyzeSnapshot(withPrevious), 'IMAGE_NOT_FOUND');
    expect(f.remediations[0]).toMatchObject({
      action: 'RolloutUndo',
      args: { namespace: 'shop', kind: 'Deployment', name: 'api', toRevision: 1 },
    });
  });

  const pending = {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/2 nodes are available: 2 Insufficient cpu.',
      },
    ],
  };
  const big = {
    containers: [
      { name: 'app', image: 'api:1', resources: { requests: { cpu: '6', memory: '1Gi' } } },
    ],
  };
  const room = (cpu: number) => [
    { name: 'node-1', free: { cpu, memory: 8 * 1024 ** 3 } },
    { name: 'node-2', free: { cpu: cpu - 0.5, memory: 8 * 1024 ** 3 } },
  ];

  it('insufficient cpu: proposes the largest request that fits every replica, with a low confidence', () => {
    const f = only(
      analyzeSnapshot(workload(big, pending, { nodeRoom: room(3.95) })),
      'INSUFFICIENT_RESOURCES',
    );
    // Two replicas: 3.9 fits node-1 only, 3.4 fits both.
    expect(f.remediations).toEqual([
      expect.objectContaining({
        action: 'SetContainerResources',
        args: {
          namespace: 'shop',
          kind: 'Deployment',
          name: 'api',
          container: 'app',
          requests: { cpu: '3400m' },
        },
      }),
    ]);
    expect(f.remediations[0]!.confidence).toBeLessThan(0.5);
    expect(f.remediations[0]!.reasoning).toMatch(/Trade-off/);
  });

  it('insufficient cpu: no proposal when only a fraction of the request would fit, or nothing was measured', () => {
    for (const nodeRoom of [room(1.4), []]) {
      const f = only(
        analyzeSnapshot(workload(big, pending, { nodeRoom })),
        'INSUFFICIENT_RESOURCES',
      );
      expect(f.remediations).toEqual([]);
      expect(f.humanAction).toMatch(/adding node capacity and lowering the requests/);
    }
  });

  it('missing ConfigMap volume: repoints it at the one near-identical ConfigMap holding its keys', () => {
    const spec = {
      containers: [{ name: 'app', image: 'api:1' }],
      volumes: [
        {
          name: 'templates',
          configMap: { name: 'mail-templates', items: [{ key: 'a.txt', path: 'a.txt' }] },
        },
      ],
    };
    const creating = {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    };
    const fixed = only(
      analyzeSnapshot(
        workload(spec, creating, { configMaps: [{ name: 'mail-template', keys: ['a.txt'] }] }),
      ),
      'CONFIGMAP_MISSING',
    );
    expect(fixed.remediations).toEqual([
      expect.objectContaining({
        action: 'SetConfigMapVolume',
        args: {
          namespace: 'shop',
          kind: 'Deployment',
          name: 'api',
          volume: 'templates',
          configMap: 'mail-template',
        },
      }),
    ]);
    for (const configMaps of [
      [{ name: 'mail-template', keys: ['b.txt'] }],
      [{ name: 'other-config', keys: ['a.txt'] }],
    ]) {
      const f = only(
        analyzeSnapshot(workload(spec, creating, { configMaps })),
        'CONFIGMAP_MISSING',
      );
      expect(f.remediations).toEqual([]);
      expect(f.humanAction).toMatch(/Create ConfigMap mail-templates/);
    }
  });

  it('several env references of one container to near-identical keys: one step sets them all', () => {
    const ref = (variable: string, key: string) => ({
      name: variable,
      valueFrom: { configMapKeyRef: { name: 'settings', key } },
    });
    const spec = {
      containers: [
        {
          name: 'app',
          image: 'api:1',
          env: [ref('REDIS_URL', 'REDIS_URL'), ref('REDIS_DB', 'REDIS_DB'), ref('MODE', 'mode')],
        },
      ],
    };
    const waiting = {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'CreateContainerConfigError' } },
        },
      ],
    };
    const s = workload(spec, waiting, {
      configMaps: [{ name: 'settings', keys: ['mode', 'redis-db', 'redis_url'] }],
    });
    const findings = analyzeSnapshot(s).filter((f) => f.code === 'CONFIGMAP_KEY_MISSING');
    expect(findings).toHaveLength(2);
    for (const f of findings) {
      expect(f.remediations).toHaveLength(1);
      expect(f.remediations[0]!.args).toEqual({
        namespace: 'shop',
        kind: 'Deployment',
        name: 'api',
        container: 'app',
        set: [
          {
            name: 'REDIS_URL',
            valueFrom: { configMapKeyRef: { name: 'settings', key: 'redis_url' } },
          },
          {
            name: 'REDIS_DB',
            valueFrom: { configMapKeyRef: { name: 'settings', key: 'redis-db' } },
          },
        ],
        remove: [],
      });
      expect(f.remediations[0]!.reasoning).toMatch(
        /"REDIS_URL".*"redis_url".*"REDIS_DB".*"redis-db"/,
      );
    }
  });
});
