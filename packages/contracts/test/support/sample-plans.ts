import type { Plan, Step } from '../../src/mod.ts';

/** A realistic two-step remediation: scale checkout, then fix its service selector. */
export function samplePlan(clusterId = 'kube-sim-local'): Plan {
  return {
    schemaVersion: 1,
    clusterId,
    rationale: 'checkout has too few replicas for its load and its Service selects no pods',
    steps: [scaleStep(), selectorStep()],
  };
}

export function scaleStep(): Step {
  return {
    id: 's1',
    action: 'ScaleWorkload',
    args: { replicas: 5 },
    target: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      resourceVersion: '4711',
    },
    patch: { type: 'merge', body: { spec: { replicas: 5 } } },
    diff: [{ path: '/spec/replicas', before: 2, after: 5 }],
    risk: 'low',
    checks: [{ name: 'RolloutComplete', args: { timeoutSeconds: 120 } }],
    summary: 'scale deployment shop/checkout from 2 to 5 replicas',
  };
}

export function selectorStep(): Step {
  return {
    id: 's2',
    action: 'PatchServiceSelector',
    args: { selector: { app: 'checkout' } },
    target: {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'shop',
      name: 'checkout',
      resourceVersion: '815',
    },
    patch: { type: 'strategic', body: { spec: { selector: { app: 'checkout' } } } },
    diff: [{ path: '/spec/selector/app', before: 'chekout', after: 'checkout' }],
    risk: 'medium',
    checks: [
      { name: 'EndpointsReady', args: { minReady: 1 } },
      { name: 'ServiceResponds', args: { port: 80, path: '/healthz' } },
    ],
    summary: 'point Service shop/checkout at pods labelled app=checkout',
  };
}

/** Undoes scaleStep only (the selector fix stays). */
export function rollbackPlan(clusterId = 'kube-sim-local'): Plan {
  const step = scaleStep();
  return {
    schemaVersion: 1,
    clusterId,
    rationale: 'restore the replica count that was in place before the operation',
    steps: [
      {
        ...step,
        id: 'r1',
        args: { replicas: 2 },
        target: { ...step.target, resourceVersion: '4790' },
        patch: { type: 'merge', body: { spec: { replicas: 2 } } },
        diff: [{ path: '/spec/replicas', before: 5, after: 2 }],
        checks: [],
        summary: 'scale deployment shop/checkout back to 2 replicas',
      },
    ],
  };
}
