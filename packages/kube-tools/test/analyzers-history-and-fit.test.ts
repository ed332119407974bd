import { describe, expect, it } from 'vitest';
import { ACTIONS, analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { Finding, KubeObject, Snapshot } from '../src/mod.ts';

/**
 * Rules derived from what a cluster shows, each with the case that must not trigger it:
 * a crash that is over, egress allow-lists, LimitRange sizing, exec probes the image cannot
 * run, a liveness probe that kills a slow start, an HPA whose target was renamed.
 */
const NS = 'app';
const owned = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true },
];

function deployment(name: string, container: Record<string, unknown>, labels = { app: name }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `${name}-uid`, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  } as KubeObject;
}

function pod(
  name: string,
  owner: { kind: string; name: string },
  container: Record<string, unknown>,
  status: Record<string, unknown>,
  labels: Record<string, string> = { app: owner.name },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      uid: `${name}-uid`,
      labels,
      ownerReferences: owned(owner.kind, owner.name),
    },
    spec: { containers: [container] },
    status: { phase: 'Running', containerStatuses: [{ name: container.name, ...status }] },
  } as KubeObject;
}

function warning(podName: string, container: string, message: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${podName}.1`, namespace: NS },
    involvedObject: {
      kind: 'Pod',
      name: podName,
      uid: `${podName}-uid`,
      fieldPath: `spec.containers{${container}}`,
    },
    type: 'Warning',
    reason: 'Unhealthy',
    message,
    lastTimestamp: '2026-01-01T00:04:00Z',
  } as KubeObject;
}

const snap = (over: Partial<Snapshot>): Snapshot => ({
  ...emptySnapshot(NS),
  takenAt: '2026-01-01T00:05:00Z',
  ...over,
});
const codes = (s: Snapshot) =>
  analyzeSnapshot(s).map((f) => `${f.code} ${f.object.kind}/${f.object.name}`);
const only = (s: Snapshot, code: string): Finding => {
  const found = analyzeSnapshot(s).filter((f) => f.code === code);
  expect(found, codes(s).join('; ')).toHaveLength(1);
  return found[0]!;
};
const planable = (f: Finding) =>
  f.remediations.every((r) => ACTIONS[r.action]!.schema.safeParse(r.args).success);

const crashed = { terminated: { exitCode: 1, reason: 'Error' } };

describe('a crash that is over is history', () => {
  const app = { name: 'app', image: 'example/app:1' };
  const withRestarts = (restartCount: number) =>
    snap({
      deployments: [deployment('web', app)],
      pods: [
        pod('web-1', { kind: 'Deployment', name: 'web' }, app, {
          ready: true,
          restartCount,
          state: { running: { startedAt: '2026-01-01T00:01:00Z' } },
          lastState: crashed,
        }),
      ],
    });

  it('restarted once at boot and Ready since: no crash finding; restarting on: a finding', () => {
    expect(codes(withRestarts(1))).not.toContainEqual(expect.stringMatching(/CRASH/));
    expect(codes(withRestarts(5))).toContainEqual('CONTAINER_CRASHLOOP Deployment/web');
  });

  it("a completed Job's Error pod is how it retried, a failed Job's is not", () => {
    const job = (complete: boolean) =>
      snap({
        jobs: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name: 'load', namespace: NS, uid: 'load-uid' },
            spec: { template: { spec: { containers: [app] } } },
            status: { conditions: complete ? [{ type: 'Complete', status: 'True' }] : [] },
          } as KubeObject,
        ],
        pods: [
          pod('load-a', { kind: 'Job', name: 'load' }, app, {
            ready: false,
            restartCount: 0,
            state: crashed,
          }),
        ],
      });
    expect(codes(job(true))).toEqual([]);
    expect(codes(job(false))).toContainEqual('CONTAINER_CRASHLOOP Job/load');
  });
});

describe('an egress allow-list without the port the app connects to', () => {
  const client = {
    name: 'api',
    image: 'example/api:1',
    env: [{ name: 'DB_URL', value: 'postgres://u@db:5432/x' }],
  };
  const policies = (dbPort: number) =>
    [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all', namespace: NS },
        spec: { podSelector: {}, policyTypes: ['Egress'] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'dns', namespace: NS },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'api-out', namespace: NS },
        spec: {
          podSelector: { matchLabels: { app: 'api' } },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { role: 'db' } } }],
              ports: [{ protocol: 'TCP', port: dbPort }],
            },
          ],
        },
      },
    ] as KubeObject[];
  const cluster = (dbPort: number) =>
    snap({
      deployments: [deployment('api', client)],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'db', namespace: NS },
          spec: { selector: { role: 'db' }, ports: [{ port: 5432, targetPort: 'pg' }] },
        } as KubeObject,
      ],
      pods: [
        pod('api-1', { kind: 'Deployment', name: 'api' }, client, {
          ready: true,
          restartCount: 0,
          state: { running: {} },
        }),
        pod(
          'db-0',
          { kind: 'StatefulSet', name: 'db' },
          { name: 'pg', ports: [{ name: 'pg', containerPort: 5432 }] },
          { ready: true, restartCount: 0, state: { running: {} } },
          { role: 'db' },
        ),
      ],
      networkPolicies: policies(dbPort),
    });

  it("adds the Service's pods and port to the app's own allow-list, never to the default deny", () => {
    const f = only(cluster(6379), 'NETPOL_BLOCKS_EGRESS');
    expect(f.object.name).toBe('api-out');
    expect(f.remediations[0]!.args).toMatchObject({
      name: 'api-out',
      direction: 'egress',
      peers: [{ podSelector: { role: 'db' } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    expect(planable(f)).toBe(true);
  });

  it('is quiet when the allow-list has the port', () => {
    expect(codes(cluster(5432))).not.toContainEqual(expect.stringMatching(/EGRESS/));
  });
});

describe('a container above the LimitRange is sized within it', () => {
  it('the limit above max becomes the max; the release stays', () => {
    const c = {
      name: 'app',
      image: 'example/app:2',
      resources: { requests: { memory: '768Mi' }, limits: { memory: '2Gi' } },
    };
    const f = only(
      snap({
        deployments: [deployment('ranker', c)],
        limitRanges: [
          {
            apiVersion: 'v1',
            kind: 'LimitRange',
            metadata: { name: 'caps', namespace: NS },
            spec: { limits: [{ type: 'Container', max: { memory: '1Gi' } }] },
          } as KubeObject,
        ],
      }),
      'LIMITRANGE_VIOLATION',
    );
    expect(f.remediations[0]).toMatchObject({
      action: 'SetContainerResources',
      args: { limits: { memory: '1Gi' } },
    });
    expect(f.remediations[0]!.args.requests).toBeUndefined();
    expect(planable(f)).toBe(true);
  });
});

describe('probes', () => {
  it('an exec probe whose program the image lacks becomes an HTTP GET on the URL it requested', () => {
    const c = {
      name: 'gw',
      image: 'example/gw:2',
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { exec: { command: ['curl', '-fsS', 'http://localhost:8080/healthz'] } },
    };
    const f = only(
      snap({
        deployments: [deployment('gw', c)],
        pods: [
          pod('gw-1', { kind: 'Deployment', name: 'gw' }, c, {
            ready: false,
            restartCount: 0,
            state: { running: {} },
          }),
        ],
        events: [
          warning(
            'gw-1',
            'gw',
            'Readiness probe errored: exec: "curl": executable file not found in $PATH',
          ),
        ],
      }),
      'PROBE_PROGRAM_MISSING',
    );
    expect(f.remediations[0]!.args).toMatchObject({
      probe: 'readiness',
      handler: 'httpGet',
      path: '/healthz',
      port: 8080,
    });
    expect(planable(f)).toBe(true);
  });

  const slow = (message: string, ran: number) => {
    const c = {
      name: 'idp',
      image: 'example/idp:1',
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: {
        httpGet: { path: '/live', port: 8080 },
        initialDelaySeconds: 20,
        periodSeconds: 10,
        failureThreshold: 3,
      },
    };
    return snap({
      deployments: [deployment('idp', c)],
      pods: [
        pod('idp-1', { kind: 'Deployment', name: 'idp' }, c, {
          ready: false,
          restartCount: 3,
          state: { running: {} },
          lastState: {
            terminated: {
              exitCode: 143,
              startedAt: '2026-01-01T00:02:00Z',
              finishedAt: new Date(Date.parse('2026-01-01T00:02:00Z') + ran * 1000).toISOString(),
            },
          },
        }),
      ],
      events: [warning('idp-1', 'idp', `Liveness probe failed: ${message}`)],
    });
  };

  it('a liveness probe that kills the start before it listens gets three times its window', () => {
    const f = only(
      slow('dial tcp 10.0.0.9:8080: connect: connection refused', 50),
      'PROBE_KILLS_SLOW_START',
    );
    expect(f.remediations[0]!.args).toMatchObject({ probe: 'liveness', initialDelaySeconds: 120 });
    expect(planable(f)).toBe(true);
  });

  it('not when the server answers (an error status), nor when the container ran far longer', () => {
    expect(codes(slow('HTTP probe failed with statuscode: 500', 50))).not.toContainEqual(
      expect.stringMatching(/SLOW_START/),
    );
    expect(
      codes(slow('dial tcp 10.0.0.9:8080: connect: connection refused', 3600)),
    ).not.toContainEqual(expect.stringMatching(/SLOW_START/));
  });
});

describe('an HPA whose target was renamed', () => {
  const hpa = (target: string) =>
    ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'search', namespace: NS },
      spec: {
        minReplicas: 3,
        maxReplicas: 9,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      },
    }) as KubeObject;
  const app = { name: 'app', image: 'example/search:2' };

  it('names the one workload whose name extends the missing one', () => {
    const f = only(
      snap({
        hpas: [hpa('search')],
        deployments: [deployment('search-v2', app), deployment('other', app)],
      }),
      'HPA_TARGET_MISSING',
    );
    expect(f.humanAction).toMatch(/Deployment search-v2 .*"name":"search-v2"/);
  });

  it('names none when two could be meant', () => {
    const f = only(
      snap({
        hpas: [hpa('search')],
        deployments: [deployment('search-v2', app), deployment('search-v3', app)],
      }),
      'HPA_TARGET_MISSING',
    );
    expect(f.humanAction).not.toMatch(/search-v/);
  });
});

describe('a failed Job whose URL answered 404', () => {
  const job = (log: string) =>
    snap({
      services: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'indexer', namespace: NS } },
      ] as KubeObject[],
      jobs: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'reindex', namespace: NS, uid: 'reindex-uid' },
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'call',
                    image: 'curl:8',
                    args: ['-f', 'http://indexer:8080/admin/run?x=1'],
                  },
                ],
              },
            },
          },
          status: {
            failed: 4,
            conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
          },
        } as KubeObject,
      ],
      pods: [
        pod(
          'reindex-a',
          { kind: 'Job', name: 'reindex' },
          { name: 'call' },
          {
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 22, reason: 'Error' } },
          },
          { 'job-name': 'reindex' },
        ),
      ],
      logs: { 'reindex-a/call': log },
    });

  it('names the path and the Service, and what a person must change', () => {
    const f = only(job('curl: (22) The requested URL returned error: 404'), 'JOB_FAILED');
    expect(f.explanation).toMatch(/"\/admin\/run" on Service indexer, which answers 404/);
    expect(f.humanAction).toMatch(/kubectl -n app get job reindex -o yaml/);
  });

  it('says nothing of a path when the failure is another', () => {
    const f = only(job('curl: (7) Failed to connect to indexer port 8080'), 'JOB_FAILED');
    expect(f.explanation).not.toMatch(/404/);
  });
});
