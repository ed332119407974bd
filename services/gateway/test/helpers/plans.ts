import type { Plan, Risk, Step } from '@opsloop/contracts';

export const CLUSTER_ID = 'test-cluster-uid';

export function step(id: string, namespace: string, risk: Risk, name = 'checkout'): Step {
  return {
    id,
    action: 'ScaleWorkload',
    args: { namespace, kind: 'Deployment', name, replicas: 5 },
    target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name, resourceVersion: '4711' },
    patch: { type: 'merge', body: { spec: { replicas: 5 } } },
    diff: [{ path: '/spec/replicas', before: 2, after: 5 }],
    risk,
    checks: [{ name: 'RolloutComplete', args: { timeoutSeconds: 120 } }],
    summary: `scale ${namespace}/${name} to 5`,
  };
}

export function plan(namespace: string, risk: Risk = 'low', clusterId = CLUSTER_ID): Plan {
  return {
    schemaVersion: 1,
    clusterId,
    rationale: 'too few replicas for the load',
    steps: [step('s1', namespace, risk)],
  };
}
