import { describe as group, expect, it } from 'vitest';
import { emptySnapshot, type Finding, type KubeObject, type Snapshot } from '@opsloop/kube-tools';
import { dependencies, scopeFindings } from '../src/diagnosis.ts';
import { describe } from '../src/resolve.ts';

const workload = (kind: string, name: string, env: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'notify', uid: `uid-${name}` },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'main',
            image: `${name}:1`,
            env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
          },
        ],
      },
    },
  },
});
const service = (name: string, app = name): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'notify' },
  spec: { selector: { app }, ports: [{ port: 80 }] },
});
const finding = (kind: string, name: string, code: string): Finding =>
  ({
    code,
    severity: 'critical',
    object: { apiVersion: 'apps/v1', kind, namespace: 'notify', name },
    explanation: `${kind} ${name} is broken`,
    evidence: [],
    remediations: [],
    confidence: 0.9,
  }) as unknown as Finding;

const snapshot: Snapshot = {
  ...emptySnapshot('notify'),
  deployments: [
    workload('Deployment', 'worker', {
      AMQP_URL: 'amqp://rabbitmq:5672',
      CACHE: 'cache-redis:6379',
    }),
    workload('Deployment', 'other'),
  ],
  statefulSets: [workload('StatefulSet', 'rabbitmq')],
  services: [service('rabbitmq'), service('other'), service('redis')],
};

group('scope: what a workload depends on', () => {
  it('names the Services its pod template uses as hosts, not names that only contain them', () => {
    expect(dependencies(snapshot, snapshot.deployments[0]!)).toEqual(['rabbitmq']);
  });

  it('a fault in a dependency is in scope; a red herring elsewhere is not', () => {
    const findings = [
      finding('Deployment', 'worker', 'CONTAINER_CRASHLOOP'),
      finding('StatefulSet', 'rabbitmq', 'CONTAINER_OOMKILLED'),
      finding('Deployment', 'other', 'CONTAINER_CRASHLOOP'),
    ];
    const target = describe(snapshot, { kind: 'Deployment', name: 'worker' });
    const scoped = scopeFindings(findings, snapshot, [target]).map((f) => f.object.name);
    expect(scoped).toEqual(['worker', 'rabbitmq']);
  });

  it('an autoscaler aimed at the name the request uses is in scope (its workload was renamed)', () => {
    const s: Snapshot = {
      ...snapshot,
      // The Service kept the old name; its pods now belong to the renamed Deployment "other".
      services: [...snapshot.services, service('search-api', 'other')],
      hpas: [
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'search', namespace: 'notify' },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'search-api' },
          },
        },
      ],
    };
    const hpa = { ...finding('HorizontalPodAutoscaler', 'search', 'HPA_TARGET_MISSING') };
    const target = describe(s, { kind: 'Service', name: 'search-api' });
    expect(target.workload?.name).toBe('other');
    expect(scopeFindings([hpa], s, [target]).map((f) => f.code)).toEqual(['HPA_TARGET_MISSING']);
  });
});
